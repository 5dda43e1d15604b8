import { KvMirror, TenantConfig } from '@dmp/messaging';
import { InvalidArgumentError, NotFoundError, type Logger, type Readiness } from '@dmp/runtime';

import { CAMPAIGN_STATUSES, parseCampaign, type Campaign, type CampaignStatus } from './campaigns/campaign';
import { CONTACT_POLICIES_BUCKET, parseContactPolicy, type ContactPolicy } from './campaigns/contact-policy';

/**
 * Campaigns as config: one NATS KV entry per campaign (`dmp_campaigns`, key `<tenant>.<campaign id>`,
 * versioned and compare-and-set: see TenantConfig), and each tenant's contact policy (`dmp_contact_policies`).
 */
export const CAMPAIGNS_BUCKET = 'dmp_campaigns';

export class CampaignStore {
  private constructor(
    private readonly campaigns: TenantConfig<Campaign>,
    private readonly policies: KvMirror<ContactPolicy>
  ) {}

  static async start(
    nc: Parameters<typeof KvMirror.start>[0],
    log: Logger,
    readiness: Readiness
  ): Promise<CampaignStore> {
    const campaigns = await TenantConfig.start<Campaign>(nc, CAMPAIGNS_BUCKET, {
      name: 'campaigns',
      log,
      readiness,
      parse: (raw) => parseCampaign(raw),
    });
    const policies = await KvMirror.start<ContactPolicy>(nc, CONTACT_POLICIES_BUCKET, {
      name: 'contact policies',
      log,
      readiness,
      parse: (raw) => parseContactPolicy(raw),
    });
    return new CampaignStore(campaigns, policies);
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
    return this.campaigns.forTenant(tenantId);
  }

  get(tenantId: string, campaignId: string): Campaign {
    const campaign = this.campaigns.get(tenantId, campaignId);
    if (!campaign) throw new NotFoundError(`campaign_id: tenant ${tenantId} has no campaign "${campaignId}"`);
    return campaign;
  }

  /**
   * Stores `document` as the campaign's next version; `expectedVersion` (0: any) must be the current one.
   * Resolves once this replica decides with it.
   */
  async put(tenantId: string, document: unknown, expectedVersion = 0): Promise<Campaign> {
    const draft = parseCampaign(document); // refuses a bad document before anything is read
    return this.campaigns.change(tenantId, draft.id, expectedVersion, () => draft.document);
  }

  async setStatus(tenantId: string, campaignId: string, status: string): Promise<Campaign> {
    if (!CAMPAIGN_STATUSES.includes(status as CampaignStatus))
      throw new InvalidArgumentError('status', `must be one of ${CAMPAIGN_STATUSES.join(', ')}`);
    return this.campaigns.change(tenantId, campaignId, 0, (current) => {
      if (!current) throw new NotFoundError(`campaign_id: tenant ${tenantId} has no campaign "${campaignId}"`);
      return { ...current, status };
    });
  }
}
