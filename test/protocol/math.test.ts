import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedBase, mulCT, mulG, mulSameScalar } from '../../protocol/math/batch.js';
import { addModQ, geqQ, loadBE, narrowInPlace, newLimbs, storeBE, subModQ } from '../../protocol/math/limbs.js';
import { G, lagrangeAtZero, pointFromBytes, polyEval, q, scalarFromBytes, scalarToBytes } from '../../protocol/math/ec.js';
import { TEST_SEED } from '../helpers.js';

const scalar = fc.bigInt({ min: 1n, max: q - 1n });

describe('mulCT (GLV, regular 4-bit recoding) agrees with noble', () => {
  it('on edge scalars', () => {
    const P = G.multiply(0x1234567n);
    for (const k of [1n, 2n, 3n, 15n, 16n, 17n, 31n, 32n, 1n << 127n, 1n << 128n, (1n << 128n) + 1n, q - 1n, q - 2n, q >> 1n, q - 16n, q - 17n]) {
      expect(mulCT(P, k).equals(P.multiply(k)), `k = ${k}, seed ${TEST_SEED}`).toBe(true);
    }
  });
  it('on random points and scalars (property)', () => {
    fc.assert(
      fc.property(scalar, scalar, (a, k) => mulCT(G.multiply(a), k).equals(G.multiply(a).multiply(k))),
      { numRuns: 60 },
    );
  });
  it('mulSameScalar equals one mulCT per point', () => {
    const pts = [3n, 5n, 7n].map((x) => G.multiply(x));
    const k = 0xdeadbeefcafebaben;
    expect(mulSameScalar(k, pts).map((P) => P.toHex())).toEqual(pts.map((P) => P.multiply(k).toHex()));
  });
  it('rejects 0 and q', () => {
    expect(() => mulCT(G, 0n)).toThrow(RangeError);
    expect(() => mulCT(G, q)).toThrow(RangeError);
  });
});

describe('FixedBase comb and mulG agree with noble', () => {
  const edges = [1n, 2n, 3n, 15n, 16n, 17n, 1n << 128n, q - 1n, q - 2n, q - 15n, q - 16n, q - 17n, q >> 1n];
  it('k·G on edge and random scalars; 0·G is the identity', () => {
    for (const k of edges) expect(mulG(k).equals(G.multiply(k)), `k = ${k}, seed ${TEST_SEED}`).toBe(true);
    fc.assert(fc.property(scalar, (k) => mulG(k).equals(G.multiply(k))), { numRuns: 60 });
    expect(mulG(0n).is0()).toBe(true);
  });
  it('k·B for a fixed B on edge and random scalars, and rejects 0 and q', () => {
    const B = G.multiply(0xabcdef123n);
    const fb = new FixedBase(B);
    for (const k of edges) expect(fb.mul(k).equals(B.multiply(k)), `k = ${k}`).toBe(true);
    fc.assert(fc.property(scalar, (k) => fb.mul(k).equals(B.multiply(k))), { numRuns: 40 });
    expect(() => fb.mul(0n)).toThrow(RangeError);
    expect(() => fb.mul(q)).toThrow(RangeError);
  });
  it.each([2, 3, 5, 6, 8])('window %i agrees with noble', (w) => {
    const B = G.multiply(0x5555n + BigInt(w));
    const fb = new FixedBase(B, w);
    for (const k of edges) expect(fb.mul(k).equals(B.multiply(k)), `w = ${w}, k = ${k}`).toBe(true);
    fc.assert(fc.property(scalar, (k) => fb.mul(k).equals(B.multiply(k))), { numRuns: 15 });
  });
});

describe('scalar encoding', () => {
  it('round-trips and rejects values ≥ q instead of reducing them', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: q - 1n }), (a) => scalarFromBytes(scalarToBytes(a)) === a));
    const qb = new Uint8Array(32);
    let v = q;
    for (let i = 31; i >= 0; i--) {
      qb[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    expect(scalarFromBytes(qb)).toBeUndefined();
    expect(scalarFromBytes(new Uint8Array(32).fill(0xff))).toBeUndefined();
  });
});

