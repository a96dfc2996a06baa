/**
 * The Δ serialisation and ban property (@spec SPEC.md §6.5, protocol/core/guard.ts): many signing
 * sessions of one pair and key, driven by hand and interleaved, share each party's guard. After
 * one check fails (extension check, VOLE check, Γ check), every other session of that pair stops
 * at its next step with ERR_PEER_BANNED and no further check against that Δ runs; other pairs and
 * other keys are unaffected.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { TEST_SEED, dkgKeys, memoryReplay, nodePrimitives } from '../helpers.js';
import { ErrorCode, ProtocolError, abort, abortBan, isProtocolError, reject } from '../../protocol/core/errors.js';
import { MemoryPairGuard } from '../../protocol/core/guard.js';
import type { Message } from '../../protocol/core/machine.js';
import { keyIdHex, type KeyShare } from '../../protocol/keyshare/keyshare.js';
import { q } from '../../protocol/math/ec.js';
import { OTE_MSG_BYTES } from '../../protocol/ot/extension.js';
import { VOLE_MSG_BYTES } from '../../protocol/vole/vole.js';
import { MSG1_BYTES, MSG3_BYTES, OPENING_BYTES, createSigner, type PartialSignature, type ReplayGuard, type Signer } from '../../protocol/sign/sign.js';
import { combine } from '../../protocol/sign/combine.js';
import { seededRng, simulate } from '../../protocol/testing/index.js';
import { be32, beBig, expectProtocolError, seedMsg } from './support.js';

/** One node's durable state: its guard and its replay store (one per party, shared by all its sessions). */
interface Party {
  guard: MemoryPairGuard;
  replay: ReplayGuard;
}
interface Session {
  label: string;
  I: Signer;
  R: Signer;
  digest: Uint8Array;
  sessionId: Uint8Array;
}

function parties(n: number): Map<number, Party> {
  return new Map(Array.from({ length: n }, (_, i) => [i + 1, { guard: new MemoryPairGuard(), replay: memoryReplay() }]));
}

/** A session of I (initiator) and R; nothing started. */
function session(keys: KeyShare[], nodes: Map<number, Party>, I: number, R: number, label: string): Session {
  const rng = seededRng(`${TEST_SEED}/guard.test/${label}`);
  const digest = rng(32);
  const sessionId = rng(32);
  const mk = (self: number, peer: number, initiator: boolean) =>
    createSigner({
      share: keys[self - 1]!,
      peer,
      initiator,
      digest,
      sessionId,
      rng: seededRng(`${TEST_SEED}/guard.test/${label}/${self}`),
      guard: nodes.get(self)!.guard,
      replay: nodes.get(self)!.replay,
      primitives: nodePrimitives,
    });
  return { label, I: mk(I, R, true), R: mk(R, I, false), digest, sessionId };
}
/** Starts both signers; returns their round-1 messages. */
function startBoth(s: Session): { I: Message; R: Message } {
  const a = s.I.start();
  const b = s.R.start();
  expect([a.length, b.length], 'each party sends one round-1 message').toEqual([1, 1]);
  return { I: a[0]!, R: b[0]! };
}

type Step = { out: Message[]; err?: undefined } | { out?: undefined; err: ProtocolError };
function step(f: () => Message[]): Step {
  try {
    return { out: f() };
  } catch (e) {
    if (!isProtocolError(e)) throw e;
    return { err: e };
  }
}
/** Delivers and expects success with exactly `count` outgoing messages. */
function ok(s: Signer, m: Message, count: number, what: string): Message[] {
  const r = step(() => s.receive(m));
  expect(r.err?.message, seedMsg(`${what}: unexpected error`)).toBeUndefined();
  expect(r.out!.length, seedMsg(what)).toBe(count);
  return r.out!;
}
function banned(f: () => Message[], peer: number, what: string): void {
  const r = step(f);
  expect(r.err, seedMsg(`${what}: expected ERR_PEER_BANNED, got success`)).toBeDefined();
  expect(r.err!.code, seedMsg(`${what}: ${r.err!.message}`)).toBe(ErrorCode.PEER_BANNED);
  expect(r.err!.culprit, seedMsg(what)).toBe(peer);
}

