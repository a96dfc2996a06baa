/**
 * Honest two-party signing (@spec SPEC.md §6): every ordered signing pair of (2,2), (2,3), (2,5)
 * keys, hundreds of random digests, each signature checked by noble, OpenSSL and viem (Ethereum
 * recovery); plus session-id replay, role disagreement, and the byte budget per party.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { recoverAddress, serializeSignature, type Hex } from 'viem';
import { publicKeyToAddress } from 'viem/accounts';
import { TEST_SEED, combineRun, dkgKeys, memoryReplay, nodePrimitives, opensslVerify, orderedPairs, runSign, type SignRun } from '../helpers.js';
import { MemoryPairGuard } from '../../protocol/core/guard.js';
import { ErrorCode } from '../../protocol/core/errors.js';
import { keyIdHex, type KeyShare } from '../../protocol/keyshare/keyshare.js';
import { q } from '../../protocol/math/ec.js';
import { OTE_MSG_BYTES } from '../../protocol/ot/extension.js';
import { VOLE_MSG_BYTES } from '../../protocol/vole/vole.js';
import { BASE_OT_COUNT, OTE_ROW_BYTES, PAD_SCALARS, VOLE_M } from '../../protocol/params.js';
import { MSG1_BYTES, MSG2_BYTES, MSG3_BYTES, ONLINE_ROUNDS, OPENING_BYTES, PARTIAL_BYTES, PRESIGN_ROUNDS, SIGN_ROUNDS, createSigner, encodePartial, type PartialSignature } from '../../protocol/sign/sign.js';
import type { Signature } from '../../protocol/sign/combine.js';
import { seededRng, simulate } from '../../protocol/testing/index.js';
import { be32, expectProtocolError, hex, seedMsg } from './support.js';

const HALF_Q = (q - 1n) / 2n;
const toHex0x = (b: Uint8Array): Hex => `0x${hex(b)}`;

interface Produced {
  n: number;
  I: number;
  R: number;
  run: SignRun;
  sig: Signature;
}

/** Signatures per ordered pair, chosen so the total is ≥ 300 and every pair gets several. */
const PER_PAIR: Record<number, number> = { 2: 40, 3: 15, 5: 7 };

/** Digests that exercise the e = digest mod q reduction (all-zero, q, q ± 1, all-ones). */
const SPECIAL_DIGESTS = [new Uint8Array(32), be32(q), be32(q - 1n), be32(q + 1n), new Uint8Array(32).fill(0xff), be32(1n)];

async function checkSignature(keys: KeyShare[], p: Produced): Promise<void> {
  const { n, I, R, run, sig } = p;
  const what = seedMsg(`(2,${n}) I=${I} R=${R} digest=${hex(run.digest)} sid=${hex(run.sessionId)}`);
  const pk = keys[0]!.publicKey;
  expect(sig.compact.length, what).toBe(64);
  expect(hex(sig.compact), what).toBe(hex(be32(sig.r)) + hex(be32(sig.s)));
  expect(sig.r > 0n && sig.r < q, `${what}: r in [1, q)`).toBe(true);
  expect(sig.s > 0n && sig.s <= HALF_Q, `${what}: s in [1, (q-1)/2]`).toBe(true);
  // noble, raw digest, low-s enforced
  expect(secp256k1.verify(sig.compact, run.digest, pk, { prehash: false, lowS: true }), `${what}: noble verify`).toBe(true);
  // recovery id recovers the group key, the other id does not
  const nsig = secp256k1.Signature.fromBytes(sig.compact, 'compact');
  expect(nsig.hasHighS(), what).toBe(false);
  expect(hex(nsig.addRecoveryBit(sig.recovery).recoverPublicKey(run.digest).toBytes(true)), `${what}: recovery id`).toBe(hex(pk));
  expect(hex(nsig.addRecoveryBit(sig.recovery ^ 1).recoverPublicKey(run.digest).toBytes(true)), `${what}: other recovery id`).not.toBe(hex(pk));
  // Ethereum: viem's recoverAddress against the address of the uncompressed key
  const expected = publicKeyToAddress(toHex0x(secp256k1.Point.fromBytes(pk).toBytes(false)));
  const serialized = serializeSignature({ r: toHex0x(be32(sig.r)), s: toHex0x(be32(sig.s)), yParity: sig.recovery });
  expect(await recoverAddress({ hash: toHex0x(run.digest), signature: serialized }), `${what}: viem recoverAddress (serialized)`).toBe(expected);
  expect(
    await recoverAddress({ hash: toHex0x(run.digest), signature: { r: toHex0x(be32(sig.r)), s: toHex0x(be32(sig.s)), yParity: sig.recovery } }),
    `${what}: viem recoverAddress ({r,s,yParity})`,
  ).toBe(expected);
}

