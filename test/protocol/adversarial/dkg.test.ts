/**
 * Adversarial DKG, n = 2, t = 2: party 1 is corrupted (a scripted party, see adversary.ts) and
 * tampers with one field of one of its messages; honest party 2 must abort naming party 1, and
 * must not output a key share. One `it` per case.
 *
 * Tamper kinds: bit flip, swap with the older session's value, wrong length, identity / off-curve
 * / invalid-prefix point, scalar ≥ q, replay of the older session's message (as is, or re-signed
 * by the corrupted party), a cross-round replay, and the broadcast signature left stale
 * (no re-signing). "Recommitted" cases: the corrupted party committed in round 1 to the tampered
 * values, so the commitment opens and the deeper checks (point decoding, proofs, confirmation)
 * are what must catch it. Equivocation and echo lies need three parties: dkg-n3.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { concat } from '../../../protocol/core/bytes.js';
import {
  ErrorCode as E,
  M,
  abortE,
  bcastField,
  checkDkgAbort,
  checkDkgCompletes,
  compose,
  dkgLayout,
  p2pField,
  recommitted,
  recordDkg,
  runDkgScenario,
  selfCheckDkg,
  whole,
  worldMsg,
  TEST_SEED,
  type DkgEdit,
  type DkgWorld,
} from './adversary.js';
import { splitDkgPayload } from '../../../protocol/testing/index.js';

const N = 2;
const L = dkgLayout(N);
/** Expected code(s); the culprit is always the corrupted party. */
const A = (code: E | E[]): E[] => (Array.isArray(code) ? code : [code]);

let world: DkgWorld;
let old: DkgWorld;
beforeAll(() => {
  world = recordDkg(N, 'cur');
  old = recordDkg(N, 'old');
  selfCheckDkg(world);
});

interface Case {
  readonly name: string;
  readonly edit: DkgEdit;
  /**
   * Codes of the abort expected at the honest party (ABORT, culprit = the corrupted party);
   * 'harmless': the DKG must complete with the recorded key; 'stall': the message is dropped, the
   * honest party must neither output nor blame anyone (timeouts are the node's job);
   * 'wrong-session': ABORT ERR_WRONG_SESSION naming nobody (the round-1 context hash differs:
   * the peer, or whoever gave it its parameters, runs another DKG).
   */
  readonly expect: E[] | 'harmless' | 'stall' | 'wrong-session';
}

const { r1, r2, r2p, r3 } = L;
const echo2 = r2.echo;
const echo3 = r3.echo;
/** Whole older-session message, verbatim (its signature is bound to the older session). */
const replayOld = (round: number): DkgEdit => whole(round, (m, env) => ({ raw: buildOld(env.recorded(env.old, round, m.to)) }));
const buildOld = (p: { bcast: Uint8Array; sig: Uint8Array; p2p: Uint8Array }) => concat(u32be(p.bcast.length), p.bcast, p.sig, p.p2p);
const u32be = (x: number) => new Uint8Array([x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255]);
/** The older session's broadcast, re-signed for this session by the corrupted party (current p2p). */
const oldBcastResigned = (round: number): DkgEdit => whole(round, (m, env) => ({ bcast: env.recorded(env.old, round, m.to).bcast, resign: true }));
/** The older session's p2p part with this session's (valid) broadcast and signature. */
const oldP2p = (round: number): DkgEdit => whole(round, (m, env) => ({ p2p: env.recorded(env.old, round, m.to).p2p }));
/** Raw payload surgery (length fields, truncation). */
const rawEdit = (round: number, f: (payload: Uint8Array) => Uint8Array): DkgEdit =>
  whole(round, (m) => ({ raw: f(buildOld(m)) }));
const setLen = (payload: Uint8Array, len: number) => concat(u32be(len), payload.subarray(4));
const bcastLenOf = (payload: Uint8Array) => splitDkgPayload(payload).bcast.length;
/** Round r's bcast+signature of the corrupted party sent in round `asRound` (cross-round replay). */
const crossRound = (fromRound: number, asRound: number): DkgEdit =>
  whole(asRound, (m, env) => {
    const src = env.recorded(env.world, fromRound, m.to);
    return { bcast: src.bcast, sig: src.sig, resign: false };
  });

