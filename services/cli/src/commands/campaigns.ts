import {
  callUnary,
  type DecideResponse__Output,
  type ExplainDecisionResponse__Output,
  type GetCampaignResponse__Output,
  type GetCampaignStatsResponse__Output,
  type GetContactPolicyResponse__Output,
  type PutContactPolicyResponse__Output,
  type ListCampaignsResponse__Output,
  type PutCampaignResponse__Output,
  type SetCampaignStatusResponse__Output,
} from '@dmp/grpc';

import { campaignsClient, decisioningClient } from '../clients';
import { jsonArgument } from '../json-argument';
import { printTable } from '../table';

const say = (text: string): void => void process.stdout.write(`${text}\n`);

/** `dmp campaigns put|get|list|activate|pause|archive`, through the decisioning service's CampaignService. */
export async function campaignsCommand(args: {
  address?: string | undefined;
  tenant: string;
  action: 'put' | 'get' | 'list' | 'activate' | 'pause' | 'archive';
  /** put: a file, or the JSON itself; get and status changes: the campaign id. */
  target?: string;
  expectedVersion?: number;
}): Promise<void> {
  const client = campaignsClient(args.address);
  try {
    const tenantId = args.tenant;
    switch (args.action) {
      case 'put': {
        const text = jsonArgument(args.target!);
        const { campaignJson } = await callUnary<PutCampaignResponse__Output>((done) =>
          client.PutCampaign({ tenantId, campaignJson: text, expectedVersion: args.expectedVersion ?? 0 }, done)
        );
        return say(JSON.stringify(JSON.parse(campaignJson), null, 2));
      }
      case 'get': {
        const { campaignJson } = await callUnary<GetCampaignResponse__Output>((done) =>
          client.GetCampaign({ tenantId, campaignId: args.target! }, done)
        );
        return say(JSON.stringify(JSON.parse(campaignJson), null, 2));
      }
      case 'list': {
        const { campaignJson } = await callUnary<ListCampaignsResponse__Output>((done) =>
          client.ListCampaigns({ tenantId }, done)
        );
        if (campaignJson.length === 0) return say(`tenant ${tenantId} has no campaigns`);
        const rows = campaignJson.map(
          (json) =>
            JSON.parse(json) as {
              id: string;
              version: number;
              status?: string;
              priority?: number;
              value?: number;
              placements?: string[];
              caps?: { max: number; per: string }[];
              budget?: unknown;
              holdout?: number;
            }
        );
        return printTable(
          ['campaign', 'version', 'status', 'priority', 'value', 'placements', 'caps', 'budget', 'holdout'],
          rows.map((c) => [
            c.id,
            String(c.version),
            c.status ?? 'draft',
            String(c.priority ?? 0),
            String(c.value ?? 1),
            (c.placements ?? []).join(',') || 'any',
            (c.caps ?? []).map((x) => `${x.max}/${x.per}`).join(','),
            c.budget ? JSON.stringify(c.budget) : '',
            String(c.holdout ?? 0),
          ])
        );
      }
      default: {
        const status = { activate: 'active', pause: 'paused', archive: 'archived' }[args.action];
        const { campaignJson } = await callUnary<SetCampaignStatusResponse__Output>((done) =>
          client.SetCampaignStatus({ tenantId, campaignId: args.target!, status }, done)
        );
        const stored = JSON.parse(campaignJson) as { id: string; version: number };
        return say(`${stored.id}: ${status} (version ${stored.version})`);
      }
    }
  } finally {
    client.close();
  }
}