function signAll(n: number, keys: KeyShare[]): Produced[] {
  const out: Produced[] = [];
  for (const [I, R] of orderedPairs(n)) {
    const rng = seededRng(`${TEST_SEED}/sign.test/${n}/${I}/${R}`);
    for (let k = 0; k < PER_PAIR[n]!; k++) {
      // The n = 2 group also runs the reduction edge cases for the digest.
      const digest = n === 2 && k < SPECIAL_DIGESTS.length ? SPECIAL_DIGESTS[k]! : rng(32);
      const run = runSign(keys, I, R, { rng, digest });
      const what = seedMsg(`(2,${n}) I=${I} R=${R} #${k}`);
      expect([...run.sim.errors.values()].map((e) => `${e.code}: ${e.message}`), what).toEqual([]);
      expect(run.sim.outputs.size, what).toBe(2);
      for (const s of run.signers) expect(s.status, what).toBe('done');
      out.push({ n, I, R, run, sig: combineRun(keys, I, R, run) });
    }
  }
  return out;
}

describe.each([2, 3, 5])('honest signing, t = 2, n = %i', (n) => {
  let keys: KeyShare[];
  beforeAll(() => {
    keys = dkgKeys(n);
  });

  test(`every ordered pair signs ${PER_PAIR[n]} digests; noble, OpenSSL, recovery id and viem agree`, async () => {
    const produced = signAll(n, keys);
    expect(produced.length).toBe(orderedPairs(n).length * PER_PAIR[n]!);
    // Distinct signatures and distinct r: no nonce reuse across sessions.
    expect(new Set(produced.map((p) => hex(p.sig.compact))).size, seedMsg('distinct signatures')).toBe(produced.length);
    expect(new Set(produced.map((p) => p.sig.r)).size, seedMsg('distinct r (nonce reuse?)')).toBe(produced.length);
    for (const p of produced) await checkSignature(keys, p);
    const ossl = opensslVerify(produced.map((p) => ({ publicKey: keys[0]!.publicKey, digest: p.run.digest, compact: p.sig.compact })));
    expect(ossl.length, seedMsg('openssl result count')).toBe(produced.length);
    const failed = produced.filter((_, i) => !ossl[i]).map((p) => `I=${p.I} R=${p.R} digest=${hex(p.run.digest)}`);
    expect(failed, seedMsg('OpenSSL rejected these signatures')).toEqual([]);
    // OpenSSL must be able to say no: a signature on a different digest fails.
    const p0 = produced[0]!;
    const other = p0.run.digest.slice();
    other[31]! ^= 1;
    expect(opensslVerify([{ publicKey: keys[0]!.publicKey, digest: other, compact: p0.sig.compact }]), seedMsg('OpenSSL negative control')).toEqual([false]);
    // both recovery ids occur (the recovery flip is exercised)
    expect(new Set(produced.map((p) => p.sig.recovery)).size, seedMsg('both recovery ids occur')).toBe(2);
  });
});

