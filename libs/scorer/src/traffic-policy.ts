import { createHash } from 'node:crypto';

import { MODEL_VERSION } from './model-card';

/**
 * Which versions of a model serve whom: the champion serves everyone except the subjects a challenger
 * split sends to the challenger; shadow versions score the same rows in the background and are logged,
 * never returned. Kept per model name in the registry; every replica follows it.
 */
export interface TrafficPolicy {
  champion: string;
  challenger?: { version: string; share: number };
  shadows: string[];
  /** Earlier champions, most recent first: what `rollback` goes back to. */
  previousChampions: string[];
  updatedAt: string;
}

export type Arm = 'champion' | 'challenger';

/** How many earlier champions a policy remembers. */
const HISTORY = 10;

/** The versions a policy needs loaded, champion first. */
export function versionsOf(policy: TrafficPolicy): string[] {
  return [...new Set([policy.champion, ...(policy.challenger ? [policy.challenger.version] : []), ...policy.shadows])];
}

/**
 * The arm of a subject: a hash of model name, challenger version and subject, so the same subject gets
 * the same arm on every replica and after every restart, and raising the share only moves subjects from
 * champion to challenger. A new challenger version draws a new split. No subject: the champion.
 */
export function armOf(name: string, policy: TrafficPolicy, subject: string): Arm {
  const challenger = policy.challenger;
  if (!challenger || subject === '' || challenger.share <= 0) return 'champion';
  return bucketOf(`${name}\u0000${challenger.version}\u0000${subject}`) < challenger.share ? 'challenger' : 'champion';
}

/** A uniform number in [0, 1) from a key. */
export function bucketOf(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

export function initialPolicy(version: string, now: Date): TrafficPolicy {
  return { champion: version, shadows: [], previousChampions: [], updatedAt: now.toISOString() };
}

/** `version` becomes the champion; the one it replaces is remembered for rollback. */
export function promote(policy: TrafficPolicy, version: string, now: Date): TrafficPolicy {
  if (policy.champion === version) return policy;
  const challenger = policy.challenger?.version === version ? undefined : policy.challenger;
  return {
    champion: version,
    ...(challenger ? { challenger } : {}),
    shadows: policy.shadows.filter((v) => v !== version),
    previousChampions: [policy.champion, ...policy.previousChampions.filter((v) => v !== version)].slice(0, HISTORY),
    updatedAt: now.toISOString(),
  };
}

/** Back to the champion before this one; throws when there is none. */
export function rollback(policy: TrafficPolicy, now: Date): TrafficPolicy {
  const [previous, ...older] = policy.previousChampions;
  if (previous === undefined) throw new PolicyError('there is no earlier champion to roll back to');
  return {
    ...withoutChallengerIf(policy, previous),
    champion: previous,
    shadows: policy.shadows.filter((v) => v !== previous),
    previousChampions: older,
    updatedAt: now.toISOString(),
  };
}

/** Sends `share` (0–1) of subjects to `version`; share 0 (or undefined version) ends the split. */
export function setChallenger(
  policy: TrafficPolicy,
  version: string | undefined,
  share: number,
  now: Date
): TrafficPolicy {
  const rest = withoutChallenger(policy);
  if (version === undefined || share === 0) return { ...rest, updatedAt: now.toISOString() };
  if (!(share > 0 && share < 1)) throw new PolicyError(`share ${share} must be above 0 and below 1`);
  if (version === policy.champion) throw new PolicyError(`${version} is the champion already`);
  return {
    ...rest,
    challenger: { version, share },
    shadows: policy.shadows.filter((v) => v !== version),
    updatedAt: now.toISOString(),
  };
}

export function setShadow(policy: TrafficPolicy, version: string, on: boolean, now: Date): TrafficPolicy {
  if (on && (version === policy.champion || version === policy.challenger?.version)) {
    throw new PolicyError(`${version} serves traffic already; a shadow version must not`);
  }
  const shadows = policy.shadows.filter((v) => v !== version);
  return { ...policy, shadows: on ? [...shadows, version] : shadows, updatedAt: now.toISOString() };
}

/** Whether a policy refers to a version (which must then not be deleted). */
export function uses(policy: TrafficPolicy, version: string): boolean {
  return versionsOf(policy).includes(version) || policy.previousChampions.includes(version);
}

/** A policy change that makes no sense (rolling back with no history, a share out of range …). */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

export function parseTrafficPolicy(raw: unknown): TrafficPolicy {
  const p = raw as Partial<TrafficPolicy> | null;
  const version = (v: unknown): v is string => typeof v === 'string' && MODEL_VERSION.test(v);
  if (!p || typeof p !== 'object' || !version(p.champion)) throw new PolicyError('policy has no valid champion');
  const c = p.challenger;
  if (c !== undefined && !(version(c.version) && typeof c.share === 'number' && c.share > 0 && c.share < 1)) {
    throw new PolicyError('policy has an invalid challenger');
  }
  if (!Array.isArray(p.shadows) || !p.shadows.every(version)) throw new PolicyError('policy has invalid shadows');
  const previous = Array.isArray(p.previousChampions) ? p.previousChampions.filter(version) : [];
  return {
    champion: p.champion,
    ...(c ? { challenger: { version: c.version, share: c.share } } : {}),
    shadows: p.shadows,
    previousChampions: previous,
    updatedAt: typeof p.updatedAt === 'string' ? p.updatedAt : '',
  };
}

function withoutChallengerIf(policy: TrafficPolicy, version: string): TrafficPolicy {
  return policy.challenger?.version === version ? withoutChallenger(policy) : policy;
}

function withoutChallenger(policy: TrafficPolicy): TrafficPolicy {
  const rest = { ...policy };
  delete rest.challenger;
  return rest;
}
