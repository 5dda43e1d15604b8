import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startNatsServer, type LocalServer } from '@dmp/local-servers';
import { createLogger } from '@dmp/runtime';

import { PartitionWorker } from '../src/partition-worker';

/**
 * A partition is handled in stream order, each message once, even when a delivery never reaches the worker:
 * JetStream sends such a message again only after ack_wait, behind the later ones. Here a second client takes
 * one delivery from the partition's durable (to the worker, a delivery lost in transit) while ack_wait is far
 * longer than the test.
 */
let nats: LocalServer;
let nc: NatsConnection;
const log = createLogger({ service: 'partition-worker-test', level: 'error' });

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
});

afterAll(async () => {
  await nc?.close();
  await nats?.stop();
});

describe('PartitionWorker', () => {
  it('handles every message of its partition once and in order when a delivery is lost in transit', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'LOSSY', subjects: ['lossy.>'] });
    const js = jetstream(nc);
    // Partition 1 is every other message of the stream: stream sequences 2, 4, …, 20.
    for (let n = 1; n <= 20; n++) await js.publish(`lossy.${n % 2}`, String(n));
    const handled: number[] = [];
    let stolen: number | undefined;
    let worker: PartitionWorker | undefined;
    const done = new Promise<void>((resolve) => {
      worker = new PartitionWorker(
        nc,
        'LOSSY',
        {
          durable_name: 'lossy-p1',
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          filter_subject: 'lossy.0',
          ack_wait: 600 * 1e9, // ns: nothing is redelivered during the test
        },
        { batch: 1, log, what: 'test' },
        async (message: JsMsg) => {
          handled.push(message.seq);
          if (message.seq === 6) {
            // The next delivery goes to another client and is never acked: the worker never sees it arrive.
            const thief = await js.consumers.get('LOSSY', 'lossy-p1');
            for await (const taken of await thief.fetch({ max_messages: 1, expires: 2_000 })) stolen = taken.seq;
          }
          message.ack();
          if (message.seq === 20) resolve();
        }
      );
    });
    await worker!.start();
    await done;
    await worker!.stop();
    expect(stolen).toBe(8);
    expect(handled).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
  });
});