describe('session ids', () => {
  test('a session id is never accepted twice for one key (ERR_SESSION_REPLAY), even if the first session never ran', () => {
    const keys = dkgKeys(2);
    const rng = seededRng(`${TEST_SEED}/sign.test/replay`);
    const replay = memoryReplay();
    const guard = new MemoryPairGuard();
    const sessionId = rng(32);
    const mk = (digest: Uint8Array, initiator = true, sid = sessionId) =>
      createSigner({ share: keys[0]!, peer: 2, initiator, digest, sessionId: sid, rng, guard, replay, primitives: nodePrimitives });
    mk(rng(32));
    const e = expectProtocolError(() => mk(rng(32)), ErrorCode.SESSION_REPLAY, 'same session id, other digest');
    expect(e.failure, seedMsg('replay is a REJECT')).toBe('REJECT');
    expectProtocolError(() => mk(rng(32), false), ErrorCode.SESSION_REPLAY, 'same session id, other role');
    // a fresh id is fine
    expect(() => mk(rng(32), true, rng(32))).not.toThrow();
  });

  test('a completed session id cannot be reused, and the replay key is per key', () => {
    const k2 = dkgKeys(2);
    const k3 = dkgKeys(3);
    expect(hex(k2[0]!.keyId)).not.toBe(hex(k3[0]!.keyId));
    const rng = seededRng(`${TEST_SEED}/sign.test/replay2`);
    const replayI = memoryReplay();
    const replayR = memoryReplay();
    const gI = new MemoryPairGuard();
    const gR = new MemoryPairGuard();
    const sessionId = rng(32);
    const digest = rng(32);
    const pair = (keys: KeyShare[]) => [
      createSigner({ share: keys[0]!, peer: 2, initiator: true, digest, sessionId, rng, guard: gI, replay: replayI, primitives: nodePrimitives }),
      createSigner({ share: keys[1]!, peer: 1, initiator: false, digest, sessionId, rng, guard: gR, replay: replayR, primitives: nodePrimitives }),
    ];
    const sim = simulate<PartialSignature>(pair(k2));
    expect(sim.outputs.size, seedMsg('first session completes')).toBe(2);
    expectProtocolError(() => pair(k2), ErrorCode.SESSION_REPLAY, 'completed session id reused');
    // The same id under another key (other keyId) is a different session.
    const sim3 = simulate<PartialSignature>(pair(k3));
    expect(sim3.outputs.size, seedMsg('same session id under another key')).toBe(2);
  });
});

describe('roles', () => {
  const mkPair = (keys: KeyShare[], aInit: boolean, bInit: boolean, label: string) => {
    const rng = seededRng(`${TEST_SEED}/sign.test/roles/${label}`);
    const digest = rng(32);
    const sessionId = rng(32);
    const a = createSigner({ share: keys[0]!, peer: 2, initiator: aInit, digest, sessionId, rng, guard: new MemoryPairGuard(), replay: memoryReplay(), primitives: nodePrimitives });
    const b = createSigner({ share: keys[1]!, peer: 1, initiator: bInit, digest, sessionId, rng, guard: new MemoryPairGuard(), replay: memoryReplay(), primitives: nodePrimitives });
    return [a, b] as const;
  };

  // Both parties send in every round, so roles only name who is I and who is R in the context.
  test.each([
    ['two initiators', true, true],
    ['two responders', false, false],
  ])('%s: both abort with ERR_WRONG_SESSION at round 1, blame nobody, ban nobody, output nothing', (label, aInit, bInit) => {
    const keys = dkgKeys(2);
    const [a, b] = mkPair(keys, aInit, bInit, `roles/${label}`);
    const sim = simulate<PartialSignature>([a, b]);
    expect(sim.outputs.size, seedMsg('no partial output')).toBe(0);
    for (const [id, s] of [[1, a], [2, b]] as const) {
      const e = sim.errors.get(id);
      expect([e?.failure, e?.code, e?.culprit], seedMsg(`party ${id}: ${e?.message}`)).toEqual(['ABORT', ErrorCode.WRONG_SESSION, undefined]);
      expect(s.output).toBeUndefined();
      expect(s.cfg.guard.isBanned(keyIdHex(keys[0]!), id === 1 ? 2 : 1), seedMsg(`party ${id} banned its peer`)).toBe(false);
    }
    // a round-1 payload replayed as round 2 is refused by its length, naming the sender
    const [c, d] = mkPair(keys, true, false, `roles/${label}/hand`);
    const m1 = c.start();
    d.start();
    expect(d.receive(m1[0]!).map((m) => m.round)).toEqual([2]);
    expectProtocolError(() => d.receive({ ...m1[0]!, round: 2 }), ErrorCode.BAD_LENGTH, 'round-1 payload relabelled as round 2');
    expect(d.status).toBe('aborted');
    expect(d.error?.culprit).toBe(1);
  });

  test('signers that disagree on the digest produce no partial (the context binds the digest)', () => {
    const keys = dkgKeys(2);
    const rng = seededRng(`${TEST_SEED}/sign.test/roles/digest`);
    const sessionId = rng(32);
    const a = createSigner({ share: keys[0]!, peer: 2, initiator: true, digest: rng(32), sessionId, rng, guard: new MemoryPairGuard(), replay: memoryReplay(), primitives: nodePrimitives });
    const b = createSigner({ share: keys[1]!, peer: 1, initiator: false, digest: rng(32), sessionId, rng, guard: new MemoryPairGuard(), replay: memoryReplay(), primitives: nodePrimitives });
    const sim = simulate<PartialSignature>([a, b]);
    expect(sim.outputs.size, seedMsg('no partial')).toBe(0);
    expect(sim.errors.size, seedMsg('someone aborted')).toBeGreaterThan(0);
  });
});

