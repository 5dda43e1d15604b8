import type { Redis } from 'ioredis';

import { scanKeys } from '@dmp/redis';
import type { Logger } from '@dmp/runtime';

import { capsFields, capsKeys } from './keys';
import { REPORT_TTL_S } from './reports';

/** Set once the caps Redis holds nothing in the layout before issue 20 (every key under the tenant's tag). */
export const LAYOUT_KEY = 'dc:layout';
const LAYOUT = '2';
/** Held by the replica moving the keys, so that two replicas starting together do not both move them. */
const MOVING_KEY = 'dc:layout:moving';
const MOVING_TTL_S = 600;

/**
 * Moves decisioning's state from the layout before issue 20, where every key carried the tenant's hash tag
 * (`dc:{t}:…`, `rp:{t}:…`), to the one of keys.ts, so that an upgrade keeps every subscriber's caps and
 * contact-policy counters, the exposures that lift is measured on, the campaigns' spend and their reports:
 *
 * | before                                        | after (keys.ts)                                        |
 * |-----------------------------------------------|--------------------------------------------------------|
 * | dc:{t}:cap:<campaign>:<per>:<period>:<subject> | field c:<campaign>:<per>:<period> of the subscriber's hash, "<count>:<expiry>" |
 * | dc:{t}:contact:<channel>:<per>:<period>:<subject> | field p:<channel>:<per>:<period> of it             |
 * | rp:{t}:exp:<subject>                          | fields x:<campaign> of it                              |
 * | dc:{t}:spend:<campaign>:total, …:day:<date>    | fields total, day:<date> of dc:{t:c:<campaign>}:spend  |
 * | rp:{t}:<campaign>:day:<date>                  | rp:{t:c:<campaign>}:day:<date>                         |
 * | rp:{t}:<campaign>:exposed|converted:<group>   | the same names under the campaign's tag (HLLs merged)  |
 * | rp:{t}:w                                      | every reported campaign's rp:{t:c:<campaign>}:w        |
 *
 * Counts are added to what the new layout counted meanwhile (deciders run during the move), and each old key is
 * deleted once moved, so a move cut short goes on where it stopped at the next start. Decisions' outcomes (an
 * hour) are not moved: a retry across the upgrade is decided again.
 */
export async function moveLegacyLayout(redis: Redis, log: Logger): Promise<number> {
  if ((await redis.get(LAYOUT_KEY)) === LAYOUT) return 0;
  if ((await redis.set(MOVING_KEY, '1', 'EX', MOVING_TTL_S, 'NX')) !== 'OK') return 0;
  let moved = 0;
  try {
    const nowS = Math.floor(Date.now() / 1000);
    // Watermarks last: the reports they cover must be found first (a campaign's watermark is made from them).
    const watermarks: string[] = [];
    const reported = new Map<string, Set<string>>(); // tenant -> campaigns with reports
    for (const pattern of ['dc:{*', 'rp:{*']) {
      for await (const keys of scanKeys(redis, pattern)) {
        for (const key of keys) {
          const legacy = parseLegacy(key);
          if (!legacy) continue;
          if (legacy.kind === 'watermarks') {
            watermarks.push(key);
            continue;
          }
          await moveKey(redis, key, legacy, nowS);
          if (legacy.kind === 'report') {
            const campaigns = reported.get(legacy.tenant) ?? new Set<string>();
            reported.set(legacy.tenant, campaigns.add(legacy.campaign));
          }
          moved++;
        }
      }
    }
    for (const key of watermarks) {
      const tenant = key.slice('rp:{'.length, key.indexOf('}'));
      const positions = await redis.hgetall(key);
      for (const campaign of reported.get(tenant) ?? []) {
        const target = capsKeys.reportWatermarks(tenant, campaign);
        for (const [partition, seq] of Object.entries(positions)) {
          const now = Number((await redis.hget(target, partition)) ?? 0);
          if (Number(seq) > now) await redis.hset(target, partition, seq);
        }
      }
      await redis.del(key);
      moved++;
    }
    await redis.set(LAYOUT_KEY, LAYOUT);
    if (moved > 0) log.info('caps Redis moved to the layout by subscriber and campaign', { keys: moved });
    return moved;
  } finally {
    await redis.del(MOVING_KEY);
  }
}

