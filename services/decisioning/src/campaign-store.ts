import { KvMirror } from '@dmp/messaging';
import { AbortedError, InvalidArgumentError, NotFoundError, type Logger, type Readiness } from '@dmp/runtime';

import { CAMPAIGN_STATUSES, parseCampaign, type Campaign, type CampaignStatus } from './campaigns/campaign';
import { CONTACT_POLICIES_BUCKET, parseContactPolicy, type ContactPolicy } from './campaigns/contact-policy';

/**
 * Campaigns as config: one NATS KV entry per campaign (`dmp_campaigns`, key `<tenant>.<campaign id>`),
 * followed live by every replica (the bucket keeps 20 revisions of each: the audit trail). Writes go
 * through `put`: validated, given the next version, and compare-and-set against the revision read, so
 * two editors cannot overwrite each other unseen.
 */
export const CAMPAIGNS_BUCKET = 'dmp_campaigns';

export class CampaignStore {
  /** Per tenant, its campaigns: rebuilt when one changes, so a decision never scans the bucket. */
  private readonly byTenant = new Map<string, Campaign[]>();

  private constructor(
    private readonly mirror: KvMirror<Campaign>,
    private readonly policies: KvMirror<ContactPolicy>
  ) {
    mirror.onChange((key) => this.byTenant.delete(key.slice(0, key.indexOf('.'))));
  }

  static async start(
    nc: Parameters<typeof KvMirror.start>[0],
    log: Logger,
    readiness: Readiness
  ): Promise<CampaignStore> {
    const mirror = await KvMirror.start<Campaign>(nc, CAMPAIGNS_BUCKET, {
      name: 'campaigns',
      log,
      readiness,
      kv: { history: 20 },
      parse: (raw) => parseCampaign(raw),
    });
    const policies = await KvMirror.start<ContactPolicy>(nc, CONTACT_POLICIES_BUCKET, {
      name: 'contact policies',
      log,
      readiness,
      parse: (raw) => parseContactPolicy(raw),
    });
    return new CampaignStore(mirror, policies);
  }

  /** The tenant's contact policy (see contact-policy.ts), if it has one. */
  contactPolicy(tenantId: string): ContactPolicy | undefined {
    return this.policies.get(tenantId);
  }

  /** Validates and stores the tenant's contact policy; resolves once this replica follows it. */
  async putContactPolicy(tenantId: string, document: unknown): Promise<ContactPolicy> {
    const policy = parseContactPolicy(document);
    await this.policies.reached(await this.policies.kv.put(tenantId, JSON.stringify(policy)));
    return policy;
  }

  forTenant(tenantId: string): readonly Campaign[] {
    let list = this.byTenant.get(tenantId);
    if (!list) {
      list = this.mirror.valuesWithPrefix(`${tenantId}.`).sort((a, b) => (a.id < b.id ? -1 : 1));
      this.byTenant.set(tenantId, list);
    }
    return list;
  }

  get(tenantId: string, campaignId: string): Campaign {
    const campaign = this.mirror.get(`${tenantId}.${campaignId}`);
    if (!campaign) throw new NotFoundError(`campaign_id: tenant ${tenantId} has no campaign "${campaignId}"`);
    return campaign;
  }

  /**
   * Stores `document` as the campaign's next version; `expectedVersion` (0: any) must be the current one.
   * Resolves once this replica decides with it.
   */
  async put(tenantId: string, document: unknown, expectedVersion = 0): Promise<Campaign> {
    const draft = parseCampaign(document); // refuses a bad document before anything is read
    return this.change(tenantId, draft.id, expectedVersion, () => draft.document);
  }

  async setStatus(tenantId: string, campaignId: string, status: string): Promise<Campaign> {
    if (!CAMPAIGN_STATUSES.includes(status as CampaignStatus))
      throw new InvalidArgumentError('status', `must be one of ${CAMPAIGN_STATUSES.join(', ')}`);
    return this.change(tenantId, campaignId, 0, (current) => {
      if (!current) throw new NotFoundError(`campaign_id: tenant ${tenantId} has no campaign "${campaignId}"`);
      return { ...current, status };
    });
  }

  private async change(
    tenantId: string,
    campaignId: string,
    expectedVersion: number,
    next: (current: Record<string, unknown> | undefined) => Record<string, unknown>
  ): Promise<Campaign> {
    const key = `${tenantId}.${campaignId}`;
    const entry = await this.mirror.kv.get(key);
    const current = entry?.operation === 'PUT' ? (entry.json<Record<string, unknown>>() ?? undefined) : undefined;
    const currentVersion = typeof current?.['version'] === 'number' ? current['version'] : 0;
    if (expectedVersion !== 0 && expectedVersion !== currentVersion) {
      throw new AbortedError(
        `campaign ${campaignId} is at version ${currentVersion}, not ${expectedVersion}; reread it`
      );
    }
    const stored = parseCampaign({ ...next(current), version: currentVersion + 1 });
    let revision: number;
    try {
      const json = JSON.stringify(stored.document);
      revision = entry
        ? await this.mirror.kv.update(key, json, entry.revision)
        : await this.mirror.kv.create(key, json);
    } catch {
      throw new AbortedError(`campaign ${campaignId} changed while this write was made; reread it and retry`);
    }
    await this.mirror.reached(revision);
    return stored;
  }
}
