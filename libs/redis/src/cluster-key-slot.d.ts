// The slot-of-a-key function ioredis itself uses (CRC16 of the key or its hash tag, mod 16,384); it ships no types.
declare module 'cluster-key-slot' {
  function calculateSlot(key: string | Buffer): number;
  export = calculateSlot;
}
