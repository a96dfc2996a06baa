/**
 * Allocation-free arithmetic mod q on 256-bit values held as 8 little-endian uint32 limbs, for
 * the VOLE inner loops that only add and subtract (@spec SPEC.md §5). Values are read from and
 * written to 32-byte big-endian strings. Checked against BigInt in test/protocol/math.test.ts.
 */
import { q } from './ec.js';

export type Limbs = Uint32Array;
const TWO32 = 0x100000000;

function toLimbs(x: bigint): Limbs {
  const r = new Uint32Array(8);
  for (let i = 0; i < 8; i++) r[i] = Number((x >> BigInt(32 * i)) & 0xffffffffn);
  return r;
}
const QL = toLimbs(q);

export const newLimbs = (): Limbs => new Uint32Array(8);

/** dst ← 32 big-endian bytes at src[off..off+32). */
export function loadBE(src: Uint8Array, off: number, dst: Limbs): void {
  for (let i = 0; i < 8; i++) {
    const o = off + 28 - 4 * i;
    dst[i] = ((src[o]! << 24) | (src[o + 1]! << 16) | (src[o + 2]! << 8) | src[o + 3]!) >>> 0;
  }
}

/** Writes a as 32 big-endian bytes at dst[off..off+32). */
export function storeBE(a: Limbs, dst: Uint8Array, off: number): void {
  for (let i = 0; i < 8; i++) {
    const o = off + 28 - 4 * i;
    const v = a[i]!;
    dst[o] = v >>> 24;
    dst[o + 1] = (v >>> 16) & 0xff;
    dst[o + 2] = (v >>> 8) & 0xff;
    dst[o + 3] = v & 0xff;
  }
}

/** a ≥ q */
export function geqQ(a: Limbs): boolean {
  for (let i = 7; i >= 0; i--) {
    if (a[i]! !== QL[i]!) return a[i]! > QL[i]!;
  }
  return true;
}

/** out ← a + b mod 2^256; returns the carry out of the top limb. out may alias a or b. */
function addRaw(a: Limbs, b: Limbs, out: Limbs): number {
  let carry = 0;
  for (let i = 0; i < 8; i++) {
    const s = a[i]! + b[i]! + carry;
    carry = s >= TWO32 ? 1 : 0;
    out[i] = s >= TWO32 ? s - TWO32 : s;
  }
  return carry;
}

/** out ← a − b mod 2^256; returns the borrow out of the top limb. out may alias a or b. */
function subRaw(a: Limbs, b: Limbs, out: Limbs): number {
  let borrow = 0;
  for (let i = 0; i < 8; i++) {
    const d = a[i]! - b[i]! - borrow;
    borrow = d < 0 ? 1 : 0;
    out[i] = d < 0 ? d + TWO32 : d;
  }
  return borrow;
}

/** Maps a 256-bit value into [0, q) by one conditional subtraction (narrow, SPEC §1.3). */
export function narrowInPlace(a: Limbs): void {
  if (geqQ(a)) subRaw(a, QL, a);
}

/** out ← a + b mod q for a, b ∈ [0, q). out may alias a or b. */
export function addModQ(a: Limbs, b: Limbs, out: Limbs): void {
  // with a carry out, a + b − q = (out − q) mod 2^256
  if (addRaw(a, b, out) || geqQ(out)) subRaw(out, QL, out);
}

/** out ← a − b mod q for a, b ∈ [0, q). out may alias a or b. */
export function subModQ(a: Limbs, b: Limbs, out: Limbs): void {
  if (subRaw(a, b, out)) addRaw(out, QL, out);
}

export function limbsFromBigInt(x: bigint): Limbs {
  return toLimbs(x);
}
