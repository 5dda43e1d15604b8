import { unary, type CampaignServiceHandlers } from '@dmp/grpc';
import type { TenantDirectory } from '@dmp/messaging';
import { InvalidArgumentError, UnavailableError } from '@dmp/runtime';

import type { CampaignStore } from './campaign-store';
import type { CounterStore } from './campaigns/counters';
import { explain, type DecideSources } from './campaigns/decide';
import type { CampaignReports } from './campaigns/reports';
import { localTime } from './campaigns/schedule';
import { toDecideRequest } from './handlers';

/** The campaigns' admin API: documents in, documents (with their version) out. */
export function campaignHandlers({
  tenants,
  store,
  reports,
  counters,
  sources,
}: {
  tenants: TenantDirectory;
  store: CampaignStore;
  reports: CampaignReports;
  counters: CounterStore;
  /** Decide's sources, for explanations. */
  sources: DecideSources;
}): CampaignServiceHandlers {
  return {
    PutCampaign: unary(async (request) => {
      tenants.require(request.tenantId);
      let document: unknown;
      try {
        document = JSON.parse(request.campaignJson);
      } catch {
        throw new InvalidArgumentError('campaign_json', 'is not valid JSON');
      }
      const stored = await withField('campaign_json', 'campaign', () =>
        store.put(request.tenantId, document, request.expectedVersion)
      );
      return { campaignJson: JSON.stringify(stored.document) };
    }),
    GetCampaign: unary(async (request) => {
      tenants.require(request.tenantId);
      return Promise.resolve({
        campaignJson: JSON.stringify(store.get(request.tenantId, request.campaignId).document),
      });
    }),
    ListCampaigns: unary(async (request) => {
      tenants.require(request.tenantId);
      return Promise.resolve({
        campaignJson: store.forTenant(request.tenantId).map((c) => JSON.stringify(c.document)),
      });
    }),
    PutContactPolicy: unary(async (request) => {
      tenants.require(request.tenantId);
      let document: unknown;
      try {
        document = JSON.parse(request.policyJson);
      } catch {
        throw new InvalidArgumentError('policy_json', 'is not valid JSON');
      }
      const stored = await withField('policy_json', 'policy', () => store.putContactPolicy(request.tenantId, document));
      return { policyJson: JSON.stringify(stored) };
    }),
    GetContactPolicy: unary(async (request) => {
      tenants.require(request.tenantId);
      const policy = store.contactPolicy(request.tenantId) ?? { timeZone: 'UTC', channels: {} };
      return Promise.resolve({ policyJson: JSON.stringify(policy) });
    }),
    GetCampaignStats: unary(async (request) => {
      tenants.require(request.tenantId);
      const campaign = store.get(request.tenantId, request.campaignId);
      const today = localTime(Date.now(), campaign.schedule.timeZone).date;
      const to = request.toDate === '' ? today : checkDate('to_date', request.toDate);
      const from = request.fromDate === '' ? addDays(to, -29) : checkDate('from_date', request.fromDate);
      const dates = datesBetween(from, to);
      if (dates.length === 0 || dates.length > 400)
        throw new InvalidArgumentError('from_date', 'must be on or before to_date, at most 400 days before');
      const [stats, spend] = await Promise.all([
        reports.stats(request.tenantId, campaign.id, dates),
        counters.spendTotal(request.tenantId, campaign.id),
      ]).catch((error: unknown) => {
        throw new UnavailableError('campaign reports cannot be read; retry shortly', { cause: error });
      });
      return {
        creatives: Object.entries(stats.creatives).map(([creativeId, row]) => ({
          creativeId,
          decisions: String(row.decisions),
          impressions: String(row.impressions),
          clicks: String(row.clicks),
          conversions: String(row.conversions),
        })),
        holdoutDecisions: String(stats.holdoutDecisions),
        refused: Object.fromEntries(Object.entries(stats.refused).map(([kind, n]) => [kind, String(n)])),
        spendTotal: String(spend),
        treated: { exposed: String(stats.treated.exposed), converted: String(stats.treated.converted) },
        holdout: { exposed: String(stats.holdout.exposed), converted: String(stats.holdout.converted) },
        ...(stats.lift !== undefined && { lift: stats.lift }),
      };
    }),
    ExplainDecision: unary(async (request) => {
      tenants.require(request.tenantId);
      const explained = toDecideRequest(request, 'explain');
      if (explained.subjectId !== '')
        explained.subjectId = await sources.profileOf(request.tenantId, explained.subjectId);
      const { verdicts, contextualOnly } = await explain(explained, {
        ...sources,
        peek: (list) => counters.peek(list),
      }).catch((error: unknown) => {
        if (error instanceof InvalidArgumentError) throw error;
        throw new UnavailableError('the decision cannot be explained now; retry shortly', { cause: error });
      });
      return {
        verdicts: verdicts.map((v) => ({
          campaignId: v.campaignId,
          verdict: v.verdict,
          detail: v.detail,
          ...(v.score !== undefined && { score: v.score }),
        })),
        contextualOnly,
      };
    }),
    SetCampaignStatus: unary(async (request) => {
      tenants.require(request.tenantId);
      const stored = await store.setStatus(request.tenantId, request.campaignId, request.status);
      return { campaignJson: JSON.stringify(stored.document) };
    }),
  };
}

/** Errors about the document's fields ("campaign.targeting: …") named as the request field that held it. */
async function withField<T>(field: string, root: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    const inner = error.field === root ? '' : error.field.slice(root.length + 1);
    throw new InvalidArgumentError(inner ? `${field}.${inner}` : field, error.problem);
  }
}

function checkDate(field: string, text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`)))
    throw new InvalidArgumentError(field, 'must be a date, YYYY-MM-DD');
  return text;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Calendar dates from `from` to `to`, both included. */
function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = from; d <= to && dates.length <= 400; d = addDays(d, 1)) dates.push(d);
  return dates;
}
