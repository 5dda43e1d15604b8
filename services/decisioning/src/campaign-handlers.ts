import { unary, type CampaignServiceHandlers } from '@dmp/grpc';
import type { TenantDirectory } from '@dmp/messaging';
import { InvalidArgumentError } from '@dmp/runtime';

import type { CampaignStore } from './campaign-store';

/** The campaigns' admin API: documents in, documents (with their version) out. */
export function campaignHandlers({
  tenants,
  store,
}: {
  tenants: TenantDirectory;
  store: CampaignStore;
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