/** `dmp campaigns stats ID`: the campaign's report over the days asked (default: the last 30). */
export async function campaignStatsCommand(args: {
  address?: string | undefined;
  tenant: string;
  campaign: string;
  from?: string | undefined;
  to?: string | undefined;
}): Promise<void> {
  const client = campaignsClient(args.address);
  try {
    const r = await callUnary<GetCampaignStatsResponse__Output>((done) =>
      client.GetCampaignStats(
        { tenantId: args.tenant, campaignId: args.campaign, fromDate: args.from ?? '', toDate: args.to ?? '' },
        done
      )
    );
    const ctr = (clicks: string, impressions: string) =>
      Number(impressions) > 0 ? `${((100 * Number(clicks)) / Number(impressions)).toFixed(2)} %` : '';
    printTable(
      ['creative', 'decisions', 'impressions', 'clicks', 'ctr', 'conversions'],
      r.creatives.map((c) => [
        c.creativeId || '(not named)',
        c.decisions,
        c.impressions,
        c.clicks,
        ctr(c.clicks, c.impressions),
        c.conversions,
      ])
    );
    const rate = (g: { exposed: string; converted: string } | null) =>
      g && Number(g.exposed) > 0 ? `${((100 * Number(g.converted)) / Number(g.exposed)).toFixed(2)} %` : '-';
    say(`\nholdout decisions ${r.holdoutDecisions}; spend ${r.spendTotal}`);
    say(
      `refused: ${
        Object.entries(r.refused)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || 'none'
      }`
    );
    say(
      `conversion: treated ${r.treated?.converted ?? 0}/${r.treated?.exposed ?? 0} (${rate(r.treated)}), ` +
        `holdout ${r.holdout?.converted ?? 0}/${r.holdout?.exposed ?? 0} (${rate(r.holdout)}); ` +
        `lift ${r.lift === undefined || r.lift === null ? 'n/a (no holdout conversions yet)' : `${(100 * r.lift).toFixed(1)} %`}`
    );
  } finally {
    client.close();
  }
}

/** `dmp campaigns explain`: what Decide would answer the subscriber now, campaign by campaign and why. */
export async function explainCommand(args: {
  address?: string | undefined;
  tenant: string;
  user: string;
  placement: string;
  channel: string;
}): Promise<void> {
  const client = campaignsClient(args.address);
  try {
    const r = await callUnary<ExplainDecisionResponse__Output>((done) =>
      client.ExplainDecision(
        { tenantId: args.tenant, userId: args.user, placement: args.placement, channel: args.channel },
        done
      )
    );
    if (r.contextualOnly) say('context only: the subscriber is unknown or did not consent to ads targeting\n');
    printTable(
      ['campaign', 'verdict', 'score', 'why'],
      r.verdicts.map((v) => [
        v.campaignId,
        v.verdict,
        v.score === undefined || v.score === null ? '' : v.score.toFixed(4),
        v.detail,
      ])
    );
  } finally {
    client.close();
  }
}

/** `dmp contact-policy get|put`: the tenant's offers per subscriber per channel per period, across campaigns. */
export async function contactPolicyCommand(args: {
  address?: string | undefined;
  tenant: string;
  put?: string;
}): Promise<void> {
  const client = campaignsClient(args.address);
  try {
    let policyJson: string;
    if (args.put === undefined) {
      ({ policyJson } = await callUnary<GetContactPolicyResponse__Output>((done) =>
        client.GetContactPolicy({ tenantId: args.tenant }, done)
      ));
    } else {
      const text = jsonArgument(args.put);
      ({ policyJson } = await callUnary<PutContactPolicyResponse__Output>((done) =>
        client.PutContactPolicy({ tenantId: args.tenant, policyJson: text }, done)
      ));
    }
    say(JSON.stringify(JSON.parse(policyJson), null, 2));
  } finally {
    client.close();
  }
}

/** `dmp decide`: one Decide call, printed. It counts against caps and budgets like any other. */
export async function decideCommand(args: {
  address?: string | undefined;
  tenant: string;
  user: string;
  placement: string;
  channel: string;
}): Promise<void> {
  const client = decisioningClient(args.address);
  try {
    const response = await callUnary<DecideResponse__Output>((done) =>
      client.Decide(
        { tenantId: args.tenant, userId: args.user, placement: args.placement, channel: args.channel },
        done
      )
    );
    const mode = response.contextualOnly ? '  (context only)' : '';
    if (!response.offer) {
      const why = response.noOfferReason.replace('NO_OFFER_REASON_', '').toLowerCase().replace(/_/g, ' ');
      return say(`decision ${response.decisionId}: no offer: ${why}${mode}`);
    }
    const o = response.offer;
    say(
      `decision ${response.decisionId}: ${o.campaignId} v${o.campaignVersion}, creative ${o.creativeId}, ` +
        `score ${o.score.toFixed(4)} (propensity ${o.propensity.toFixed(4)}${o.modelVersion ? `, model ${o.modelVersion}` : ''})${mode}`
    );
  } finally {
    client.close();
  }
}
