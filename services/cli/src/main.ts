#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { isServiceError } from '@dmp/grpc';
import * as grpc from '@grpc/grpc-js';

import { demoLoad, featuresCommand, recommendCommand, sendEvent, tenantsCommand } from './commands/client-commands';
import { up } from './commands/up';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

const USAGE = `dmp: the RTK-DMP command line

  dmp up [--demo]                          run NATS, Redis and every service here (Ctrl-C stops them)
  dmp tenants list | create <tenant>       the tenants this deployment serves
  dmp events send --tenant T --user U --type TYPE [--item I]... [--id ID]
  dmp recommend --tenant T --user U [-n N] [--current-item I] [--exclude I]...
  dmp features --tenant T (--user U | --item I)
  dmp demo load --tenant T [--seed 42] [--events 20000]

Addresses: --addr host:port, or INTAKE_ADDR, FEATURE_STORE_ADDR, DECISIONING_ADDR (defaults: dmp up's ports);
NATS_URL (nats://127.0.0.1:4222) and REDIS_URL (redis://127.0.0.1:6379).
`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean', default: false },
      tenant: { type: 'string' },
      user: { type: 'string' },
      type: { type: 'string' },
      item: { type: 'string', multiple: true, default: [] },
      id: { type: 'string' },
      n: { type: 'string', short: 'n', default: '10' },
      'current-item': { type: 'string' },
      exclude: { type: 'string', multiple: true, default: [] },
      seed: { type: 'string', default: '42' },
      events: { type: 'string', default: '20000' },
      addr: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const required = (name: 'tenant' | 'user' | 'type'): string => {
    const value = values[name];
    if (!value) throw new UsageError(`--${name} is required`);
    return value;
  };
  const integer = (name: 'n' | 'seed' | 'events'): number => {
    const text = values[name];
    // Whole decimal numbers only: "-n ten" is a mistake, not 10.
    if (!/^-?\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, got "${text}"`);
    return Number(text);
  };
  const [command, sub, arg] = positionals;
  if (values.help || !command) return void process.stdout.write(USAGE);

  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'up':
      return up({ repoRoot: REPO_ROOT, natsUrl, redisUrl, demo: values.demo });
    case 'tenants list':
      return tenantsCommand({ natsUrl });
    case 'tenants create':
      if (!arg) throw new UsageError('tenants create needs a tenant id');
      return tenantsCommand({ natsUrl, create: arg });
    case 'events send':
      return sendEvent({
        address: values.addr,
        tenant: required('tenant'),
        user: required('user'),
        type: required('type'),
        items: values.item,
        ...(values.id !== undefined && { id: values.id }),
      });
    case 'recommend':
      return recommendCommand({
        address: values.addr,
        tenant: required('tenant'),
        user: required('user'),
        n: integer('n'),
        exclude: values.exclude,
        ...(values['current-item'] !== undefined && { currentItem: values['current-item'] }),
      });
    case 'features':
      if (!values.user === !values.item[0]) throw new UsageError('features needs exactly one of --user or --item');
      return featuresCommand({
        address: values.addr,
        tenant: required('tenant'),
        ...(values.user !== undefined ? { user: values.user } : { item: values.item[0]! }),
      });
    case 'demo load':
      return demoLoad({
        address: values.addr,
        tenant: required('tenant'),
        seed: integer('seed'),
        events: integer('events'),
      });
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`dmp: ${error.message}\n\n${USAGE}`);
  else if (isServiceError(error)) process.stderr.write(`dmp: ${grpc.status[error.code]}: ${error.details}\n`);
  else process.stderr.write(`dmp: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
