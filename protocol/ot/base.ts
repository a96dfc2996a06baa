/**
 * Base OT: Verified Simplest OT (DKLs18, revision of 2023, Appendix A, Protocol 7, as read
 * through secondary sources; @spec SPEC.md §3.4), λ_c = 128 instances per ordered pair.
 *
 * The VSOT *sender* ("B" side) becomes the OT-extension receiver (keeps both seeds); the VSOT
 * *receiver* ("A" side) becomes the extension sender: its choice bits ω are Δ and it keeps
 * s^{ω_l}_l. Five messages: v1 B→A (B, PoK), v2 A→B (A_l), v3 B→A (ξ), v4 A→B (resp), v5 B→A (openings).
 */
import { ctEqual, getBit, u32, wipe, xor } from '../core/bytes.js';
import { ErrorCode, abort } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { Transcript } from '../core/transcript.js';
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { Point, pointFromBytes, pointToBytes, randomScalar } from '../math/ec.js';
import { FixedBase, mulCT, mulG, mulSameScalar } from '../math/batch.js';
import { BASE_OT_COUNT } from '../params.js';
import { SCHNORR_PROOF_BYTES, schnorrProve, schnorrVerify } from '../zk/schnorr.js';
import type { OteReceiverSetup, OteSenderSetup } from './extension.js';

const N = BASE_OT_COUNT;
/** Comb window for the VSOT sender's B, used N times by the receiver. */
const RECEIVER_COMB_WINDOW = 6;
export const VSOT_MSG1_BYTES = 33 + SCHNORR_PROOF_BYTES;
export const VSOT_MSG2_BYTES = 33 * N;
export const VSOT_MSG3_BYTES = 32 * N;
export const VSOT_MSG4_BYTES = 32 * N;
export const VSOT_MSG5_BYTES = 64 * N;

const len = (m: Uint8Array, n: number, what: string, culprit: number) => {
  if (m.length !== n) throw abort(ErrorCode.BAD_LENGTH, `${what}: ${m.length} bytes, expected ${n}`, { culprit });
};

function rho(tr: Transcript, ctx: Uint8Array, l: number, B: Uint8Array, A: Uint8Array, P: Point): Uint8Array {
  return tr.H('vsot/rho', ctx, u32(l), B, A, pointToBytes(P));
}
const h1 = (tr: Transcript, ctx: Uint8Array, l: number, r: Uint8Array) => tr.H('vsot/h1', ctx, u32(l), r);
const h2 = (tr: Transcript, ctx: Uint8Array, l: number, y: Uint8Array) => tr.H('vsot/h2', ctx, u32(l), y);
const seedOf = (tr: Transcript, ctx: Uint8Array, l: number, r: Uint8Array) => tr.H('vsot/seed', ctx, u32(l), r);

export interface VsotSenderState {
  b: bigint;
  B: Uint8Array;
  Bp: Point;
  rho0?: Uint8Array[];
  rho1?: Uint8Array[];
}
export interface VsotReceiverState {
  omega: Uint8Array;
  B: Uint8Array;
  rhoW: Uint8Array[];
  xi?: Uint8Array;
}

/** v1: B = b·G with a proof of knowledge of b bound to ctx. */
export function vsotSenderStart(tr: Transcript, ctx: Uint8Array, rng: Rng): { state: VsotSenderState; msg: Uint8Array } {
  const b = randomScalar(rng);
  const Bp = mulG(b);
  const B = pointToBytes(Bp);
  const proof = schnorrProve(tr, [tr.H('vsot/pok-bind', ctx)], b, Bp, rng);
  const msg = new Uint8Array(VSOT_MSG1_BYTES);
  msg.set(B, 0);
  msg.set(proof, 33);
  return { state: { b, B, Bp }, msg };
}

/** v2: verify the PoK, then A_l = a_l·G + ω_l·B. `culprit` is the VSOT sender. */
export function vsotReceiverStep(
  tr: Transcript,
  ctx: Uint8Array,
  msg: Uint8Array,
  rng: Rng,
  culprit: number,
): { state: VsotReceiverState; msg: Uint8Array } {
  len(msg, VSOT_MSG1_BYTES, 'VSOT message 1', culprit);
  const B = msg.slice(0, 33);
  const Bp = pointFromBytes(B);
  if (!Bp) throw abort(ErrorCode.BAD_POINT, 'VSOT: invalid point B', { culprit });
  if (!schnorrVerify(tr, [tr.H('vsot/pok-bind', ctx)], Bp, msg.subarray(33))) {
    throw abort(ErrorCode.PROOF, 'VSOT: proof of knowledge of b failed', { culprit });
  }
  const Bfb = new FixedBase(Bp, RECEIVER_COMB_WINDOW);
  const omega = rng(N / 8);
  const out = new Uint8Array(VSOT_MSG2_BYTES);
  const As: Point[] = [];
  const aBs: Point[] = [];
  for (let l = 0; l < N; l++) {
    const a = randomScalar(rng);
    const aG = mulG(a);
    const aGB = aG.add(Bp);
    As.push(getBit(omega, l) ? aGB : aG);
    aBs.push(Bfb.mul(a));
  }
  const both = normalizeZ(Point, [...As, ...aBs]);
  const rhoW: Uint8Array[] = [];
  for (let l = 0; l < N; l++) {
    const Ab = pointToBytes(both[l]!);
    out.set(Ab, 33 * l);
    rhoW.push(rho(tr, ctx, l, B, Ab, both[N + l]!));
  }
  return { state: { omega, B, rhoW }, msg: out };
}

