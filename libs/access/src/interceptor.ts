import * as grpc from '@grpc/grpc-js';

import type { ApiKeyRecord } from './api-keys';
import type { AccessGate, Refusal } from './gate';
import { isPublicMethod, POLICY, type Rule } from './policy';
import { quotaKind, type RequestQuotas } from './quotas';

/** Metadata the interceptor sets for handlers: the verified caller's key id. A client's own value is dropped. */
export const CALLER_KEY_ID = 'dmp-caller-key-id';

/** The verified caller of a call that passed the access interceptor (undefined only on public methods). */
export function callerKeyId(metadata: grpc.Metadata): string | undefined {
  const value = metadata.get(CALLER_KEY_ID)[0];
  return typeof value === 'string' ? value : undefined;
}

/** What the interceptor reports of each admitted admin change once it succeeded (the audit log's input). */
export interface AdminChange {
  method: string;
  key: ApiKeyRecord;
  tenantId: string;
  request: unknown;
  response: unknown;
}

/** Fails fast when a service would expose an RPC the policy does not name (fail closed). */
export function checkPolicyCovers(methodPaths: readonly string[]): void {
  const missing = methodPaths.filter((path) => !isPublicMethod(path) && !POLICY[path]);
  if (missing.length > 0) throw new Error(`no access rule for ${missing.join(', ')} (add it to @dmp/access POLICY)`);
}

/**
 * The gRPC server interceptor that enforces the policy: the key from `authorization` metadata, its scope
 * for the method, and, for every request message (streams included), that it names the key's tenant.
 * Refusals end the call before the handler sees it. Placed after the observability interceptor, so
 * refusals are counted and traced like any status.
 */
export function accessInterceptor(
  gate: AccessGate,
  options: {
    onAdminChange?: (change: AdminChange) => Promise<void>;
    /** Serve and ingest calls count against the tenant's and the key's request quotas. */
    quotas?: RequestQuotas;
    policy?: Readonly<Record<string, Rule>>;
  } = {}
): grpc.ServerInterceptor {
  const { onAdminChange, quotas, policy = POLICY } = options;
  return (method, call) => {
    if (isPublicMethod(method.path)) return new grpc.ServerInterceptingCall(call);
    const rule: Rule | undefined = policy[method.path];
    const kind = rule && quotaKind(rule.scopes);
    let key: ApiKeyRecord | undefined;
    let refused = false;
    let request: unknown;
    let response: unknown;
    const refuse = (refusal: Refusal): void => {
      refused = true;
      call.sendStatus({ code: grpc.status[refusal.code], details: refusal.message, metadata: new grpc.Metadata() });
    };
    const exhausted = (message: string, retryAfterMs: number): void => {
      refused = true;
      const metadata = new grpc.Metadata();
      metadata.set('retry-after-ms', String(retryAfterMs));
      call.sendStatus({ code: grpc.status.RESOURCE_EXHAUSTED, details: message, metadata });
    };
    let counted = false;
    return new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            if (!rule) return refuse({ code: 'PERMISSION_DENIED', message: `${method.path} has no access rule` });
            const authorization = metadata.get('authorization')[0];
            const admission = gate.authenticate(typeof authorization === 'string' ? authorization : undefined);
            if ('refusal' in admission) return refuse(admission.refusal);
            const refusal = gate.permits(admission.key, rule, method.path);
            if (refusal) return refuse(refusal);
            key = admission.key;
            metadata.remove('authorization');
            metadata.set(CALLER_KEY_ID, key.id);
            nextMetadata(metadata);
          },
          onReceiveMessage: (message, nextMessage) => {
            if (refused) return;
            const tenantId = rule!.tenantOf(message);
            const refusal = gate.coversTenant(key!, tenantId);
            if (refusal) return refuse(refusal);
            // One call, one token (a stream's first message counts it).
            if (quotas && kind && !counted) {
              counted = true;
              const over = quotas.take(key!, tenantId, kind);
              if (over) return exhausted(over.message, over.retryAfterMs);
            }
            if (rule!.audited) request = message;
            nextMessage(message);
          },
          onReceiveHalfClose: (nextHalfClose) => {
            if (!refused) nextHalfClose();
          },
        }),
      sendMessage: (message, nextMessage) => {
        if (rule?.audited) response = message;
        nextMessage(message);
      },
      sendStatus: (status, nextStatus) => {
        if (onAdminChange && rule?.audited && key && status.code === grpc.status.OK) {
          // The caller hears OK once the change is in the audit log (the writer never rejects).
          void onAdminChange({ method: method.path, key, tenantId: rule.tenantOf(request), request, response }).then(
            () => nextStatus(status)
          );
        } else {
          nextStatus(status);
        }
      },
    });
  };
}
