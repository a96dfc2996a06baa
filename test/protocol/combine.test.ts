/**
 * The combiner (@spec SPEC.md §6.7): argument checks, nonce binding, verification before return,
 * low-s normalisation and the recovery-id flip (recomputed independently here and checked against
 * noble), and the partial-signature wire format.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { TEST_SEED, dkgKeys, nodePrimitives, opensslVerify, orderedPairs, runSign, type SignRun } from '../helpers.js';
import { ErrorCode } from '../../protocol/core/errors.js';
import type { KeyShare } from '../../protocol/keyshare/keyshare.js';
import { G, Point, q } from '../../protocol/math/ec.js';
import { PARTIAL_BYTES, encodePartial, type PartialSignature } from '../../protocol/sign/sign.js';
import { combine, decodePartial, verifyEcdsa, type CombineRequest } from '../../protocol/sign/combine.js';
import { seededRng } from '../../protocol/testing/index.js';
import { be32, beBig, expectProtocolError, hex, seedMsg } from './support.js';

let keys: KeyShare[];
beforeAll(() => {
  keys = dkgKeys(3);
});

const request = (I: number, R: number, run: SignRun, over: Partial<CombineRequest> = {}): CombineRequest => ({
  keyId: keys[0]!.keyId,
  publicKey: keys[0]!.publicKey,
  publicShares: keys[0]!.publicShares,
  initiator: I,
  responder: R,
  digest: run.digest,
  sessionId: run.sessionId,
  primitives: nodePrimitives,
  ...over,
});

let runCounter = 0;
function signRun(I: number, R: number): { run: SignRun; pI: PartialSignature; pR: PartialSignature } {
  const run = runSign(keys, I, R, { rng: seededRng(`${TEST_SEED}/combine.test/${I}/${R}/${runCounter++}`) });
  expect(run.sim.outputs.size, seedMsg(`signing run I=${I} R=${R}`)).toBe(2);
  return { run, pI: run.sim.outputs.get(I)!, pR: run.sim.outputs.get(R)! };
}

const addq = (a: bigint, b: bigint) => (a + b) % q;
const invq = (a: bigint) => {
  // Fermat, independent of protocol/math
  let r = 1n, b = a % q, e = q - 2n;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % q;
    b = (b * b) % q;
    e >>= 1n;
  }
  return r;
};

describe('argument checks', () => {
  let base: ReturnType<typeof signRun>;
  beforeAll(() => {
    base = signRun(1, 2);
  });

  test('the untampered partials combine (in either order)', () => {
    const a = combine(request(1, 2, base.run), [base.pI, base.pR]);
    const b = combine(request(1, 2, base.run), [base.pR, base.pI]);
    expect(hex(a.compact), seedMsg('order of partials is irrelevant')).toBe(hex(b.compact));
  });

  test('wrong number of partials → ERR_INVALID_ARGUMENTS', () => {
    const { run, pI, pR } = base;
    for (const ps of [[], [pI], [pR], [pI, pR, pR], [pI, pR, pI]]) {
      expectProtocolError(() => combine(request(1, 2, run), ps), ErrorCode.INVALID_ARGUMENTS, `${ps.length} partials`);
    }
  });

  test('wrong partial indices → ERR_INVALID_ARGUMENTS', () => {
    const { run, pI, pR } = base;
    const cases: [string, PartialSignature[], CombineRequest][] = [
      ['two copies of the initiator’s partial', [pI, pI], request(1, 2, run)],
      ['two copies of the responder’s partial', [pR, pR], request(1, 2, run)],
      ['responder partial relabelled as party 3', [pI, { ...pR, index: 3 }], request(1, 2, run)],
      ['request names a pair that did not sign', [pI, pR], request(1, 3, run)],
      ['initiator = responder', [pI, { ...pI }], request(1, 1, run)],
      ['index beyond n', [pI, { ...pR, index: 9 }], request(1, 9, run)],
    ];
    for (const [name, ps, req] of cases) expectProtocolError(() => combine(req, ps), ErrorCode.INVALID_ARGUMENTS, name);
  });

  test('a request that does not match the session → ERR_NONCE_MISMATCH (the context binds roles, digest, session id)', () => {
    const { run, pI, pR } = base;
    const flip = (b: Uint8Array) => {
      const c = b.slice();
      c[0]! ^= 1;
      return c;
    };
    const cases: [string, CombineRequest, PartialSignature[]][] = [
      ['roles swapped', request(2, 1, run), [pI, pR]],
      ['other digest', request(1, 2, run, { digest: flip(run.digest) }), [pI, pR]],
      ['other session id', request(1, 2, run, { sessionId: flip(run.sessionId) }), [pI, pR]],
      ['other key id', request(1, 2, run, { keyId: flip(keys[0]!.keyId) }), [pI, pR]],
    ];
    for (const [name, req, ps] of cases) expectProtocolError(() => combine(req, ps), ErrorCode.NONCE_MISMATCH, name);
  });

  test('a partial naming a different nonce is blamed on its sender', () => {
    const { run, pI, pR } = base;
    const hR = pR.hR.slice();
    hR[5]! ^= 0x40;
    const e = expectProtocolError(() => combine(request(1, 2, run), [pI, { ...pR, hR }]), ErrorCode.NONCE_MISMATCH, 'tampered H(R)');
    expect(e.culprit, seedMsg('culprit')).toBe(2);
    // a different (valid) R_i changes R, so both hashes mismatch: not attributable from the partials
    const Ri = G.multiply(7n).toBytes(true);
    const e2 = expectProtocolError(() => combine(request(1, 2, run), [pI, { ...pR, Ri }]), ErrorCode.NONCE_MISMATCH, 'replaced R_i');
    expect(e2.culprit, seedMsg('no culprit when both hashes mismatch')).toBeUndefined();
    // an R_i that is not a point
    const bad = new Uint8Array(33).fill(0xff);
    expectProtocolError(() => combine(request(1, 2, run), [{ ...pI, Ri: bad }, pR]), ErrorCode.BAD_POINT, 'R_i not a point');
  });

  test('verification happens before return: any change of u or w → ERR_SIGNATURE_INVALID, no culprit', () => {
    const { run, pI, pR } = base;
    const bumps = [1n, q - 1n, 2n ** 200n];
    for (const d of bumps) {
      for (const [name, ps] of [
        ['w_I', [{ ...pI, w: addq(pI.w, d) }, pR]],
        ['w_R', [pI, { ...pR, w: addq(pR.w, d) }]],
        ['u_I', [{ ...pI, u: addq(pI.u, d) }, pR]],
        ['u_R', [pI, { ...pR, u: addq(pR.u, d) }]],
      ] as [string, PartialSignature[]][]) {
        const e = expectProtocolError(() => combine(request(1, 2, run), ps), ErrorCode.SIGNATURE_INVALID, `${name} + ${d}`);
        expect(e.failure, seedMsg(name)).toBe('ABORT');
        expect(e.culprit, seedMsg(`${name}: a bad (u, w) is not attributable`)).toBeUndefined();
      }
    }
    // w_I + w_R = 0 (s = 0) and u_I + u_R = 0 are refused too
    expectProtocolError(() => combine(request(1, 2, run), [{ ...pI, w: (q - pR.w) % q }, pR]), ErrorCode.SIGNATURE_INVALID, 's = 0');
    expectProtocolError(() => combine(request(1, 2, run), [{ ...pI, u: (q - pR.u) % q }, pR]), ErrorCode.SIGNATURE_INVALID, 'Σu = 0');
    // shifting value between the two parties' w (same sum) still verifies: only the sums matter
    const shift = 12345n;
    const ok = combine(request(1, 2, run), [{ ...pI, w: addq(pI.w, shift) }, { ...pR, w: addq(pR.w, q - shift) }]);
    expect(hex(ok.compact)).toBe(hex(combine(request(1, 2, run), [pI, pR]).compact));
  });
});

describe('low-s normalisation and recovery id', () => {
  test('60 sessions over every ordered pair: s, recovery id and r recomputed independently; noble agrees', () => {
    let flipped = 0;
    let kept = 0;
    const pk = Point.fromBytes(keys[0]!.publicKey);
    for (let k = 0; k < 60; k++) {
      const [I, R] = orderedPairs(3)[k % 6]!;
      const { run, pI, pR } = signRun(I, R);
      const what = seedMsg(`session ${k} I=${I} R=${R} digest=${hex(run.digest)}`);
      const sig = combine(request(I, R, run), [pI, pR]);
      // independent recomputation
      const Rpt = Point.fromBytes(pI.Ri).add(Point.fromBytes(pR.Ri));
      const { x, y } = Rpt.toAffine();
      const sRaw = ((pI.w + pR.w) * invq(pI.u + pR.u)) % q;
      const high = sRaw > (q - 1n) / 2n;
      const expS = high ? q - sRaw : sRaw;
      const expRec = Number(y & 1n) ^ (high ? 1 : 0);
      if (high) flipped++;
      else kept++;
      expect(sig.r, `${what}: r = x(R)`).toBe(x % q);
      expect(sig.s, `${what}: s`).toBe(expS);
      expect(sig.recovery, `${what}: recovery id`).toBe(expRec);
      expect(beBig(sig.compact.subarray(0, 32)), what).toBe(sig.r);
      expect(beBig(sig.compact.subarray(32)), what).toBe(sig.s);
      // noble: low-s form verifies with lowS; the high-s twin only without it
      expect(secp256k1.verify(sig.compact, run.digest, keys[0]!.publicKey, { prehash: false, lowS: true }), `${what}: noble lowS`).toBe(true);
      const twin = new Uint8Array([...be32(sig.r), ...be32(q - sig.s)]);
      expect(secp256k1.verify(twin, run.digest, keys[0]!.publicKey, { prehash: false, lowS: true }), `${what}: high-s twin rejected by lowS`).toBe(false);
      expect(secp256k1.verify(twin, run.digest, keys[0]!.publicKey, { prehash: false, lowS: false }), `${what}: high-s twin is the same signature`).toBe(true);
      // recovery: the id recovers the key, the flipped id recovers something else
      const ns = secp256k1.Signature.fromBytes(sig.compact, 'compact');
      expect(ns.addRecoveryBit(sig.recovery).recoverPublicKey(run.digest).equals(pk), `${what}: recovery`).toBe(true);
      expect(ns.addRecoveryBit(sig.recovery ^ 1).recoverPublicKey(run.digest).equals(pk), `${what}: wrong id`).toBe(false);
      // the raw (un-normalised) signature with the un-flipped parity also recovers the key
      const raw = new secp256k1.Signature(sig.r, sRaw).addRecoveryBit(Number(y & 1n));
      expect(raw.recoverPublicKey(run.digest).equals(pk), `${what}: raw s with parity(y)`).toBe(true);
    }
    // both branches were exercised (probability of failing by chance: 2^-59)
    expect(flipped, seedMsg('some signatures needed the low-s flip')).toBeGreaterThan(0);
    expect(kept, seedMsg('some signatures were already low-s')).toBeGreaterThan(0);
  });
});

describe('partial-signature wire format', () => {
  test('encodePartial / decodePartial round trip and rejections', () => {
    const { pI, pR } = signRun(3, 1);
    for (const p of [pI, pR]) {
      const b = encodePartial(p);
      expect(b.length).toBe(PARTIAL_BYTES);
      const d = decodePartial(b, p.index);
      expect([d.index, d.u, d.w, hex(d.Ri), hex(d.hR)], seedMsg('round trip')).toEqual([p.index, p.u, p.w, hex(p.Ri), hex(p.hR)]);
      expectProtocolError(() => decodePartial(b.subarray(0, b.length - 1), p.index), ErrorCode.BAD_LENGTH, 'truncated partial');
      expectProtocolError(() => decodePartial(new Uint8Array([...b, 0]), p.index), ErrorCode.BAD_LENGTH, 'trailing byte');
      const other = p.index === 1 ? 3 : 1;
      const e = expectProtocolError(() => decodePartial(b, other), ErrorCode.UNEXPECTED_MESSAGE, 'index does not match sender');
      expect(e.culprit).toBe(other);
      for (const off of [4, 36]) {
        for (const v of [q, q + 1n, 2n ** 256n - 1n]) {
          const c = b.slice();
          c.set(be32(v), off);
          expectProtocolError(() => decodePartial(c, p.index), ErrorCode.SCALAR_RANGE, `scalar at ${off} = ${v}`);
        }
      }
    }
  });
});

describe('verifyEcdsa (the combiner’s final check) agrees with OpenSSL and noble', () => {
  test('valid, tampered, high-s, out-of-range and digest ≡ 0 cases', () => {
    const rng = seededRng(`${TEST_SEED}/combine.test/verifyEcdsa`);
    const items: { name: string; r: bigint; s: bigint; digest: Uint8Array; key: Point }[] = [];
    for (let i = 0; i < 12; i++) {
      const sk = (beBig(rng(32)) % (q - 1n)) + 1n;
      const P = G.multiply(sk);
      const digest = i === 0 ? be32(q) : i === 1 ? be32(0n) : rng(32); // e = digest mod q = 0 for i < 2
      const sig = secp256k1.sign(digest, be32(sk), { prehash: false });
      const r = beBig(sig.subarray(0, 32));
      const s = beBig(sig.subarray(32));
      items.push(
        { name: `${i}: valid`, r, s, digest, key: P },
        { name: `${i}: high-s (ECDSA accepts s and q − s; the combiner normalises first)`, r, s: q - s, digest, key: P },
        { name: `${i}: r + 1`, r: r + 1n, s, digest, key: P },
        { name: `${i}: s + 1`, r, s: s + 1n, digest, key: P },
        { name: `${i}: other digest`, r, s, digest: rng(32), key: P },
        { name: `${i}: other key`, r, s, digest, key: G.multiply(sk + 1n) },
      );
      for (const [rr, ss] of [[0n, s], [r, 0n], [q, s], [r, q], [r + q, s]] as const) expect(verifyEcdsa(rr, ss, digest, P)).toBe(false);
      expect(verifyEcdsa(r, s, digest.subarray(1), P)).toBe(false);
    }
    const ossl = opensslVerify(items.map((it) => ({ publicKey: it.key.toBytes(true), digest: it.digest, compact: new Uint8Array([...be32(it.r), ...be32(it.s)]) })));
    items.forEach((it, k) => {
      const noble = secp256k1.verify(new Uint8Array([...be32(it.r), ...be32(it.s)]), it.digest, it.key.toBytes(true), { prehash: false, lowS: false });
      expect(noble, seedMsg(`${it.name}: noble and OpenSSL agree`)).toBe(ossl[k]);
      expect(verifyEcdsa(it.r, it.s, it.digest, it.key), seedMsg(it.name)).toBe(ossl[k]);
    });
    // both outcomes occur
    expect(ossl.filter(Boolean).length).toBe(24);
  });
});
