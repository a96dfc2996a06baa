/**
 * secp256k1 group helpers over @noble/curves (@spec SPEC.md §1.1).
 * Scalars travel as 32-byte big-endian values and are rejected (never reduced) when ≥ q.
 * Points travel as 33-byte SEC1 compressed encodings; decoding validates the curve equation
 * and rejects the identity.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { Rng } from '../core/rng.js';

export const Point = secp256k1.Point;
export type Point = InstanceType<typeof secp256k1.Point>;
export const G = Point.BASE;
export const q: bigint = Point.Fn.ORDER;
export const SCALAR_BYTES = 32;
export const POINT_BYTES = 33;

export const mod = (a: bigint): bigint => {
  const r = a % q;
  return r < 0n ? r + q : r;
};
export const add = (a: bigint, b: bigint): bigint => {
  const r = a + b;
  return r >= q ? r - q : r;
};
export const sub = (a: bigint, b: bigint): bigint => {
  const r = a - b;
  return r < 0n ? r + q : r;
};
export const mul = (a: bigint, b: bigint): bigint => (a * b) % q;
export const neg = (a: bigint): bigint => (a === 0n ? 0n : q - a);
export const inv = (a: bigint): bigint => {
  if (a === 0n) throw new RangeError('inverse of zero');
  return Point.Fn.inv(a);
};

export function scalarToBytes(a: bigint): Uint8Array {
  const out = new Uint8Array(32);
  writeScalar(new DataView(out.buffer), 0, a);
  return out;
}

/** Writes a scalar in [0, q) as 32 bytes big-endian at `off`. */
export function writeScalar(dv: DataView, off: number, a: bigint): void {
  if (a < 0n || a >= q) throw new RangeError('scalar out of range');
  dv.setBigUint64(off, a >> 192n);
  dv.setBigUint64(off + 8, BigInt.asUintN(64, a >> 128n));
  dv.setBigUint64(off + 16, BigInt.asUintN(64, a >> 64n));
  dv.setBigUint64(off + 24, BigInt.asUintN(64, a));
}

/** Reads 32 bytes big-endian at `off` of `dv`; undefined when ≥ q. */
export function readScalar(dv: DataView, off: number): bigint | undefined {
  const v =
    (dv.getBigUint64(off) << 192n) | (dv.getBigUint64(off + 8) << 128n) | (dv.getBigUint64(off + 16) << 64n) | dv.getBigUint64(off + 24);
  return v < q ? v : undefined;
}

/** Parses 32 bytes big-endian; returns undefined when the value is ≥ q (caller raises the typed error). */
export function scalarFromBytes(b: Uint8Array, off = 0): bigint | undefined {
  if (b.length - off < 32) return undefined;
  return readScalar(new DataView(b.buffer, b.byteOffset, b.length), off);
}

/** Decodes a compressed point; undefined if malformed, off-curve or the identity. */
export function pointFromBytes(b: Uint8Array): Point | undefined {
  if (b.length !== POINT_BYTES) return undefined;
  try {
    const p = Point.fromBytes(b);
    if (p.is0()) return undefined;
    return p;
  } catch {
    return undefined;
  }
}

export const pointToBytes = (p: Point): Uint8Array => p.toBytes(true);

/** Uniform non-zero scalar from 48 random bytes. */
export function randomScalar(rng: Rng): bigint {
  for (;;) {
    const b = rng(48);
    let v = 0n;
    for (let i = 0; i < 48; i++) v = (v << 8n) | BigInt(b[i]!);
    v %= q;
    b.fill(0);
    if (v !== 0n) return v;
  }
}


/** Lagrange coefficient at 0 for party `i` over the index set `set` (indices are Shamir x-coordinates). */
export function lagrangeAtZero(i: number, set: readonly number[]): bigint {
  return lagrangeAt(i, set, 0n);
}

/** Lagrange basis polynomial of `i` over `set`, evaluated at x (x = 0 gives lagrangeAtZero). */
export function lagrangeAt(i: number, set: readonly number[], x: bigint): bigint {
  let num = 1n;
  let den = 1n;
  for (const j of set) {
    if (j === i) continue;
    num = mul(num, sub(mod(x), BigInt(j)));
    den = mul(den, sub(BigInt(i), BigInt(j)));
  }
  return mul(num, inv(den));
}

/** Evaluates Σ coeffs[k]·x^k mod q. */
export function polyEval(coeffs: readonly bigint[], x: bigint): bigint {
  let r = 0n;
  for (let k = coeffs.length - 1; k >= 0; k--) r = add(mul(r, x), coeffs[k]!);
  return r;
}

/** Evaluates Σ C_k·x^k in the exponent (public points; variable-time is fine). */
export function polyEvalPoints(C: readonly Point[], x: bigint): Point {
  let r = Point.ZERO;
  for (let k = C.length - 1; k >= 0; k--) {
    r = (r.is0() ? r : r.multiplyUnsafe(x)).add(C[k]!);
  }
  return r;
}
