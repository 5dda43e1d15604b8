import * as protobuf from 'protobufjs';

import { LOADER_OPTIONS, PROTOS_DIR, type Event, type Event__Output } from '@dmp/grpc';

import { compileEncoder } from './fast-encoder';

/**
 * Events travel on JetStream as protobuf bytes of dmp.events.v1.Event. Decoding uses the same conversion
 * options as the gRPC loader, so a decoded event has exactly the generated `Event__Output` shape.
 */
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => `${PROTOS_DIR}/${target}`;
// google/protobuf/*.proto imports are served from protobufjs's bundled common types.
root.loadSync('dmp/events/v1/event.proto', { keepCase: LOADER_OPTIONS.keepCase });
const EventType = root.lookupType('dmp.events.v1.Event');

const fastEncoder = compileEncoder(EventType);

/**
 * Encodes an event given in the generated (`Event`) shape; int64 seconds may be strings or numbers, and
 * fields the proto lacks are ignored. The compiled encoder handles every event intake stores; protobufjs
 * takes what it does not cover (e.g. negative seconds).
 */
export function encodeEvent(event: Event): Uint8Array {
  return fastEncoder.encode(event) ?? EventType.encode(event).finish();
}

export function decodeEvent(bytes: Uint8Array): Event__Output {
  return EventType.toObject(EventType.decode(bytes), {
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  }) as Event__Output;
}
