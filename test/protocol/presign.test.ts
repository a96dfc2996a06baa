/**
 * Presigning and the online step (@spec SPEC.md §6.1, §6.3, §6.6): rounds 1–2 run as a
 * digest-free `Presigner` whose output is a single-use `Presignature`; an `OnlineSigner` binds a
 * digest to it and runs round 3 (ctx ‖ opening). Keys: 2-of-3 from dkgKeys(3).
 *
 * Covered: presign first, bind later, combine, verify with noble and with node:crypto (OpenSSL);
 * a presignature binds once (ERR_PRESIGNATURE_USED, also after discard()); a digest disagreement
 * in round 3 is ERR_WRONG_SESSION without culprit or ban, even when the opening is also
 * tampered with; rounds 1–2 do not depend on the digest and equal those of a whole `Signer`
 * with the same randomness (as do round 3 and the partials); a ban recorded after presigning
 * stops the online step; the round-3 payload is MSG3_BYTES and starts with signContext(...).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { createHash, verify as nodeVerify } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { TEST_SEED, dkgKeys, memoryReplay, nodePrimitives, orderedPairs, publicKeyPem } from '../helpers.js';
import { ErrorCode, abortBan } from '../../protocol/core/errors.js';
import { MemoryPairGuard } from '../../protocol/core/guard.js';
import type { Message } from '../../protocol/core/machine.js';
import type { Rng } from '../../protocol/core/rng.js';
import { Transcript } from '../../protocol/core/transcript.js';
import { keyIdHex, type KeyShare } from '../../protocol/keyshare/keyshare.js';
import { combine, type Signature } from '../../protocol/sign/combine.js';
import {
  MSG1_BYTES,
  MSG3_BYTES,
  OPENING_BYTES,
  createOnlineSigner,
  createPresigner,
  createSigner,
  encodePartial,
  presignContext,
  signContext,
  type OnlineSigner,
  type PartialSignature,
  type Presignature,
} from '../../protocol/sign/sign.js';
import { seededRng, simulate, type SimResult } from '../../protocol/testing/index.js';
import { expectProtocolError, hex, seedMsg } from './support.js';
import { contextInput } from './adversarial/adversary.js';

const label = (s: string): string => `${TEST_SEED}/presign.test/${s}`;

/** The randomness of party `self` in the session named `name` (shared by Presigner and Signer runs). */
const partyRng = (name: string, self: number): Rng => seededRng(label(`${name}/party/${self}`));

interface Presigned {
  readonly I: number;
  readonly R: number;
  readonly sessionId: Uint8Array;
  readonly pI: Presignature;
  readonly pR: Presignature;
  readonly gI: MemoryPairGuard;
  readonly gR: MemoryPairGuard;
  /** Every message of rounds 1–2, in sending order. */
  readonly msgs: Message[];
}

/** Rounds 1–2 between initiator I and responder R; no digest exists yet. */
function presign(keys: KeyShare[], I: number, R: number, name: string): Presigned {
  const sessionId = seededRng(label(`${name}/sid`))(32);
  const gI = new MemoryPairGuard();
  const gR = new MemoryPairGuard();
  const mk = (self: number, peer: number, initiator: boolean, guard: MemoryPairGuard) =>
    createPresigner({ share: keys[self - 1]!, peer, initiator, sessionId, rng: partyRng(name, self), guard, replay: memoryReplay(), primitives: nodePrimitives });
  const msgs: Message[] = [];
  const sim = simulate<Presignature>([mk(I, R, true, gI), mk(R, I, false, gR)], { intercept: (m) => (msgs.push(m), m) });
  const what = seedMsg(`presign ${name} I=${I} R=${R}`);
  expect([...sim.errors.values()].map((e) => `${e.code}: ${e.message}`), what).toEqual([]);
  expect(sim.outputs.size, what).toBe(2);
  const pI = sim.outputs.get(I)!;
  const pR = sim.outputs.get(R)!;
  expect([pI.self, pI.peer, pI.initiator, pR.self, pR.peer, pR.initiator], what).toEqual([I, R, true, R, I, false]);
  expect([pI.used, pR.used], what).toEqual([false, false]);
  return { I, R, sessionId, pI, pR, gI, gR, msgs };
}

interface Online {
  readonly oI: OnlineSigner;
  readonly oR: OnlineSigner;
  readonly sim: SimResult<PartialSignature>;
  /** The round-3 messages, in sending order. */
  readonly msgs: Message[];
}