describe('Lagrange at zero', () => {
  it('reconstructs f(0) from any t evaluations', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: q - 1n }), { minLength: 2, maxLength: 4 }), fc.shuffledSubarray([1, 2, 3, 4, 5, 6, 7], { minLength: 4, maxLength: 4 }), (coeffs, xs) => {
        const set = xs.slice(0, coeffs.length);
        let acc = 0n;
        for (const i of set) acc = (acc + lagrangeAtZero(i, set) * polyEval(coeffs, BigInt(i))) % q;
        return acc === coeffs[0];
      }),
      { numRuns: 50 },
    );
  });
});

describe('point decoding', () => {
  it('accepts valid compressed points and rejects identity, off-curve and malformed encodings', () => {
    const P = G.multiply(99n).toBytes(true);
    expect(pointFromBytes(P)?.equals(G.multiply(99n))).toBe(true);
    expect(pointFromBytes(new Uint8Array(33))).toBeUndefined();
    expect(pointFromBytes(Uint8Array.of(0))).toBeUndefined();
    expect(pointFromBytes(G.toBytes(false))).toBeUndefined(); // uncompressed: wrong length on the wire
    const off = P.slice();
    off[0] = 0x05;
    expect(pointFromBytes(off)).toBeUndefined();
    // x = 5 has no y on secp256k1 (5^3 + 7 = 132 is not a square mod p)
    const x5 = new Uint8Array(33);
    x5[0] = 2;
    x5[32] = 5;
    expect(pointFromBytes(x5)).toBeUndefined();
  });
});

describe('limb arithmetic mod q agrees with BigInt', () => {
  const any256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
  const modq = fc.bigInt({ min: 0n, max: q - 1n });
  const toBytes = (x: bigint) => {
    const b = new Uint8Array(32);
    for (let i = 31; i >= 0; i--) {
      b[i] = Number(x & 0xffn);
      x >>= 8n;
    }
    return b;
  };
  const fromLimbs = (l: Uint32Array) => {
    const b = new Uint8Array(32);
    storeBE(l, b, 0);
    return b.reduce((acc, v) => (acc << 8n) | BigInt(v), 0n);
  };
  const load = (x: bigint) => {
    const l = newLimbs();
    loadBE(toBytes(x), 0, l);
    return l;
  };
  const edges = [0n, 1n, q - 1n, q - 2n, (1n << 255n), (1n << 256n) - 1n, q, q + 1n];

  it('load/store round-trip, narrow, ≥ q', () => {
    for (const x of edges) {
      expect(fromLimbs(load(x))).toBe(x);
      const l = load(x);
      narrowInPlace(l);
      expect(fromLimbs(l)).toBe(x >= q ? x - q : x);
      expect(geqQ(load(x))).toBe(x >= q);
    }
    fc.assert(fc.property(any256, (x) => { const l = load(x); narrowInPlace(l); return fromLimbs(l) === (x >= q ? x - q : x); }));
  });
  it('addModQ and subModQ (including aliasing and edge values)', () => {
    const pairs: [bigint, bigint][] = [[0n, 0n], [q - 1n, q - 1n], [q - 1n, 1n], [0n, q - 1n], [1n, 2n]];
    for (const [a, b] of pairs) {
      const out = newLimbs();
      addModQ(load(a), load(b), out);
      expect(fromLimbs(out)).toBe((a + b) % q);
      subModQ(load(a), load(b), out);
      expect(fromLimbs(out)).toBe((((a - b) % q) + q) % q);
    }
    fc.assert(
      fc.property(modq, modq, (a, b) => {
        const x = load(a);
        addModQ(x, load(b), x);
        const y = load(a);
        subModQ(y, load(b), y);
        return fromLimbs(x) === (a + b) % q && fromLimbs(y) === (((a - b) % q) + q) % q;
      }),
      { numRuns: 300 },
    );
  });
});