type Legacy =
  | { kind: 'cap' | 'contact'; tenant: string; field: string; subject: string }
  | { kind: 'exposure'; tenant: string; subject: string }
  | { kind: 'spend'; tenant: string; campaign: string; field: string }
  | { kind: 'report'; tenant: string; campaign: string; rest: string }
  | { kind: 'watermarks'; tenant: string }
  | { kind: 'decided' };

const PERIODS = new Set(['hour', 'day', 'week', 'month', 'campaign']);

/** What a key of the old layout was, or undefined for a key of the new one (or none of decisioning's). */
export function parseLegacy(key: string): Legacy | undefined {
  const match = /^(dc|rp):\{([^}:]+)\}:(.*)$/.exec(key);
  if (!match) return undefined;
  const [, prefix, tenant = '', rest = ''] = match;
  const parts = rest.split(':');
  if (prefix === 'dc') {
    const [kind, name, per, period] = parts;
    if ((kind === 'cap' || kind === 'contact') && parts.length >= 5 && PERIODS.has(per ?? '')) {
      const field = kind === 'cap' ? capsFields.cap(name!, per!, period!) : capsFields.contact(name!, per!, period!);
      return { kind, tenant, field, subject: parts.slice(4).join(':') };
    }
    if (kind === 'spend' && name && (parts[2] === 'total' || (parts[2] === 'day' && parts[3])))
      return {
        kind: 'spend',
        tenant,
        campaign: name,
        field: parts[2] === 'total' ? capsFields.spendTotal : capsFields.spendDay(parts[3]!),
      };
    if (kind === 'decided') return { kind: 'decided' };
    return undefined;
  }
  if (parts[0] === 'exp' && parts.length >= 2) return { kind: 'exposure', tenant, subject: parts.slice(1).join(':') };
  if (parts[0] === 'w' && parts.length === 1) return { kind: 'watermarks', tenant };
  if (parts.length >= 3 && ['day', 'exposed', 'converted'].includes(parts[1]!))
    return { kind: 'report', tenant, campaign: parts[0]!, rest: parts.slice(1).join(':') };
  return undefined;
}

async function moveKey(redis: Redis, key: string, legacy: Legacy, nowS: number): Promise<void> {
  switch (legacy.kind) {
    case 'cap':
    case 'contact': {
      const [count, ttl] = await Promise.all([redis.get(key), redis.ttl(key)]);
      const expires = nowS + (ttl > 0 ? ttl : REPORT_TTL_S);
      const target = capsKeys.subscriber(legacy.tenant, legacy.subject);
      const now = (await redis.hget(target, legacy.field))?.split(':') ?? [];
      const total = Number(count ?? 0) + Number(now[0] ?? 0);
      await redis.hset(target, legacy.field, `${total}:${now[1] ?? expires}`);
      await keepAtLeast(redis, target, expires - nowS);
      break;
    }
    case 'exposure': {
      const target = capsKeys.subscriber(legacy.tenant, legacy.subject);
      const groups = await redis.hgetall(key);
      for (const [campaign, group] of Object.entries(groups))
        await redis.hset(target, capsFields.exposure(campaign), group);
      await keepAtLeast(redis, target, REPORT_TTL_S);
      break;
    }
    case 'spend':
      await redis.hincrby(
        capsKeys.spend(legacy.tenant, legacy.campaign),
        legacy.field,
        Number((await redis.get(key)) ?? 0)
      );
      break;
    case 'report': {
      const target = `rp:{${legacy.tenant}:c:${legacy.campaign}}:${legacy.rest}`;
      if (legacy.rest.startsWith('day:')) {
        for (const [field, value] of Object.entries(await redis.hgetall(key)))
          await redis.hincrby(target, field, Number(value));
        await redis.expire(target, REPORT_TTL_S);
      } else {
        // A HyperLogLog is a string: copied next to its new name (same slot), then merged into it.
        const copy = `${target}:legacy`;
        const raw = await redis.getBuffer(key);
        if (raw) {
          await redis.set(copy, raw);
          await redis.pfmerge(target, target, copy);
          await redis.del(copy);
        }
      }
      break;
    }
    case 'decided':
    case 'watermarks':
      break;
  }
  await redis.del(key);
}

async function keepAtLeast(redis: Redis, key: string, seconds: number): Promise<void> {
  if ((await redis.ttl(key)) < seconds) await redis.expire(key, seconds);
}
