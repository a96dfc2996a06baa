/**
 * `node:crypto` implementation of the protocol's hash primitives (OpenSSL's SHAKE). Same outputs
 * as the @noble/hashes default (test/protocol/primitives.test.ts); faster for the thousands of
 * short pad hashes per signature.
 *
 * Outputs are taken as a latin1 string ('binary' in Node's digest: one char per byte) and
 * written into the caller's array: a Buffer from `digest()` carries its own externally
 * allocated memory that the garbage collector must track and free, and at ~5,000 hashes per
 * signature that cost more than the hashing (measured: ~20% less time per pad, shorter pauses).
 */
import { createHash, type Hash } from 'node:crypto';
import type { Primitives } from '../../protocol/core/primitives.js';

// One options object per output length (the hot paths ask for a handful of lengths).
const opts = new Map<number, { outputLength: number }>();
const optsFor = (outputLength: number) => {
  let o = opts.get(outputLength);
  if (!o) opts.set(outputLength, (o = Object.freeze({ outputLength })));
  return o;
};

const bufferOver = (a: Uint8Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** A fresh plain Uint8Array (not a Buffer: Buffer#slice shares memory, callers expect copies). */
function digestNew(h: Hash, outLen: number): Uint8Array {
  const out = new Uint8Array(outLen);
  if (outLen > 0) bufferOver(out).write(h.digest('binary'), 0, outLen, 'latin1');
  return out;
}

export const nodePrimitives: Primitives = {
  shake128: (data, outLen) => digestNew(createHash('shake128', optsFor(outLen)).update(data), outLen),
  shake256: (data, outLen) => digestNew(createHash('shake256', optsFor(outLen)).update(data), outLen),
  // Hash#copy skips OpenSSL's per-call algorithm fetch and the prefix absorption: ~2.1 µs per
  // pad instead of ~3.7 µs on this machine (4,512 pads per signature).
  shake128Prefixed: (prefix) => {
    const base = createHash('shake128').update(prefix);
    let lastOut: Uint8Array | undefined;
    let lastBuf: Buffer | undefined;
    return (suffix, out, off, outLen) => {
      if (out !== lastOut) {
        lastOut = out;
        lastBuf = bufferOver(out);
      }
      const s = base.copy(optsFor(outLen)).update(suffix).digest('binary');
      if (lastBuf!.write(s, off, outLen, 'latin1') !== outLen) throw new RangeError('output does not fit');
    };
  },
};
