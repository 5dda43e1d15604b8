import { createHmac } from 'node:crypto';

import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

/** A secret for keyed hashes of personal identifiers, with the id recorded next to every hash it makes. */
export interface HmacKey {
  id: string;
  secret: Buffer;
}

export type HashedKind = 'msisdn' | 'email' | 'redacted';

/**
 * Keyed pseudonymisation (ENISA: HMAC, not a plain hash: a phone number space of ~10^10 is brute-forced
 * in minutes without a key). Each tenant hashes under its own key derived from the current secret, so the
 * same subscriber cannot be linked across tenants by hash. The first key is current; rotating means
 * putting a new key first (the id travels with every hash, so consumers can tell which key made it).
 */
export class IdentityHasher {
  private readonly tenantKeys = new Map<string, Buffer>();
  // Subscribers come back: a bounded memo saves an HMAC (a key schedule and two SHA-256 passes) per repeat.
  private readonly memo = new Map<string, string>();

  constructor(
    private readonly key: HmacKey,
    private readonly memoSize = 100_000
  ) {}

  get keyId(): string {
    return this.key.id;
  }

  hash(tenantId: string, kind: HashedKind, value: string): string {
    const memoKey = `${tenantId}\u0000${kind}\u0000${value}`;
    const known = this.memo.get(memoKey);
    if (known !== undefined) return known;
    let tenantKey = this.tenantKeys.get(tenantId);
    if (!tenantKey) {
      tenantKey = createHmac('sha256', this.key.secret).update(`tenant:${tenantId}`).digest();
      this.tenantKeys.set(tenantId, tenantKey);
    }
    const hash = createHmac('sha256', tenantKey).update(`${kind}:${value}`).digest('hex');
    // Oldest first out: Map keeps insertion order.
    if (this.memo.size >= this.memoSize) this.memo.delete(this.memo.keys().next().value!);
    this.memo.set(memoKey, hash);
    return hash;
  }
}

/**
 * Reads IDENTITY_HMAC_KEYS: `id:base64secret[,id:base64secret…]`, the first one current. Secrets must be
 * at least 32 bytes. Throws with the problem, never with a secret.
 */