function verifies(keys: KeyShare[], s: Session): boolean {
  const p = [s.I.output, s.R.output] as PartialSignature[];
  const sig = combine(
    { keyId: keys[0]!.keyId, publicKey: keys[0]!.publicKey, publicShares: keys[0]!.publicShares, initiator: s.I.self, responder: s.R.self, digest: s.digest, sessionId: s.sessionId, primitives: nodePrimitives },
    p,
  );
  return secp256k1.verify(sig.compact, s.digest, keys[0]!.publicKey, { prehash: false, lowS: true });
}

/** A full honest session through `simulate`; returns whether it produced a verifying signature. */
function honest(keys: KeyShare[], nodes: Map<number, Party>, I: number, R: number, label: string): boolean {
  const s = session(keys, nodes, I, R, label);
  const sim = simulate<PartialSignature>([s.I, s.R]);
  expect([...sim.errors.values()].map((e) => e.code), seedMsg(`${label} I=${I} R=${R}`)).toEqual([]);
  return sim.outputs.size === 2 && verifies(keys, s);
}

const flipBit = (m: Message, byte: number, bit = 0): Message => {
  const p = m.payload.slice();
  p[byte]! ^= 1 << bit;
  return { ...m, payload: p };
};
/** Adds 1 (mod q) to the 32-byte scalar at `off`, keeping it a valid scalar. */
const bumpScalar = (m: Message, off: number): Message => {
  const p = m.payload.slice();
  p.set(be32((beBig(p.subarray(off, off + 32)) + 1n) % q), off);
  return { ...m, payload: p };
};

/** Round 1 is pctx ‖ salt ‖ com ‖ ext: the extension message is its tail. */
const EXT = MSG1_BYTES - OTE_MSG_BYTES;
/** Round 3 is ctx ‖ R_i ‖ open ‖ γ_k ‖ γ_x ‖ Γ_k ‖ Γ_x: the opening is its tail. */
const OPENING = MSG3_BYTES - OPENING_BYTES;
const GAMMA_K = OPENING + 33 + 32;
const GAMMA_X = GAMMA_K + 32;

let keys: KeyShare[];
let keyHex: string;
beforeAll(() => {
  keys = dkgKeys(3);
  keyHex = keyIdHex(keys[0]!);
});

describe('MemoryPairGuard', () => {
  test('withDelta is exclusive per (key, peer), bans on ABORT_BAN only, and refuses banned peers without running', () => {
    const g = new MemoryPairGuard();
    expect(g.withDelta('k', 2, () => 7)).toBe(7);
    // nesting on the same Δ is a BUG; another peer's Δ is a different section
    const nested = expectProtocolError(() => g.withDelta('k', 2, () => g.withDelta('k', 2, () => 0)), ErrorCode.INVARIANT, 'nested same Δ');
    expect(nested.failure).toBe('BUG');
    expect(g.isBanned('k', 2), 'a BUG is no ban').toBe(false);
    expect(g.withDelta('k', 2, () => g.withDelta('k', 3, () => 5))).toBe(5);
    expect(g.maxConcurrent).toBe(2); // two different Δ at once is allowed and counted
    // the section is released after a throw
    expect(() => g.withDelta('k', 2, () => { throw reject(ErrorCode.DUPLICATE_MESSAGE, 'x'); })).toThrow();
    expect(() => g.withDelta('k', 2, () => { throw abort(ErrorCode.BAD_LENGTH, 'x', { culprit: 2 }); })).toThrow();
    expect(() => g.withDelta('k', 2, () => { throw new Error('plain'); })).toThrow('plain');
    expect(g.isBanned('k', 2), 'REJECT / ABORT / foreign errors do not ban').toBe(false);
    expect(g.withDelta('k', 2, () => 1)).toBe(1);
    const before = g.checks;
    expect(() => g.withDelta('k', 2, () => { throw abortBan(ErrorCode.OTE_CHECK, 'x', { culprit: 2 }); })).toThrow();
    expect(g.isBanned('k', 2)).toBe(true);
    expect(g.checks).toBe(before + 1);
    let ran = false;
    expectProtocolError(() => g.withDelta('k', 2, () => (ran = true)), ErrorCode.PEER_BANNED, 'banned Δ');
    expect(ran, 'the check of a banned peer must not run').toBe(false);
    expect(g.checks, 'refused checks are not counted').toBe(before + 1);
    // per key and per peer
    expect(g.isBanned('k', 3)).toBe(false);
    expect(g.isBanned('other', 2)).toBe(false);
    expect(g.withDelta('other', 2, () => 9)).toBe(9);
  });
});

