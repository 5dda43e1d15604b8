/**
 * What an event costs nats-server on disk and in CPU, stored plain and with JetStream's S2 compression, for the
 * capacity model: EVENTS is most of a NATS node's disk at the target (30 days).
 *
 * Two nats-servers, one EVENTS stream each (the production spec; one plain, one `compression: s2`), take the same
 * events: realistic ones as intake stores them (intake-events.ts: ids, hashed identifiers, context), with the
 * Nats-Msg-Id and traceparent headers intake adds, published in batches as intake does. Then:
 *
 * - **Disk**: the sizes of the stream's sealed message blocks (`msgs/<n>.blk` but the last, which is open and
 *   never compressed). Both streams seal a block at the same raw size, so sealed block n holds the same events
 *   on both: the ratio of their sizes is the compression factor, and bytes per event with S2 are JetStream's
 *   stored bytes per event (state.bytes, which does not show compression) divided by it.
 * - **CPU**: nats-server's CPU per event for the publishing (blocks are compressed as they seal), and for one
 *   consumer reading the whole stream back (what a rebuild's catch-up or a new consumer does: compressed blocks
 *   are decompressed to be read).
 *
 * `ours` is the S2 stream's bytes per event, `limit` the plain stream's: the ratio is the share of the disk
 * S2 keeps (lower is better here). BENCH_EVENTS sets the events (default 300 000, ~15 sealed blocks).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { DeliverPolicy, jetstream, jetstreamManager, StoreCompression } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

import { startNatsServer, type LocalServer } from '@dmp/local-servers';
import { eventsStream, JetStreamPublisher } from '@dmp/messaging';

import type { SuiteOptions } from '../main';
import { DEFAULT_POOL, EventIds, eventPool, storedMessage } from '../intake-events';
import { cpuSeconds } from '../proc';
import type { SuiteResult } from '../result';

const TENANT = 'bench';
/** Intake publishes a request's events together, under one trace. */
const BATCH = 100;

interface Side {
  server: LocalServer;
  nc: NatsConnection;
  compression: StoreCompression;
}

interface Measured {
  storedBytesPerEvent: number;
  sealedBlocks: number[];
  publishCpuMsPerEvent: number;
  replayCpuMsPerEvent: number;
}

export async function streamStorageSuite(_options: SuiteOptions): Promise<SuiteResult> {
  const events = Number(process.env['BENCH_EVENTS'] ?? 300_000);
  // As many distinct events as the run sends, up to 100 000: no block holds the same event twice.
  const pool = eventPool({ tenantId: TENANT, ...DEFAULT_POOL, size: Math.min(events, 100_000) });
  const sides: Side[] = [];
  try {
    for (const compression of [StoreCompression.None, StoreCompression.S2]) {
      const server = await startNatsServer();
      sides.push({ server, nc: await connect({ servers: server.url }), compression });
    }
    const [plain, s2] = [await measure(sides[0]!, pool, events), await measure(sides[1]!, pool, events)];
    const blocks = Math.min(plain.sealedBlocks.length, s2.sealedBlocks.length);
    if (blocks === 0) throw new Error(`no sealed block after ${events} events: raise BENCH_EVENTS`);
    const sum = (sizes: number[]) => sizes.slice(0, blocks).reduce((a, b) => a + b, 0);
    const factor = sum(plain.sealedBlocks) / sum(s2.sealedBlocks);
    const round = (x: number, digits = 4) => Number(x.toFixed(digits));
    return {
      suite: 'stream-storage',
      unit: 'bytes on disk per EVENTS message, one replica',
      ours: Math.round(plain.storedBytesPerEvent / factor),
      limit: plain.storedBytesPerEvent,
      details: {
        events,
        sealedBlocksCompared: blocks,
        sealedBlockMiB: {
          plain: round(sum(plain.sealedBlocks) / blocks / 2 ** 20, 2),
          s2: round(sum(s2.sealedBlocks) / blocks / 2 ** 20, 2),
        },
        compressionFactor: round(factor, 2),
        storedBytesPerEvent: { plain: plain.storedBytesPerEvent, s2: Math.round(plain.storedBytesPerEvent / factor) },
        natsCpuMsPerEventPublished: { plain: round(plain.publishCpuMsPerEvent), s2: round(s2.publishCpuMsPerEvent) },
        natsCpuMsPerEventReplayed: { plain: round(plain.replayCpuMsPerEvent), s2: round(s2.replayCpuMsPerEvent) },
      },
    };
  } finally {
    for (const side of sides) {
      await side.nc.close();
      await side.server.stop();
    }
  }
}

async function measure(side: Side, pool: ReturnType<typeof eventPool>, events: number): Promise<Measured> {
  const { server, nc, compression } = side;
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ ...eventsStream(1), compression });
  const publisher = new JetStreamPublisher(nc, 30_000);
  const ids = new EventIds();
  const pid = server.pid!;

  const publishFrom = cpuSeconds(pid);
  for (let sent = 0; sent < events; sent += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, events - sent) }, (_, k) =>
      storedMessage(TENANT, pool[(sent + k) % pool.length]!, ids)
    );
    const traceparent = `00-${randomHex(32)}-${randomHex(16)}-01`;
    const results = await publisher.publishAll(batch, { traceparent });
    const failed = results.find((r) => r instanceof Error);
    if (failed) throw failed;
  }
  const publishCpu = cpuSeconds(pid) - publishFrom;
  publisher.close();

  const info = await jsm.streams.info('EVENTS');
  if (info.state.messages !== events) throw new Error(`EVENTS holds ${info.state.messages} of ${events} events`);
  const sealedBlocks = await settledSealedBlocks(
    join(server.dir, 'jetstream', 'jetstream', '$G', 'streams', 'EVENTS', 'msgs')
  );

  // One consumer reads the stream from its start, as a rebuild's catch-up does.
  const replayFrom = cpuSeconds(pid);
  const consumer = await jetstream(nc).consumers.get('EVENTS', { deliver_policy: DeliverPolicy.All });
  for (let read = 0; read < info.state.last_seq;) {
    const messages = await consumer.fetch({ max_messages: 10_000, expires: 5_000 });
    for await (const message of messages) read = message.seq;
  }
  const replayCpu = cpuSeconds(pid) - replayFrom;

  return {
    storedBytesPerEvent: Math.round(info.state.bytes / events),
    sealedBlocks,
    publishCpuMsPerEvent: (publishCpu * 1000) / events,
    replayCpuMsPerEvent: (replayCpu * 1000) / events,
  };
}

/**
 * Sizes of the sealed blocks in block order, once they stop changing: a block is compressed as the next one
 * opens, in the background.
 */
async function settledSealedBlocks(dir: string): Promise<number[]> {
  const read = (): number[] => {
    const blocks = readdirSync(dir)
      .filter((name) => /^\d+\.blk$/.test(name))
      .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    return blocks.slice(0, -1).map((name) => statSync(join(dir, name)).size);
  };
  let last = read();
  for (let polls = 0; polls < 100; polls++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = read();
    if (now.join() === last.join()) return now;
    last = now;
  }
  return last;
}

function randomHex(length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}
