import type { NatsConnection } from '@nats-io/transport-node';

import { ALL_TENANTS, apiKeyRecordFor, mintApiKey, SCOPES, storeApiKey } from '@dmp/access';

/**
 * The API key every bench client sends: every tenant, every scope, made per run and stored with the tenants.
 * Load generators run in child processes, which inherit it through DMP_BENCH_API_KEY instead of making their own.
 */
const fields = { tenantId: ALL_TENANTS, scopes: [...SCOPES], name: 'bench', createdBy: 'bench' };
process.env['DMP_BENCH_API_KEY'] ??= mintApiKey({ kind: 'secret', ...fields }).token;
export const BENCH_API_KEY = process.env['DMP_BENCH_API_KEY'];
/** The key's record, for a server that checks keys without NATS (echo-server.js --access). */
export const BENCH_KEY_RECORD = apiKeyRecordFor(BENCH_API_KEY, fields);

export const storeBenchKey = (nc: NatsConnection): Promise<void> => storeApiKey(nc, BENCH_KEY_RECORD);