const cases: Case[] = [
  // ---- round 1: bcast nonce ‖ com ---------------------------------------------------------------
  { name: 'r1 nonce: bit flip (re-signed) → Schnorr proofs bound to the sid fail', edit: bcastField(1, r1.nonce, 32, M.flip), expect: A(E.PROOF) },
  { name: 'r1 nonce: older session value (re-signed)', edit: bcastField(1, r1.nonce, 32, M.fromOld), expect: A(E.PROOF) },
  { name: 'r1 nonce: zero (re-signed)', edit: bcastField(1, r1.nonce, 32, M.zero), expect: A(E.PROOF) },
  { name: 'r1 com: bit flip (re-signed)', edit: bcastField(1, r1.com, 32, M.flip), expect: A(E.COMMITMENT) },
  { name: 'r1 com: older session value (re-signed)', edit: bcastField(1, r1.com, 32, M.fromOld), expect: A(E.COMMITMENT) },
  { name: 'r1 nonce: bit flip, stale signature', edit: bcastField(1, r1.nonce, 32, M.flip, { noResign: true }), expect: A(E.BAD_SIGNATURE) },
  { name: 'r1 com: bit flip, stale signature', edit: bcastField(1, r1.com, 32, M.flip, { noResign: true }), expect: A(E.BAD_SIGNATURE) },
  { name: 'r1 signature: bit flip', edit: whole(1, (m) => ({ sig: M.flip(m.sig, null!) })), expect: A(E.BAD_SIGNATURE) },
  { name: 'r1 bcast: one byte too long (re-signed)', edit: bcastField(1, 64, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r1 bcast: one byte too short (re-signed)', edit: bcastField(1, 63, 1, M.empty), expect: A(E.BAD_LENGTH) },
  { name: 'r1 p2p: unexpected byte', edit: p2pField(1, 0, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r1 payload: truncated inside the signature', edit: rawEdit(1, (p) => p.slice(0, 4 + 64 + 10)), expect: A(E.BAD_LENGTH) },
  { name: 'r1 payload: empty', edit: rawEdit(1, () => new Uint8Array(0)), expect: A(E.BAD_LENGTH) },
  { name: 'r1 length field: 2^32 − 1', edit: rawEdit(1, (p) => setLen(p, 0xffffffff)), expect: A(E.BAD_LENGTH) },
  { name: 'r1 length field: +1 (no p2p to absorb it)', edit: rawEdit(1, (p) => setLen(p, bcastLenOf(p) + 1)), expect: A(E.BAD_LENGTH) },
  { name: 'r1 replay: older session message verbatim (other context)', edit: replayOld(1), expect: 'wrong-session' },
  { name: 'r1 ctx: bit flip', edit: p2pField(1, 0, 32, M.flip), expect: 'wrong-session' },
  { name: 'r1 ctx: older session value', edit: p2pField(1, 0, 32, M.fromOld), expect: 'wrong-session' },
  { name: 'r1 ctx: one byte short', edit: p2pField(1, 31, 1, M.empty), expect: A(E.BAD_LENGTH) },
  { name: 'r1 replay: older session broadcast re-signed', edit: oldBcastResigned(1), expect: A(E.COMMITMENT) },

  // ---- round 2 broadcast: C0 ‖ C1 ‖ cc ‖ salt ‖ PoK0 ‖ PoK1 ‖ echo(1) ------------------------------
  { name: 'r2 C0: negated point (re-signed)', edit: bcastField(2, r2.C0, 33, M.negate), expect: A(E.COMMITMENT) },
  { name: 'r2 C1: negated point (re-signed)', edit: bcastField(2, r2.C1, 33, M.negate), expect: A(E.COMMITMENT) },
  { name: 'r2 C0: identity (re-signed)', edit: bcastField(2, r2.C0, 33, M.identity), expect: A(E.COMMITMENT) },
  { name: 'r2 C1: off-curve x (re-signed)', edit: bcastField(2, r2.C1, 33, M.offCurve), expect: A(E.COMMITMENT) },
  { name: 'r2 C0: older session value (re-signed)', edit: bcastField(2, r2.C0, 33, M.fromOld), expect: A(E.COMMITMENT) },
  { name: 'r2 cc: bit flip (re-signed)', edit: bcastField(2, r2.cc, 32, M.flip), expect: A(E.COMMITMENT) },
  { name: 'r2 cc: older session value (re-signed)', edit: bcastField(2, r2.cc, 32, M.fromOld), expect: A(E.COMMITMENT) },
  { name: 'r2 salt: bit flip (re-signed)', edit: bcastField(2, r2.salt, 32, M.flip), expect: A(E.COMMITMENT) },
  { name: 'r2 salt: older session value (re-signed)', edit: bcastField(2, r2.salt, 32, M.fromOld), expect: A(E.COMMITMENT) },
  // committed to the tampered values in round 1
  { name: 'r2 C0: identity, recommitted', edit: recommitted(bcastField(2, r2.C0, 33, M.identity)), expect: A(E.BAD_POINT) },
  { name: 'r2 C1: identity, recommitted', edit: recommitted(bcastField(2, r2.C1, 33, M.identity)), expect: A(E.BAD_POINT) },
  { name: 'r2 C0: off-curve x, recommitted', edit: recommitted(bcastField(2, r2.C0, 33, M.offCurve)), expect: A(E.BAD_POINT) },
  { name: 'r2 C1: invalid SEC1 prefix, recommitted', edit: recommitted(bcastField(2, r2.C1, 33, M.badPrefix)), expect: A(E.BAD_POINT) },
  { name: 'r2 C0: negated point, recommitted', edit: recommitted(bcastField(2, r2.C0, 33, M.negate)), expect: A(E.PROOF) },
  { name: 'r2 C0: generator G, recommitted', edit: recommitted(bcastField(2, r2.C0, 33, M.generator)), expect: A(E.PROOF) },
  { name: 'r2 C1: older session value, recommitted', edit: recommitted(bcastField(2, r2.C1, 33, M.fromOld)), expect: A(E.PROOF) },
  {
    name: 'r2 C0: rogue key −C0(honest), recommitted',
    edit: recommitted(
      whole(2, (m, env) => {
        const honestC0 = splitDkgPayload(worldMsg(env.world, m.to, env.adv, 2)).bcast.slice(0, 33);
        return { bcast: concat(M.negate(honestC0, null!), m.bcast.subarray(33)), resign: true };
      }),
    ),
    expect: A(E.PROOF),
  },
  { name: 'r2 cc: bit flip, recommitted → confirmation differs', edit: recommitted(bcastField(2, r2.cc, 32, M.flip)), expect: A(E.CONFIRMATION) },
  { name: 'r2 cc: older session value, recommitted', edit: recommitted(bcastField(2, r2.cc, 32, M.fromOld)), expect: A(E.CONFIRMATION) },
  // proofs of knowledge of the coefficients
  { name: 'r2 PoK0 T: negated point', edit: bcastField(2, r2.T0, 33, M.negate), expect: A(E.PROOF) },
  { name: 'r2 PoK0 T: identity', edit: bcastField(2, r2.T0, 33, M.identity), expect: A(E.PROOF) },
  { name: 'r2 PoK0 T: off-curve x', edit: bcastField(2, r2.T0, 33, M.offCurve), expect: A(E.PROOF) },
  { name: 'r2 PoK0 z: bit flip', edit: bcastField(2, r2.z0, 32, M.flip), expect: A(E.PROOF) },
  { name: 'r2 PoK0 z: = q', edit: bcastField(2, r2.z0, 32, M.scalarQ), expect: A(E.PROOF) },
  { name: 'r2 PoK0 z: = 2^256 − 1', edit: bcastField(2, r2.z0, 32, M.scalarMax), expect: A(E.PROOF) },
  { name: 'r2 PoK0 z: zero', edit: bcastField(2, r2.z0, 32, M.zero), expect: A(E.PROOF) },
  { name: 'r2 PoK1 T: negated point', edit: bcastField(2, r2.T1, 33, M.negate), expect: A(E.PROOF) },
  { name: 'r2 PoK1 z: bit flip', edit: bcastField(2, r2.z1, 32, M.flip), expect: A(E.PROOF) },
  { name: 'r2 PoK1 z: = q', edit: bcastField(2, r2.z1, 32, M.scalarQ), expect: A(E.PROOF) },
  { name: 'r2 PoK0 ↔ PoK1 swapped', edit: bcastField(2, r2.T0, 130, M.swapHalves), expect: A(E.PROOF) },
  { name: 'r2 PoK0: older session proof', edit: bcastField(2, r2.T0, 65, M.fromOld), expect: A(E.PROOF) },
  // echo of round 1 (n = 2: one entry, the honest party's own broadcast)
  { name: 'r2 echo(1) hash: bit flip', edit: bcastField(2, echo2, 32, M.flip), expect: A(E.ECHO) },
  { name: 'r2 echo(1) hash: older session value', edit: bcastField(2, echo2, 32, M.fromOld), expect: A(E.ECHO) },
  { name: 'r2 echo(1) signature: bit flip (hash matches: harmless)', edit: bcastField(2, echo2 + 32, 64, M.flip), expect: 'harmless' },
  // framing
  { name: 'r2 C0: negated point, stale signature', edit: bcastField(2, r2.C0, 33, M.negate, { noResign: true }), expect: A(E.BAD_SIGNATURE) },
  { name: 'r2 PoK0 z: bit flip, stale signature', edit: bcastField(2, r2.z0, 32, M.flip, { noResign: true }), expect: A(E.BAD_SIGNATURE) },
  { name: 'r2 signature: bit flip', edit: whole(2, (m) => ({ sig: M.flip(m.sig, null!) })), expect: A(E.BAD_SIGNATURE) },
  { name: 'r2 bcast: one byte too long (re-signed)', edit: bcastField(2, L.bcastLen[2]!, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r2 bcast: one byte too short (re-signed)', edit: bcastField(2, L.bcastLen[2]! - 1, 1, M.empty), expect: A(E.BAD_LENGTH) },
  { name: 'r2 bcast: echo missing (re-signed)', edit: bcastField(2, echo2, L.echo, M.empty), expect: A(E.BAD_LENGTH) },
  { name: 'r2 length field: +1 (signature misframed)', edit: rawEdit(2, (p) => setLen(p, bcastLenOf(p) + 1)), expect: A(E.BAD_SIGNATURE) },
  { name: 'r2 payload: truncated inside the p2p part', edit: rawEdit(2, (p) => p.slice(0, p.length - 40)), expect: A(E.BAD_LENGTH) },
  { name: 'r2 replay: older session message verbatim', edit: replayOld(2), expect: A(E.BAD_SIGNATURE) },
  { name: 'r2 replay: older session broadcast re-signed (stale echo)', edit: oldBcastResigned(2), expect: A(E.ECHO) },
  {
    name: 'r2 replay: older session broadcast with a correct echo, re-signed',
    edit: whole(2, (m, env) => ({ bcast: concat(env.recorded(env.old, 2, m.to).bcast.subarray(0, echo2), m.bcast.subarray(echo2)), resign: true })),
    expect: A(E.COMMITMENT),
  },
  { name: 'r2 cross-round: round-1 broadcast and signature sent as round 2', edit: crossRound(1, 2), expect: A(E.BAD_SIGNATURE) },

  // ---- round 2 p2p: share ‖ VSOT v1 (B ‖ PoK(b)) --------------------------------------------------
  { name: 'r2 share: bit flip', edit: p2pField(2, r2p.share, 32, M.flip), expect: A(E.FELDMAN) },
  { name: 'r2 share: = q', edit: p2pField(2, r2p.share, 32, M.scalarQ), expect: A(E.SCALAR_RANGE) },
  { name: 'r2 share: = 2^256 − 1', edit: p2pField(2, r2p.share, 32, M.scalarMax), expect: A(E.SCALAR_RANGE) },
  { name: 'r2 share: zero', edit: p2pField(2, r2p.share, 32, M.zero), expect: A([E.FELDMAN, E.SCALAR_RANGE]) },
  { name: 'r2 share: older session value', edit: p2pField(2, r2p.share, 32, M.fromOld), expect: A(E.FELDMAN) },
  { name: 'r2 VSOT B: identity', edit: p2pField(2, r2p.B, 33, M.identity), expect: A(E.BAD_POINT) },
  { name: 'r2 VSOT B: off-curve x', edit: p2pField(2, r2p.B, 33, M.offCurve), expect: A(E.BAD_POINT) },
  { name: 'r2 VSOT B: invalid SEC1 prefix', edit: p2pField(2, r2p.B, 33, M.badPrefix), expect: A(E.BAD_POINT) },
  { name: 'r2 VSOT B: negated point', edit: p2pField(2, r2p.B, 33, M.negate), expect: A(E.PROOF) },
  { name: 'r2 VSOT B: older session value', edit: p2pField(2, r2p.B, 33, M.fromOld), expect: A(E.PROOF) },
  { name: 'r2 VSOT PoK T: negated point', edit: p2pField(2, r2p.T, 33, M.negate), expect: A(E.PROOF) },
  { name: 'r2 VSOT PoK z: bit flip', edit: p2pField(2, r2p.z, 32, M.flip), expect: A(E.PROOF) },
  { name: 'r2 VSOT PoK z: = q', edit: p2pField(2, r2p.z, 32, M.scalarQ), expect: A(E.PROOF) },
  { name: 'r2 VSOT v1: older session message (B ‖ PoK)', edit: p2pField(2, r2p.B, 98, M.fromOld), expect: A(E.PROOF) },
  { name: 'r2 p2p: one byte too long', edit: p2pField(2, L.p2pLen[2]!, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r2 p2p: one byte too short', edit: p2pField(2, L.p2pLen[2]! - 1, 1, M.empty), expect: A(E.BAD_LENGTH) },
  { name: 'r2 p2p: older session p2p part', edit: oldP2p(2), expect: A(E.FELDMAN) },

  // ---- round 3 broadcast: PoK(share) ‖ conf ‖ echo(2); p2p VSOT v2 (A_l) ---------------------------
  { name: 'r3 PoK T: negated point', edit: bcastField(3, r3.T, 33, M.negate), expect: A(E.PROOF) },
  { name: 'r3 PoK T: identity', edit: bcastField(3, r3.T, 33, M.identity), expect: A(E.PROOF) },
  { name: 'r3 PoK z: bit flip', edit: bcastField(3, r3.z, 32, M.flip), expect: A(E.PROOF) },
  { name: 'r3 PoK z: = q', edit: bcastField(3, r3.z, 32, M.scalarQ), expect: A(E.PROOF) },
  { name: 'r3 PoK: older session proof', edit: bcastField(3, r3.T, 65, M.fromOld), expect: A(E.PROOF) },
  { name: 'r3 conf: bit flip', edit: bcastField(3, r3.conf, 32, M.flip), expect: A(E.CONFIRMATION) },
  { name: 'r3 conf: older session value', edit: bcastField(3, r3.conf, 32, M.fromOld), expect: A(E.CONFIRMATION) },
  { name: 'r3 echo(2) hash: bit flip', edit: bcastField(3, echo3, 32, M.flip), expect: A(E.ECHO) },
  { name: 'r3 echo(2) hash: older session value', edit: bcastField(3, echo3, 32, M.fromOld), expect: A(E.ECHO) },
  { name: 'r3 echo(2) signature: bit flip (hash matches: harmless)', edit: bcastField(3, echo3 + 32, 64, M.flip), expect: 'harmless' },
  { name: 'r3 conf: bit flip, stale signature', edit: bcastField(3, r3.conf, 32, M.flip, { noResign: true }), expect: A(E.BAD_SIGNATURE) },
  { name: 'r3 bcast: one byte too long (re-signed)', edit: bcastField(3, L.bcastLen[3]!, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r3 bcast: one byte too short (re-signed)', edit: bcastField(3, L.bcastLen[3]! - 1, 1, M.empty), expect: A(E.BAD_LENGTH) },
  { name: 'r3 replay: older session message verbatim', edit: replayOld(3), expect: A(E.BAD_SIGNATURE) },
  { name: 'r3 replay: older session broadcast re-signed (stale echo)', edit: oldBcastResigned(3), expect: A(E.ECHO) },
  { name: 'r3 cross-round: round-2 broadcast and signature sent as round 3', edit: crossRound(2, 3), expect: A(E.BAD_SIGNATURE) },
  { name: 'r3 VSOT A_0: identity', edit: p2pField(3, 0, 33, M.identity), expect: A(E.BAD_POINT) },
  { name: 'r3 VSOT A_127: off-curve x', edit: p2pField(3, 127 * 33, 33, M.offCurve), expect: A(E.BAD_POINT) },
  { name: 'r3 VSOT A_5: invalid SEC1 prefix', edit: p2pField(3, 5 * 33, 33, M.badPrefix), expect: A(E.BAD_POINT) },
  {
    name: "r3 VSOT A_0: = the honest sender's B",
    edit: whole(3, (m, env) => ({ p2p: concat(env.received(2, m.to).p2p.slice(r2p.B, r2p.B + 33), m.p2p.subarray(33)) })),
    expect: A(E.BAD_POINT),
  },
  { name: 'r3 VSOT A_0: negated point (valid) → base-OT check', edit: p2pField(3, 0, 33, M.negate), expect: A(E.BASE_OT_CHECK) },
  { name: 'r3 VSOT A_0 ↔ A_1 swapped', edit: p2pField(3, 0, 66, M.swapHalves), expect: A(E.BASE_OT_CHECK) },
  { name: 'r3 VSOT v2: older session message', edit: oldP2p(3), expect: A(E.BASE_OT_CHECK) },
  { name: 'r3 p2p: one byte too long', edit: p2pField(3, L.p2pLen[3]!, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r3 p2p: one point missing', edit: p2pField(3, L.p2pLen[3]! - 33, 33, M.empty), expect: A(E.BAD_LENGTH) },

  // ---- round 4: bcast echo(3); p2p VSOT v3 (ξ_l) ----------------------------------------------------
  { name: 'r4 echo(3) hash: bit flip', edit: bcastField(4, 0, 32, M.flip), expect: A(E.ECHO) },
  { name: 'r4 echo(3) hash: older session value', edit: bcastField(4, 0, 32, M.fromOld), expect: A(E.ECHO) },
  { name: 'r4 echo(3) signature: bit flip (hash matches: harmless)', edit: bcastField(4, 32, 64, M.flip), expect: 'harmless' },
  { name: 'r4 echo(3) hash: bit flip, stale signature', edit: bcastField(4, 0, 32, M.flip, { noResign: true }), expect: A(E.BAD_SIGNATURE) },
  { name: 'r4 bcast: one byte too long (re-signed)', edit: bcastField(4, L.bcastLen[4]!, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r4 bcast: one byte too short (re-signed)', edit: bcastField(4, L.bcastLen[4]! - 1, 1, M.empty), expect: A(E.BAD_LENGTH) },
  { name: 'r4 VSOT ξ_0: bit flip', edit: p2pField(4, 0, 32, M.flip), expect: A(E.BASE_OT_CHECK) },
  { name: 'r4 VSOT ξ_127: older session value', edit: p2pField(4, 127 * 32, 32, M.fromOld), expect: A(E.BASE_OT_CHECK) },
  { name: 'r4 p2p: one byte too long', edit: p2pField(4, L.p2pLen[4]!, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r4 p2p: one byte too short', edit: p2pField(4, L.p2pLen[4]! - 1, 1, M.empty), expect: A(E.BAD_LENGTH) },
  { name: 'r4 replay: older session message verbatim', edit: replayOld(4), expect: A(E.BAD_SIGNATURE) },
  { name: 'r4 replay: older session broadcast re-signed (stale echo)', edit: oldBcastResigned(4), expect: A(E.ECHO) },

  // ---- round 5: empty bcast; p2p VSOT v4 (responses) ------------------------------------------------
  { name: 'r5 VSOT resp_0: bit flip', edit: p2pField(5, 0, 32, M.flip), expect: A(E.BASE_OT_CHECK) },
  { name: 'r5 VSOT resp_0: zero', edit: p2pField(5, 0, 32, M.zero), expect: A(E.BASE_OT_CHECK) },
  { name: 'r5 VSOT resp_127: older session value', edit: p2pField(5, 127 * 32, 32, M.fromOld), expect: A(E.BASE_OT_CHECK) },
  { name: 'r5 p2p: one byte too long', edit: p2pField(5, L.p2pLen[5]!, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r5 p2p: one byte too short', edit: p2pField(5, L.p2pLen[5]! - 1, 1, M.empty), expect: A(E.BAD_LENGTH) },
  { name: 'r5 bcast: unexpected byte (re-signed)', edit: bcastField(5, 0, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r5 bcast: unexpected byte, stale signature', edit: bcastField(5, 0, 0, M.appendByte, { noResign: true }), expect: A(E.BAD_SIGNATURE) },
  { name: 'r5 replay: older session message verbatim', edit: replayOld(5), expect: A(E.BAD_SIGNATURE) },
  { name: 'r5 replay: older session p2p part (current signature)', edit: oldP2p(5), expect: A(E.BASE_OT_CHECK) },
  { name: 'r5 cross-round: round-6 signature on the empty broadcast', edit: crossRound(6, 5), expect: A(E.BAD_SIGNATURE) },

  // ---- round 6: empty bcast; p2p VSOT v5 (openings) -------------------------------------------------
  { name: 'r6 VSOT opening o0_0: bit flip', edit: p2pField(6, 0, 32, M.flip), expect: A(E.BASE_OT_CHECK) },
  { name: 'r6 VSOT opening o1_0: bit flip', edit: p2pField(6, 32, 32, M.flip), expect: A(E.BASE_OT_CHECK) },
  { name: 'r6 VSOT opening o0_0 ↔ o1_0 swapped', edit: p2pField(6, 0, 64, M.swapHalves), expect: A(E.BASE_OT_CHECK) },
  { name: 'r6 VSOT opening l = 127: older session value', edit: p2pField(6, 127 * 64, 64, M.fromOld), expect: A(E.BASE_OT_CHECK) },
  { name: 'r6 p2p: one byte too long', edit: p2pField(6, L.p2pLen[6]!, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r6 p2p: one byte too short', edit: p2pField(6, L.p2pLen[6]! - 1, 1, M.empty), expect: A(E.BAD_LENGTH) },
  { name: 'r6 bcast: unexpected byte (re-signed)', edit: bcastField(6, 0, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r6 replay: older session message verbatim', edit: replayOld(6), expect: A(E.BAD_SIGNATURE) },
  { name: 'r6 replay: older session p2p part (current signature)', edit: oldP2p(6), expect: A(E.BASE_OT_CHECK) },
  { name: 'r6 cross-round: round-5 signature on the empty broadcast', edit: crossRound(5, 6), expect: A(E.BAD_SIGNATURE) },
];

cases.push(
  { name: 'r7 done: bit flip (re-signed)', edit: bcastField(7, 0, 32, M.flip), expect: A(E.CONFIRMATION) },
  { name: 'r7 done: older session value (re-signed)', edit: bcastField(7, 0, 32, M.fromOld), expect: A(E.CONFIRMATION) },
  { name: 'r7 done: bit flip, stale signature', edit: bcastField(7, 0, 32, M.flip, { noResign: true }), expect: A(E.BAD_SIGNATURE) },
  { name: 'r7 bcast: one byte short (re-signed)', edit: bcastField(7, 31, 1, M.empty), expect: A(E.BAD_LENGTH) },
  { name: 'r7 p2p: unexpected byte', edit: p2pField(7, 0, 0, M.appendByte), expect: A(E.BAD_LENGTH) },
  { name: 'r7 replay: older session message verbatim', edit: replayOld(7), expect: A(E.BAD_SIGNATURE) },
);

for (let r = 1; r <= 7; r++) cases.push({ name: `r${r} dropped: the message never arrives`, edit: (m) => (m.round === r ? null : m), expect: 'stall' });

function runCase(c: Case, adv: number): void {
  const o = runDkgScenario({ world, old, adv, edit: c.edit });
  const where = `adv=${adv} ${c.name}`;
  if (c.expect === 'harmless') return checkDkgCompletes(o, world, where);
  if (c.expect === 'stall') {
    expect(o.scriptError, `${where} [TEST_SEED=${TEST_SEED}]`).toBeUndefined();
    for (const h of o.honest) {
      expect(o.res.errors.get(h), `${where}: party ${h} [TEST_SEED=${TEST_SEED}]`).toBeUndefined();
      expect(o.res.outputs.has(h), `${where}: party ${h} output a key share [TEST_SEED=${TEST_SEED}]`).toBe(false);
    }
    return;
  }
  if (c.expect === 'wrong-session') return checkDkgAbort(o, { expect: abortE(E.WRONG_SESSION, null) }, adv, where);
  checkDkgAbort(o, { expect: abortE(c.expect, adv) }, adv, where);
}

describe(`DKG n=${N}: corrupted party 1, honest party 2`, () => {
  it('control: the scripted party without tampering lets the DKG complete with the recorded key', () => {
    checkDkgCompletes(runDkgScenario({ world, old, adv: 1 }), world, 'control');
  });
  it.each(cases)('$name', (c) => runCase(c, 1));
});

/** The same cases with the roles exchanged, for the cheap rounds 1–3 (detected before the VSOT tail). */
describe(`DKG n=${N}: corrupted party 2, honest party 1 (rounds 1–3)`, () => {
  it.each(cases.filter((c) => /^r[123] /.test(c.name)))('$name', (c) => runCase(c, 2));
});
