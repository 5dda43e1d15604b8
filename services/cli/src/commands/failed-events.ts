import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

import { checkTenantId, failedEventSubject } from '@dmp/messaging';

import { printTable } from '../table';
import { connectNats } from '../nats';

/** The stream event-intake files rejected events in (libs/messaging failedEventsStream). */
const STREAM = 'FAILED_EVENTS';

/** A FAILED_EVENTS record as event-intake writes it (services/event-intake/src/intake.ts). */
interface FailedRecord {
  tenant_id: string;
  event_id: string;
  door: string;
  received_at: string;
  field: string;
  rule: string;
  reason: string;
  payload: unknown;
}

/**
 * `dmp failed-events`: the tenant's last `last` rejected events, oldest first. The stream interleaves
 * every tenant, so "the last N of this tenant" is found by a binary search over start sequences (each
 * probe is a short-lived consumer whose num_pending counts the tenant's records from there), then read
 * with an ordered consumer from that sequence: a few dozen round trips however large the stream is.
 */
export async function failedEventsCommand(args: { natsUrl: string; tenant: string; last: number }): Promise<void> {
  checkTenantId(args.tenant, 'tenant');
  const filter = failedEventSubject(args.tenant, '>');
  const nc = await connectNats(args.natsUrl);
  try {
    const jsm = await jetstreamManager(nc);
    let state: { messages: number; first_seq: number; last_seq: number };
    try {
      ({ state } = await jsm.streams.info(STREAM));
    } catch (error) {
      if (!/not found/i.test((error as Error).message)) throw error;
      throw new Error(`there is no ${STREAM} stream at ${args.natsUrl} yet: event-intake creates it when it starts`);
    }
    const none = `no rejected events for tenant "${args.tenant}"\n`;
    // An empty stream has no first sequence to start a consumer at (first_seq is 0, or last_seq + 1 after a purge).
    if (state.messages === 0) return void process.stdout.write(none);

    const { start, count } = await lastN(jsm, filter, state.first_seq, state.last_seq, args.last);
    if (count === 0) return void process.stdout.write(none);

    const consumer = await jetstream(nc).consumers.get(STREAM, {
      filter_subjects: [filter],
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: start,
    });
    const rows: string[][] = [];
    // count is exact, so the fetch ends when it has them all; expires only guards against purged records.
    for await (const message of await consumer.fetch({ max_messages: count, expires: 5_000 })) {
      let record: Partial<FailedRecord>;
      try {
        record = message.json<FailedRecord>();
      } catch {
        record = { reason: `(unreadable record at stream sequence ${message.seq})` };
      }
      rows.push([
        record.event_id ?? '',
        record.door ?? '',
        record.field ?? '',
        record.rule ?? '',
        record.reason ?? '',
        record.received_at ?? '',
      ]);
      if (rows.length >= count) break;
    }
    printTable(['event_id', 'door', 'field', 'rule', 'reason', 'received_at'], rows);
  } finally {
    await nc.close();
  }
}

/** Where the last `n` messages matching `filter` start, and how many there are (at most n). */
async function lastN(
  jsm: JetStreamManager,
  filter: string,
  firstSeq: number,
  lastSeq: number,
  n: number
): Promise<{ start: number; count: number }> {
  const total = await pendingFrom(jsm, filter, firstSeq);
  if (total <= n) return { start: firstSeq, count: total };
  // pendingFrom falls by at most one per sequence: find the largest start that still has n.
  let low = firstSeq;
  let high = lastSeq;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((await pendingFrom(jsm, filter, middle)) >= n) low = middle;
    else high = middle - 1;
  }
  return { start: low, count: n };
}

/** Messages matching `filter` at or after stream sequence `seq`, from a throwaway consumer's num_pending. */
async function pendingFrom(jsm: JetStreamManager, filter: string, seq: number): Promise<number> {
  const info = await jsm.consumers.add(STREAM, {
    filter_subject: filter,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: seq,
    ack_policy: AckPolicy.None,
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: nanos(10_000),
  });
  await jsm.consumers.delete(STREAM, info.name);
  return info.num_pending;
}