export function parseHmacKeys(text: string): HmacKey[] {
  const keys = text.split(',').map((part, i) => {
    const [id, secret] = part.trim().split(':');
    if (!id || !secret || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      throw new Error(`key ${i + 1} must be written as <id>:<base64 secret>, with an id of letters, digits, _ or -`);
    }
    const bytes = Buffer.from(secret, 'base64');
    if (bytes.length < 32) throw new Error(`key "${id}" is ${bytes.length} bytes; at least 32 are required`);
    return { id, secret: bytes };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error('key ids must be unique');
  return keys;
}

const msisdnMemo = new Map<string, string | null>();

/** E.164 (+<country><number>) of a phone number in any common format, or undefined if it is not one. */
export function normalizeMsisdn(raw: string, defaultRegion?: CountryCode): string | undefined {
  if (raw.length > 64) return undefined;
  // Parsing with libphonenumber's metadata costs ~10 µs; subscribers' numbers recur, so remember them.
  const memoKey = `${defaultRegion ?? ''}|${raw}`;
  let e164 = msisdnMemo.get(memoKey);
  if (e164 === undefined) {
    const phone = parsePhoneNumberFromString(raw, defaultRegion);
    e164 = phone?.isValid() ? phone.number : null;
    if (msisdnMemo.size >= 100_000) msisdnMemo.delete(msisdnMemo.keys().next().value!);
    msisdnMemo.set(memoKey, e164);
  }
  return e164 ?? undefined;
}

// A plain address check (one @, a dot in the domain, no spaces): delivery is not our concern, keying is.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The lowercased, trimmed address, or undefined if it is not one. */
export function normalizeEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  return email.length <= 254 && EMAIL_PATTERN.test(email) ? email : undefined;
}

/**
 * A copy of `value` safe to store outside intake: identifier fields (msisdn, email, phone) replaced by
 * their keyed hashes, and any email- or phone-like text anywhere else replaced by a redaction marker with
 * a keyed hash (so equal values still compare equal). For payloads of rejected events, which may hold
 * personal data in any field and in any shape.
 */
export function scrubPii(value: unknown, redact: (raw: string) => string, depth = 0): unknown {
  // Deeper structures are cut, which also keeps JSON.stringify of the result off deep recursion.
  if (depth > 32) return '[too deep]';
  if (typeof value === 'string') return scrubText(value, redact);
  // A phone number may arrive as a JSON number.
  if (typeof value === 'number') return countDigits(String(value)) >= 7 ? redact(String(value)) : value;
  if (Array.isArray(value)) return value.map((v) => scrubPii(v, redact, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const identifier = /^(msisdn|email|phone)$/i.test(key) && v !== '' && v !== null && typeof v !== 'object';
      // The tenant's own ids are stored as sent (in EVENTS too), so a record still matches its result.
      if (TENANT_IDS.test(key) && (typeof v === 'string' || Array.isArray(v))) {
        out[key] = v;
        continue;
      }
      // Keys are data too (a property named after an email address).
      Object.defineProperty(out, scrubText(key, redact), {
        value: identifier ? redact(String(v)) : scrubPii(v, redact, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

// Ids chosen by the tenant (event, user, anonymous, device, item), in the proto's and the JSON spelling.
const TENANT_IDS = /^(event_?id|user_?id|anonymous_?id|device_?id|item_?ids)$/i;

/**
 * Phones first, then emails: an email redaction marker holds hex digits that the phone scan would redact
 * again, while phone markers hold no "@".
 */
function scrubText(text: string, redact: (raw: string) => string): string {
  return redactEmails(redactPhones(text, redact), redact);
}

function countDigits(text: string): number {
  let digits = 0;
  for (const c of text) if (c >= '0' && c <= '9') digits++;
  return digits;
}

// These scanners are hand-written and linear: the obvious regular expressions backtrack quadratically
// on long strings without an "@" or with long digit runs, and payloads are attacker-controlled.

const EMAIL_STOP = new Set([...' \t\r\n@"\'<>(),;:[]!?']);

/** Replaces every `local@domain.tld`-shaped run. */
function redactEmails(text: string, redact: (raw: string) => string): string {
  if (!text.includes('@')) return text;
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > copied && !EMAIL_STOP.has(text[start - 1]!)) start--;
    let end = at + 1;
    while (end < text.length && !EMAIL_STOP.has(text[end]!)) end++;
    const domain = text.slice(at + 1, end);
    if (start < at && domain.includes('.') && !domain.startsWith('.') && !domain.endsWith('.')) {
      out += text.slice(copied, start) + redact(text.slice(start, end));
      copied = end;
      at = end - 1;
    }
  }
  return out + text.slice(copied);
}

const PHONE_CHARS = new Set([...'0123456789+()-. ']);

/** Replaces every run of digits and phone punctuation holding at least 7 digits. */
function redactPhones(text: string, redact: (raw: string) => string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length;) {
    if (!PHONE_CHARS.has(text[i]!)) {
      i++;
      continue;
    }
    let end = i;
    let digits = 0;
    while (end < text.length && PHONE_CHARS.has(text[end]!)) {
      if (text[end]! >= '0' && text[end]! <= '9') digits++;
      end++;
    }
    // Seven digits make a phone number, unless the run is an ISO date (2026-11-25), common in payloads.
    if (digits >= 7 && !/^\d{4}-\d{2}-\d{2}$/.test(text.slice(i, end).trim())) {
      // Keep the punctuation around the number; redact from its first + or digit to its last digit.
      let first = i;
      while (first < end && !/[+\d]/.test(text[first]!)) first++;
      let last = end - 1;
      while (last > first && !/\d/.test(text[last]!)) last--;
      out += text.slice(copied, first) + redact(text.slice(first, last + 1));
      copied = last + 1;
    }
    i = end;
  }
  return out + text.slice(copied);
}
