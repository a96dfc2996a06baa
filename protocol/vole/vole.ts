/**
 * Two-party random VOLE, Asharov 2026/976 Protocol 4.2 "Variant II" as pinned in
 * @spec SPEC.md §5: sender-random OT pads, ℓ = 2 inputs plus ρ = 1 mask column, the check
 * challenge χ and the gadget vector g derived by random oracle over the concrete OT-extension
 * transcript (otxHash) and, for g, the sender's whole VOLE message.
 *
 * Sender output: α = (α_1, α_2) (its random inputs) and t_c; receiver output: β = ⟨g, w⟩ and r_c,
 * with t_c + r_c = α_c·β.
 */
import { ErrorCode, abort, abortBan } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { narrowToScalar, type Transcript } from '../core/transcript.js';
import { getBit } from '../core/bytes.js';
import { q, randomScalar, readScalar, scalarFromBytes, scalarToBytes, writeScalar } from '../math/ec.js';
import { addModQ, geqQ, limbsFromBigInt, loadBE, narrowInPlace, newLimbs, storeBE, subModQ } from '../math/limbs.js';
import { PAD_SCALARS, VOLE_M } from '../params.js';

export const VOLE_MSG_BYTES = VOLE_M * PAD_SCALARS * 32 + 32 + 32;

export interface VoleSenderOutput {
  readonly msg: Uint8Array;
  readonly alpha: readonly [bigint, bigint];
  readonly t: readonly [bigint, bigint];
}
export interface VoleReceiverOutput {
  readonly beta: bigint;
  readonly r: readonly [bigint, bigint];
}

/** g = RO(sid_dir, otxHash, H(VOLE message)) ∈ Z_q^m, 32 output bytes per element (@spec SPEC.md §5.2). */
function gadget(tr: Transcript, sidDir: Uint8Array, otxHash: Uint8Array, msgDigest: Uint8Array): bigint[] {
  const b = tr.XOF('vole/gadget', 32 * VOLE_M, sidDir, otxHash, msgDigest);
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  const g: bigint[] = new Array(VOLE_M);
  for (let j = 0; j < VOLE_M; j++) g[j] = narrowToScalar(dv, 32 * j);
  return g;
}

/** Raw pad bytes → scalars: narrow() of every 32-byte block. */
function padScalars(raw: Uint8Array): bigint[] {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const out: bigint[] = new Array(raw.length / 32);
  for (let i = 0; i < out.length; i++) out[i] = narrowToScalar(dv, 32 * i);
  return out;
}

/**
 * @spec SPEC.md §5.2 (sender). T0raw/T1raw: m × 3 raw pad blocks from the extension. Q is
 * computed in limb arithmetic (no BigInt); only T⁰ is converted, for the check and the outputs.
 */
export function voleSend(
  tr: Transcript,
  sidDir: Uint8Array,
  otxHash: Uint8Array,
  T0raw: Uint8Array,
  T1raw: Uint8Array,
  rng: Rng,
): VoleSenderOutput {
  const a1 = randomScalar(rng);
  const a2 = randomScalar(rng);
  const ah = randomScalar(rng);
  const alphaL = [a1, a2, ah].map(limbsFromBigInt);
  const Qb = new Uint8Array(VOLE_M * PAD_SCALARS * 32);
  const x0 = newLimbs();
  const x1 = newLimbs();
  for (let idx = 0; idx < VOLE_M * PAD_SCALARS; idx++) {
    loadBE(T0raw, 32 * idx, x0);
    narrowInPlace(x0);
    loadBE(T1raw, 32 * idx, x1);
    narrowInPlace(x1);
    subModQ(x0, x1, x0);
    addModQ(x0, alphaL[idx % PAD_SCALARS]!, x0);
    storeBE(x0, Qb, 32 * idx);
  }
  x0.fill(0);
  x1.fill(0);
  alphaL.forEach((l) => l.fill(0));
  const T0 = padScalars(T0raw);
  const hQ = tr.H('vole/Q', Qb);
  const [chi1, chi2] = tr.Hq('vole/chi', 2, sidDir, otxHash, hQ) as [bigint, bigint];
  const ub = new Uint8Array(VOLE_M * 32);
  const udv = new DataView(ub.buffer);
  for (let j = 0; j < VOLE_M; j++) {
    const o = PAD_SCALARS * j;
    writeScalar(udv, 32 * j, (chi1 * T0[o]! + chi2 * T0[o + 1]! + T0[o + 2]!) % q);
  }
  const hu = tr.H('vole/check', sidDir, ub);
  const v = scalarToBytes((chi1 * a1 + chi2 * a2 + ah) % q);
  const msg = new Uint8Array(VOLE_MSG_BYTES);
  msg.set(Qb, 0);
  msg.set(hu, Qb.length);
  msg.set(v, Qb.length + 32);
  const g = gadget(tr, sidDir, otxHash, tr.H('vole/msg', hQ, hu, v));
  let t1 = 0n;
  let t2 = 0n;
  for (let j = 0; j < VOLE_M; j++) {
    const gj = g[j]!;
    t1 += gj * T0[PAD_SCALARS * j]!;
    t2 += gj * T0[PAD_SCALARS * j + 1]!;
  }
  T0.fill(0n);
  t1 = (q - (t1 % q)) % q;
  t2 = (q - (t2 % q)) % q;
  return { msg, alpha: [a1, a2], t: [t1, t2] };
}

