import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { IdentityHasher, normalizeEmail, normalizeMsisdn, parseHmacKeys, scrubPii } from './identities';

const SECRET = Buffer.alloc(32, 1);
const hasher = new IdentityHasher({ id: 'k1', secret: SECRET });

describe('IdentityHasher', () => {
  it('makes a hex HMAC-SHA256 that is stable for the same input', () => {
    const hash = hasher.hash('shop', 'msisdn', '+79123456789');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hasher.hash('shop', 'msisdn', '+79123456789')).toBe(hash);
    expect(new IdentityHasher({ id: 'k1', secret: Buffer.from(SECRET) }).hash('shop', 'msisdn', '+79123456789')).toBe(
      hash
    );
  });

  it('derives each tenant’s key from the secret, so hashes are stable across releases', () => {
    const tenantKey = createHmac('sha256', SECRET).update('tenant:shop').digest();
    const expected = createHmac('sha256', tenantKey).update('msisdn:+79123456789').digest('hex');
    expect(hasher.hash('shop', 'msisdn', '+79123456789')).toBe(expected);
  });

  it('differs per tenant, so a subscriber cannot be linked across tenants', () => {
    expect(hasher.hash('shop', 'msisdn', '+79123456789')).not.toBe(hasher.hash('bank', 'msisdn', '+79123456789'));
    expect(hasher.hash('shop', 'email', 'a@example.com')).not.toBe(hasher.hash('shop2', 'email', 'a@example.com'));
  });

  it('differs per kind of value', () => {
    const kinds = ['msisdn', 'email', 'redacted'] as const;
    const hashes = kinds.map((kind) => hasher.hash('shop', kind, '79123456789'));
    expect(new Set(hashes).size).toBe(kinds.length);
  });

  it('differs per value and per secret', () => {
    expect(hasher.hash('shop', 'msisdn', '+79123456789')).not.toBe(hasher.hash('shop', 'msisdn', '+79123456788'));
    const other = new IdentityHasher({ id: 'k2', secret: Buffer.alloc(32, 2) });
    expect(other.hash('shop', 'msisdn', '+79123456789')).not.toBe(hasher.hash('shop', 'msisdn', '+79123456789'));
  });

  it('does not confuse a tenant id with a value (no ambiguous concatenation)', () => {
    expect(hasher.hash('a', 'email', 'b:c')).not.toBe(hasher.hash('a:b', 'email', 'c'));
  });

  it('names its key', () => {
    expect(hasher.keyId).toBe('k1');
  });
});

