export { connectNats, type Nats, type NatsOptions } from './connection';
export { decodeEvent, encodeEvent } from './event-codec';
export {
  ensureConsumer,
  ensureStream,
  EVENT_SUBJECTS,
  eventsStream,
  FEATURE_STORE_CONSUMER,
  type ConsumerSpec,
  type StreamSpec,
} from './streams';
export { EVENT_TYPE_PATTERN, eventMsgId, eventSubject, subjectToken, TENANT_ID_PATTERN } from './subjects';
export {
  checkTenantId,
  createTenant,
  openTenantsBucket,
  TenantDirectory,
  TENANTS_BUCKET,
  type TenantRecord,
} from './tenants';
