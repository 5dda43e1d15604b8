import type { Trigger } from '../campaigns/campaign';
import { isTimeZone, localTime } from '../campaigns/schedule';

/**
 * When a triggered offer may go out: the campaign's delay after the decision, then, if that falls in the
 * subscriber's quiet hours, the end of them (a roaming offer decided at 23:40 waits for 08:00, local).
 */
export function sendAt(
  decidedAtMs: number,
  trigger: Pick<Trigger, 'delaySeconds' | 'quietHours'>,
  timeZone: string
): number {
  const due = decidedAtMs + trigger.delaySeconds * 1000;
  const quiet = trigger.quietHours;
  if (!quiet) return due;
  const { minute } = localTime(due, timeZone);
  const inQuiet =
    quiet.fromMinute < quiet.toMinute
      ? minute >= quiet.fromMinute && minute < quiet.toMinute
      : minute >= quiet.fromMinute || minute < quiet.toMinute;
  if (!inQuiet) return due;
  const minutesLeft = (quiet.toMinute - minute + 1440) % 1440;
  // To the start of the minute quiet hours end (seconds of the current minute dropped).
  return due - (due % 60_000) + minutesLeft * 60_000;
}

/** The subscriber's time zone: the event's `time_zone` property when it is a zone we know, else the fallback. */
export function subscriberTimeZone(properties: Readonly<Record<string, unknown>>, fallback: string): string {
  const zone = properties['time_zone'];
  return typeof zone === 'string' && isTimeZone(zone) ? zone : fallback;
}
