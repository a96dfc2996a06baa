/**
 * Domain-separated, unambiguous hashing (@spec SPEC.md §1.3).
 *
 *   enc(label; p_1..p_k) = u32(|L|) ‖ L ‖ u32(k) ‖ u32(|p_1|) ‖ p_1 ‖ … ‖ u32(|p_k|) ‖ p_k,  L = PREFIX ‖ label
 *   H(label; …)      = SHAKE256(enc, 32)
 *   XOF(label, n; …) = SHAKE256(enc, n)
 *   Hq(label, c; …)  = XOF(label, 48c; …) cut into c 48-byte big-endian integers, each reduced mod q
 *
 * Every field is length-prefixed, so no two different part lists encode to the same bytes.
 */
import type { Primitives } from './primitives.js';
import { q } from '../math/ec.js';

export const DOMAIN_PREFIX = 'tecdsa-cluster/v1/';
const te = new TextEncoder();
const labelCache = new Map<string, Uint8Array>();

function labelBytes(label: string): Uint8Array {
  let b = labelCache.get(label);
  if (!b) {
    const l = te.encode(DOMAIN_PREFIX + label);
    b = new Uint8Array(4 + l.length);
    new DataView(b.buffer).setUint32(0, l.length, false);
    b.set(l, 4);
    labelCache.set(label, b);
  }
  return b;
}

export function encode(label: string, parts: readonly Uint8Array[]): Uint8Array {
  const lb = labelBytes(label);
  let len = lb.length + 4;
  for (const p of parts) len += 4 + p.length;
  const out = new Uint8Array(len);
  const dv = new DataView(out.buffer);
  out.set(lb, 0);
  let off = lb.length;
  dv.setUint32(off, parts.length, false);
  off += 4;
  for (const p of parts) {
    dv.setUint32(off, p.length, false);
    off += 4;
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Reads a 48-byte big-endian integer at `off` and reduces it mod q (distance from uniform < 2^-128). */
export function wideToScalar(b: Uint8Array, off: number): bigint {
  const dv = new DataView(b.buffer, b.byteOffset + off, 48);
  const hi = (dv.getBigUint64(0) << 64n) | dv.getBigUint64(8);
  const mid = (dv.getBigUint64(16) << 64n) | dv.getBigUint64(24);
  const lo = (dv.getBigUint64(32) << 64n) | dv.getBigUint64(40);
  return ((hi << 256n) | (mid << 128n) | lo) % q;
}

/**
 * Reads a 32-byte big-endian integer from `dv` at `off` and maps it into [0, q) by one
 * conditional subtraction. For uniform input the distance from uniform is (2^256 − q)/2^256
 * < 2^-127 (secp256k1's q > 2^256 − 2^129). Used only for the OT pads (@spec SPEC.md §4.4).
 */
export function narrowToScalar(dv: DataView, off: number): bigint {
  const x =
    (dv.getBigUint64(off) << 192n) |
    (dv.getBigUint64(off + 8) << 128n) |
    (dv.getBigUint64(off + 16) << 64n) |
    dv.getBigUint64(off + 24);
  return x >= q ? x - q : x;
}

export class Transcript {
  constructor(readonly prims: Primitives) {}
  H(label: string, ...parts: Uint8Array[]): Uint8Array {
    return this.prims.shake256(encode(label, parts), 32);
  }
  XOF(label: string, outLen: number, ...parts: Uint8Array[]): Uint8Array {
    return this.prims.shake256(encode(label, parts), outLen);
  }
  Hq(label: string, count: number, ...parts: Uint8Array[]): bigint[] {
    const out = this.XOF(label, 48 * count, ...parts);
    const r: bigint[] = new Array(count);
    for (let i = 0; i < count; i++) r[i] = wideToScalar(out, 48 * i);
    return r;
  }
  Hq1(label: string, ...parts: Uint8Array[]): bigint {
    return this.Hq(label, 1, ...parts)[0]!;
  }
}
