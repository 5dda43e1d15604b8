import { Counter } from 'prom-client';

import type { BuildTarget, FeatureEvent, FeatureWriter, IdentityGraph, StreamPosition } from '@dmp/features';
import { metricsRegistry } from '@dmp/telemetry';

const merges = new Counter({
  name: 'feature_store_profile_merges_total',
  help: 'Profiles merged into another because an event said they are one person.',
  registers: [metricsRegistry],
});
const refusedLinks = new Counter({
  name: 'feature_store_identity_links_refused_total',
  help: 'Links an event asked for that would have put more identifiers of a kind in one profile than the limit.',
  registers: [metricsRegistry],
});

export interface ProfileApplication {
  outcome: 'applied' | 'duplicate' | 'erased';
  /** The event with `subject` set to its profile. */
  event: FeatureEvent;
  /** Profiles the event merged into its own: they are gone. */
  mergedAway: string[];
}

/** Beyond this many merges overtaking one event in a row, something is wrong: fail and retry later. */
const MAX_RESOLUTIONS = 10;

/**
 * Resolves the event's profile in the identity graph (linking and merging what the event says is one
 * person, in `mergeTargets`), then applies it to `applyTargets` under that profile. The writer checks in its
 * script that the profile still holds; a concurrent merge that moved it makes this resolve again. `position`:
 * where a partition consumer found the event (writer.ts).
 */
export async function applyToProfile(
  deps: { identity: IdentityGraph; writer: FeatureWriter },
  event: FeatureEvent,
  mergeTargets: readonly BuildTarget[],
  applyTargets: readonly BuildTarget[] = mergeTargets,
  position?: StreamPosition
): Promise<ProfileApplication> {
  if (event.identifiers.length === 0) {
    // About no one (the catalog): applied as it is.
    const [outcome] = await Promise.all(applyTargets.map((target) => deps.writer.apply(event, target, position)));
    return { outcome: outcome === 'applied' ? 'applied' : 'duplicate', event, mergedAway: [] };
  }
  const mergedAway: string[] = [];
  for (let i = 0; i < MAX_RESOLUTIONS; i++) {
    const resolution = await deps.identity.resolve(event, mergeTargets);
    if (resolution.outcome === 'erased') return { outcome: 'erased', event, mergedAway };
    for (const profile of resolution.mergedAway) if (!mergedAway.includes(profile)) mergedAway.push(profile);
    if (i === 0) {
      // Once per delivery (a retry within it repeats the answer; a redelivery counts it again).
      merges.inc(resolution.mergedAway.length);
      refusedLinks.inc(resolution.refusedLinks);
    }
    const resolved = { ...event, subject: resolution.profile };
    // The active build and a build being rebuilt, sent at once: each receives events in the order pulled.
    const outcomes = await Promise.all(applyTargets.map((target) => deps.writer.apply(resolved, target, position)));
    if (outcomes.includes('moved')) continue;
    if (outcomes.includes('erased')) return { outcome: 'erased', event: resolved, mergedAway };
    return { outcome: outcomes[0] === 'applied' ? 'applied' : 'duplicate', event: resolved, mergedAway };
  }
  throw new Error(`event ${event.eventId}: its profile kept moving under concurrent merges`);
}
