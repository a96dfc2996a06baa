/**
 * Hash primitives (@spec SPEC.md §1.3): node:crypto (OpenSSL) and @noble/hashes give identical
 * SHAKE outputs; FIPS 202 known answers; and the transcript encoding is unambiguous.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { TEST_SEED, dkgKeys, memoryReplay, nodePrimitives } from '../helpers.js';
import { noblePrimitives, type Primitives } from '../../protocol/core/primitives.js';
import { DOMAIN_PREFIX, Transcript, encode, wideToScalar } from '../../protocol/core/transcript.js';
import { MemoryPairGuard } from '../../protocol/core/guard.js';
import { q } from '../../protocol/math/ec.js';
import { createSigner, encodePartial, type PartialSignature } from '../../protocol/sign/sign.js';
import type { KeyShare } from '../../protocol/keyshare/keyshare.js';
import { seededRng, simulate } from '../../protocol/testing/index.js';
import { beBig, fcSeed, hex, seedMsg } from './support.js';

const IMPLS: [string, Primitives][] = [
  ['node', nodePrimitives],
  ['noble', noblePrimitives],
];
const te = new TextEncoder();

describe('FIPS 202 known answers', () => {
  // FIPS 202 / NIST CSRC example values (empty message, "abc", and the 1600-bit 0xA3… message).
  const msg1600 = new Uint8Array(200).fill(0xa3);
  const cases: [string, 'shake128' | 'shake256', Uint8Array, string][] = [
    ['SHAKE128("")', 'shake128', new Uint8Array(0), '7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26'],
    ['SHAKE256("")', 'shake256', new Uint8Array(0), '46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f'],
    ['SHAKE128("abc")', 'shake128', te.encode('abc'), '5881092dd818bf5cf8a3ddb793fbcba74097d5c526a6d35f97b83351940f2cc8'],
    [
      'SHAKE256("abc")',
      'shake256',
      te.encode('abc'),
      '483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739d5a15bef186a5386c75744c0527e1faa9f8726e462a12a4feb06bd8801e751e4',
    ],
    ['SHAKE128(0xA3×200)', 'shake128', msg1600, '131ab8d2b594946b9c81333f9bb6e0ce75c3b93104fa3469d3917457385da037'],
    ['SHAKE256(0xA3×200)', 'shake256', msg1600, 'cd8a920ed141aa0407a22d59288652e9d9f1a7ee0c1e7c1ca699424da84a904d'],
  ];
  for (const [impl, P] of IMPLS) {
    test.each(cases)(`${impl}: %s`, (_name, fn, input, expected) => {
      expect(hex(P[fn](input, expected.length / 2))).toBe(expected);
      // output is a prefix-consistent stream
      const longer = P[fn](input, expected.length / 2 + 100);
      expect(hex(longer.subarray(0, expected.length / 2))).toBe(expected);
    });
  }
});

describe('node:crypto and noble agree', () => {
  const inLens = [0, 1, 2, 31, 32, 33, 64, 135, 136, 137, 167, 168, 169, 271, 272, 273, 1000, 4096, 10_000];
  const outLens = [0, 1, 16, 31, 32, 33, 48, 96, 135, 136, 137, 167, 168, 169, 1000, 5000, 100_000];

  test('fixed grid of input × output lengths (both rate boundaries: 136 and 168 bytes)', () => {
    const rng = seededRng(`${TEST_SEED}/primitives.test/grid`);
    for (const il of inLens) {
      const input = rng(il);
      for (const ol of outLens) {
        for (const fn of ['shake128', 'shake256'] as const) {
          const a = nodePrimitives[fn](input, ol);
          const b = noblePrimitives[fn](input, ol);
          expect(a.length, seedMsg(`${fn} in=${il} out=${ol} node length`)).toBe(ol);
          expect(b.length, seedMsg(`${fn} in=${il} out=${ol} noble length`)).toBe(ol);
          if (hex(a) !== hex(b)) expect.fail(seedMsg(`${fn} in=${il} out=${ol}: node and noble differ`));
        }
      }
    }
  });

  test('random inputs (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.integer({ min: 0, max: 2000 }), fc.boolean(), (input, ol, use256) => {
        const fn = use256 ? 'shake256' : 'shake128';
        expect(hex(nodePrimitives[fn](input, ol))).toBe(hex(noblePrimitives[fn](input, ol)));
      }),
      { numRuns: 300, seed: fcSeed('primitives/random') },
    );
  });

  test('shake128Prefixed(prefix)(suffix, n) = shake128(prefix ‖ suffix, n), reusable, for both implementations', () => {
    const rng = seededRng(`${TEST_SEED}/primitives.test/prefixed`);
    for (const [pl, sl, ol] of [[0, 0, 32], [1, 24, 96], [80, 24, 96], [167, 1, 168], [168, 0, 169], [200, 300, 1000], [13, 155, 0]] as const) {
      const prefix = rng(pl);
      for (const [name, P] of IMPLS) {
        const f = P.shake128Prefixed(prefix);
        for (let rep = 0; rep < 3; rep++) {
          const suffix = rng(sl);
          const whole = new Uint8Array(pl + sl);
          whole.set(prefix);
          whole.set(suffix, pl);
          const out = new Uint8Array(ol + 7).fill(0xee);
          f(suffix, out, 3, ol);
          expect(hex(out.subarray(3, 3 + ol)), `${name} prefix ${pl} suffix ${sl} out ${ol}`).toBe(hex(noblePrimitives.shake128(whole, ol)));
          // nothing outside [off, off + n) is touched
          expect([...out.subarray(0, 3), ...out.subarray(3 + ol)].every((b) => b === 0xee)).toBe(true);
        }
      }
    }
  });

  test('outputs are fresh arrays (callers may wipe them)', () => {
    for (const [name, P] of IMPLS) {
      const a = P.shake256(te.encode('x'), 32);
      const copy = hex(a);
      a.fill(0);
      expect(hex(P.shake256(te.encode('x'), 32)), `${name}: wiping an output changed a later output`).toBe(copy);
    }
  });
});

/** Decoder for enc(label; parts), written from the SPEC formula (not from transcript.ts). */
function decode(b: Uint8Array): { label: string; parts: string[] } {
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  let off = 0;
  const take = (n: number) => {
    if (off + n > b.length) throw new Error('truncated');
    const r = b.subarray(off, off + n);
    off += n;
    return r;
  };
  const u32 = () => {
    const v = dv.getUint32(off, false);
    take(4);
    return v;
  };
  const label = new TextDecoder().decode(take(u32()));
  const k = u32();
  const parts: string[] = [];
  for (let i = 0; i < k; i++) parts.push(hex(take(u32())));
  if (off !== b.length) throw new Error('trailing bytes');
  return { label, parts };
}

