/**
 * An erasure's audit record on ERASURES (`erasures.v1.<tenant>`, JSON): the feature store writes it when it erases
 * a profile, naming the profile's identifiers by subject token only; services that keep their own state about
 * subscribers (decisioning) erase it from the tenant and the tokens.
 */
export interface ErasureRecord {
  tenantId: string;
  subjectTokens: string[];
}

export function erasureSubject(tenantId: string): string {
  return `erasures.v1.${tenantId}`;
}

export function encodeErasureRecord<T extends ErasureRecord>(record: T): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(record));
}

/** The record's tenant and tokens; throws on bytes that are not such a record. */
export function decodeErasureRecord(data: Uint8Array): ErasureRecord {
  const record = JSON.parse(new TextDecoder().decode(data)) as Partial<ErasureRecord>;
  if (typeof record.tenantId !== 'string' || !Array.isArray(record.subjectTokens))
    throw new Error('not an erasure record');
  return { tenantId: record.tenantId, subjectTokens: record.subjectTokens.map(String) };
}