describe('extension-check failure bans the pair (interleaved sessions, hand-driven)', () => {
  test('one tampered round-1 extension message: the responder bans the initiator; every other session of the pair stops', () => {
    const nodes = parties(3);
    const G1 = nodes.get(1)!.guard;
    const G2 = nodes.get(2)!.guard;
    const S = Array.from({ length: 8 }, (_, k) => session(keys, nodes, 1, 2, `ote/${k}`));
    const m1 = S.map(startBoth);
    // round 1 of sessions 0..2 in both directions (each party checks the other's extension)
    const m2 = [0, 1, 2].map((k) => ({ R: ok(S[k]!.R, m1[k]!.I, 1, `R${k} round 1`)[0]!, I: ok(S[k]!.I, m1[k]!.R, 1, `I${k} round 1`)[0]! }));
    // session 0 to the end
    const m3_0 = { R: ok(S[0]!.R, m2[0]!.I, 1, 'R0 round 2')[0]!, I: ok(S[0]!.I, m2[0]!.R, 1, 'I0 round 2')[0]! };
    ok(S[0]!.R, m3_0.I, 0, 'R0 round 3');
    ok(S[0]!.I, m3_0.R, 0, 'I0 round 3');
    expect(verifies(keys, S[0]!), seedMsg('session 0 (before the failure) signs')).toBe(true);
    // session 1 up to its round-3 messages
    const m3_1 = { R: ok(S[1]!.R, m2[1]!.I, 1, 'R1 round 2')[0]!, I: ok(S[1]!.I, m2[1]!.R, 1, 'I1 round 2')[0]! };
    expect(G2.checks, seedMsg('three extension checks at the responder')).toBe(3);
    expect(G1.checks, seedMsg('three extension checks at the initiator')).toBe(3);

    // session 3: one bit of u (row 0) flipped in the initiator's extension message
    const bad = step(() => S[3]!.R.receive(flipBit(m1[3]!.I, EXT + 5, 3)));
    expect(bad.err, seedMsg('tampered extension accepted')).toBeDefined();
    expect([bad.err!.failure, bad.err!.code, bad.err!.culprit], seedMsg(bad.err!.message)).toEqual(['ABORT_BAN', ErrorCode.OTE_CHECK, 1]);
    expect(S[3]!.R.status).toBe('aborted');
    expect(G2.isBanned(keyHex, 1), seedMsg('responder banned the initiator')).toBe(true);
    const checksAfter = G2.checks;
    expect(checksAfter, seedMsg('the failed check ran once')).toBe(4);

    // session 1 had passed its check: its next step at the responder is refused
    banned(() => S[1]!.R.receive(m3_1.I), 1, 'R1 round 3 (check already passed)');
    // session 2 had passed its check too; the initiator (who holds no ban) goes on, the responder stops
    ok(S[2]!.I, m2[2]!.R, 1, 'I2 round 2');
    banned(() => S[2]!.R.receive(m2[2]!.I), 1, 'R2 round 2 (check already passed)');
    // sessions 4..7 never reach their check
    for (const k of [6, 4, 7, 5]) banned(() => S[k]!.R.receive(m1[k]!.I), 1, `R${k} round 1`);
    expect(G2.checks, seedMsg('no check ran after the ban')).toBe(checksAfter);
    for (const k of [1, 2, 3, 4, 5, 6, 7]) {
      expect(S[k]!.R.status, seedMsg(`R${k}`)).toBe('aborted');
      expect(S[k]!.R.output, seedMsg(`R${k} output`)).toBeUndefined();
      expect(S[k]!.I.output, seedMsg(`I${k} output`)).toBeUndefined();
    }

    // brand-new sessions of the pair, either role: refused at start, without running a check
    banned(() => session(keys, nodes, 1, 2, 'ote/fresh').R.start(), 1, 'fresh session, party 2 responds');
    banned(() => session(keys, nodes, 2, 1, 'ote/reversed').I.start(), 1, 'fresh session with roles reversed, party 2 initiates');
    let ran = false;
    expectProtocolError(() => G2.withDelta(keyHex, 1, () => (ran = true)), ErrorCode.PEER_BANNED, 'direct check against the banned Δ');
    expect(ran).toBe(false);
    expect(G2.checks, seedMsg('fresh sessions ran no check')).toBe(checksAfter);

    // one check at a time per Δ, throughout
    expect(G1.maxConcurrent, seedMsg('G1.maxConcurrent')).toBe(1);
    expect(G2.maxConcurrent, seedMsg('G2.maxConcurrent')).toBe(1);

    // other pairs are unaffected, in both roles, with the same guards
    expect(G1.isBanned(keyHex, 2), seedMsg('the initiator did not ban the responder')).toBe(false);
    for (const [I, R] of [[1, 3], [3, 1], [2, 3], [3, 2]] as const) {
      expect(honest(keys, nodes, I, R, `ote/other/${I}/${R}`), seedMsg(`pair ${I}→${R} still signs`)).toBe(true);
    }
    expect(G1.maxConcurrent).toBe(1);
    expect(G2.maxConcurrent).toBe(1);
    expect(nodes.get(3)!.guard.maxConcurrent).toBe(1);
  });

  test('the ban is per key: the same two parties still sign under another key', () => {
    const nodes = parties(3);
    const s = session(keys, nodes, 1, 2, 'perkey/bad');
    const m = startBoth(s).I;
    const bad = step(() => s.R.receive(flipBit(m, EXT + OTE_MSG_BYTES - 1)));
    expect(bad.err?.code, seedMsg('tampered H(t̃)')).toBe(ErrorCode.OTE_CHECK);
    expect(nodes.get(2)!.guard.isBanned(keyHex, 1)).toBe(true);
    const other = dkgKeys(2);
    expect(honest(other, nodes, 1, 2, 'perkey/other'), seedMsg('other key, same guards')).toBe(true);
    expect(honest(other, nodes, 2, 1, 'perkey/other-rev'), seedMsg('other key, same guards, reversed')).toBe(true);
  });
});