/** Round 3: each side binds its digest to its presignature. */
function bindAndRun(p: Presigned, digestI: Uint8Array, digestR: Uint8Array = digestI, intercept?: (m: Message) => Message): Online {
  const oI = createOnlineSigner({ presignature: p.pI, digest: digestI, guard: p.gI });
  const oR = createOnlineSigner({ presignature: p.pR, digest: digestR, guard: p.gR });
  const msgs: Message[] = [];
  const sim = simulate<PartialSignature>([oI, oR], { intercept: (m) => (msgs.push(m), intercept ? intercept(m) : m) });
  return { oI, oR, sim, msgs };
}

function combineOnline(keys: KeyShare[], p: Presigned, digest: Uint8Array, on: Online): Signature {
  const k = keys[0]!;
  return combine(
    { keyId: k.keyId, publicKey: k.publicKey, publicShares: k.publicShares, initiator: p.I, responder: p.R, digest, sessionId: p.sessionId, primitives: nodePrimitives },
    [...on.sim.outputs.values()],
  );
}

/** A message and its SHA-256 digest: node:crypto then verifies the signature over the message. */
function messageAndDigest(name: string): { msg: Uint8Array; digest: Uint8Array } {
  const msg = seededRng(label(`msg/${name}`))(80);
  return { msg, digest: new Uint8Array(createHash('sha256').update(msg).digest()) };
}

/** OpenSSL through node:crypto: ECDSA-SHA256 over `msg`, signature as r ‖ s. */
function opensslOk(publicKey: Uint8Array, msg: Uint8Array, compact: Uint8Array): boolean {
  return nodeVerify('sha256', msg, { key: publicKeyPem(publicKey), dsaEncoding: 'ieee-p1363' }, compact);
}

function nobleOk(publicKey: Uint8Array, digest: Uint8Array, compact: Uint8Array): boolean {
  return secp256k1.verify(compact, digest, publicKey, { prehash: false, lowS: true });
}

/** ctx and pctx of the pair (I, R) as the combiner computes them, from public data only. */
function contexts(keys: KeyShare[], I: number, R: number, sessionId: Uint8Array, digest: Uint8Array) {
  const tr = new Transcript(nodePrimitives);
  const input = contextInput(keys, I, R, sessionId);
  return { pctx: presignContext(tr, input), ctx: signContext(tr, { ...input, digest }) };
}

const byRound = (msgs: Message[], maxRound: number) =>
  Object.fromEntries(msgs.filter((m) => m.round <= maxRound).map((m) => [`${m.from}->${m.to}/r${m.round}`, hex(m.payload)]));

let keys: KeyShare[];
beforeAll(() => {
  keys = dkgKeys(3);
});

describe('presign now, sign later', () => {
  test('every ordered pair of a 2-of-3 key: presign first, bind a digest later; the partials combine; noble and node:crypto (OpenSSL) verify', () => {
    const pk = keys[0]!.publicKey;
    // all presignatures exist before any digest is chosen
    const pool = orderedPairs(3).map(([I, R]) => presign(keys, I, R, `pool/${I}${R}`));
    const rs = new Set<bigint>();
    for (const p of pool) {
      const what = seedMsg(`I=${p.I} R=${p.R}`);
      const { msg, digest } = messageAndDigest(`pool/${p.I}${p.R}`);
      const on = bindAndRun(p, digest);
      expect([...on.sim.errors.values()].map((e) => `${e.code}: ${e.message}`), what).toEqual([]);
      expect([on.oI.status, on.oR.status], what).toEqual(['done', 'done']);
      expect([p.pI.used, p.pR.used], `${what}: both presignatures consumed`).toEqual([true, true]);
      const sig = combineOnline(keys, p, digest, on);
      expect(nobleOk(pk, digest, sig.compact), `${what}: noble`).toBe(true);
      expect(opensslOk(pk, msg, sig.compact), `${what}: node:crypto`).toBe(true);
      // the verifiers can say no
      const other = msg.slice();
      other[0]! ^= 1;
      expect(opensslOk(pk, other, sig.compact), `${what}: node:crypto, other message`).toBe(false);
      expect(nobleOk(pk, createHash('sha256').update(other).digest(), sig.compact), `${what}: noble, other message`).toBe(false);
      rs.add(sig.r);
    }
    expect(rs.size, seedMsg('a fresh nonce per presignature')).toBe(pool.length);
  });

  test('two presignatures of one pair, bound to two different digests, both verify (the presign context holds no digest)', () => {
    const pk = keys[0]!.publicKey;
    const a = presign(keys, 2, 3, 'two/a');
    const b = presign(keys, 2, 3, 'two/b');
    const ma = messageAndDigest('two/a');
    const mb = messageAndDigest('two/b');
    expect(hex(ma.digest)).not.toBe(hex(mb.digest));
    const sa = combineOnline(keys, a, ma.digest, bindAndRun(a, ma.digest));
    const sb = combineOnline(keys, b, mb.digest, bindAndRun(b, mb.digest));
    for (const [s, m, name] of [[sa, ma, 'a'], [sb, mb, 'b']] as const) {
      expect(nobleOk(pk, m.digest, s.compact), seedMsg(`${name}: noble`)).toBe(true);
      expect(opensslOk(pk, m.msg, s.compact), seedMsg(`${name}: node:crypto`)).toBe(true);
    }
    // each signature is for its own digest only
    expect(nobleOk(pk, mb.digest, sa.compact), seedMsg('a does not sign b')).toBe(false);
    expect(opensslOk(pk, ma.msg, sb.compact), seedMsg('b does not sign a')).toBe(false);
    expect(sa.r, seedMsg('distinct nonces')).not.toBe(sb.r);
  });
});

