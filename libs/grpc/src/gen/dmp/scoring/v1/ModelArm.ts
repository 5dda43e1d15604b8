// Original file: ../../protos/dmp/scoring/v1/scoring_service.proto

export const ModelArm = {
  MODEL_ARM_UNSPECIFIED: 'MODEL_ARM_UNSPECIFIED',
  MODEL_ARM_CHAMPION: 'MODEL_ARM_CHAMPION',
  MODEL_ARM_CHALLENGER: 'MODEL_ARM_CHALLENGER',
} as const;

export type ModelArm = 'MODEL_ARM_UNSPECIFIED' | 0 | 'MODEL_ARM_CHAMPION' | 1 | 'MODEL_ARM_CHALLENGER' | 2;

export type ModelArm__Output = (typeof ModelArm)[keyof typeof ModelArm];