describe('transcript encoding', () => {
  const b = (s: string) => te.encode(s);

  test('different splits of the same bytes encode (and hash) differently', () => {
    const tr = new Transcript(nodePrimitives);
    const splits: [string, Uint8Array[]][] = [
      ['ab|c', [b('ab'), b('c')]],
      ['a|bc', [b('a'), b('bc')]],
      ['abc', [b('abc')]],
      ['abc|', [b('abc'), b('')]],
      ['|abc', [b(''), b('abc')]],
      ['a|b|c', [b('a'), b('b'), b('c')]],
    ];
    const encs = new Set(splits.map(([, p]) => hex(encode('L', p))));
    const hashes = new Set(splits.map(([, p]) => hex(tr.H('L', ...p))));
    expect(encs.size).toBe(splits.length);
    expect(hashes.size).toBe(splits.length);
    // no parts vs one empty part; label/part boundary
    expect(hex(encode('L', []))).not.toBe(hex(encode('L', [b('')])));
    expect(hex(tr.H('ab', b('c')))).not.toBe(hex(tr.H('a', b('bc'))));
    expect(hex(tr.H('a', b('')))).not.toBe(hex(tr.H('a')));
    // H and XOF(…, 32) are the same function; XOF lengths are prefix-consistent
    expect(hex(tr.XOF('L', 32, b('x')))).toBe(hex(tr.H('L', b('x'))));
    expect(hex(tr.XOF('L', 100, b('x')).subarray(0, 32))).toBe(hex(tr.H('L', b('x'))));
  });

  test('the encoding is exactly the SPEC formula and decodes back (fast-check: injective)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), (label, parts) => {
        const e = encode(label, parts);
        const d = decode(e);
        expect(d.label).toBe(DOMAIN_PREFIX + label);
        expect(d.parts).toEqual(parts.map(hex));
      }),
      { numRuns: 400, seed: fcSeed('transcript/decode') },
    );
  });

  test('two different (label, parts) never give the same encoding (fast-check)', () => {
    const arb = fc.tuple(fc.constantFrom('a', 'ab', 'b', ''), fc.array(fc.uint8Array({ maxLength: 3 }), { maxLength: 4 }));
    fc.assert(
      fc.property(arb, arb, ([l1, p1], [l2, p2]) => {
        const same = l1 === l2 && p1.length === p2.length && p1.every((x, i) => hex(x) === hex(p2[i]!));
        expect(hex(encode(l1, p1)) === hex(encode(l2, p2))).toBe(same);
      }),
      { numRuns: 2000, seed: fcSeed('transcript/injective') },
    );
  });

  test('Transcript gives the same H / XOF / Hq with either primitives; Hq = 48-byte big-endian mod q', () => {
    const tn = new Transcript(nodePrimitives);
    const tb = new Transcript(noblePrimitives);
    const rng = seededRng(`${TEST_SEED}/primitives.test/transcript`);
    for (let i = 0; i < 50; i++) {
      const parts = [rng(i), rng(32)];
      expect(hex(tn.H('t', ...parts))).toBe(hex(tb.H('t', ...parts)));
      expect(hex(tn.XOF('t', 200, ...parts))).toBe(hex(tb.XOF('t', 200, ...parts)));
      const hq = tn.Hq('t', 3, ...parts);
      expect(hq).toEqual(tb.Hq('t', 3, ...parts));
      const raw = tn.XOF('t', 144, ...parts);
      for (let k = 0; k < 3; k++) {
        expect(hq[k], seedMsg(`Hq[${k}]`)).toBe(beBig(raw.subarray(48 * k, 48 * k + 48)) % q);
        expect(hq[k]! >= 0n && hq[k]! < q).toBe(true);
      }
    }
    // wideToScalar at the extremes
    expect(wideToScalar(new Uint8Array(48).fill(0xff), 0)).toBe((2n ** 384n - 1n) % q);
    expect(wideToScalar(new Uint8Array(48), 0)).toBe(0n);
  });
});

