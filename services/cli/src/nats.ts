import { connect, type NatsConnection } from '@nats-io/transport-node';

/**
 * The CLI's NATS connection: NATS_USER and NATS_PASSWORD when the server has users (the CLI is an operator's
 * tool: the admin user).
 */
export function connectNats(url: string): Promise<NatsConnection> {
  const user = process.env['NATS_USER']?.trim();
  return connect({ servers: url, ...(user && { user, pass: process.env['NATS_PASSWORD'] ?? '' }) });
}