describe('a presignature binds once', () => {
  test('a second OnlineSigner on it is refused (REJECT ERR_PRESIGNATURE_USED) and does not disturb the first; discard() erases an unused one', () => {
    const pk = keys[0]!.publicKey;
    const p = presign(keys, 1, 3, 'once');
    const { msg, digest } = messageAndDigest('once');
    const other = messageAndDigest('once/other').digest;
    const oI = createOnlineSigner({ presignature: p.pI, digest, guard: p.gI });
    expect([p.pI.used, p.pR.used], seedMsg('only I bound')).toEqual([true, false]);
    for (const d of [digest, other]) {
      const e = expectProtocolError(() => createOnlineSigner({ presignature: p.pI, digest: d, guard: p.gI }), ErrorCode.PRESIGNATURE_USED, 'second binding');
      expect(e.failure, seedMsg('a second binding is a REJECT')).toBe('REJECT');
    }
    // a bad digest is refused before the presignature is consumed
    expect(() => createOnlineSigner({ presignature: p.pR, digest: new Uint8Array(31), guard: p.gR })).toThrow();
    expect(p.pR.used, seedMsg('a refused 31-byte digest consumes nothing')).toBe(false);
    const oR = createOnlineSigner({ presignature: p.pR, digest, guard: p.gR });
    expectProtocolError(() => createOnlineSigner({ presignature: p.pR, digest, guard: p.gR }), ErrorCode.PRESIGNATURE_USED, 'second binding, R');
    // discard() on a bound presignature changes nothing for the signer that holds it
    p.pI.discard();
    const sim = simulate<PartialSignature>([oI, oR]);
    expect([...sim.errors.values()].map((e) => e.code), seedMsg('the first binding still signs')).toEqual([]);
    const sig = combineOnline(keys, p, digest, { oI, oR, sim, msgs: [] });
    expect(nobleOk(pk, digest, sig.compact) && opensslOk(pk, msg, sig.compact), seedMsg('first binding verifies')).toBe(true);

    // discard() before any binding
    const q = presign(keys, 1, 3, 'once/discard');
    expect(q.pI.used).toBe(false);
    q.pI.discard();
    expect(q.pI.used, seedMsg('used after discard')).toBe(true);
    expect(q.pR.used, seedMsg('the peer’s presignature is separate')).toBe(false);
    const e = expectProtocolError(() => createOnlineSigner({ presignature: q.pI, digest, guard: q.gI }), ErrorCode.PRESIGNATURE_USED, 'binding after discard');
    expect(e.failure).toBe('REJECT');
    q.pI.discard(); // twice is harmless
    expect(q.pI.used).toBe(true);
  });
});

