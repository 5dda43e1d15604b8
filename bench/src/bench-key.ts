import type { NatsConnection } from '@nats-io/transport-node';

import { ALL_TENANTS, mintApiKey, SCOPES, storeApiKey } from '@dmp/access';

/** The API key every bench client sends: every tenant, every scope, made per run and stored with the tenants. */
const benchKey = mintApiKey({
  tenantId: ALL_TENANTS,
  kind: 'secret',
  scopes: [...SCOPES],
  name: 'bench',
  createdBy: 'bench',
});
export const BENCH_API_KEY = benchKey.token;
/** The key's record, for a server that checks keys without NATS (echo-server.js --access). */
export const BENCH_KEY_RECORD = benchKey.record;

export const storeBenchKey = (nc: NatsConnection): Promise<void> => storeApiKey(nc, benchKey.record);
