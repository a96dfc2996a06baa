/**
 * Adversarial two-party signing (keys: 2-of-3 from dkgKeys(3)). Both parties send one message
 * in each of the three rounds; for each ordered pair below and each corrupted party (initiator I
 * and responder R), every field of every message it sends is tampered with, one `it` per case.
 * The honest peer must abort with the expected failure class and code naming the sender, output
 * no partial signature, record a ban exactly for ABORT_BAN, and no signature may come out of the
 * combiner.
 *
 * Kinds: bit flip, zero, swap with the older session's value (and, for the context fields and
 * the OT/VOLE/opening blocks, with the same bytes of the sender's session with the third
 * party), wrong length, identity / off-curve / invalid-prefix / other valid point, scalar = q
 * and 2^256 − 1, replay of the whole older-session message, and "recommitted" nonce points (the
 * sender committed to the forged R_i, so only the Γ check can catch it).
 *
 * Context fields: round 1 carries the digest-free presign context pctx, round 3 the signing
 * context ctx = H(pctx, digest). Either one differing is not attributable (the peer may just
 * have been given another session or digest): ERR_WRONG_SESSION, no culprit, no ban.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryPairGuard } from '../../../protocol/core/guard.js';
import type { KeyShare } from '../../../protocol/keyshare/keyshare.js';
import { dkgKeys } from '../../helpers.js';
import {
  ErrorCode as E,
  M,
  SIGN,
  abortE,
  banE,
  checkSignAbort,
  describeErr,
  expectError,
  expectNoSignature,
  recommittedNonce,
  recordSign,
  sentBy,
  runSignScenario,
  selfCheckSign,
  selfCheckSignLayout,
  sfield,
  signCtx,
  signPctx,
  swhole,
  TEST_SEED,
  type Expect,
  type Mut,
  type SignEdit,
  type SignEnv,
} from './adversary.js';

const PAIRS: [number, number][] = [
  [1, 2],
  [3, 1],
];

let keys: KeyShare[];
beforeAll(() => {
  selfCheckSignLayout();
  keys = dkgKeys(3);
  for (const [I, R] of PAIRS) selfCheckSign(keys, recordSign(keys, 'cur', I, R), I, R);
});

type Round = 1 | 2 | 3;
interface SCase {
  readonly name: string;
  readonly round: Round;
  readonly edit: SignEdit;
  /** 'stall': the message is dropped; the waiting party must neither output nor blame anyone. */
  readonly expect: ((adv: number) => Expect) | 'stall';
  /** The byte range [off, off + len) a field case tampers with (for the coverage check below). */
  readonly span?: readonly [number, number];
}

const ab = (code: E) => (adv: number) => abortE(code, adv);
const ban = (code: E) => (adv: number) => banE(code, adv);
const either = (...fs: ((adv: number) => Expect)[]) => (adv: number) => fs.map((f) => f(adv)) as Expect;

const f = (round: Round, name: string, off: number, len: number, mut: Mut, expect: (adv: number) => Expect): SCase => ({
  name: `m${round} ${name}`,
  round,
  edit: sfield(round, off, len, mut),
  expect,
  span: [off, len],
});

/** Wrong-length and whole-message replay cases of message `round`. */
function framing(round: Round, replayExpect: (adv: number) => Expect): SCase[] {
  const len = SIGN[round].len;
  // a length case targets no field (its range is not counted by the coverage check)
  const L = (name: string, off: number, n: number, mut: Mut): SCase => ({ ...f(round, name, off, n, mut, ab(E.BAD_LENGTH)), span: undefined });
  return [
    L('length: one byte too long', len, 0, M.appendByte),
    L('length: one byte too short', len - 1, 1, M.empty),
    L('length: empty', 0, len, M.empty),
    L('length: first half only', len >> 1, len - (len >> 1), M.empty),
    { name: `m${round} replay: whole older-session message`, round, edit: swhole(round, (_p, env) => sentBy(env.old, env.adv, round).slice()), expect: replayExpect },
    { name: `m${round} dropped: the peer never answers`, round, edit: swhole(round, () => null), expect: 'stall' },
  ];
}