describe('round 3 binds the digest', () => {
  test('different digests: both abort ERR_WRONG_SESSION, no culprit, no ban, no partial; both presignatures are spent', () => {
    const p = presign(keys, 3, 2, 'wrongdigest');
    const dI = messageAndDigest('wrongdigest/I').digest;
    const dR = messageAndDigest('wrongdigest/R').digest;
    const on = bindAndRun(p, dI, dR);
    expect(on.sim.outputs.size, seedMsg('no partial')).toBe(0);
    for (const [id, m, g, peer] of [[p.I, on.oI, p.gI, p.R], [p.R, on.oR, p.gR, p.I]] as const) {
      const e = on.sim.errors.get(id);
      expect([e?.failure, e?.code, e?.culprit], seedMsg(`party ${id}: ${e?.message}`)).toEqual(['ABORT', ErrorCode.WRONG_SESSION, undefined]);
      expect([m.status, m.output], seedMsg(`party ${id}`)).toEqual(['aborted', undefined]);
      expect(g.isBanned(keyIdHex(keys[0]!), peer), seedMsg(`party ${id} banned ${peer}`)).toBe(false);
    }
    expect([p.pI.used, p.pR.used], seedMsg('a failed binding does not free the presignature')).toEqual([true, true]);
    expectProtocolError(() => createOnlineSigner({ presignature: p.pI, digest: dR, guard: p.gI }), ErrorCode.PRESIGNATURE_USED, 'retry after a digest mismatch');
  });

  test('ctx is compared before the opening: a different digest with a corrupted opening is still ERR_WRONG_SESSION without ban', () => {
    const p = presign(keys, 1, 2, 'ctxfirst');
    const dI = messageAndDigest('ctxfirst/I').digest;
    const dR = messageAndDigest('ctxfirst/R').digest;
    // R's opening: flip a bit of γ_k (bytes 32 + 65.. of round 3), which alone would be ABORT_BAN
    const on = bindAndRun(p, dI, dR, (m) => {
      if (m.from !== p.R) return m;
      const payload = m.payload.slice();
      payload[32 + 65 + 31]! ^= 1;
      return { ...m, payload };
    });
    const e = on.sim.errors.get(p.I);
    expect([e?.failure, e?.code, e?.culprit], seedMsg(`I: ${e?.message}`)).toEqual(['ABORT', ErrorCode.WRONG_SESSION, undefined]);
    expect(p.gI.isBanned(keyIdHex(keys[0]!), p.R), seedMsg('I banned R')).toBe(false);
    expect(on.sim.outputs.size).toBe(0);
  });

  test('the round-3 payload is MSG3_BYTES = 32 + OPENING_BYTES and starts with signContext(...) of the bound digest', () => {
    for (const [I, R] of [[1, 2], [3, 1]] as const) {
      const what = seedMsg(`I=${I} R=${R}`);
      const p = presign(keys, I, R, `payload/${I}${R}`);
      const digest = messageAndDigest(`payload/${I}${R}`).digest;
      const { pctx, ctx } = contexts(keys, I, R, p.sessionId, digest);
      // rounds 1–2 carry the digest-free pctx
      const r1 = p.msgs.filter((m) => m.round === 1);
      expect(r1.map((m) => [m.from, m.payload.length, hex(m.payload.subarray(0, 32))]), what).toEqual([
        [I, MSG1_BYTES, hex(pctx)],
        [R, MSG1_BYTES, hex(pctx)],
      ]);
      const on = bindAndRun(p, digest);
      expect(on.sim.outputs.size, what).toBe(2);
      expect(on.msgs.map((m) => [m.from, m.to, m.round, m.payload.length]), what).toEqual([
        [I, R, 3, MSG3_BYTES],
        [R, I, 3, MSG3_BYTES],
      ]);
      expect(MSG3_BYTES).toBe(32 + OPENING_BYTES);
      for (const m of on.msgs) {
        expect(hex(m.payload.subarray(0, 32)), `${what}: party ${m.from} ctx`).toBe(hex(ctx));
        // the opening starts with the sender's R_i, the one in its partial
        expect(hex(m.payload.subarray(32, 65)), `${what}: party ${m.from} R_i`).toBe(hex(on.sim.outputs.get(m.from)!.Ri));
      }
      // ctx is neither pctx nor the context of another digest
      expect(hex(ctx)).not.toBe(hex(pctx));
      const other = digest.slice();
      other[0]! ^= 1;
      expect(hex(contexts(keys, I, R, p.sessionId, other).ctx), what).not.toBe(hex(ctx));
    }
  });
});

