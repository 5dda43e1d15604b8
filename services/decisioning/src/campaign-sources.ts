import type { FeatureReader, SegmentMemberships } from '@dmp/features';
import { UnavailableError } from '@dmp/runtime';
import type { LiveModels } from '@dmp/scorer';

import type { CampaignStore } from './campaign-store';
import type { Campaign } from './campaigns/campaign';
import type { CounterStore } from './campaigns/counters';
import type { DecideSources } from './campaigns/decide';

/**
 * Decide's reads and writes on the real stores: campaigns from the KV mirror, consent and profile
 * features from Redis (in process, as Recommend reads them), propensities from the model registry's live
 * models, caps and budgets from the counter store. A Redis failure surfaces as UnavailableError: the
 * handler then answers "no offer" rather than an offer nobody could cap.
 */
export function campaignSources(deps: {
  campaigns: CampaignStore;
  reader: FeatureReader;
  memberships: Pick<SegmentMemberships, 'segmentsOf'>;
  models: LiveModels;
  counters: CounterStore;
}): DecideSources {
  const { reader, models, counters } = deps;
  return {
    campaigns: (tenantId) => deps.campaigns.forTenant(tenantId),
    profileOf: (tenantId, identifier) => reader.profileOf(tenantId, identifier),
    contactPolicy: (tenantId) => deps.campaigns.contactPolicy(tenantId),
    consent: async (tenantId, subjectId) => {
      const said = await reader.consent(tenantId, subjectId);
      return {
        adsTargeting: said.ads_targeting !== false,
        contact: { sms: said.contact_sms, push: said.contact_push, email: said.contact_email },
      };
    },
    modelInputs: (model) => {
      try {
        return models.card(model).input.features.map((f) => f.name);
      } catch {
        return []; // not served (yet): the campaign decides without a propensity
      }
    },
    profile: (tenantId, subjectId, names) => reader.profile(tenantId, subjectId, names),
    segmentsOf: (tenantId, subjectId) => deps.memberships.segmentsOf(tenantId, subjectId),
    propensities: (_tenantId, subjectId, list, profile) =>
      Promise.all(list.map((campaign) => propensityOf(models, campaign, subjectId, profile))),
    consume: async (tenantId, decisionId, campaignId, list, report) => {
      try {
        return await counters.consume(tenantId, decisionId, campaignId, list, report);
      } catch (error) {
        throw new UnavailableError('caps and budgets cannot be checked; retry shortly', { cause: error });
      }
    },
  };
}

/** The campaign's propensity model's P(response) from the subject's profile; 1 without a model or on failure. */
async function propensityOf(
  models: LiveModels,
  campaign: Campaign,
  subjectId: string,
  profile: ReadonlyMap<string, number | string | boolean>
): Promise<{ propensity: number; modelVersion: string }> {
  if (!campaign.propensityModel) return { propensity: 1, modelVersion: '' };
  try {
    const columns = models.card(campaign.propensityModel).input.features.map((f) => f.name);
    // Missing and non-numeric values are NaN: the model's defaults fill them.
    const values = Float32Array.from(columns, (c) => {
      const v = profile.get(c);
      return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;
    });
    const { scores, version } = await models.score(campaign.propensityModel, { values, columns, subject: subjectId });
    return { propensity: scores[0] ?? 0, modelVersion: version };
  } catch {
    // A model that is not served or fails must not stop the campaign: it competes on value alone.
    return { propensity: 1, modelVersion: '' };
  }
}
