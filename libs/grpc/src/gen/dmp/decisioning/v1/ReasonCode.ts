// Original file: ../../protos/dmp/decisioning/v1/decisioning_service.proto

export const ReasonCode = {
  REASON_CODE_UNSPECIFIED: 'REASON_CODE_UNSPECIFIED',
  REASON_CODE_POPULAR: 'REASON_CODE_POPULAR',
  REASON_CODE_CO_OCCURRENCE: 'REASON_CODE_CO_OCCURRENCE',
  REASON_CODE_SERIES_CONTINUATION: 'REASON_CODE_SERIES_CONTINUATION',
  REASON_CODE_WATCHED_NEXT: 'REASON_CODE_WATCHED_NEXT',
} as const;

export type ReasonCode =
  | 'REASON_CODE_UNSPECIFIED'
  | 0
  | 'REASON_CODE_POPULAR'
  | 1
  | 'REASON_CODE_CO_OCCURRENCE'
  | 2
  | 'REASON_CODE_SERIES_CONTINUATION'
  | 3
  | 'REASON_CODE_WATCHED_NEXT'
  | 4;

export type ReasonCode__Output = (typeof ReasonCode)[keyof typeof ReasonCode];
