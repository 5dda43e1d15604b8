export {
  ALL_TENANTS,
  apiKeyRecordFor,
  mintApiKey,
  parseApiKey,
  SCOPES,
  type ApiKeyRecord,
  type KeyKind,
  type Scope,
} from './api-keys';
export { AccessGate, activeKey, type ActiveKey, type Admission, type Refusal } from './gate';
export { accessInterceptor, callerKeyId, checkPolicyCovers, CALLER_KEY_ID, type AdminChange } from './interceptor';
export { API_KEYS_BUCKET, ApiKeyDirectory, openApiKeysBucket, storeApiKey } from './key-directory';
export { isPublicMethod, POLICY, type Rule } from './policy';
export { quotaKind, RequestQuotas, type QuotaKind, type QuotaLimits, type QuotaRefusal } from './quotas';
export { auditRecord, auditSubject, type AuditRecord } from './audit';
export { checkNewKey, type NewKeyRequest } from './key-requests';