/** OT-extension message at `base` (round 1): every part. */
function ote(round: 1, base: number): SCase[] {
  const o = SIGN[1].ext;
  const d = base - o.base;
  const B = ban(E.OTE_CHECK);
  return [
    f(round, 'ext u row 0: bit flip', o.u + d, 1, M.flip, B),
    f(round, 'ext u row 64, byte 50: bit flip', o.u + d + 64 * o.row + 50, 1, M.flip, B),
    f(round, 'ext u row 127, mask columns: bit flip', o.u + d + 127 * o.row + o.row - 1, 1, M.flip, B),
    f(round, 'ext u rows 0 ↔ 1 swapped', o.u + d, 2 * o.row, M.swapHalves, B),
    f(round, 'ext u: older session rows', o.u + d, o.rows * o.row, M.fromOld, B),
    f(round, 'ext x̃: bit flip', o.xt + d, 16, M.flip, B),
    f(round, 'ext x̃: zero', o.xt + d, 16, M.zero, B),
    f(round, 'ext x̃: older session value', o.xt + d, 16, M.fromOld, B),
    f(round, 'ext H(t̃): bit flip', o.ht + d, 32, M.flip, B),
    f(round, 'ext H(t̃): older session value', o.ht + d, 32, M.fromOld, B),
    f(round, 'ext: whole block of the older session', base, o.len, M.fromOld, B),
    f(round, "ext: whole block of the sender's session with the third party", base, o.len, M.fromOther, B),
  ];
}

/** VOLE message at `base` (round 2). */
function vole(round: 2, base: number): SCase[] {
  const Q = (j: number, c: number) => base + 32 * (3 * j + c);
  const hu = base + 752 * 3 * 32;
  const v = hu + 32;
  const B = ban(E.VOLE_CHECK);
  const S = ab(E.SCALAR_RANGE);
  return [
    f(round, 'vole Q[0][0]: bit flip', Q(0, 0), 32, M.flip, B),
    f(round, 'vole Q[0][1]: bit flip', Q(0, 1), 32, M.flip, B),
    f(round, 'vole Q[0][2] (mask column): bit flip', Q(0, 2), 32, M.flip, B),
    f(round, 'vole Q[751][2]: bit flip', Q(751, 2), 32, M.flip, B),
    f(round, 'vole Q[0][0]: zero', Q(0, 0), 32, M.zero, B),
    f(round, 'vole Q[100][0]: = q', Q(100, 0), 32, M.scalarQ, S),
    f(round, 'vole Q[751][2]: = 2^256 − 1', Q(751, 2), 32, M.scalarMax, S),
    f(round, 'vole Q[0] ↔ Q[1] swapped', Q(0, 0), 192, M.swapHalves, B),
    f(round, 'vole Q: older session matrix', Q(0, 0), 752 * 3 * 32, M.fromOld, B),
    f(round, 'vole H_u: bit flip', hu, 32, M.flip, B),
    f(round, 'vole H_u: older session value', hu, 32, M.fromOld, B),
    f(round, 'vole v: bit flip', v, 32, M.flip, B),
    f(round, 'vole v: zero', v, 32, M.zero, B),
    f(round, 'vole v: = q', v, 32, M.scalarQ, S),
    f(round, 'vole v: = 2^256 − 1', v, 32, M.scalarMax, S),
    f(round, 'vole: whole block of the older session', base, SIGN[2].vole.len, M.fromOld, B),
    f(round, "vole: whole block of the sender's session with the third party", base, SIGN[2].vole.len, M.fromOther, B),
  ];
}

