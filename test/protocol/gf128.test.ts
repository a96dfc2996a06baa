/**
 * GF(2^128) = F_2[X]/(X^128 + X^7 + X^2 + X + 1) (@spec SPEC.md §4.2): field laws by fast-check,
 * the Frobenius identity x^(2^128) = x, mulX vs gfMul, and an independent BigInt reference.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { gfFromBytes, gfMul, gfMulXInPlace, gfToBytes, type Gf } from '../../protocol/ot/gf128.js';
import { fcSeed, hex } from './support.js';

const arbGf = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => gfFromBytes(b));
const xor = (a: Gf, b: Gf): Gf => Uint32Array.of(a[0]! ^ b[0]!, a[1]! ^ b[1]!, a[2]! ^ b[2]!, a[3]! ^ b[3]!);
const eq = (a: Gf, b: Gf): void => {
  expect(hex(gfToBytes(a))).toBe(hex(gfToBytes(b)));
};
const ONE = Uint32Array.of(1, 0, 0, 0);
const ZERO = new Uint32Array(4);
const X = Uint32Array.of(2, 0, 0, 0);
const opts = (label: string, numRuns = 200) => ({ numRuns, seed: fcSeed(`gf128/${label}`) });

/** Reference: element as a bigint whose bit c is the coefficient of X^c (bytes little-endian). */
const toBig = (a: Gf): bigint => {
  let v = 0n;
  const b = gfToBytes(a);
  for (let i = 15; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
};
const MOD = (1n << 128n) | 0x87n;
function refMul(a: bigint, b: bigint): bigint {
  let r = 0n;
  for (let i = 0; i < 128; i++) if ((b >> BigInt(i)) & 1n) r ^= a << BigInt(i);
  for (let i = 254; i >= 128; i--) if ((r >> BigInt(i)) & 1n) r ^= MOD << BigInt(i - 128);
  return r;
}

describe('GF(2^128) field laws (fast-check)', () => {
  test('commutativity', () => fc.assert(fc.property(arbGf, arbGf, (a, b) => eq(gfMul(a, b), gfMul(b, a))), opts('comm')));
  test('associativity', () => fc.assert(fc.property(arbGf, arbGf, arbGf, (a, b, c) => eq(gfMul(gfMul(a, b), c), gfMul(a, gfMul(b, c)))), opts('assoc')));
  test('distributivity over XOR', () =>
    fc.assert(fc.property(arbGf, arbGf, arbGf, (a, b, c) => eq(gfMul(a, xor(b, c)), xor(gfMul(a, b), gfMul(a, c)))), opts('dist')));
  test('identity and zero', () =>
    fc.assert(
      fc.property(arbGf, (a) => {
        eq(gfMul(a, ONE), a);
        eq(gfMul(ONE, a), a);
        eq(gfMul(a, ZERO), ZERO);
      }),
      opts('id'),
    ));
  test('no zero divisors: a·b = 0 only if a = 0 or b = 0', () =>
    fc.assert(
      fc.property(arbGf, arbGf, (a, b) => {
        const isZero = (v: Gf) => v.every((w) => w === 0);
        expect(isZero(gfMul(a, b))).toBe(isZero(a) || isZero(b));
      }),
      opts('zd'),
    ));
  test('Frobenius: x^(2^128) = x via 128 squarings', () =>
    fc.assert(
      fc.property(arbGf, (a) => {
        let s = a;
        for (let i = 0; i < 128; i++) s = gfMul(s, s);
        eq(s, a);
      }),
      opts('frob', 40),
    ));
  test('squaring is additive (characteristic 2): (a ⊕ b)² = a² ⊕ b²', () =>
    fc.assert(fc.property(arbGf, arbGf, (a, b) => eq(gfMul(xor(a, b), xor(a, b)), xor(gfMul(a, a), gfMul(b, b)))), opts('sq')));
  test('mulX in place agrees with gfMul by X (and does not touch other arrays)', () =>
    fc.assert(
      fc.property(arbGf, (a) => {
        const c = a.slice();
        gfMulXInPlace(c);
        eq(c, gfMul(a, X));
        eq(c, gfMul(X, a));
      }),
      opts('mulx', 500),
    ));
  test('gfMul does not modify its arguments', () =>
    fc.assert(
      fc.property(arbGf, arbGf, (a, b) => {
        const a0 = hex(gfToBytes(a));
        const b0 = hex(gfToBytes(b));
        gfMul(a, b);
        expect([hex(gfToBytes(a)), hex(gfToBytes(b))]).toEqual([a0, b0]);
      }),
      opts('pure', 100),
    ));
  test('agrees with an independent BigInt carry-less reference', () =>
    fc.assert(fc.property(arbGf, arbGf, (a, b) => {
      expect(toBig(gfMul(a, b))).toBe(refMul(toBig(a), toBig(b)));
    }), opts('ref', 300)));
  test('bytes ↔ element round trip', () =>
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
      expect(hex(gfToBytes(gfFromBytes(b)))).toBe(hex(b));
    }), opts('bytes')));
});

describe('representation and reduction', () => {
  test('bit c (LSB-first in each byte) is the coefficient of X^c', () => {
    for (const c of [0, 1, 7, 8, 31, 32, 63, 64, 100, 127]) {
      const b = new Uint8Array(16);
      b[c >> 3] = 1 << (c & 7);
      expect(toBig(gfFromBytes(b)), `bit ${c}`).toBe(1n << BigInt(c));
      // X^c built by repeated mulX from 1
      const p = ONE.slice();
      for (let i = 0; i < c; i++) gfMulXInPlace(p);
      expect(hex(gfToBytes(p)), `X^${c}`).toBe(hex(b));
    }
  });
  test('X^127 · X = X^7 + X^2 + X + 1 (the reduction polynomial)', () => {
    const top = new Uint8Array(16);
    top[15] = 0x80;
    const r = gfFromBytes(top);
    gfMulXInPlace(r);
    expect(toBig(r)).toBe(0x87n);
    expect(toBig(gfMul(gfFromBytes(top), X))).toBe(0x87n);
  });
  test('gfFromBytes reads at an offset', () => {
    const b = new Uint8Array(40);
    for (let i = 0; i < 40; i++) b[i] = i * 7 + 3;
    expect(hex(gfToBytes(gfFromBytes(b, 20)))).toBe(hex(b.subarray(20, 36)));
    expect(hex(gfToBytes(gfFromBytes(b.subarray(5), 3)))).toBe(hex(b.subarray(8, 24)));
  });
});