describe('VOLE-check and Γ-check failures ban through onAbort (Presigner, OnlineSigner inside Signer)', () => {
  // Round 2 = the sender's VOLE message (R sends vole_A, I sends vole_B); round 3 = ctx ‖ opening
  // R_i ‖ open ‖ γ_k ‖ γ_x ‖ Γ_k ‖ Γ_x (ctx is compared first, so the γ offsets follow it).
  const cases = [
    { name: 'VOLE A scalar (round 2 from the responder, checked by the initiator)', round: 2, off: 32 * 7, code: ErrorCode.VOLE_CHECK, victim: 'I' as const },
    { name: 'VOLE B scalar (round 2 from the initiator, checked by the responder)', round: 2, off: 32 * 11, code: ErrorCode.VOLE_CHECK, victim: 'R' as const },
    { name: 'γ_k (round 3 from the responder, Γ check at the initiator)', round: 3, off: GAMMA_K, code: ErrorCode.GAMMA_CHECK, victim: 'I' as const },
    { name: 'γ_x (round 3 from the initiator, Γ check at the responder)', round: 3, off: GAMMA_X, code: ErrorCode.GAMMA_CHECK, victim: 'R' as const },
  ];

  test.each(cases)('$name', ({ name, round, off, code, victim }) => {
    const nodes = parties(3);
    const checker = victim === 'I' ? 1 : 2;
    const culprit = victim === 'I' ? 2 : 1;
    const G = nodes.get(checker)!.guard;
    const S = Array.from({ length: 5 }, (_, k) => session(keys, nodes, 1, 2, `${name}/${k}`));
    // drive all sessions in lock-step, round by round, both directions; session 2 is tampered at `round`
    let pending: { I?: Message; R?: Message }[] = S.map(startBoth);
    let failedAt = -1;
    let refusedLater = 0;
    for (let r = 1; r <= 3; r++) {
      const order = r % 2 ? [4, 2, 0, 3, 1] : [1, 3, 0, 2, 4];
      const next: { I?: Message; R?: Message }[] = S.map(() => ({}));
      for (const k of order) {
        for (const from of (r + k) % 2 ? (['I', 'R'] as const) : (['R', 'I'] as const)) {
          let m = pending[k]![from];
          if (!m) continue;
          const to = from === 'I' ? S[k]!.R : S[k]!.I;
          const tampered = k === 2 && r === round && m.from === culprit;
          if (tampered) m = bumpScalar(m, off);
          const res = step(() => to.receive(m));
          if (tampered) {
            expect(res.err, seedMsg(`${name}: tampering not detected`)).toBeDefined();
            expect([res.err!.failure, res.err!.code, res.err!.culprit], seedMsg(res.err!.message)).toEqual(['ABORT_BAN', code, culprit]);
            expect(G.isBanned(keyHex, culprit), seedMsg(`${name}: ban recorded by onAbort`)).toBe(true);
            failedAt = r;
            continue;
          }
          if (failedAt > 0 && to.self === checker) {
            // every later step of this pair at the checking party is refused (or the session
            // was already stopped by the ban at an earlier step of this round)
            const what = seedMsg(`${name}: session ${k} round ${r}`);
            if (res.err?.code === ErrorCode.SESSION_FINISHED) {
              expect(to.error?.code, `${what}: ${to.error?.message}`).toBe(k === 2 ? code : ErrorCode.PEER_BANNED);
              continue;
            }
            expect(res.err?.code, `${what}: ${res.err?.message ?? 'accepted'}`).toBe(ErrorCode.PEER_BANNED);
            expect(res.err!.culprit, what).toBe(culprit);
            refusedLater++;
            continue;
          }
          if (res.err) expect.fail(seedMsg(`${name}: session ${k} round ${r}: ${res.err.code} ${res.err.message}`));
          next[k]![to === S[k]!.I ? 'I' : 'R'] = res.out![0];
        }
      }
      pending = next;
    }
    expect(failedAt, seedMsg('the tampered message was delivered')).toBe(round);
    expect(refusedLater, seedMsg('some in-flight session of the pair was refused after the ban')).toBeGreaterThan(0);
    // sessions finished before the failure are fine; none finished after it
    for (const [k, s] of S.entries()) {
      if (s.I.output && s.R.output) expect(verifies(keys, s), seedMsg(`session ${k}`)).toBe(true);
    }
    const before = G.checks;
    // fresh sessions in both roles are refused at the checking party when they start, without a check
    const asI = session(keys, nodes, checker, culprit, `${name}/fresh-a`);
    const asR = session(keys, nodes, culprit, checker, `${name}/fresh-b`);
    banned(() => asI.I.start(), culprit, `fresh, party ${checker} initiates`);
    banned(() => asR.R.start(), culprit, `fresh, party ${checker} responds`);
    expect(G.checks, seedMsg('no check ran after the ban')).toBe(before);
    expect(G.maxConcurrent).toBe(1);
    // the other pairs of the checking party still sign
    const third = 3;
    expect(honest(keys, nodes, checker, third, `${name}/other-a`), seedMsg(`pair ${checker}→3`)).toBe(true);
    expect(honest(keys, nodes, third, checker, `${name}/other-b`), seedMsg(`pair 3→${checker}`)).toBe(true);
    expect(honest(keys, nodes, culprit, third, `${name}/other-c`), seedMsg(`pair ${culprit}→3`)).toBe(true);
  });
});
