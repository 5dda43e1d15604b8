import { createHmac } from 'node:crypto';

import type { Delivery__Output } from '@dmp/grpc';

/** What a channel said to one attempt. */
export type SendOutcome =
  | { ok: true; duplicate: boolean }
  /** `retry`: worth another attempt (5xx, 408, 429, a timeout, no connection); not: the gateway refused it. */
  | { ok: false; retry: boolean; reason: string };

/** The JSON body a gateway receives. */
export interface WebhookBody {
  idempotencyKey: string;
  tenantId: string;
  subjectId: string;
  campaignId: string;
  campaignVersion: number;
  creativeId: string;
  channel: string;
  decisionId: string;
  triggerEventId: string;
  triggerEventType: string;
  attempt: number;
}

export const SIGNATURE_HEADER = 'x-dmp-signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Stripe signs webhooks: the gateway recomputes
 * it with the shared secret and refuses a body that does not match or a timestamp too old to be fresh.
 */
export function signature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** Whether `header` signs `body` with `secret`, made within `toleranceSeconds` of `nowSeconds`. */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds = 300
): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts['t']);
  if (!Number.isFinite(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  return signature(secret, body, t) === header;
}

/**
 * The generic channel: an HTTP POST of the offer to the gateway of its channel (SMS, push, e-mail …), with
 * the idempotency key in `Idempotency-Key` so that the gateway sends it once however often it is posted.
 */
export class WebhookChannel {
  constructor(
    private readonly urls: ReadonlyMap<string, string>,
    private readonly secret: string,
    private readonly timeoutMs: number
  ) {}

  urlOf(channel: string): string | undefined {
    return this.urls.get(channel) ?? this.urls.get('*');
  }

  async send(delivery: Delivery__Output, attempt: number): Promise<SendOutcome> {
    const url = this.urlOf(delivery.channel);
    if (!url) return { ok: false, retry: false, reason: `no webhook is configured for channel "${delivery.channel}"` };
    const body: WebhookBody = {
      idempotencyKey: delivery.idempotencyKey,
      tenantId: delivery.tenantId,
      subjectId: delivery.subjectId,
      campaignId: delivery.campaignId,
      campaignVersion: delivery.campaignVersion,
      creativeId: delivery.creativeId,
      channel: delivery.channel,
      decisionId: delivery.decisionId,
      triggerEventId: delivery.triggerEventId,
      triggerEventType: delivery.triggerEventType,
      attempt,
    };
    const text = JSON.stringify(body);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': delivery.idempotencyKey,
          [SIGNATURE_HEADER]: signature(this.secret, text, Math.floor(Date.now() / 1000)),
        },
        body: text,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // The body is not needed, but must be read for the connection to be reused.
      const answer = await response.text();
      if (response.ok) return { ok: true, duplicate: answer.includes('"duplicate"') };
    } catch (error) {
      return { ok: false, retry: true, reason: `POST ${url}: ${(error as Error).message}` };
    }
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    return { ok: false, retry, reason: `POST ${url}: HTTP ${response.status}` };
  }
}
