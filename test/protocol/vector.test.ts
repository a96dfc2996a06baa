/**
 * The VOLE's float64-limb vector kernels (@spec SPEC.md §5.4) against BigInt, on random blocks,
 * on the extremes (all-zero, all-ones = 2^256 − 1, values just above and below q) and with
 * every optional term, so an inexact column sum or a missed carry cannot go unnoticed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChiCombiner, MAX_DOT_LENGTH, gadgetDots } from '../../protocol/math/vector.js';
import { q } from '../../protocol/math/ec.js';
import { seededRng } from '../../protocol/testing/index.js';
import { TEST_SEED } from '../helpers.js';
import { be32, beBig, bitAt, fcSeed, seedMsg } from './support.js';

const TOP = (1n << 256n) - 1n;
const EDGE = [0n, 1n, q - 1n, q, q + 1n, TOP, TOP - 1n, 1n << 255n];

function blocks(values: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(32 * values.length);
  values.forEach((v, i) => out.set(be32(v), 32 * i));
  return out;
}
const read = (b: Uint8Array, i: number): bigint => beBig(b.subarray(32 * i, 32 * i + 32));

function refCombine(src: Uint8Array, m: number, chi1: bigint, chi2: bigint, bits?: Uint8Array, D = 0n): bigint[] {
  return Array.from({ length: m }, (_, j) => {
    const w = bits ? BigInt(bitAt(bits, j)) : 0n;
    return (chi1 * read(src, 3 * j) + chi2 * read(src, 3 * j + 1) + read(src, 3 * j + 2) + w * D) % q;
  });
}
function refDots(g: Uint8Array, X: Uint8Array, m: number, bits?: Uint8Array) {
  let d0 = 0n;
  let d1 = 0n;
  let s = 0n;
  for (let j = 0; j < m; j++) {
    const gj = read(g, j);
    d0 += gj * read(X, 3 * j);
    d1 += gj * read(X, 3 * j + 1);
    if (bits && bitAt(bits, j)) s += gj;
  }
  return { d0: d0 % q, d1: d1 % q, s: s % q };
}

describe('ChiCombiner: u_j = χ1·A_j + χ2·B_j + C_j + w_j·D mod q', () => {
  it('matches BigInt on random blocks, with and without the w·D term (752 elements)', () => {
    const rng = seededRng(`${TEST_SEED}/vector.test/combine`);
    const m = 752;
    const src = rng(96 * m);
    const bits = rng(m / 8);
    const [chi1, chi2, D] = [beBig(rng(32)) % q, beBig(rng(32)) % q, beBig(rng(32)) % q];
    const out = new Uint8Array(32 * m);
    const cc = new ChiCombiner(chi1, chi2);
    cc.run(src, m, out);
    expect(Array.from({ length: m }, (_, j) => read(out, j)), seedMsg('no D')).toEqual(refCombine(src, m, chi1, chi2));
    cc.run(src, m, out, bits, D);
    expect(Array.from({ length: m }, (_, j) => read(out, j)), seedMsg('with D')).toEqual(refCombine(src, m, chi1, chi2, bits, D));
  });

  it('matches BigInt on every combination of edge values (inputs ≥ q included, outputs canonical)', () => {
    const vals: bigint[] = [];
    for (const a of EDGE) for (const b of EDGE) for (const c of EDGE) vals.push(a, b, c);
    const m = vals.length / 3;
    const src = blocks(vals);
    const bits = new Uint8Array(Math.ceil(m / 8)).fill(0xff);
    for (const [chi1, chi2, D] of [
      [q - 1n, q - 1n, q - 1n],
      [1n, 0n, 0n],
      [0n, 0n, 1n],
      [q - 1n, 1n, q >> 1n],
    ] as const) {
      const out = new Uint8Array(32 * m);
      new ChiCombiner(chi1, chi2).run(src, m, out, bits, D);
      const got = Array.from({ length: m }, (_, j) => read(out, j));
      expect(got).toEqual(refCombine(src, m, chi1, chi2, bits, D));
      for (const v of got) expect(v < q).toBe(true);
    }
  });

  it('property: random χ, D, blocks and lengths (fast-check)', () => {
    const block = fc.oneof(fc.bigInt({ min: 0n, max: TOP }), fc.constantFrom(...EDGE));
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: q - 1n }),
        fc.bigInt({ min: 0n, max: q - 1n }),
        fc.bigInt({ min: 0n, max: q - 1n }),
        fc.array(fc.tuple(block, block, block, fc.boolean()), { minLength: 1, maxLength: 20 }),
        (chi1, chi2, D, rows) => {
          const m = rows.length;
          const src = blocks(rows.flatMap(([a, b, c]) => [a, b, c]));
          const bits = new Uint8Array(Math.ceil(m / 8));
          rows.forEach(([, , , w], j) => (bits[j >> 3]! |= (w ? 1 : 0) << (j & 7)));
          const out = new Uint8Array(32 * m);
          new ChiCombiner(chi1, chi2).run(src, m, out, bits, D);
          const ref = refCombine(src, m, chi1, chi2, bits, D);
          return ref.every((v, j) => v === read(out, j));
        },
      ),
      { numRuns: 200, seed: fcSeed('vector.test/combine') },
    );
  });

  it('rejects short vectors and D ≥ q', () => {
    const cc = new ChiCombiner(1n, 2n);
    expect(() => cc.run(new Uint8Array(95), 1, new Uint8Array(32))).toThrow(RangeError);
    expect(() => cc.run(new Uint8Array(96), 1, new Uint8Array(31))).toThrow(RangeError);
    expect(() => cc.run(new Uint8Array(96), 1, new Uint8Array(32), new Uint8Array(1), q)).toThrow(RangeError);
  });
});

describe('gadgetDots: Σ g_j·X_j0, Σ g_j·X_j1, Σ_{w_j} g_j mod q', () => {
  it('matches BigInt on random blocks (752 elements)', () => {
    const rng = seededRng(`${TEST_SEED}/vector.test/dots`);
    const m = 752;
    const g = rng(32 * m);
    const X = rng(96 * m);
    const bits = rng(m / 8);
    expect(gadgetDots(g, X, m, bits), seedMsg('dots')).toEqual(refDots(g, X, m, bits));
    const noBits = gadgetDots(g, X, m);
    expect(noBits.s).toBe(0n);
    expect([noBits.d0, noBits.d1]).toEqual([refDots(g, X, m).d0, refDots(g, X, m).d1]);
  });

  it('stays exact at the largest allowed length with all-ones inputs (largest column sums)', () => {
    const m = MAX_DOT_LENGTH;
    const g = new Uint8Array(32 * m).fill(0xff);
    const X = new Uint8Array(96 * m).fill(0xff);
    const bits = new Uint8Array(m / 8).fill(0xff);
    const expectD = (BigInt(m) * TOP * TOP) % q;
    expect(gadgetDots(g, X, m, bits)).toEqual({ d0: expectD, d1: expectD, s: (BigInt(m) * TOP) % q });
  });

  it('matches BigInt on edge values', () => {
    const gv = EDGE.flatMap((a) => EDGE.map(() => a));
    const xv = EDGE.flatMap(() => EDGE.flatMap((b) => [b, TOP - b, 0n]));
    const m = gv.length;
    const bits = new Uint8Array(Math.ceil(m / 8)).fill(0xa5);
    expect(gadgetDots(blocks(gv), blocks(xv), m, bits)).toEqual(refDots(blocks(gv), blocks(xv), m, bits));
  });

  it('refuses lengths whose column sums could lose precision, and short vectors', () => {
    expect(() => gadgetDots(new Uint8Array(0), new Uint8Array(0), MAX_DOT_LENGTH + 1)).toThrow(RangeError);
    expect(() => gadgetDots(new Uint8Array(31), new Uint8Array(96), 1)).toThrow(RangeError);
    expect(() => gadgetDots(new Uint8Array(32), new Uint8Array(95), 1)).toThrow(RangeError);
  });
});
