import { createHash } from 'node:crypto';

/**
 * The phone numbers and e-mail addresses end-to-end tests send, in the forms they write them: tests take them
 * from here, and the scan after the suite (pii-scan.ts) looks for every form of them in everything the suite
 * left behind.
 */
export const SUBSCRIBERS = [
  {
    written: ['+7 (912) 345-67-89', '8 912 345 67 89', '+79123456789', '+7 912 345-67-89'],
    e164: '+79123456789',
  },
  { written: ['+44 20 7946 0958', '00442079460958'], e164: '+442079460958' },
  { written: ['+1 (415) 555-2671'], e164: '+14155552671' },
];
export const EMAILS = [
  { written: ['Anna.Petrova@Example.COM', ' anna.petrova@example.com '], normalized: 'anna.petrova@example.com' },
  { written: ['ivan+promo@mail.example.ru'], normalized: 'ivan+promo@mail.example.ru' },
];

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Every form in which a raw identifier could leak. */
export const FORBIDDEN: string[] = [
  ...SUBSCRIBERS.flatMap((s) => [
    ...s.written.map((w) => w.trim()),
    s.e164,
    s.e164.slice(1), // digits only
    s.e164.slice(-10), // national significant number
    sha256(s.e164), // an unkeyed hash is as good as the number: 10^10 guesses
    sha256(s.e164.slice(1)),
  ]),
  ...EMAILS.flatMap((e) => [...e.written.map((w) => w.trim()), e.normalized, sha256(e.normalized)]),
];
