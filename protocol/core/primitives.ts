/**
 * Pure hash primitives injected into the protocol (@spec SPEC.md §1.3). The default is
 * @noble/hashes; a node may pass a `node:crypto` implementation with identical outputs
 * (checked by test/protocol/primitives.test.ts), which is faster for the many short pad hashes.
 */
import { shake128, shake256 } from '@noble/hashes/sha3.js';

export interface Primitives {
  /** SHAKE128 (FIPS 202) with `outLen` output bytes. */
  shake128(data: Uint8Array, outLen: number): Uint8Array;
  /** SHAKE256 (FIPS 202) with `outLen` output bytes. */
  shake256(data: Uint8Array, outLen: number): Uint8Array;
  /**
   * SHAKE128 over a fixed prefix: returns f where f(suffix, out, off, n) writes
   * shake128(prefix ‖ suffix, n) to out[off..off+n). An implementation absorbs the prefix once
   * and allocates no result array; the OT pads hash thousands of inputs that share one
   * (@spec SPEC.md §4.4). Same bytes as `shake128` on the concatenation (tested).
   */
  shake128Prefixed(prefix: Uint8Array): (suffix: Uint8Array, out: Uint8Array, off: number, outLen: number) => void;
}

export const noblePrimitives: Primitives = {
  shake128: (data, outLen) => shake128(data, { dkLen: outLen }),
  shake256: (data, outLen) => shake256(data, { dkLen: outLen }),
  shake128Prefixed: (prefix) => {
    const base = shake128.create({}).update(prefix);
    return (suffix, out, off, outLen) => {
      base.clone().update(suffix).xofInto(out.subarray(off, off + outLen));
    };
  },
};