/** Opening R_i ‖ open ‖ γ_k ‖ γ_x ‖ Γ_k ‖ Γ_x (round 3). */
function opening(round: 3): SCase[] {
  const o = SIGN[round].opening;
  const C = ab(E.COMMITMENT);
  const P = ab(E.BAD_POINT);
  const S = ab(E.SCALAR_RANGE);
  const G = ban(E.GAMMA_CHECK);
  const out: SCase[] = [
    f(round, 'R_i: negated point', o.R, 33, M.negate, C),
    f(round, 'R_i: x bit flip (off-curve or another point)', o.R, 33, M.flip, either(P, C)),
    f(round, 'R_i: identity', o.R, 33, M.identity, P),
    f(round, 'R_i: off-curve x', o.R, 33, M.offCurve, P),
    f(round, 'R_i: invalid SEC1 prefix', o.R, 33, M.badPrefix, P),
    f(round, 'R_i: generator G', o.R, 33, M.generator, C),
    f(round, 'R_i: older session value', o.R, 33, M.fromOld, C),
    { name: `m${round} R_i: negated point, recommitted`, round, edit: recommittedNonce(M.negate), expect: G },
    { name: `m${round} R_i: generator G, recommitted`, round, edit: recommittedNonce(M.generator), expect: G },
    { name: `m${round} R_i: older session value, recommitted`, round, edit: recommittedNonce(M.fromOld), expect: G },
    f(round, 'open: bit flip', o.open, 32, M.flip, C),
    f(round, 'open: zero', o.open, 32, M.zero, C),
    f(round, 'open: older session value', o.open, 32, M.fromOld, C),
  ];
  for (const [nm, off] of [['γ_k', o.gk], ['γ_x', o.gx]] as const) {
    out.push(
      f(round, `${nm}: bit flip`, off, 32, M.flip, G),
      f(round, `${nm}: zero`, off, 32, M.zero, G),
      f(round, `${nm}: older session value`, off, 32, M.fromOld, G),
      f(round, `${nm}: = q`, off, 32, M.scalarQ, S),
      f(round, `${nm}: = 2^256 − 1`, off, 32, M.scalarMax, S),
    );
  }
  for (const [nm, off] of [['Γ_k', o.Gk], ['Γ_x', o.Gx]] as const) {
    out.push(
      f(round, `${nm}: negated point`, off, 33, M.negate, G),
      f(round, `${nm}: x bit flip (off-curve or another point)`, off, 33, M.flip, either(P, G)),
      f(round, `${nm}: identity`, off, 33, M.identity, P),
      f(round, `${nm}: off-curve x`, off, 33, M.offCurve, P),
      f(round, `${nm}: invalid SEC1 prefix`, off, 33, M.badPrefix, P),
      f(round, `${nm}: generator G`, off, 33, M.generator, G),
      f(round, `${nm}: older session value`, off, 33, M.fromOld, G),
    );
  }
  out.push(
    f(round, 'γ_k ↔ γ_x swapped', o.gk, 64, M.swapHalves, G),
    f(round, 'Γ_k ↔ Γ_x swapped', o.Gk, 66, M.swapHalves, G),
    f(round, 'opening: whole older-session opening', o.base, o.len, M.fromOld, C),
    f(round, "opening: the sender's opening from its session with the third party", o.base, o.len, M.fromOther, C),
  );
  return out;
}

const S1 = SIGN[1];
const S3 = SIGN[3];
/** A context-hash mismatch is not attributable (the peer or whoever gave it its request): abort, no culprit, no ban. */
const wrongSession = () => abortE(E.WRONG_SESSION, null);
/** Message `round` with its 32-byte context field (at `off`) replaced by a value computed for the session under attack. */
const ctxAs = (round: Round, off: number, value: (env: SignEnv) => Uint8Array): SignEdit =>
  swhole(round, (p, env) => {
    const o = p.slice();
    o.set(value(env), off);
    return o;
  });