describe('parseHmacKeys', () => {
  const secret = Buffer.from('0123456789abcdef0123456789abcdef-secret-part').toString('base64');
  const secret2 = Buffer.alloc(48, 9).toString('base64');

  it('reads id:base64 pairs, the first one current', () => {
    const keys = parseHmacKeys(`current:${secret}, old_1:${secret2}`);
    expect(keys.map((k) => k.id)).toEqual(['current', 'old_1']);
    expect(keys[0]!.secret).toEqual(Buffer.from(secret, 'base64'));
    expect(keys[1]!.secret.length).toBe(48);
  });

  it.each([
    ['an empty value', ''],
    ['a secret without an id', secret],
    ['an id without a secret', 'k1:'],
    ['an id with a dot', `k.1:${secret}`],
    ['an id of 33 characters', `${'k'.repeat(33)}:${secret}`],
    ['a secret under 32 bytes', `k1:${Buffer.alloc(31, 5).toString('base64')}`],
    ['a short second key', `k1:${secret},k2:${Buffer.from('short-secret-value').toString('base64')}`],
    ['an empty second key', `k1:${secret},`],
    ['a repeated id', `k1:${secret},k1:${secret2}`],
    ['the secret and id swapped', `${secret}:k1`],
  ])('refuses %s, without the secret in the message', (_name, text) => {
    let message = '';
    try {
      parseHmacKeys(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe('');
    for (const part of text.split(/[,:]/).filter((p) => p.length >= 8)) {
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(part)) expect(message).not.toContain(part);
    }
    expect(message).not.toContain('0123456789abcdef');
    expect(message).not.toContain('short-secret');
  });

  it('says what is wrong', () => {
    expect(() => parseHmacKeys(`k1:${Buffer.alloc(16).toString('base64')}`)).toThrow(/16 bytes; at least 32/);
    expect(() => parseHmacKeys(`k1:${secret},k1:${secret}`)).toThrow(/unique/);
    expect(() => parseHmacKeys('nonsense')).toThrow(/key 1 must be written as <id>:<base64 secret>/);
    expect(() => parseHmacKeys(`k1:${secret},bad id:${secret}`)).toThrow(/key 2/);
  });
});

describe('normalizeMsisdn', () => {
  it.each<[string, string | undefined, string | undefined]>([
    ['+79123456789', undefined, '+79123456789'],
    ['+7 912 345-67-89', undefined, '+79123456789'],
    ['+7 (912) 345 67 89', undefined, '+79123456789'],
    ['89123456789', 'RU', '+79123456789'],
    ['8 912 345 67 89', 'RU', '+79123456789'],
    ['9123456789', 'RU', '+79123456789'],
    ['+1 202-555-0143', undefined, '+12025550143'],
    ['(202) 555-0143', 'US', '+12025550143'],
    ['+44 20 7946 0958', 'RU', '+442079460958'],
  ])('reads %s (region %s) as %s', (raw, region, e164) => {
    expect(normalizeMsisdn(raw, region as never)).toBe(e164);
  });

  it.each<[string, string | undefined]>([
    ['89123456789', undefined],
    ['', 'RU'],
    ['12345', 'RU'],
    ['+7 000 000 00 00', undefined],
    ['not a number', 'RU'],
    ['+7912345678901234', undefined],
    [`+7912345678${' '.repeat(60)}`, undefined],
    ['+'.repeat(65), 'RU'],
    ['9'.repeat(1_000_000), 'RU'],
  ])('refuses %j (region %s)', (raw, region) => {
    expect(normalizeMsisdn(raw, region as never)).toBeUndefined();
  });
});

describe('normalizeEmail', () => {
  it('lowercases and trims', () => {
    expect(normalizeEmail('  Alice.Smith+tag@Example.COM\n')).toBe('alice.smith+tag@example.com');
    expect(normalizeEmail('a@b.co')).toBe('a@b.co');
  });

  it('accepts addresses up to 254 characters', () => {
    const local = 'a'.repeat(254 - '@example.com'.length);
    expect(normalizeEmail(`${local}@example.com`)).toBe(`${local}@example.com`);
    expect(normalizeEmail(`a${local}@example.com`)).toBeUndefined();
  });

  it.each([
    '',
    'alice',
    'alice@',
    '@example.com',
    'alice@example',
    'alice@example.',
    'alice@.com',
    'a b@example.com',
    'a@b@example.com',
    'alice@exa mple.com',
  ])('refuses %j', (raw) => {
    expect(normalizeEmail(raw)).toBeUndefined();
  });

  it('returns for long hostile input', () => {
    expect(normalizeEmail(`a@${'.'.repeat(1_000_000)}@`)).toBeUndefined();
    expect(normalizeEmail(`${'a@b.'.repeat(250_000)}`)).toBeUndefined();
  });
});

describe('scrubPii', () => {
  /** A visible stand-in for the keyed redaction intake uses. */
  const redact = (raw: string): string => `<${raw.length}>`;

  it('replaces the whole value of msisdn, email and phone fields, in any case', () => {
    expect(
      scrubPii(
        { msisdn: '+7 912 345-67-89', Email: 'whoever', PHONE: 'x', nested: { email: 'a@b.co', phone: '12' } },
        redact
      )
    ).toEqual({ msisdn: '<16>', Email: '<7>', PHONE: '<1>', nested: { email: '<6>', phone: '<2>' } });
  });

  it('leaves empty identifier fields and other field names alone', () => {
    expect(scrubPii({ msisdn: '', email: '', msisdn_hash: 'abc', phones: 'none', user_id: 'u1' }, redact)).toEqual({
      msisdn: '',
      email: '',
      msisdn_hash: 'abc',
      phones: 'none',
      user_id: 'u1',
    });
  });

  it('redacts email-like text anywhere', () => {
    expect(scrubPii('mail alice.smith@example.com now', redact)).toBe('mail <23> now');
    expect(scrubPii('<a@b.co>,(c@d.org);"e@f.net"', redact)).toBe('<<6>>,(<7>);"<7>"');
    expect(scrubPii({ note: ['x', { deep: 'to: bob@mail.ru' }] }, redact)).toEqual({
      note: ['x', { deep: 'to: <11>' }],
    });
  });

  it('leaves text with an @ that is not an address', () => {
    for (const text of ['@handle', 'user@localhost', 'a@b.', 'a@.b', 'price @ 5.00', '@@@', 'x@ y.z']) {
      expect(scrubPii(text, redact)).toBe(text);
    }
  });

  it('redacts runs of seven or more digits with phone punctuation, keeping what surrounds them', () => {
    expect(scrubPii('call +7 (912) 345-67-89 today', redact)).toBe('call <18> today');
    expect(scrubPii('tel:89123456789.', redact)).toBe('tel:<11>.');
    expect(scrubPii('(1234567)', redact)).toBe('(<7>)');
    expect(scrubPii('id 1234567', redact)).toBe('id <7>');
  });

  it('leaves shorter numbers alone', () => {
    for (const text of ['sku 123456', 'call 123-45', 'v1.2.3', '+++---', '12 34 5', '']) {
      expect(scrubPii(text, redact)).toBe(text);
    }
  });

  it('keeps numbers, booleans, null and plain keys, and does not change its input', () => {
    const input = { price: 9.5, ok: true, none: null, list: [1, 'two'], nested: { msisdn: { value: 'x' } } };
    const copy = structuredClone(input);
    expect(scrubPii(input, redact)).toEqual(input);
    expect(input).toEqual(copy);
    expect(scrubPii(undefined, redact)).toBeUndefined();
    expect(scrubPii(42, redact)).toBe(42);
  });

  it('redacts phone numbers sent as JSON numbers, and personal data in keys', () => {
    expect(scrubPii({ msisdn: 79123456789, note: 89123456789, price: 1234.5 }, redact)).toEqual({
      msisdn: '<11>',
      note: '<11>',
      price: 1234.5,
    });
    expect(scrubPii({ 'alice@example.com': 1 }, redact)).toEqual({ '<17>': 1 });
  });

  it('never redacts inside its own markers, and leaves ISO dates alone', () => {
    // Markers full of digits, as keyed hex hashes often are.
    const digitMarker = (raw: string): string => `[redacted:${'9'.repeat(12)}${raw.length}]`;
    const out = scrubPii('mail a@b.co or call +7 912 345 67 89', digitMarker) as string;
    expect(out).toBe('mail [redacted:9999999999996] or call [redacted:99999999999916]');
    expect(scrubPii('on 2026-11-25T12:00:00Z', redact)).toBe('on 2026-11-25T12:00:00Z');
  });

  it('keeps a "__proto__" key as data', () => {
    const out = scrubPii(JSON.parse('{"__proto__": "x"}'), redact) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__']);
  });

  it('stops at a depth of 32', () => {
    let deep: unknown = 'a@b.co';
    for (let i = 0; i < 40; i++) deep = [deep];
    let out = scrubPii(deep, redact);
    let depth = 0;
    while (Array.isArray(out)) {
      out = (out as unknown[])[0];
      depth++;
    }
    expect(out).toBe('[too deep]');
    expect(depth).toBe(33);
  });

  it('is deterministic with a keyed redaction, so equal values still compare equal', () => {
    const keyed = (raw: string): string => `[redacted:${hasher.hash('shop', 'redacted', raw).slice(0, 16)}]`;
    const a = scrubPii({ note: 'from alice@example.com' }, keyed);
    expect(scrubPii({ note: 'from alice@example.com' }, keyed)).toEqual(a);
    expect(scrubPii({ note: 'from bob@example.com' }, keyed)).not.toEqual(a);
    expect(JSON.stringify(a)).not.toContain('alice');
  });

  // The scanners must be linear: a payload is attacker-controlled and up to 64 KiB per event (4 MiB per
  // request). A quadratic scan of 1 MB would not return within the test timeout.
  it.each<[string, string, number]>([
    ["'x'", 'x', 1_000_000],
    ["'1'", '1', 3],
    ["'@'", '@', 1_000_000],
    ["'a@'", 'a@', 1_000_000],
    ["'1 '", '1 ', 4],
    ["'@a.'", '@a.', 1_000_000],
    ["'.a@'", '.a@', 1_000_000],
    ["'a@b'", 'a@b', 1_000_000],
    ["'+-'", '+-', 1_000_000],
  ])('returns for 1 MB of %s repeated', (_name, unit, expectedLength) => {
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length)).slice(0, 1_000_000);
    const out = scrubPii({ note: text }, () => '[r]') as { note: string };
    expect(out.note.length).toBe(expectedLength);
  });
});