/** v3: sender derives ρ⁰_l = ρ(b·A_l), ρ¹_l = ρ(b·A_l − b·B) and sends ξ_l. `culprit` is the VSOT receiver. */
export function vsotSenderStep(
  tr: Transcript,
  ctx: Uint8Array,
  st: VsotSenderState,
  msg: Uint8Array,
  culprit: number,
): Uint8Array {
  len(msg, VSOT_MSG2_BYTES, 'VSOT message 2', culprit);
  const Bp = st.Bp;
  const As: Point[] = [];
  for (let l = 0; l < N; l++) {
    const Ab = msg.subarray(33 * l, 33 * l + 33);
    const A = pointFromBytes(Ab);
    if (!A) throw abort(ErrorCode.BAD_POINT, `VSOT: invalid point A_${l}`, { culprit });
    if (A.equals(Bp)) throw abort(ErrorCode.BAD_POINT, `VSOT: A_${l} equals B`, { culprit });
    As.push(A);
  }
  const bB = mulCT(Bp, st.b).negate();
  const bA = mulSameScalar(st.b, As);
  const norm = normalizeZ(Point, [...bA, ...bA.map((P) => P.add(bB))]);
  const rho0: Uint8Array[] = [];
  const rho1: Uint8Array[] = [];
  const out = new Uint8Array(VSOT_MSG3_BYTES);
  for (let l = 0; l < N; l++) {
    const Ab = msg.subarray(33 * l, 33 * l + 33);
    const r0 = rho(tr, ctx, l, st.B, Ab, norm[l]!);
    const r1 = rho(tr, ctx, l, st.B, Ab, norm[N + l]!);
    rho0.push(r0);
    rho1.push(r1);
    out.set(xor(h2(tr, ctx, l, h1(tr, ctx, l, r0)), h2(tr, ctx, l, h1(tr, ctx, l, r1))), 32 * l);
  }
  st.rho0 = rho0;
  st.rho1 = rho1;
  return out;
}

/** v4: resp_l = h2(h1(ρ^{ω_l}_l)) ⊕ ω_l·ξ_l. */
export function vsotReceiverResp(tr: Transcript, ctx: Uint8Array, st: VsotReceiverState, msg: Uint8Array, culprit: number): Uint8Array {
  len(msg, VSOT_MSG3_BYTES, 'VSOT message 3', culprit);
  st.xi = msg.slice();
  const out = new Uint8Array(VSOT_MSG4_BYTES);
  for (let l = 0; l < N; l++) {
    const r = h2(tr, ctx, l, h1(tr, ctx, l, st.rhoW[l]!));
    const m = -getBit(st.omega, l) & 0xff;
    for (let i = 0; i < 32; i++) out[32 * l + i] = r[i]! ^ (msg[32 * l + i]! & m);
  }
  return out;
}

/** Sender checks resp_l = h2(h1(ρ⁰_l)) for all l, then sends the openings (v5) and keeps both seeds. */
export function vsotSenderVerify(
  tr: Transcript,
  ctx: Uint8Array,
  st: VsotSenderState,
  msg: Uint8Array,
  culprit: number,
): { msg: Uint8Array; setup: OteReceiverSetup } {
  len(msg, VSOT_MSG4_BYTES, 'VSOT message 4', culprit);
  let d = 0;
  const out = new Uint8Array(VSOT_MSG5_BYTES);
  const seeds0: Uint8Array[] = [];
  const seeds1: Uint8Array[] = [];
  for (let l = 0; l < N; l++) {
    const o0 = h1(tr, ctx, l, st.rho0![l]!);
    const o1 = h1(tr, ctx, l, st.rho1![l]!);
    const e = h2(tr, ctx, l, o0);
    for (let i = 0; i < 32; i++) d |= e[i]! ^ msg[32 * l + i]!;
    out.set(o0, 64 * l);
    out.set(o1, 64 * l + 32);
    seeds0.push(seedOf(tr, ctx, l, st.rho0![l]!));
    seeds1.push(seedOf(tr, ctx, l, st.rho1![l]!));
  }
  if (d !== 0) throw abort(ErrorCode.BASE_OT_CHECK, 'VSOT: receiver response check failed', { culprit });
  st.b = 0n;
  wipe(...st.rho0!, ...st.rho1!);
  return { msg: out, setup: { seeds0, seeds1 } };
}

/** Receiver checks the openings against its own ρ and ξ, and keeps Δ = ω and s^{ω_l}_l. */
export function vsotReceiverFinish(
  tr: Transcript,
  ctx: Uint8Array,
  st: VsotReceiverState,
  msg: Uint8Array,
  culprit: number,
): OteSenderSetup {
  len(msg, VSOT_MSG5_BYTES, 'VSOT message 5', culprit);
  let ok = true;
  const seeds: Uint8Array[] = [];
  for (let l = 0; l < N; l++) {
    const o0 = msg.subarray(64 * l, 64 * l + 32);
    const o1 = msg.subarray(64 * l + 32, 64 * l + 64);
    const mine = h1(tr, ctx, l, st.rhoW[l]!);
    const w = getBit(st.omega, l);
    ok = ctEqual(w ? o1 : o0, mine) && ok;
    ok = ctEqual(xor(h2(tr, ctx, l, o0), h2(tr, ctx, l, o1)), st.xi!.subarray(32 * l, 32 * l + 32)) && ok;
    seeds.push(seedOf(tr, ctx, l, st.rhoW[l]!));
  }
  if (!ok) throw abort(ErrorCode.BASE_OT_CHECK, 'VSOT: sender opening check failed', { culprit });
  wipe(...st.rhoW);
  return { delta: st.omega, seeds };
}
