/**
 * The PII leak scan after the suite (vitest globalSetup): while the suite runs, every service the harness starts
 * writes all its log lines and spans (OTEL_TRACES_EXPORTER=console) to a file in DMP_TEST_ARTIFACTS, and every
 * test's servers, before they stop, record their NATS subjects (every stream's, KV keys included) and Redis keys
 * there. At the end, everything there is searched for the raw phone numbers and e-mails tests send (pii.ts), in
 * every form they could leak in; the run fails if one is found.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';

import { FORBIDDEN } from './pii';

/** Writes the subjects of every stream and the keys of the Redis at `redisUrl` to the artifacts folder. */
export async function recordStores(nc: NatsConnection, redisUrl: string): Promise<void> {
  const dir = process.env['DMP_TEST_ARTIFACTS'];
  if (!dir) return;
  const lines: string[] = [];
  try {
    const jsm = await jetstreamManager(nc, { timeout: 2_000 });
    for await (const stream of jsm.streams.list()) {
      const info = await jsm.streams.info(stream.config.name, { subjects_filter: '>' });
      lines.push(...Object.keys(info.state.subjects ?? {}).map((subject) => `nats ${subject}`));
    }
  } catch (error) {
    // A test that stopped NATS itself (fault tests) leaves nothing to read: its subjects were scanned by no one.
    lines.push(`nats unreadable: ${(error as Error).message}`);
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 0, lazyConnect: true });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ count: 1_000 }))
      lines.push(...(keys as string[]).map((k) => `redis ${k}`));
  } catch (error) {
    lines.push(`redis unreadable: ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `stores-${randomUUID()}.txt`), lines.join('\n') + '\n');
}

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'dmp-suite-artifacts-'));
  process.env['DMP_TEST_ARTIFACTS'] = dir;
  return () => {
    const files = readdirSync(dir);
    const found: string[] = [];
    let bytes = 0;
    let spans = 0;
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      bytes += text.length;
      spans += text.split('"msg":"span"').length - 1;
      for (const raw of FORBIDDEN) if (text.includes(raw)) found.push(`"${raw}" in ${file}`);
    }
    process.stdout.write(
      `PII scan: ${files.length} files (service logs and spans, NATS subjects, Redis keys), ${(bytes / 1e6).toFixed(1)} MB, ` +
        `${spans} spans, ${FORBIDDEN.length} forbidden forms: ${found.length === 0 ? 'none found' : 'FOUND'}\n`
    );
    if (found.length > 0) {
      throw new Error(`raw personal identifiers left behind by the suite (kept in ${dir}):\n${found.join('\n')}`);
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
