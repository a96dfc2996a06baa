/**
 * `node:crypto` implementation of the protocol's hash primitives (OpenSSL's SHAKE). Same outputs
 * as the @noble/hashes default (test/protocol/primitives.test.ts); faster for the thousands of
 * short pad hashes per signature.
 */
import { createHash } from 'node:crypto';
import type { Primitives } from '../../protocol/core/primitives.js';

// Return a plain Uint8Array view, not the Buffer: Buffer#slice shares memory while
// Uint8Array#slice copies, and callers rely on the latter.
const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

// One options object per output length (the hot paths ask for a handful of lengths).
const opts = new Map<number, { outputLength: number }>();
const optsFor = (outputLength: number) => {
  let o = opts.get(outputLength);
  if (!o) opts.set(outputLength, (o = Object.freeze({ outputLength })));
  return o;
};

export const nodePrimitives: Primitives = {
  shake128: (data, outLen) => view(createHash('shake128', optsFor(outLen)).update(data).digest()),
  shake256: (data, outLen) => view(createHash('shake256', optsFor(outLen)).update(data).digest()),
  // Hash#copy skips OpenSSL's per-call algorithm fetch and the prefix absorption: ~2.1 µs per
  // pad instead of ~3.7 µs on this machine (4,512 pads per signature).
  shake128Prefixed: (prefix) => {
    const base = createHash('shake128').update(prefix);
    return (suffix, out, off, outLen) => {
      out.set(base.copy(optsFor(outLen)).update(suffix).digest(), off);
    };
  },
};
