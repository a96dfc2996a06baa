/**
 * GF(2^128) = F_2[X]/(X^128 + X^7 + X^2 + X + 1), elements as 16 bytes where bit c
 * (LSB-first inside each byte) is the coefficient of X^c (@spec SPEC.md §4.2).
 * Internally four little-endian uint32 words.
 */

export type Gf = Uint32Array; // length 4

export function gfFromBytes(b: Uint8Array, off = 0): Gf {
  const dv = new DataView(b.buffer, b.byteOffset + off, 16);
  return Uint32Array.of(dv.getUint32(0, true), dv.getUint32(4, true), dv.getUint32(8, true), dv.getUint32(12, true));
}

export function gfToBytes(a: Gf): Uint8Array {
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) dv.setUint32(4 * i, a[i]!, true);
  return out;
}

/** a ← a·X in place. */
export function gfMulXInPlace(a: Gf): void {
  const carry = a[3]! >>> 31;
  a[3] = (a[3]! << 1) | (a[2]! >>> 31);
  a[2] = (a[2]! << 1) | (a[1]! >>> 31);
  a[1] = (a[1]! << 1) | (a[0]! >>> 31);
  a[0] = (a[0]! << 1) ^ (carry * 0x87);
}

/** Schoolbook multiplication (used for tests and small counts). */
export function gfMul(a: Gf, b: Gf): Gf {
  const r = new Uint32Array(4);
  const t = a.slice();
  for (let w = 0; w < 4; w++) {
    const bw = b[w]!;
    for (let bit = 0; bit < 32; bit++) {
      if ((bw >>> bit) & 1) {
        r[0]! ^= t[0]!;
        r[1]! ^= t[1]!;
        r[2]! ^= t[2]!;
        r[3]! ^= t[3]!;
      }
      gfMulXInPlace(t);
    }
  }
  return r;
}
