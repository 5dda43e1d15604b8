import { createHash } from 'node:crypto';

import * as protobuf from 'protobufjs';

import {
  LOADER_OPTIONS,
  PROTOS_DIR,
  type DeadDelivery,
  type DeadDelivery__Output,
  type Delivery,
  type Delivery__Output,
} from '@dmp/grpc';

import { subjectToken } from './subjects';

/**
 * Offers to send travel on the DELIVERIES stream as dmp.delivery.v1.Delivery protobuf bytes (and given-up
 * ones on DEAD_DELIVERIES as DeadDelivery), decoded to the generated `__Output` shapes.
 */
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => `${PROTOS_DIR}/${target}`;
root.loadSync('dmp/delivery/v1/delivery.proto', { keepCase: LOADER_OPTIONS.keepCase });
const DeliveryType = root.lookupType('dmp.delivery.v1.Delivery');
const DeadDeliveryType = root.lookupType('dmp.delivery.v1.DeadDelivery');
const OUTPUT = { longs: String, enums: String, defaults: true, oneofs: true } as const;

export function encodeDelivery(delivery: Delivery): Uint8Array {
  return DeliveryType.encode(DeliveryType.fromObject(delivery)).finish();
}

export function decodeDelivery(bytes: Uint8Array): Delivery__Output {
  return DeliveryType.toObject(DeliveryType.decode(bytes), OUTPUT) as Delivery__Output;
}

export function encodeDeadDelivery(dead: DeadDelivery): Uint8Array {
  return DeadDeliveryType.encode(DeadDeliveryType.fromObject(dead)).finish();
}

export function decodeDeadDelivery(bytes: Uint8Array): DeadDelivery__Output {
  return DeadDeliveryType.toObject(DeadDeliveryType.decode(bytes), OUTPUT) as DeadDelivery__Output;
}

/**
 * The idempotency key of the offer a trigger event fired for a campaign: the same event (redelivered,
 * replayed) and campaign always give the same key, so the offer goes out once.
 */
export function deliveryKey(tenantId: string, triggerEventId: string, campaignId: string): string {
  return createHash('sha256')
    .update(`${tenantId}\u0000${triggerEventId}\u0000${campaignId}`)
    .digest('hex')
    .slice(0, 32);
}

/** `deliveries.v1.<tenant>.<channel>.<subject token>`. */
export function deliverySubject(tenantId: string, channel: string, subject: string): string {
  return `deliveries.v1.${tenantId}.${channel}.${subjectToken(tenantId, subject)}`;
}

/** `deliveries-dead.v1.<tenant>.<channel>.<subject token>`. */
export function deadDeliverySubject(tenantId: string, channel: string, subject: string): string {
  return `deliveries-dead.v1.${tenantId}.${channel}.${subjectToken(tenantId, subject)}`;
}
