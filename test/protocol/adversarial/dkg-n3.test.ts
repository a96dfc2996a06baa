/**
 * Adversarial DKG, n = 3, t = 2: the cases that need a third party.
 *
 * - Equivocation: the corrupted party k sends two different, validly signed round-r broadcasts
 *   to its two peers; both honest parties must abort with ERR_EQUIVOCATION naming k (the echo
 *   of round r, checked in round r + 1, carries k's signature on the other version). The second
 *   version is either a tampered copy re-signed by k, or an honest alternative: the same party
 *   run with its randomness forked from round r on (fresh Schnorr proofs), which passes every
 *   check of round r, so only the echo can catch it.
 * - Echo lies: the corrupted party echoes an entry that its owner did not sign for this round of
 *   this session (flipped hash, swapped slots, another session's or another round's signed entry);
 *   ERR_ECHO naming the liar.
 * - A few field tamperings with two honest parties (both must name the culprit, or, for
 *   point-to-point data, the recipient must), and one-sided tampering where only the recipient
 *   can tell (the other honest party must then not output a key share, and must not blame anyone else).
 */
import { beforeAll, describe, it } from 'vitest';
import { concat } from '../../../protocol/core/bytes.js';
import {
  ErrorCode as E,
  M,
  abortE,
  alternativeBroadcast,
  bcastField,
  checkDkgAbort,
  checkDkgCompletes,
  dkgBcastHash,
  dkgLayout,
  p2pField,
  recordDkg,
  runDkgScenario,
  selfCheckDkg,
  whole,
  worldMsg,
  type DkgEdit,
  type DkgWorld,
  type Mut,
} from './adversary.js';
import { splitDkgPayload } from '../../../protocol/testing/index.js';

const N = 3;
const L = dkgLayout(N);

let world: DkgWorld;
let old: DkgWorld;
const extra = new Map<string, Uint8Array>();
beforeAll(() => {
  world = recordDkg(N, 'cur');
  old = recordDkg(N, 'old', { upTo: 1 }); // only its round-1 messages are used
  selfCheckDkg(world);
});

interface Case {
  readonly name: string;
  readonly adv: number;
  readonly edit: DkgEdit;
  readonly code: E;
  /** Honest parties that must abort (default: both). */
  readonly detectors?: number[];
}

/** Offset of the echo inside the corrupted party's round-r broadcast. */
const echoOff = (round: number) => ({ 2: L.r2.echo, 3: L.r3.echo, 4: 0 })[round as 2 | 3 | 4];
/** Mutates the echo entry (hash ‖ signature, 96 bytes) for party k in the round-r broadcast of `adv`. */
const echoEntry = (adv: number, round: number, k: number, mut: Mut, to?: number): DkgEdit =>
  bcastField(round, echoOff(round) + L.echoEntry(adv, k), 96, mut, to === undefined ? {} : { to });
/** Replaces the echo entry for party k by (H(bcast), sig) of another signed broadcast of k. */
const foreignEntry = (adv: number, round: number, k: number, src: (env: Parameters<DkgEdit>[1]) => { bcast: Uint8Array; sig: Uint8Array }): DkgEdit =>
  (m, env) => echoEntry(adv, round, k, () => {
    const s = src(env);
    return concat(dkgBcastHash(s.bcast), s.sig);
  })(m, env);
const hashFlip: Mut = (f) => {
  const o = f.slice();
  o[31]! ^= 1;
  return o;
};
/** Sends `to` an honest alternative round-r broadcast of `adv` (forked randomness), re-signed. */
const alternative = (adv: number, round: number, to: number): DkgEdit =>
  whole(
    round,
    (m, env) => {
      const alt = env.extra(`alt/${adv}/${round}/${to}`, () => alternativeBroadcast(env.world, adv, round, to));
      const keep = round === 1 ? 0 : L.echo; // the echo part is this run's (already correct) echo
      return { bcast: concat(alt.subarray(0, alt.length - keep), m.bcast.subarray(m.bcast.length - keep)), resign: true };
    },
    { to },
  );

