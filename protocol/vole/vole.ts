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

/** @spec SPEC.md §5.2 (sender). T0/T1: m × 3 pads from the extension. */
export function voleSend(
  tr: Transcript,
  sidDir: Uint8Array,
  otxHash: Uint8Array,
  T0: readonly bigint[],
  T1: readonly bigint[],
  rng: Rng,
): VoleSenderOutput {
  const a1 = randomScalar(rng);
  const a2 = randomScalar(rng);
  const ah = randomScalar(rng);
  const alpha = [a1, a2, ah];
  const Qb = new Uint8Array(VOLE_M * PAD_SCALARS * 32);
  const qdv = new DataView(Qb.buffer);
  for (let j = 0; j < VOLE_M; j++) {
    for (let c = 0; c < PAD_SCALARS; c++) {
      const idx = PAD_SCALARS * j + c;
      let v = T0[idx]! - T1[idx]! + alpha[c]!;
      if (v < 0n) v += q;
      else if (v >= q) v -= q;
      writeScalar(qdv, 32 * idx, v);
    }
  }
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
  t1 = (q - (t1 % q)) % q;
  t2 = (q - (t2 % q)) % q;
  return { msg, alpha: [a1, a2], t: [t1, t2] };
}

/**
 * @spec SPEC.md §5.3 (receiver). S: m × 3 pads, x: choice bits (first m used). A failed check is
 * ABORT_BAN of the sender.
 */
export function voleReceive(
  tr: Transcript,
  sidDir: Uint8Array,
  otxHash: Uint8Array,
  S: readonly bigint[],
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
  const R: bigint[] = new Array(VOLE_M * PAD_SCALARS);
  const ub = new Uint8Array(VOLE_M * 32);
  const udv = new DataView(ub.buffer);
  const qdv = new DataView(Qb.buffer, Qb.byteOffset, Qb.length);
  for (let j = 0; j < VOLE_M; j++) {
    const w = getBit(x, j);
    const o = PAD_SCALARS * j;
    for (let c = 0; c < PAD_SCALARS; c++) {
      const Qv = readScalar(qdv, 32 * (o + c));
      if (Qv === undefined) throw abort(ErrorCode.SCALAR_RANGE, `VOLE scalar Q[${j}][${c}] ≥ q`, { culprit });
      let r = S[o + c]! + (w ? Qv : 0n);
      if (r >= q) r -= q;
      R[o + c] = r;
    }
    let uj = (chi1 * R[o]! + chi2 * R[o + 1]! + R[o + 2]! - (w ? v : 0n)) % q;
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
  return { beta: beta % q, r: [r1 % q, r2 % q] };
}
