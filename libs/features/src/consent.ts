import type { Redis } from 'ioredis';

import type { OpList } from './compile';
import type { FeatureEvent } from './event';
import { entityGroup, groupPrefix } from './keys';

/**
 * Consent per user and purpose, kept from `consent` events in the same build and exactly-once script as
 * the features. Each purpose is its own last-writer-wins value by event time: a grant and a withdrawal for
 * different purposes never overwrite each other, and a late-delivered older change changes nothing.
 *
 * | key                                | type | holds                                                        |
 * |------------------------------------|------|--------------------------------------------------------------|
 * | fs:v3:<b>:{t:<n>}:cs:<subject>     | hash | `<purpose>`: 1 granted / 0 withdrawn; `<purpose>#at`: event time; `<purpose>#src`: source |
 */
export const CONSENT_EVENT = 'consent';

export const CONSENT_PURPOSES = [
  'personalization',
  'ads_targeting',
  'analytics',
  'contact_sms',
  'contact_push',
  'contact_email',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** What a user said per purpose; a purpose they never spoke about is absent. */
export type Consent = Partial<Record<ConsentPurpose, boolean>>;

/** In the subject's entity group (keys.ts), with the rest of the profile. */
export const consentKey = (prefix: string, subject: string): string =>
  `${groupPrefix(prefix, entityGroup(subject))}cs:${subject}`;

/** The `P` operation (apply-script.ts): `P key field value event-ms`, last writer by event time wins. */
export function planConsentChange(event: FeatureEvent, ops: OpList): void {
  const purpose = event.properties['purpose'];
  const granted = event.properties['granted'];
  if (!CONSENT_PURPOSES.includes(purpose as ConsentPurpose) || typeof granted !== 'boolean') return;
  const key = ops.key(consentKey(ops.prefix, event.subject));
  const at = String(event.occurredAtMs);
  ops.op('P', key, String(purpose), granted ? '1' : '0', at);
  const source = event.properties['source'];
  if (typeof source === 'string' && source !== '') ops.op('P', key, `${String(purpose)}#src`, source, at);
}

/** One statement per purpose the user spoke about: what, where it came from, and when. */
export interface ConsentStatement {
  purpose: ConsentPurpose;
  granted: boolean;
  source: string;
  atMs: number;
}

export async function readConsentStatements(
  redis: Redis,
  prefix: string,
  subject: string
): Promise<ConsentStatement[]> {
  const fields = await redis.hgetall(consentKey(prefix, subject));
  return CONSENT_PURPOSES.filter((purpose) => fields[purpose] !== undefined).map((purpose) => ({
    purpose,
    granted: fields[purpose] === '1',
    source: fields[`${purpose}#src`] ?? '',
    atMs: Number(fields[`${purpose}#at`] ?? 0),
  }));
}

export async function readConsent(redis: Redis, prefix: string, subject: string): Promise<Consent> {
  const values = await redis.hmget(consentKey(prefix, subject), ...CONSENT_PURPOSES);
  const consent: Consent = {};
  CONSENT_PURPOSES.forEach((purpose, i) => {
    if (values[i] != null) consent[purpose] = values[i] === '1';
  });
  return consent;
}