/** The same session (key, pair, session id) bound to another digest: what a peer given a different request sends. */
const otherDigest = (env: SignEnv): Uint8Array => {
  const d = env.cur.run.digest.slice();
  d[31]! ^= 1;
  return d;
};
/** Context cases of message `round` (pctx in round 1, ctx in round 3): all WRONG_SESSION, no culprit, no ban. */
function contextCases(round: 1 | 3, off: number): SCase[] {
  return [
    f(round, 'ctx: bit flip', off, 32, M.flip, wrongSession),
    f(round, 'ctx: zero', off, 32, M.zero, wrongSession),
    f(round, 'ctx: older session value', off, 32, M.fromOld, wrongSession),
    f(round, "ctx: the sender's value from its session with the third party", off, 32, M.fromOther, wrongSession),
  ];
}
const cases: SCase[] = [
  // round 1: pctx ‖ salt ‖ com ‖ ext (the honest party checks the ext under its Δ gate)
  ...contextCases(1, S1.ctx),
  {
    name: 'm1 ctx: the signing ctx (with digest) instead of pctx',
    round: 1,
    edit: ctxAs(1, S1.ctx, (env) => signCtx(env.keys, env.I, env.R, env.cur.run.digest, env.cur.run.sessionId)),
    expect: wrongSession,
  },
  f(1, 'salt: bit flip', S1.salt, 32, M.flip, ban(E.OTE_CHECK)),
  f(1, 'salt: zero', S1.salt, 32, M.zero, ban(E.OTE_CHECK)),
  f(1, 'salt: older session value', S1.salt, 32, M.fromOld, ban(E.OTE_CHECK)),
  f(1, 'com: bit flip', S1.com, 32, M.flip, ab(E.COMMITMENT)),
  f(1, 'com: zero', S1.com, 32, M.zero, ab(E.COMMITMENT)),
  f(1, 'com: older session value', S1.com, 32, M.fromOld, ab(E.COMMITMENT)),
  ...ote(1, S1.ext.base),
  ...framing(1, wrongSession),
  // round 2: the VOLE sender message
  ...vole(2, SIGN[2].vole.base),
  ...framing(2, ban(E.VOLE_CHECK)),
  // round 3: ctx ‖ opening (ctx is compared before the opening is read)
  ...contextCases(3, S3.ctx),
  {
    name: 'm3 ctx: the round-1 pctx instead of ctx',
    round: 3,
    edit: ctxAs(3, S3.ctx, (env) => signPctx(env.keys, env.I, env.R, env.cur.run.sessionId)),
    expect: wrongSession,
  },
  {
    name: 'm3 ctx: this session bound to another digest',
    round: 3,
    edit: ctxAs(3, S3.ctx, (env) => signCtx(env.keys, env.I, env.R, otherDigest(env), env.cur.run.sessionId)),
    expect: wrongSession,
  },
  ...opening(3),
  // the older session's ctx differs (session id and digest), and it is compared first
  ...framing(3, wrongSession),
];

/**
 * The fields of each signing message, which must tile it (no byte outside a field); each must be
 * the target of at least one field case (a tampered range inside that field, length cases not
 * counted). A field added to a message fails the check below until it is listed here and gets
 * its cases.
 */
function layoutFields(): { round: Round; name: string; off: number; len: number }[] {
  const x = S1.ext;
  const v = SIGN[2].vole;
  const o = S3.opening;
  return [
    { round: 1, name: 'ctx', off: S1.ctx, len: 32 },
    { round: 1, name: 'salt', off: S1.salt, len: 32 },
    { round: 1, name: 'com', off: S1.com, len: 32 },
    { round: 1, name: 'ext u', off: x.u, len: x.rows * x.row },
    { round: 1, name: 'ext x̃', off: x.xt, len: 16 },
    { round: 1, name: 'ext H(t̃)', off: x.ht, len: 32 },
    { round: 2, name: 'vole Q', off: v.Q, len: v.qLen },
    { round: 2, name: 'vole H_u', off: v.hu, len: 32 },
    { round: 2, name: 'vole v', off: v.v, len: 32 },
    { round: 3, name: 'ctx', off: S3.ctx, len: 32 },
    { round: 3, name: 'R_i', off: o.R, len: 33 },
    { round: 3, name: 'open', off: o.open, len: 32 },
    { round: 3, name: 'γ_k', off: o.gk, len: 32 },
    { round: 3, name: 'γ_x', off: o.gx, len: 32 },
    { round: 3, name: 'Γ_k', off: o.Gk, len: 33 },
    { round: 3, name: 'Γ_x', off: o.Gx, len: 33 },
  ];
}

describe('case coverage', () => {
  it('every field of the signing layout has its own cases, and the fields tile each message', () => {
    const fields = layoutFields();
    for (const round of [1, 2, 3] as const) {
      const mine = fields.filter((x) => x.round === round).sort((a, b) => a.off - b.off);
      let end = 0;
      for (const x of mine) {
        expect(x.off, `m${round} ${x.name}: gap or overlap before it`).toBe(end);
        end = x.off + x.len;
      }
      expect(end, `m${round}: fields do not reach the message length`).toBe(SIGN[round].len);
    }
    for (const x of fields) {
      const hits = cases.filter((c) => c.round === x.round && c.span && c.span[0] >= x.off && c.span[0] + c.span[1] <= x.off + x.len);
      expect(hits.length, `m${x.round} ${x.name}: no case tampers with this field alone`).toBeGreaterThan(0);
    }
  });
});

function envFor(I: number, R: number, adv: number): SignEnv {
  const third = 6 - I - R;
  return {
    keys,
    I,
    R,
    adv,
    cur: recordSign(keys, 'cur', I, R),
    old: recordSign(keys, 'old', I, R),
    other: () => (adv === I ? recordSign(keys, 'cur', I, third) : recordSign(keys, 'cur', third, R)),
  };
}

