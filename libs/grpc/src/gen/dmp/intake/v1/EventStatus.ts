// Original file: ../../protos/dmp/intake/v1/intake_service.proto

export const EventStatus = {
  EVENT_STATUS_UNSPECIFIED: 'EVENT_STATUS_UNSPECIFIED',
  EVENT_STATUS_ACCEPTED: 'EVENT_STATUS_ACCEPTED',
  EVENT_STATUS_DUPLICATE: 'EVENT_STATUS_DUPLICATE',
  EVENT_STATUS_REJECTED: 'EVENT_STATUS_REJECTED',
} as const;

export type EventStatus =
  | 'EVENT_STATUS_UNSPECIFIED'
  | 0
  | 'EVENT_STATUS_ACCEPTED'
  | 1
  | 'EVENT_STATUS_DUPLICATE'
  | 2
  | 'EVENT_STATUS_REJECTED'
  | 3;

export type EventStatus__Output = (typeof EventStatus)[keyof typeof EventStatus];
