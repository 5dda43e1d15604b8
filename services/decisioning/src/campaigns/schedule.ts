import { InvalidArgumentError } from '@dmp/runtime';

/**
 * When a campaign runs: between `start` and `end`, and within its dayparts in its own time zone (a
 * Moscow lunch offer runs at Moscow noon wherever the servers are). A daypart whose end is before its start
 * runs over midnight: {"days": ["fri"], "from": "22:00", "to": "02:00"} is Friday 22:00 to Saturday 02:00.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Daypart {
  days: readonly Weekday[];
  /** Minutes after local midnight; `to` is exclusive, and before `from` when the part runs over midnight. */
  fromMinute: number;
  toMinute: number;
}

export interface Schedule {
  startMs?: number;
  endMs?: number;
  timeZone: string;
  /** None: all day, every day. */
  dayparts: readonly Daypart[];
}

export interface LocalTime {
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  /** Minutes after local midnight. */
  minute: number;
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` at `ms` (Intl, so daylight saving and historic offsets are right). */
export function localTime(ms: number, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(ms)) parts[type] = value;
  return {
    weekday: WEEKDAYS.indexOf(parts['weekday']!.toLowerCase() as Weekday),
    minute: Number(parts['hour']) * 60 + Number(parts['minute']),
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
  };
}

export function isScheduled(schedule: Schedule, nowMs: number): boolean {
  if (schedule.startMs !== undefined && nowMs < schedule.startMs) return false;
  if (schedule.endMs !== undefined && nowMs >= schedule.endMs) return false;
  return schedule.dayparts.length === 0 || inDayparts(schedule.dayparts, localTime(nowMs, schedule.timeZone));
}

export function inDayparts(dayparts: readonly Daypart[], at: LocalTime): boolean {
  const today = WEEKDAYS[at.weekday]!;
  const yesterday = WEEKDAYS[(at.weekday + 6) % 7]!;
  return dayparts.some((p) =>
    p.fromMinute < p.toMinute
      ? p.days.includes(today) && at.minute >= p.fromMinute && at.minute < p.toMinute
      : (p.days.includes(today) && at.minute >= p.fromMinute) || (p.days.includes(yesterday) && at.minute < p.toMinute)
  );
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** "HH:MM" (00:00–24:00) → minutes; InvalidArgumentError naming `field` otherwise. */
export function parseClock(field: string, text: unknown): number {
  const match = typeof text === 'string' ? /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text) : null;
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!(minutes <= 24 * 60)) throw new InvalidArgumentError(field, 'must be a time of day "HH:MM"');
  return minutes;
}

export function parseDayparts(field: string, raw: unknown): Daypart[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > 50) throw new InvalidArgumentError(field, 'must be a list of at most 50');
  return raw.map((part: unknown, i) => {
    const at = `${field}[${i}]`;
    if (typeof part !== 'object' || part === null) throw new InvalidArgumentError(at, 'must be an object');
    const { days = WEEKDAYS, from, to } = part as Record<string, unknown>;
    if (!Array.isArray(days) || days.length === 0 || !days.every((d) => WEEKDAYS.includes(d as Weekday))) {
      throw new InvalidArgumentError(`${at}.days`, `must list days among ${WEEKDAYS.join(', ')}`);
    }
    const fromMinute = parseClock(`${at}.from`, from);
    const toMinute = parseClock(`${at}.to`, to);
    if (fromMinute === toMinute) throw new InvalidArgumentError(at, 'from and to must differ');
    return { days: days as Weekday[], fromMinute, toMinute };
  });
}
