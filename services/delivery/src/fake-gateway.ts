import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SIGNATURE_HEADER, verifySignature, type WebhookBody } from './webhook';

export interface FakeGatewayOptions {
  /** Verify X-DMP-Signature with this secret (401 when it does not match). */
  secret?: string;
  /** Answer 503 to the first N attempts of every offer: a flaky gateway. */
  failFirst?: number;
  /** Answer 503 to every attempt of the offers this picks: a gateway that never takes them. */
  alwaysFail?: (body: WebhookBody) => boolean;
}

export interface Received {
  key: string;
  body: WebhookBody;
  atMs: number;
}

/**
 * A stand-in for an SMS, push or e-mail gateway, for demos and tests: it takes signed webhook POSTs,
 * records each offer once by its Idempotency-Key (a repeat is answered `{"status":"duplicate"}`, as real
 * gateways with idempotency keys do, and counted), and can be made flaky. GET /deliveries lists what it got.
 */
export class FakeGateway {
  private readonly accepted = new Map<string, Received>();
  private readonly attemptsByKey = new Map<string, number>();
  private readonly firstAttemptByKey = new Map<string, number>();
  /** POSTs of an offer it had already accepted. */
  repeats = 0;
  posts = 0;
  badSignatures = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeGatewayOptions
  ) {}

  static async start(port = 0, options: FakeGatewayOptions = {}): Promise<FakeGateway> {
    const server = createServer();
    const gateway = new FakeGateway(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void gateway.serve(req, res));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return gateway;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/deliver`;
  }

  received(): Received[] {
    return [...this.accepted.values()];
  }

  attemptsOf(key: string): number {
    return this.attemptsByKey.get(key) ?? 0;
  }

  /** When the offer was first posted, accepted or not. */
  firstAttemptMs(key: string): number | undefined {
    return this.firstAttemptByKey.get(key);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET') {
      return answer(200, { deliveries: this.received(), posts: this.posts, repeats: this.repeats });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    this.posts++;
    const signed = req.headers[SIGNATURE_HEADER];
    if (this.options.secret && !verifySignature(this.options.secret, text, signed as string, Date.now() / 1000)) {
      this.badSignatures++;
      return answer(401, { error: 'bad signature' });
    }
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') return answer(400, { error: 'no Idempotency-Key' });
    const body = JSON.parse(text) as WebhookBody;
    const attempts = (this.attemptsByKey.get(key) ?? 0) + 1;
    this.attemptsByKey.set(key, attempts);
    if (attempts === 1) this.firstAttemptByKey.set(key, Date.now());
    if (this.accepted.has(key)) {
      this.repeats++;
      return answer(200, { status: 'duplicate' });
    }
    if (attempts <= (this.options.failFirst ?? 0) || this.options.alwaysFail?.(body)) {
      return answer(503, { error: 'try again later' });
    }
    this.accepted.set(key, { key, body, atMs: Date.now() });
    return answer(200, { status: 'accepted' });
  }
}
