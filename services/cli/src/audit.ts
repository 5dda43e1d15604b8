import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { ALL_TENANTS, auditSubject, type AuditRecord } from '@dmp/access';

/**
 * The audit record of a change the CLI makes straight in NATS (models, tenants, bootstrap keys: no service sees
 * those calls), appended to the same AUDIT stream the services write. Who: the NATS user, as no API key was
 * checked. A platform without the stream yet (no service started) keeps no record, and says so.
 */
export async function auditCliChange(
  nc: NatsConnection,
  change: { action: string; target: string; tenantId?: string; versionAfter?: number }
): Promise<void> {
  const user = process.env['NATS_USER']?.trim() || 'anonymous';
  const record: AuditRecord = {
    at: new Date().toISOString(),
    keyId: `nats:${user}`,
    keyName: 'dmp CLI',
    tenantId: change.tenantId ?? ALL_TENANTS,
    action: change.action,
    target: change.target,
    ...(change.versionAfter !== undefined && { versionAfter: change.versionAfter }),
  };
  try {
    await jetstream(nc).publish(auditSubject(record.tenantId), JSON.stringify(record));
  } catch (error) {
    process.stderr.write(`dmp: no audit record of ${change.action} (${(error as Error).message})\n`);
  }
}