/**
 * @spec SPEC.md §5.3 (receiver). Sraw: m × 3 raw pad blocks, x: choice bits (first m used).
 * R_j = S_j + w_j·Q_j in limb arithmetic. A failed check is ABORT_BAN of the sender.
 */
export function voleReceive(
  tr: Transcript,
  sidDir: Uint8Array,
  otxHash: Uint8Array,
  Sraw: Uint8Array,
  x: Uint8Array,
  msg: Uint8Array,
  culprit: number,
): VoleReceiverOutput {
  if (msg.length !== VOLE_MSG_BYTES) {
    throw abort(ErrorCode.BAD_LENGTH, `VOLE message has ${msg.length} bytes, expected ${VOLE_MSG_BYTES}`, { culprit });
  }
  const qLen = VOLE_M * PAD_SCALARS * 32;
  const Qb = msg.subarray(0, qLen);
  const hu = msg.subarray(qLen, qLen + 32);
  const vb = msg.subarray(qLen + 32);
  const v = scalarFromBytes(vb);
  if (v === undefined) throw abort(ErrorCode.SCALAR_RANGE, 'VOLE check value ≥ q', { culprit });
  const hQ = tr.H('vole/Q', Qb);
  const [chi1, chi2] = tr.Hq('vole/chi', 2, sidDir, otxHash, hQ) as [bigint, bigint];
  const Rb = new Uint8Array(qLen);
  const s = newLimbs();
  const qv = newLimbs();
  for (let j = 0; j < VOLE_M; j++) {
    const w = getBit(x, j);
    for (let c = 0; c < PAD_SCALARS; c++) {
      const idx = PAD_SCALARS * j + c;
      loadBE(Qb, 32 * idx, qv);
      if (geqQ(qv)) throw abort(ErrorCode.SCALAR_RANGE, `VOLE scalar Q[${j}][${c}] ≥ q`, { culprit });
      loadBE(Sraw, 32 * idx, s);
      narrowInPlace(s);
      if (w) addModQ(s, qv, s);
      storeBE(s, Rb, 32 * idx);
    }
  }
  s.fill(0);
  const rdv = new DataView(Rb.buffer);
  const R: bigint[] = new Array(VOLE_M * PAD_SCALARS);
  for (let i = 0; i < R.length; i++) R[i] = readScalar(rdv, 32 * i)!;
  Rb.fill(0);
  const ub = new Uint8Array(VOLE_M * 32);
  const udv = new DataView(ub.buffer);
  for (let j = 0; j < VOLE_M; j++) {
    const o = PAD_SCALARS * j;
    let uj = (chi1 * R[o]! + chi2 * R[o + 1]! + R[o + 2]! - (getBit(x, j) ? v : 0n)) % q;
    if (uj < 0n) uj += q;
    writeScalar(udv, 32 * j, uj);
  }
  // Accumulate the comparison; compare once.
  const hu2 = tr.H('vole/check', sidDir, ub);
  let d = 0;
  for (let i = 0; i < 32; i++) d |= hu2[i]! ^ hu[i]!;
  if (d !== 0) throw abortBan(ErrorCode.VOLE_CHECK, 'VOLE consistency check failed', { culprit });
  const g = gadget(tr, sidDir, otxHash, tr.H('vole/msg', hQ, hu, vb));
  let beta = 0n;
  let r1 = 0n;
  let r2 = 0n;
  for (let j = 0; j < VOLE_M; j++) {
    const gj = g[j]!;
    if (getBit(x, j)) beta += gj;
    r1 += gj * R[PAD_SCALARS * j]!;
    r2 += gj * R[PAD_SCALARS * j + 1]!;
  }
  R.fill(0n);
  return { beta: beta % q, r: [r1 % q, r2 % q] };
}
