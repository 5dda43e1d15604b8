export { connectNats, type Nats, type NatsOptions } from './connection';
export {
  deadDeliverySubject,
  decodeDeadDelivery,
  decodeDelivery,
  deliveryKey,
  deliverySubject,
  encodeDeadDelivery,
  encodeDelivery,
} from './delivery-codec';
export { decodeEvent, encodeEvent } from './event-codec';
export { KvMirror } from './kv-mirror';
export { ReplicaPresence } from './presence';
export { PARTITION_LEASES_BUCKET } from './partition-leases';
export { PartitionedConsumer, type PartitionedConsumerOptions } from './partitioned-consumer';
export { ReadAgainFrom } from './partition-worker';
export { decodeErasureRecord, encodeErasureRecord, erasureSubject, type ErasureRecord } from './erasure-record';
export { TenantConfig, type Versioned } from './tenant-config';
export { StreamWorker } from './stream-worker';
export {
  JetStreamPublisher,
  PublishRejectedError,
  PublishTimeoutError,
  type OutgoingMessage,
  type PubAck,
} from './publisher';
export {
  DEAD_DELIVERY_SUBJECTS,
  DECISION_LOG_SUBJECTS,
  decisionLogStream,
  deadDeliveriesStream,
  deliveriesStream,
  deliveryConsumer,
  DELIVERY_DURABLE,
  DELIVERY_SUBJECTS,
  ensureConsumer,
  ensureStream,
  EVENT_SUBJECTS,
  eventsStream,
  FAILED_EVENT_SUBJECTS,
  FEATURE_LOG_SUBJECTS,
  featureLogStream,
  failedEventsStream,
  DEFAULT_EVENT_PARTITIONS,
  eventPartitionsOf,
  FEATURE_STORE_DURABLE,
  featureStoreBacklog,
  featureStorePartitionConsumer,
  SCORE_LOG_SUBJECTS,
  SEGMENT_CHANGE_SUBJECTS,
  segmentChangesStream,
  erasuresStream,
  auditStream,
  AUDIT_SUBJECTS,
  subjectMessageFilters,
  purgeMessages,
  waitForStream,
  ERASURE_SUBJECTS,
  scoreLogStream,
  triggersPartitionConsumer,
  partitionedBacklog,
  TRIGGERS_DURABLE,
  type ConsumerSpec,
  type StreamSpec,
} from './streams';
export {
  EVENT_TYPE_PATTERN,
  eventMsgId,
  eventSubject,
  failedEventSubject,
  identifiersOf,
  subjectToken,
  decisionLogSubject,
  segmentChangeSubject,
  subjectKey,
  TENANT_ID_PATTERN,
} from './subjects';
export { headersWithTraceContext, traceContextOf, traceHeaders } from './trace-headers';
export {
  checkTenantId,
  createTenant,
  openTenantsBucket,
  TenantDirectory,
  TENANTS_BUCKET,
  type TenantRecord,
} from './tenants';
export { natsAuthorizationConfig, SERVICE_USERS, servicePermissions, type ServiceUser } from './permissions';