for (const [I, R] of PAIRS) {
  describe(`signing I=${I} R=${R}`, () => {
    it('control: an untampered session through the same harness yields a valid signature', () => {
      const o = runSignScenario(keys, I, R, I, (_r, p) => p, envFor(I, R, I));
      expect(o.run.sim.errors.size, `[TEST_SEED=${TEST_SEED}] ${[...o.run.sim.errors.values()].map(describeErr)}`).toBe(0);
      expect(o.run.sim.outputs.size).toBe(2);
    });
    const rows = cases.flatMap((c) => [
      { ...c, adv: I, label: `I sends ${c.name}` },
      { ...c, adv: R, label: `R sends ${c.name}` },
    ]);
    it.each(rows)('$label', (c) => {
      const adv = c.adv;
      const o = runSignScenario(keys, I, R, adv, c.edit, envFor(I, R, adv));
      const where = `I=${I} R=${R} adv=${adv} ${c.name}`;
      if (c.expect === 'stall') {
        // dropped message: nobody can be blamed inside the protocol (timeouts are the node's job),
        // but nothing may be output by the party waiting for it, and no signature may appear.
        const waiting = adv === I ? R : I;
        expect(o.run.sim.errors.get(waiting), `${where} [TEST_SEED=${TEST_SEED}]`).toBeUndefined();
        expect(o.run.sim.outputs.has(waiting), `${where} [TEST_SEED=${TEST_SEED}]`).toBe(false);
        expectNoSignature(keys, I, R, o.run, where);
        return;
      }
      checkSignAbort(keys, o, c.expect(adv), adv, where);
    });
  });
}

/**
 * After an ABORT_BAN the honest party refuses every later session with the banned peer for
 * this key, in either role (ERR_PEER_BANNED naming the peer), and still no signature.
 */
const banCases: { name: string; adv: 'I' | 'R'; edit: SignEdit; code: E }[] = [
  { name: 'OT-extension check (I: round-1 H(t̃) flipped)', adv: 'I', edit: sfield(1, S1.ext.ht, 32, M.flip), code: E.OTE_CHECK },
  { name: 'OT-extension check (R: round-1 u row 0 flipped)', adv: 'R', edit: sfield(1, S1.ext.u, 1, M.flip), code: E.OTE_CHECK },
  { name: 'VOLE check (R: round-2 v flipped)', adv: 'R', edit: sfield(2, SIGN[2].vole.v, 32, M.flip), code: E.VOLE_CHECK },
  { name: 'Γ check (I: round-3 γ_k flipped)', adv: 'I', edit: sfield(3, SIGN[3].opening.gk, 32, M.flip), code: E.GAMMA_CHECK },
  { name: 'Γ check (R: round-3 Γ_x negated)', adv: 'R', edit: sfield(3, SIGN[3].opening.Gx, 33, M.negate), code: E.GAMMA_CHECK },
];
for (const [I, R] of PAIRS) {
  describe(`ban persists I=${I} R=${R}`, () => {
    const rows = banCases.flatMap((b) => [
      { ...b, swap: false, label: `${b.name} → next session, same roles` },
      { ...b, swap: true, label: `${b.name} → next session, roles swapped` },
    ]);
    it.each(rows)('$label', (c) => {
      const adv = c.adv === 'I' ? I : R;
      const honest = adv === I ? R : I;
      const guard = new MemoryPairGuard();
      const first = runSignScenario(keys, I, R, adv, c.edit, envFor(I, R, adv), guard);
      checkSignAbort(keys, first, banE(c.code, adv), adv, `I=${I} R=${R} ${c.name}`);
      const [I2, R2] = c.swap ? [R, I] : [I, R];
      const next = runSignScenario(keys, I2, R2, adv, (_r, p) => p, envFor(I2, R2, adv), guard, 'next');
      const where = `I=${I2} R=${R2} after ban by ${honest}`;
      expectError(next.run.sim.errors.get(honest), abortE(E.PEER_BANNED, adv), `${where}: honest party ${honest}`);
      expect(next.run.sim.outputs.has(honest), `${where} [TEST_SEED=${TEST_SEED}]`).toBe(false);
      expectNoSignature(keys, I2, R2, next.run, where);
    });
  });
}
