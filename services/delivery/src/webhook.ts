import { createHmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

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
  // Kept-alive connections, a pool per gateway. node:http rather than fetch: at a thousand offers a second,
  // fetch's per-request cost was the delivery service's largest.
  private readonly agents = {
    'http:': new HttpAgent({ keepAlive: true, maxSockets: 64 }),
    'https:': new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
  };

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
    let status: number;
    let answer: string;
    try {
      ({ status, answer } = await this.post(url, text, {
        'content-type': 'application/json',
        'idempotency-key': delivery.idempotencyKey,
        [SIGNATURE_HEADER]: signature(this.secret, text, Math.floor(Date.now() / 1000)),
      }));
    } catch (error) {
      return { ok: false, retry: true, reason: `POST ${url}: ${(error as Error).message}` };
    }
    if (status >= 200 && status < 300) return { ok: true, duplicate: answer.includes('"duplicate"') };
    const retry = status >= 500 || status === 408 || status === 429;
    return { ok: false, retry, reason: `POST ${url}: HTTP ${status}` };
  }

  /** One POST; the answer's status and body, or an error (no connection, or no answer within the timeout). */
  private post(
    url: string,
    body: string,
    headers: Record<string, string>
  ): Promise<{ status: number; answer: string }> {
    const target = new URL(url);
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        target,
        {
          method: 'POST',
          agent: this.agents[target.protocol as 'http:' | 'https:'],
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: this.timeoutMs,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, answer: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        }
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