describe('a whole signing session is primitive-independent', () => {
  let keys: KeyShare[];
  beforeAll(() => {
    keys = dkgKeys(2);
  });

  test('node and noble primitives with the same randomness produce the same messages and partials', () => {
    const run = (P: Primitives) => {
      const rngI = seededRng(`${TEST_SEED}/primitives.test/sign/I`);
      const rngR = seededRng(`${TEST_SEED}/primitives.test/sign/R`);
      const setup = seededRng(`${TEST_SEED}/primitives.test/sign/setup`);
      const digest = setup(32);
      const sessionId = setup(32);
      const wire: string[] = [];
      const a = createSigner({ share: keys[0]!, peer: 2, initiator: true, digest, sessionId, rng: rngI, guard: new MemoryPairGuard(), replay: memoryReplay(), primitives: P });
      const r = createSigner({ share: keys[1]!, peer: 1, initiator: false, digest, sessionId, rng: rngR, guard: new MemoryPairGuard(), replay: memoryReplay(), primitives: P });
      const sim = simulate<PartialSignature>([a, r], { intercept: (m) => (wire.push(hex(m.payload)), m) });
      expect(sim.outputs.size, seedMsg('signing completes')).toBe(2);
      return { wire, partials: [...sim.outputs.values()].map((p) => hex(encodePartial(p))) };
    };
    const x = run(nodePrimitives);
    const y = run(noblePrimitives);
    expect(x.wire.length).toBe(6); // three rounds, both parties
    for (let i = 0; i < 6; i++) if (x.wire[i] !== y.wire[i]) expect.fail(seedMsg(`message ${i + 1} differs between node and noble primitives`));
    expect(x.partials, seedMsg('partials')).toEqual(y.partials);
  });
});

describe('node primitives return plain Uint8Array (slice copies, as with noble)', () => {
  test('is not a Buffer', () => {
    const out = nodePrimitives.shake128(new Uint8Array(3), 32);
    expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
    const copy = out.slice();
    copy[0]! ^= 1;
    expect(copy[0]).not.toBe(out[0]);
  });
});
