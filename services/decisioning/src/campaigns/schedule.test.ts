import { describe, expect, it } from 'vitest';

import { inDayparts, isScheduled, localTime, parseDayparts } from './schedule';

const at = (iso: string): number => Date.parse(iso);

describe('schedules', () => {
  it('reads the wall clock of the campaign’s zone, across daylight saving', () => {
    expect(localTime(at('2026-11-26T09:30:00Z'), 'Europe/Moscow')).toEqual({
      weekday: 3, // Thursday
      minute: 12 * 60 + 30,
      date: '2026-11-26',
    });
    // New York: UTC-4 in summer, UTC-5 in winter.
    expect(localTime(at('2026-07-01T16:00:00Z'), 'America/New_York').minute).toBe(12 * 60);
    expect(localTime(at('2026-12-01T17:00:00Z'), 'America/New_York').minute).toBe(12 * 60);
    // Just after UTC midnight it is still yesterday in Los Angeles.
    expect(localTime(at('2026-11-27T02:00:00Z'), 'America/Los_Angeles').date).toBe('2026-11-26');
  });

  it('runs between start and end only', () => {
    const s = { startMs: at('2026-11-01T00:00:00Z'), endMs: at('2026-12-01T00:00:00Z'), timeZone: 'UTC', dayparts: [] };
    expect(isScheduled(s, at('2026-10-31T23:59:59Z'))).toBe(false);
    expect(isScheduled(s, at('2026-11-01T00:00:00Z'))).toBe(true);
    expect(isScheduled(s, at('2026-12-01T00:00:00Z'))).toBe(false); // end is exclusive
  });

  it('runs within dayparts in its own zone, including parts over midnight', () => {
    const lunch = parseDayparts('dayparts', [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '12:00', to: '14:00' },
    ]);
    const moscow = { timeZone: 'Europe/Moscow', dayparts: lunch };
    expect(isScheduled(moscow, at('2026-11-26T09:00:00Z'))).toBe(true); // Thu 12:00 in Moscow
    expect(isScheduled(moscow, at('2026-11-26T11:00:00Z'))).toBe(false); // 14:00: end is exclusive
    expect(isScheduled(moscow, at('2026-11-28T09:30:00Z'))).toBe(false); // Saturday
    const night = parseDayparts('dayparts', [{ days: ['fri'], from: '22:00', to: '02:00' }]);
    expect(inDayparts(night, { weekday: 4, minute: 23 * 60, date: '' })).toBe(true); // Fri 23:00
    expect(inDayparts(night, { weekday: 5, minute: 60, date: '' })).toBe(true); // Sat 01:00, Friday's night
    expect(inDayparts(night, { weekday: 5, minute: 23 * 60, date: '' })).toBe(false); // Sat 23:00
    expect(inDayparts(night, { weekday: 4, minute: 60, date: '' })).toBe(false); // Fri 01:00 is Thursday's night
  });

  it('refuses bad dayparts, naming the field', () => {
    expect(() => parseDayparts('schedule.dayparts', [{ from: '25:00', to: '26:00' }])).toThrow(
      'schedule.dayparts[0].from: must be a time of day "HH:MM"'
    );
    expect(() => parseDayparts('schedule.dayparts', [{ days: ['funday'], from: '10:00', to: '11:00' }])).toThrow(
      'schedule.dayparts[0].days'
    );
    expect(() => parseDayparts('schedule.dayparts', [{ from: '10:00', to: '10:00' }])).toThrow(
      'from and to must differ'
    );
  });
});