describe('the split changes no value', () => {
  test('Presigner + OnlineSigner send the same bytes and output the same partials as a whole Signer with the same randomness; rounds 1–2 do not depend on the digest', () => {
    const [I, R] = [2, 1];
    const name = 'equal';
    const digest = messageAndDigest('equal').digest;
    const otherDigest = messageAndDigest('equal/other').digest;
    const p = presign(keys, I, R, name);
    const on = bindAndRun(p, digest);
    expect(on.sim.outputs.size).toBe(2);

    const whole = (d: Uint8Array) => {
      const mk = (self: number, peer: number, initiator: boolean) =>
        createSigner({ share: keys[self - 1]!, peer, initiator, digest: d, sessionId: p.sessionId, rng: partyRng(name, self), guard: new MemoryPairGuard(), replay: memoryReplay(), primitives: nodePrimitives });
      const msgs: Message[] = [];
      const sim = simulate<PartialSignature>([mk(I, R, true), mk(R, I, false)], { intercept: (m) => (msgs.push(m), m) });
      expect(sim.outputs.size, seedMsg('whole Signer completes')).toBe(2);
      return { msgs, sim };
    };
    const same = whole(digest);
    const preRounds = byRound(p.msgs, 2);
    expect(Object.keys(preRounds).length).toBe(4);
    expect(byRound(same.msgs, 2), seedMsg('rounds 1–2: Presigner = Signer')).toEqual(preRounds);
    expect(byRound(same.msgs, 3), seedMsg('rounds 1–3: Presigner + OnlineSigner = Signer')).toEqual({ ...preRounds, ...byRound(on.msgs, 3) });
    for (const i of [I, R]) {
      expect(hex(encodePartial(same.sim.outputs.get(i)!)), seedMsg(`partial of ${i}`)).toBe(hex(encodePartial(on.sim.outputs.get(i)!)));
    }
    // another digest: rounds 1–2 are byte for byte the same, round 3 is not
    const diff = whole(otherDigest);
    expect(byRound(diff.msgs, 2), seedMsg('rounds 1–2 under another digest')).toEqual(preRounds);
    const r3 = (msgs: Message[]) => msgs.filter((m) => m.round === 3).map((m) => hex(m.payload.subarray(0, 32)));
    expect(r3(diff.msgs), seedMsg('round-3 ctx differs with the digest')).not.toEqual(r3(same.msgs));
    // and the opening after ctx is the same (it depends on no digest)
    const op = (msgs: Message[]) => msgs.filter((m) => m.round === 3).map((m) => hex(m.payload.subarray(32)));
    expect(op(diff.msgs)).toEqual(op(same.msgs));
  });
});

describe('bans', () => {
  test('a ban recorded after presigning stops the online step: begin throws ERR_PEER_BANNED, nothing is sent, the peer gets no partial', () => {
    const p = presign(keys, 1, 3, 'ban/begin');
    const digest = messageAndDigest('ban/begin').digest;
    const keyHex = keyIdHex(keys[0]!);
    p.gI.ban(keyHex, p.R, abortBan(ErrorCode.GAMMA_CHECK, 'recorded by another session (test)', { culprit: p.R }));
    const oI = createOnlineSigner({ presignature: p.pI, digest, guard: p.gI });
    const oR = createOnlineSigner({ presignature: p.pR, digest, guard: p.gR });
    const e = expectProtocolError(() => oI.start(), ErrorCode.PEER_BANNED, 'online step with a banned peer');
    expect([e.failure, e.culprit], seedMsg(e.message)).toEqual(['ABORT', p.R]);
    expect([oI.status, oI.output], seedMsg('I aborted')).toEqual(['aborted', undefined]);
    expect(p.pI.used, seedMsg('the presignature is spent')).toBe(true);
    const fromR = oR.start();
    expect(fromR.length).toBe(1);
    expectProtocolError(() => oI.receive(fromR[0]!), ErrorCode.SESSION_FINISHED, 'R’s round 3 after I aborted');
    expect([oR.status, oR.output, oR.pending()], seedMsg('R waits for a round 3 that never comes')).toEqual(['running', undefined, { round: 3, from: [p.I] }]);
  });

  test('a ban recorded after begin, before the peer’s round 3 is processed, aborts too (ERR_PEER_BANNED, no partial)', () => {
    const p = presign(keys, 2, 1, 'ban/process');
    const digest = messageAndDigest('ban/process').digest;
    const oI = createOnlineSigner({ presignature: p.pI, digest, guard: p.gI });
    const oR = createOnlineSigner({ presignature: p.pR, digest, guard: p.gR });
    const [mI] = oI.start();
    const [mR] = oR.start();
    p.gI.ban(keyIdHex(keys[0]!), p.R, abortBan(ErrorCode.GAMMA_CHECK, 'recorded by another session (test)', { culprit: p.R }));
    expectProtocolError(() => oI.receive(mR!), ErrorCode.PEER_BANNED, 'round 3 from a peer banned meanwhile');
    expect([oI.status, oI.output]).toEqual(['aborted', undefined]);
    // R is not banned by its own guard and completes its side (its partial alone signs nothing)
    oR.receive(mI!);
    expect(oR.status).toBe('done');
  });
});
