import { describe, expect, it } from 'vitest';

import { sendAt, subscriberTimeZone } from './send-time';

const at = (iso: string) => Date.parse(iso);
const quiet = { fromMinute: 22 * 60, toMinute: 8 * 60 };

describe('send time', () => {
  it('waits the delay, then for the end of the subscriber’s quiet hours', () => {
    expect(sendAt(at('2026-11-26T12:00:00Z'), { delaySeconds: 90 }, 'UTC')).toBe(at('2026-11-26T12:01:30Z'));
    // 23:40 in Moscow (20:40 UTC): quiet until 08:00 Moscow (05:00 UTC) the next day.
    expect(sendAt(at('2026-11-26T20:40:15Z'), { delaySeconds: 0, quietHours: quiet }, 'Europe/Moscow')).toBe(
      at('2026-11-27T05:00:00Z')
    );
    // 03:00 in Moscow: the same night's end.
    expect(sendAt(at('2026-11-27T00:00:00Z'), { delaySeconds: 0, quietHours: quiet }, 'Europe/Moscow')).toBe(
      at('2026-11-27T05:00:00Z')
    );
    // 12:00 in Moscow: not quiet.
    expect(sendAt(at('2026-11-26T09:00:00Z'), { delaySeconds: 0, quietHours: quiet }, 'Europe/Moscow')).toBe(
      at('2026-11-26T09:00:00Z')
    );
    // The delay can carry an offer into quiet hours: 21:50 + 15 min = 22:05, so 08:00.
    expect(sendAt(at('2026-11-26T21:50:00Z'), { delaySeconds: 900, quietHours: quiet }, 'UTC')).toBe(
      at('2026-11-27T08:00:00Z')
    );
    // Quiet hours within a day (13:00-14:00).
    expect(
      sendAt(at('2026-11-26T13:30:00Z'), { delaySeconds: 0, quietHours: { fromMinute: 780, toMinute: 840 } }, 'UTC')
    ).toBe(at('2026-11-26T14:00:00Z'));
  });

  it('takes the subscriber’s zone from the event when it is a real one', () => {
    expect(subscriberTimeZone({ time_zone: 'Asia/Vladivostok' }, 'Europe/Moscow')).toBe('Asia/Vladivostok');
    expect(subscriberTimeZone({ time_zone: 'Moon/Base' }, 'Europe/Moscow')).toBe('Europe/Moscow');
    expect(subscriberTimeZone({}, 'UTC')).toBe('UTC');
  });
});
