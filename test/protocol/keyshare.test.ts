/**
 * KeyShare serialisation (@spec SPEC.md §3.6): round trip of real DKG output, and every way
 * `deserializeKeyShare` must refuse bytes (each with ERR_KEYSHARE_INVALID, never another error).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { TEST_SEED, combineRun, dkgKeys, runSign } from '../helpers.js';
import { ErrorCode } from '../../protocol/core/errors.js';
import { KEYSHARE_VERSION, deserializeKeyShare, serializeKeyShare, validateKeyShare, type KeyShare, type PairSetup } from '../../protocol/keyshare/keyshare.js';
import { G, q } from '../../protocol/math/ec.js';
import { BASE_OT_COUNT } from '../../protocol/params.js';
import { seededRng } from '../../protocol/testing/index.js';
import { be32, expectProtocolError, hex, seedMsg } from './support.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';

const N = 3;
// Layout (written here from the format description, not from the implementation's constants).
const OFF = { magic: 0, version: 4, n: 5, t: 9, index: 13, keyId: 17, share: 49, publicKey: 81, chainCode: 114, publicShares: 146 };
const pairsOff = (n: number) => OFF.publicShares + 33 * n;
const PAIR_BYTES = 4 + 16 + 3 * BASE_OT_COUNT * 32;
const totalBytes = (n: number) => pairsOff(n) + (n - 1) * PAIR_BYTES;

let keys: KeyShare[];
let bytes: Uint8Array[];
beforeAll(() => {
  keys = dkgKeys(N);
  bytes = keys.map(serializeKeyShare);
});

const u32be = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, false);
  return b;
};
const patch = (b: Uint8Array, off: number, v: Uint8Array) => {
  const c = b.slice();
  c.set(v, off);
  return c;
};
const rejects = (b: Uint8Array, what: string) => expectProtocolError(() => deserializeKeyShare(b), ErrorCode.KEYSHARE_INVALID, what);

describe('round trip', () => {
  test('serialize → deserialize → serialize is the identity for every party; fields survive', () => {
    for (const ks of keys) {
      const b = serializeKeyShare(ks);
      expect(b.length, seedMsg('serialised length')).toBe(totalBytes(N));
      const back = deserializeKeyShare(b);
      const w = seedMsg(`party ${ks.index}`);
      expect([back.version, back.n, back.t, back.index, back.share], w).toEqual([ks.version, ks.n, ks.t, ks.index, ks.share]);
      expect([hex(back.keyId), hex(back.publicKey), hex(back.chainCode)], w).toEqual([hex(ks.keyId), hex(ks.publicKey), hex(ks.chainCode)]);
      expect(back.publicShares.map(hex), w).toEqual(ks.publicShares.map(hex));
      expect([...back.pairs.keys()].sort(), w).toEqual([...ks.pairs.keys()].sort());
      for (const [j, p] of ks.pairs) {
        const bp = back.pairs.get(j)!;
        expect(hex(bp.sender.delta), w).toBe(hex(p.sender.delta));
        expect(bp.sender.seeds.map(hex), w).toEqual(p.sender.seeds.map(hex));
        expect(bp.receiver.seeds0.map(hex), w).toEqual(p.receiver.seeds0.map(hex));
        expect(bp.receiver.seeds1.map(hex), w).toEqual(p.receiver.seeds1.map(hex));
      }
      expect(hex(serializeKeyShare(back)), w).toBe(hex(b));
    }
  });

  test('the header is where the format says it is', () => {
    const b = bytes[1]!;
    const ks = keys[1]!;
    expect(new TextDecoder().decode(b.subarray(0, 4))).toBe('TKS1');
    expect(b[OFF.version]).toBe(KEYSHARE_VERSION);
    const dv = new DataView(b.buffer, b.byteOffset);
    expect([dv.getUint32(OFF.n), dv.getUint32(OFF.t), dv.getUint32(OFF.index)]).toEqual([ks.n, ks.t, ks.index]);
    expect(hex(b.subarray(OFF.share, OFF.share + 32))).toBe(hex(be32(ks.share)));
    expect(hex(b.subarray(OFF.publicKey, OFF.publicKey + 33))).toBe(hex(ks.publicKey));
    expect(dv.getUint32(pairsOff(N))).toBe(1); // party 2's first peer is party 1
  });

  test('the result does not alias the input buffer', () => {
    const b = bytes[0]!.slice();
    const back = deserializeKeyShare(b);
    b.fill(0);
    expect(hex(serializeKeyShare(back)), seedMsg('wiping the input changed the share')).toBe(hex(bytes[0]!));
  });

  test('deserialised shares sign', () => {
    const back = bytes.map(deserializeKeyShare);
    const run = runSign(back, 2, 3, { rng: seededRng(`${TEST_SEED}/keyshare.test/sign`) });
    expect(run.sim.outputs.size, seedMsg('signing with deserialised shares')).toBe(2);
    const sig = combineRun(back, 2, 3, run);
    expect(secp256k1.verify(sig.compact, run.digest, back[0]!.publicKey, { prehash: false, lowS: true })).toBe(true);
  });
});

test('a share decoded from a Node Buffer owns its bytes: zeroing the buffer afterwards changes nothing', () => {
  const buf = Buffer.from(bytes[0]!);
  const back = deserializeKeyShare(buf);
  buf.fill(0);
  expect(hex(serializeKeyShare(back)), seedMsg('decoded share after zeroing the input')).toBe(hex(bytes[0]!));
  // control: the same zeroing does change a share that aliased the buffer
  const alias = Buffer.from(bytes[0]!);
  const view = alias.subarray(OFF.keyId, OFF.keyId + 32);
  alias.fill(0);
  expect(hex(view)).toBe('00'.repeat(32));
});

describe('deserialize rejects (ERR_KEYSHARE_INVALID)', () => {
  test('truncated bytes, at every field boundary and at random lengths (fresh copies and views)', () => {
    const b = bytes[0]!;
    const cuts = new Set<number>([0, 1, 3, b.length - 1, b.length - 32]);
    for (const o of [...Object.values(OFF), pairsOff(N)]) for (const d of [-1, 0, 1]) if (o + d >= 0 && o + d < b.length) cuts.add(o + d);
    for (let k = 0; k < N - 1; k++) {
      const p = pairsOff(N) + k * PAIR_BYTES;
      for (const o of [p, p + 4, p + 20, p + 20 + 4096, p + 20 + 8192, p + PAIR_BYTES - 1]) cuts.add(o);
    }
    const rng = seededRng(`${TEST_SEED}/keyshare.test/cuts`);
    for (let k = 0; k < 25; k++) cuts.add(new DataView(rng(4).buffer).getUint32(0) % b.length);
    for (const c of cuts) {
      rejects(b.slice(0, c), `truncated to ${c} of ${b.length} (copy)`);
      rejects(b.subarray(0, c), `truncated to ${c} of ${b.length} (view)`);
    }
  });

  test('trailing bytes', () => {
    const b = bytes[0]!;
    for (const extra of [1, 4, 33, PAIR_BYTES]) rejects(new Uint8Array([...b, ...new Uint8Array(extra).fill(7)]), `${extra} trailing bytes`);
    // a view into a larger buffer must be read as exactly the view
    const big = new Uint8Array(b.length + 10);
    big.set(b, 5);
    expect(() => deserializeKeyShare(big.subarray(5, 5 + b.length)), seedMsg('exact view of a larger buffer')).not.toThrow();
  });

  test('bad magic, bad version', () => {
    const b = bytes[0]!;
    for (let i = 0; i < 4; i++) {
      const c = b.slice();
      c[i]! ^= 0x20;
      rejects(c, `magic byte ${i}`);
    }
    for (const v of [0, KEYSHARE_VERSION + 1, 255]) rejects(patch(b, OFF.version, Uint8Array.of(v)), `version ${v}`);
  });

  test('share ≥ q, share 0, and a share that does not match its public share', () => {
    const b = bytes[0]!;
    for (const v of [q, q + 1n, 2n ** 256n - 1n]) rejects(patch(b, OFF.share, be32(v)), `share = ${v}`);
    rejects(patch(b, OFF.share, be32(0n)), 'share = 0');
    rejects(patch(b, OFF.share, be32((keys[0]!.share + 1n) % q)), 'share + 1');
    rejects(patch(b, OFF.share, be32(keys[1]!.share)), 'share of party 2 in party 1’s file');
    // the public share of the holder replaced so that it matches a different share
    rejects(patch(b, OFF.publicShares, G.multiply(5n).toBytes(true)), 'X_1 replaced');
  });

  test('public material that is not a point or does not interpolate', () => {
    const b = bytes[0]!;
    rejects(patch(b, OFF.publicKey, new Uint8Array(33)), 'public key all-zero');
    rejects(patch(b, OFF.publicKey, G.toBytes(true)), 'public key replaced by G');
    const flippedParity = keys[0]!.publicKey.slice();
    flippedParity[0]! ^= 1; // 02 ↔ 03: the negated key
    rejects(patch(b, OFF.publicKey, flippedParity), 'public key negated');
    for (let j = 1; j <= N; j++) {
      const off = OFF.publicShares + 33 * (j - 1);
      rejects(patch(b, off, new Uint8Array(33).fill(0xff)), `X_${j} not a point`);
      rejects(patch(b, off, G.multiply(BigInt(1000 + j)).toBytes(true)), `X_${j} off the key's polynomial`);
    }
    // two public shares swapped
    const c = b.slice();
    c.set(keys[0]!.publicShares[2]!, OFF.publicShares + 33);
    c.set(keys[0]!.publicShares[1]!, OFF.publicShares + 66);
    rejects(c, 'X_2 and X_3 swapped');
  });

  test('wrong counts and indices', () => {
    const b = bytes[0]!; // party 1 of 3
    for (const n of [0, 1, 2, 4, 17, 0xffffffff]) rejects(patch(b, OFF.n, u32be(n)), `n = ${n}`);
    for (const t of [0, 1, 4, 0xffffffff]) rejects(patch(b, OFF.t, u32be(t)), `t = ${t}`);
    for (const i of [0, 2, 3, 4, 0xffffffff]) rejects(patch(b, OFF.index, u32be(i)), `index = ${i}`);
    const p0 = pairsOff(N);
    const p1 = p0 + PAIR_BYTES;
    rejects(patch(b, p0, u32be(1)), 'pairwise setup with itself');
    rejects(patch(b, p1, u32be(2)), 'duplicate peer 2');
    rejects(patch(b, p0, u32be(0)), 'peer 0');
    rejects(patch(b, p1, u32be(9)), 'peer 9');
    // a whole pairwise block missing (n - 2 blocks)
    rejects(b.slice(0, p1), 'one pairwise block missing');
  });
});

describe('validateKeyShare on objects', () => {
  const mutate = (over: Partial<KeyShare>) => ({ ...keys[0]!, ...over }) as KeyShare;
  const invalid = (ks: KeyShare, what: string) => expectProtocolError(() => validateKeyShare(ks), ErrorCode.KEYSHARE_INVALID, what);

  test('the DKG output is valid; each broken invariant is refused', () => {
    for (const ks of keys) expect(() => validateKeyShare(ks)).not.toThrow();
    const p2 = keys[0]!.pairs.get(2)!;
    const withPair = (p: PairSetup) => new Map([...keys[0]!.pairs, [2, p]]);
    invalid(mutate({ version: 2 as 1 }), 'version 2');
    invalid(mutate({ keyId: new Uint8Array(31) }), 'keyId 31 bytes');
    invalid(mutate({ chainCode: new Uint8Array(33) }), 'chainCode 33 bytes');
    invalid(mutate({ publicShares: keys[0]!.publicShares.slice(0, 2) }), 'two public shares for n = 3');
    invalid(mutate({ pairs: new Map([[2, p2]]) }), 'pair with 3 missing');
    invalid(mutate({ pairs: new Map([...keys[0]!.pairs, [4, p2]]) }), 'extra pair');
    invalid(mutate({ pairs: withPair({ ...p2, sender: { ...p2.sender, delta: p2.sender.delta.subarray(1) } }) }), 'Δ 15 bytes');
    invalid(mutate({ pairs: withPair({ ...p2, sender: { ...p2.sender, seeds: p2.sender.seeds.slice(1) } }) }), '127 sender seeds');
    invalid(mutate({ pairs: withPair({ ...p2, receiver: { ...p2.receiver, seeds1: [...p2.receiver.seeds1.slice(1), new Uint8Array(31)] } }) }), 'short receiver seed');
    invalid(mutate({ share: -1n }), 'negative share');
    invalid(mutate({ index: 1.5 }), 'fractional index');
  });
});

describe('validateKeyShare checks every public share against the sharing polynomial', () => {
  test('n = 5: a public share outside {1..t} and {n-t+1..n} that is off the polynomial is refused', () => {
    const k5 = dkgKeys(5)[0]!;
    expect(() => validateKeyShare(k5)).not.toThrow();
    for (const j of [3, 4, 5]) {
      const ps = [...k5.publicShares];
      ps[j - 1] = G.multiply(42n).toBytes(true);
      expectProtocolError(() => validateKeyShare({ ...k5, publicShares: ps }), ErrorCode.KEYSHARE_INVALID, `X_${j} replaced`);
    }
  });
  test('n = 4: shifting X_3 and X_4 together is refused', () => {
    const k4 = dkgKeys(4)[0]!;
    const D = G.multiply(7n);
    const ps = [...k4.publicShares];
    for (const j of [3, 4]) ps[j - 1] = secp256k1.Point.fromBytes(ps[j - 1]!).add(D).toBytes(true);
    expectProtocolError(() => validateKeyShare({ ...k4, publicShares: ps }), ErrorCode.KEYSHARE_INVALID, 'X_3, X_4 shifted');
  });
});