const cases: Case[] = [
  // ---- equivocation -------------------------------------------------------------------------------
  { name: 'equivocation r1 by 2: honest alternative broadcast to 3', adv: 2, edit: alternative(2, 1, 3), code: E.EQUIVOCATION },
  { name: 'equivocation r1 by 2: nonce flipped and re-signed for 3', adv: 2, edit: bcastField(1, L.r1.nonce, 32, M.flip, { to: 3 }), code: E.EQUIVOCATION },
  { name: 'equivocation r1 by 2: commitment flipped and re-signed for 1', adv: 2, edit: bcastField(1, L.r1.com, 32, M.flip, { to: 1 }), code: E.EQUIVOCATION },
  { name: 'equivocation r1 by 1: nonce flipped and re-signed for 3', adv: 1, edit: bcastField(1, L.r1.nonce, 32, M.flip, { to: 3 }), code: E.EQUIVOCATION },
  { name: 'equivocation r1 by 3: commitment of the older session, re-signed, for 1', adv: 3, edit: bcastField(1, L.r1.com, 32, M.fromOld, { to: 1 }), code: E.EQUIVOCATION },
  { name: 'equivocation r2 by 2: honest alternative (fresh PoKs) to 3', adv: 2, edit: alternative(2, 2, 3), code: E.EQUIVOCATION },
  { name: 'equivocation r2 by 3: honest alternative (fresh PoKs) to 1', adv: 3, edit: alternative(3, 2, 1), code: E.EQUIVOCATION },
  { name: 'equivocation r3 by 2: honest alternative (fresh share PoK) to 1', adv: 2, edit: alternative(2, 3, 1), code: E.EQUIVOCATION },
  // an invalid second version is caught by the round's own checks at its recipient
  { name: 'equivocation r2 by 2: tampered C0 (re-signed) to 3 only', adv: 2, edit: bcastField(2, L.r2.C0, 33, M.negate, { to: 3 }), code: E.COMMITMENT, detectors: [3] },
  { name: 'equivocation r1 by 2: unsigned variant to 3 only', adv: 2, edit: bcastField(1, L.r1.nonce, 32, M.flip, { to: 3, noResign: true }), code: E.BAD_SIGNATURE, detectors: [3] },

  // ---- echo lies ------------------------------------------------------------------------------------
  { name: 'echo lie r2 by 2: entry of 1 (hash flipped)', adv: 2, edit: echoEntry(2, 2, 1, hashFlip), code: E.ECHO },
  { name: 'echo lie r2 by 2: entry of 3 (hash flipped)', adv: 2, edit: echoEntry(2, 2, 3, hashFlip), code: E.ECHO },
  { name: 'echo lie r2 by 2: entries of 1 and 3 swapped', adv: 2, edit: bcastField(2, L.r2.echo, 192, M.swapHalves), code: E.ECHO },
  {
    name: "echo lie r2 by 2: entry of 1 := 1's signed round-1 broadcast of the older session",
    adv: 2,
    edit: foreignEntry(2, 2, 1, (env) => splitDkgPayload(worldMsg(env.old, 1, 2, 1))),
    code: E.ECHO,
  },
  { name: 'echo lie r2 by 2: entry of 3 flipped, to 1 only', adv: 2, edit: echoEntry(2, 2, 3, hashFlip, 1), code: E.ECHO, detectors: [1] },
  { name: 'echo lie r2 by 1: entry of 3 (hash flipped)', adv: 1, edit: echoEntry(1, 2, 3, hashFlip), code: E.ECHO },
  { name: 'echo lie r2 by 3: entry of 2 (hash flipped)', adv: 3, edit: echoEntry(3, 2, 2, hashFlip), code: E.ECHO },
  { name: 'echo lie r3 by 2: entry of 3 (hash flipped)', adv: 2, edit: echoEntry(2, 3, 3, hashFlip), code: E.ECHO },
  {
    name: "echo lie r3 by 2: entry of 1 := 1's signed round-1 broadcast (cross-round)",
    adv: 2,
    edit: foreignEntry(2, 3, 1, (env) => env.received(1, 1)),
    code: E.ECHO,
  },
  { name: 'echo lie r4 by 2: entry of 1 (hash flipped)', adv: 2, edit: echoEntry(2, 4, 1, hashFlip), code: E.ECHO },
  {
    name: "echo lie r4 by 2: entry of 3 := 3's signed round-2 broadcast (cross-round)",
    adv: 2,
    edit: foreignEntry(2, 4, 3, (env) => env.received(2, 3)),
    code: E.ECHO,
  },
  { name: 'echo lie r4 by 2: truthful to 1, entry of 1 flipped to 3', adv: 2, edit: echoEntry(2, 4, 1, hashFlip, 3), code: E.ECHO, detectors: [3] },

  // ---- field tampering with two honest parties ------------------------------------------------------
  { name: 'r1 com flipped (re-signed) by 2, to both', adv: 2, edit: bcastField(1, L.r1.com, 32, M.flip), code: E.COMMITMENT },
  { name: 'r1 nonce flipped, stale signature, by 2, to both', adv: 2, edit: bcastField(1, L.r1.nonce, 32, M.flip, { noResign: true }), code: E.BAD_SIGNATURE },
  { name: 'r2 PoK0 z flipped by 2, to both', adv: 2, edit: bcastField(2, L.r2.z0, 32, M.flip), code: E.PROOF },
  { name: 'r2 share flipped by 2, to 3 only', adv: 2, edit: p2pField(2, L.r2p.share, 32, M.flip, { to: 3 }), code: E.FELDMAN, detectors: [3] },
  { name: 'r2 share flipped by 3, to 1 only', adv: 3, edit: p2pField(2, L.r2p.share, 32, M.flip, { to: 1 }), code: E.FELDMAN, detectors: [1] },
  { name: 'r3 conf flipped by 2, to both', adv: 2, edit: bcastField(3, L.r3.conf, 32, M.flip), code: E.CONFIRMATION },
  { name: 'r3 VSOT A_0 identity by 2, to 1 only', adv: 2, edit: p2pField(3, 0, 33, M.identity, { to: 1 }), code: E.BAD_POINT, detectors: [1] },
  { name: 'r4 VSOT ξ_0 flipped by 2, to 3 only', adv: 2, edit: p2pField(4, 0, 32, M.flip, { to: 3 }), code: E.BASE_OT_CHECK, detectors: [3] },
];

describe(`DKG n=${N}: equivocation, echo lies, two honest parties`, () => {
  it('control: scripted party 2 without tampering lets the DKG complete with the recorded key', () => {
    checkDkgCompletes(runDkgScenario({ world, old, adv: 2, extraCache: extra }), world, 'control n=3');
  });
  it.each(cases)('$name', (c) => {
    const o = runDkgScenario({ world, old, adv: c.adv, edit: c.edit, extraCache: extra });
    checkDkgAbort(o, { expect: abortE(c.code, c.adv), ...(c.detectors ? { detectors: c.detectors } : {}) }, c.adv, c.name);
  });
});