describe('bytes on the wire', () => {
  test('the message-size constants follow from the parameters', () => {
    expect(OTE_MSG_BYTES).toBe(BASE_OT_COUNT * OTE_ROW_BYTES + 16 + 32);
    expect(VOLE_MSG_BYTES).toBe(VOLE_M * PAD_SCALARS * 32 + 32 + 32);
    const open = 33 + 32 + 32 + 32 + 33 + 33; // R_i, open, γ_k, γ_x, Γ_k, Γ_x
    expect(OPENING_BYTES).toBe(open);
    expect(MSG1_BYTES).toBe(32 + 32 + 32 + OTE_MSG_BYTES); // pctx, salt, com
    expect(MSG2_BYTES).toBe(VOLE_MSG_BYTES);
    expect(MSG3_BYTES).toBe(32 + open); // ctx (binds the digest), opening
    expect(SIGN_ROUNDS).toEqual([1, 2, 3]);
    expect([...PRESIGN_ROUNDS, ...ONLINE_ROUNDS]).toEqual([...SIGN_ROUNDS]);
    expect(PARTIAL_BYTES).toBe(4 + 32 + 32 + 33 + 32);
    // Per party and signature, from the parameters alone: 96 + 128·110 + 48 = 14,224 (round 1),
    // 752·3·32 + 64 = 72,256 (round 2), 32 + 195 = 227 (round 3) and the 133-byte partial.
    const perParty = 96 + (BASE_OT_COUNT * OTE_ROW_BYTES + 16 + 32) + (VOLE_M * PAD_SCALARS * 32 + 32 + 32) + (32 + open) + (4 + 32 + 32 + 33 + 32);
    expect(perParty).toBe(14_224 + 72_256 + 227 + 133);
    expect(perParty).toBe(86_840);
    expect(MSG1_BYTES + MSG2_BYTES + MSG3_BYTES + PARTIAL_BYTES).toBe(perParty);
  });

  test('each party sends exactly what the MSG constants say, one message per round, both in every round', () => {
    const keys = dkgKeys(3);
    for (const [I, R] of orderedPairs(3)) {
      const seen: { from: number; round: number; len: number }[] = [];
      const run = runSign(keys, I, R, {
        rng: seededRng(`${TEST_SEED}/sign.test/bytes/${I}/${R}`),
        sim: { intercept: (m) => (seen.push({ from: m.from, round: m.round, len: m.payload.length }), m) },
      });
      const what = seedMsg(`I=${I} R=${R}`);
      expect(run.sim.outputs.size, what).toBe(2);
      const len = [0, MSG1_BYTES, MSG2_BYTES, MSG3_BYTES];
      for (const p of [I, R]) {
        const mine = seen.filter((m) => m.from === p);
        expect(mine, what).toEqual(SIGN_ROUNDS.map((round) => ({ from: p, round, len: len[round] })));
        expect(run.sim.bytesSent.get(p), what).toBe(MSG1_BYTES + MSG2_BYTES + MSG3_BYTES);
      }
      for (const p of run.sim.outputs.values()) expect(encodePartial(p).length, what).toBe(PARTIAL_BYTES);
    }
  });
});
