import { InvalidArgumentError } from '@dmp/runtime';

import { CAP_PERIODS, type CapPeriod, type FrequencyCap } from './campaign';
import { isTimeZone } from './schedule';

/**
 * A tenant's global contact policy: however many campaigns want a subscriber, at most so many offers per
 * channel per period, e.g. two SMS a day and five a week. Kept in NATS KV `dmp_contact_policies` (key: the
 * tenant), counted with the campaign's own caps in the same atomic script.
 *
 * ```json
 * { "timeZone": "Europe/Moscow", "channels": { "sms": [{ "max": 2, "per": "day" }, { "max": 5, "per": "week" }] } }
 * ```
 */
export interface ContactPolicy {
  timeZone: string;
  channels: Readonly<Record<string, readonly FrequencyCap[]>>;
}

export const CONTACT_POLICIES_BUCKET = 'dmp_contact_policies';

export function parseContactPolicy(raw: unknown, at = 'policy'): ContactPolicy {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InvalidArgumentError(at, 'must be an object');
  const doc = raw as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (key !== 'timeZone' && key !== 'channels')
      throw new InvalidArgumentError(`${at}.${key}`, 'is not a contact policy field (timeZone, channels)');
  }
  const timeZone = doc['timeZone'] ?? 'UTC';
  if (typeof timeZone !== 'string' || !isTimeZone(timeZone))
    throw new InvalidArgumentError(`${at}.timeZone`, 'must be an IANA time zone, e.g. Europe/Moscow');
  const rawChannels = doc['channels'] ?? {};
  if (typeof rawChannels !== 'object' || rawChannels === null || Array.isArray(rawChannels))
    throw new InvalidArgumentError(`${at}.channels`, 'must be an object of channel → caps');
  const channels: Record<string, FrequencyCap[]> = {};
  for (const [channel, caps] of Object.entries(rawChannels as Record<string, unknown>)) {
    const field = `${at}.channels.${channel}`;
    if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(channel)) throw new InvalidArgumentError(field, 'is not a channel name');
    if (!Array.isArray(caps) || caps.length === 0 || caps.length > 5)
      throw new InvalidArgumentError(field, 'must be a list of 1 to 5 caps');
    channels[channel] = caps.map((cap: unknown, i) => {
      const c = (typeof cap === 'object' && cap !== null ? cap : {}) as Record<string, unknown>;
      if (!CAP_PERIODS.includes(c['per'] as CapPeriod) || c['per'] === 'campaign')
        throw new InvalidArgumentError(`${field}[${i}].per`, 'must be one of hour, day, week, month');
      const max = c['max'];
      if (!Number.isInteger(max) || (max as number) < 0 || (max as number) > 1_000_000)
        throw new InvalidArgumentError(`${field}[${i}].max`, 'must be a whole number from 0 to 1000000');
      return { max: max as number, per: c['per'] as CapPeriod };
    });
  }
  return { timeZone, channels };
}
