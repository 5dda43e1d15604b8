import type { Redis } from 'ioredis';

/**
 * Campaign reports, per campaign and local day, kept in Redis next to the counters:
 *
 * | key                                   | type | holds                                                          |
 * |---------------------------------------|------|----------------------------------------------------------------|
 * | rp:{t}:<campaign>:day:<date>          | hash | decisions:<creative>, holdout, refused:<kind>, impressions:<creative>, clicks:<creative>, conversions:<creative> |
 * | rp:{t}:<campaign>:exposed:<group>     | HLL  | subscribers decided for the campaign: treated (an offer) or holdout |
 * | rp:{t}:<campaign>:converted:<group>   | HLL  | of those, the ones who converted afterwards                    |
 * | rp:{t}:exp:<subject>                  | hash | campaign → the subscriber's group                              |
 * | rp:{t}:seen:<event id>                | str  | the event was counted (events arrive at least once)            |
 *
 * Decisions are counted by the caps script itself (counters.ts), atomically with what they consume, so a
 * retried decision counts once. Impressions, clicks and conversions come from events (`impression`, `click`,
 * `conversion` with `campaign_id`). Lift compares the conversion rate of treated subscribers with that of the
 * holdout: any `conversion` event of an exposed subscriber counts for every campaign they were exposed to,
 * since holdout subscribers got no offer to name.
 */
export const REPORT_TTL_S = 400 * 86_400;
const SEEN_TTL_S = 7 * 86_400;

export type Group = 'treated' | 'holdout';

/** What a decision adds to its campaign's report. */
export interface DecisionReport {
  /** The campaign's local date. */
  date: string;
  /** `decisions:<creative>` for an offer, `holdout` for a holdout decision. */
  field: string;
  /** Known subscribers only: their group is recorded for lift. */
  subjectId?: string;
  group: Group;
}

export const reportKeys = {
  day: (t: string, campaign: string, date: string) => `rp:{${t}}:${campaign}:day:${date}`,
  exposed: (t: string, campaign: string, group: Group) => `rp:{${t}}:${campaign}:exposed:${group}`,
  converted: (t: string, campaign: string, group: Group) => `rp:{${t}}:${campaign}:converted:${group}`,
  exposure: (t: string, subject: string) => `rp:{${t}}:exp:${subject}`,
  seen: (t: string, eventId: string) => `rp:{${t}}:seen:${eventId}`,
};

/**
 * An impression, click or conversion event, once: KEYS seen, report day hash (or the seen key again when the
 * event names no campaign), exposure hash; ARGV seen ttl, report ttl, field ('' none), tenant prefix for the
 * converted HLLs ('' unless a conversion), subject.
 */
const EVENT_LUA = `
if not redis.call('SET', KEYS[1], 1, 'NX', 'EX', ARGV[1]) then return 0 end
if ARGV[3] ~= '' then
  redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
  redis.call('EXPIRE', KEYS[2], ARGV[2])
end
if ARGV[4] ~= '' then
  local exposure = redis.call('HGETALL', KEYS[3])
  for i = 1, #exposure, 2 do
    redis.call('PFADD', ARGV[4] .. exposure[i] .. ':converted:' .. exposure[i + 1], ARGV[5])
  end
end
return 1
`;

type EventCommand = { dmpCampaignEvent(keyCount: number, ...args: (string | number)[]): Promise<number> };

export interface CampaignEvent {
  tenantId: string;
  eventId: string;
  type: string;
  subject: string;
  campaignId?: string;
  creativeId?: string;
  /** The campaign's local date the event counts on. */
  date: string;
}

export interface CampaignStats {
  campaignId: string;
  /** Per creative, summed over the days asked. */
  creatives: Record<string, { decisions: number; impressions: number; clicks: number; conversions: number }>;
  holdoutDecisions: number;
  refused: Record<string, number>;
  /** Distinct subscribers exposed and converted, per group (HyperLogLog: within about 1 %). */
  treated: { exposed: number; converted: number };
  holdout: { exposed: number; converted: number };
  /** Relative lift of the treated conversion rate over the holdout's; undefined without holdout conversions. */
  lift?: number;
}

const FIELDS: Record<string, 'impressions' | 'clicks' | 'conversions'> = {
  impression: 'impressions',
  click: 'clicks',
  conversion: 'conversions',
};

export class CampaignReports {
  private readonly redis: Redis & EventCommand;

  constructor(redis: Redis) {
    redis.defineCommand('dmpCampaignEvent', { lua: EVENT_LUA });
    this.redis = redis as Redis & EventCommand;
  }

  /** Whether events of this type count in reports. */
  static counts(type: string): boolean {
    return type in FIELDS;
  }

  /** Counts an impression, click or conversion once, however often it is delivered. */
  async record(event: CampaignEvent): Promise<void> {
    const { tenantId: t, campaignId } = event;
    const field = campaignId ? `${FIELDS[event.type]}:${event.creativeId ?? ''}` : '';
    const conversion = event.type === 'conversion';
    await this.redis.dmpCampaignEvent(
      3,
      reportKeys.seen(t, event.eventId),
      campaignId ? reportKeys.day(t, campaignId, event.date) : reportKeys.seen(t, event.eventId),
      reportKeys.exposure(t, event.subject),
      SEEN_TTL_S,
      REPORT_TTL_S,
      field,
      conversion ? `rp:{${t}}:` : '',
      event.subject
    );
  }

  async stats(tenantId: string, campaignId: string, dates: readonly string[]): Promise<CampaignStats> {
    const [days, treatedExposed, treatedConverted, holdoutExposed, holdoutConverted] = await Promise.all([
      Promise.all(dates.map((d) => this.redis.hgetall(reportKeys.day(tenantId, campaignId, d)))),
      this.redis.pfcount(reportKeys.exposed(tenantId, campaignId, 'treated')),
      this.redis.pfcount(reportKeys.converted(tenantId, campaignId, 'treated')),
      this.redis.pfcount(reportKeys.exposed(tenantId, campaignId, 'holdout')),
      this.redis.pfcount(reportKeys.converted(tenantId, campaignId, 'holdout')),
    ]);
    const stats: CampaignStats = {
      campaignId,
      creatives: {},
      holdoutDecisions: 0,
      refused: {},
      treated: { exposed: treatedExposed, converted: treatedConverted },
      holdout: { exposed: holdoutExposed, converted: holdoutConverted },
    };
    for (const day of days) {
      for (const [field, value] of Object.entries(day)) {
        const n = Number(value);
        if (field === 'holdout') stats.holdoutDecisions += n;
        else if (field.startsWith('refused:')) stats.refused[field.slice(8)] = (stats.refused[field.slice(8)] ?? 0) + n;
        else {
          const [measure, creative = ''] = field.split(':') as [string, string?];
          const row = (stats.creatives[creative] ??= { decisions: 0, impressions: 0, clicks: 0, conversions: 0 });
          if (measure in row) row[measure as keyof typeof row] += n;
        }
      }
    }
    const treatedRate = treatedExposed ? treatedConverted / treatedExposed : 0;
    const holdoutRate = holdoutExposed ? holdoutConverted / holdoutExposed : 0;
    if (holdoutRate > 0) stats.lift = treatedRate / holdoutRate - 1;
    return stats;
  }
}
