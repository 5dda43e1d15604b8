import type { JetStreamManager } from '@nats-io/jetstream';

export interface StreamSize {
  messages: number;
  bytes: number;
  /** Stored bytes per message as JetStream accounts them: subject, headers, payload and record overhead. */
  bytesPerMessage: number;
}

/**
 * Messages and stored bytes of every stream on the server (KV buckets and object stores left out): what one
 * message of each stream costs on disk, per replica, for the capacity model (charts/capacity/measured.json).
 */
export async function streamSizes(jsm: JetStreamManager): Promise<Record<string, StreamSize>> {
  const sizes: Record<string, StreamSize> = {};
  for await (const info of jsm.streams.list()) {
    const { name } = info.config;
    if (name.startsWith('KV_') || name.startsWith('OBJ_')) continue;
    const { messages, bytes } = info.state;
    sizes[name] = { messages, bytes, bytesPerMessage: messages ? Math.round(bytes / messages) : 0 };
  }
  return sizes;
}
