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
import type { Transcript } from '../core/transcript.js';
import { getBit } from '../core/bytes.js';
import { q, randomScalar, scalarFromBytes, scalarToBytes } from '../math/ec.js';
import { ChiCombiner, gadgetDots } from '../math/vector.js';
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

/**
 * g = RO(sid_dir, otxHash, H(VOLE message)) ∈ Z_q^m, 32 output bytes per element (@spec SPEC.md §5.2).
 * Returned raw: g_j = narrow(block j), and the kernels use the block itself (≡ g_j mod q).
 */
function gadget(tr: Transcript, sidDir: Uint8Array, otxHash: Uint8Array, msgDigest: Uint8Array): Uint8Array {
  return tr.XOF('vole/gadget', 32 * VOLE_M, sidDir, otxHash, msgDigest);
}

/**
 * @spec SPEC.md §5.2 (sender). T0raw/T1raw: m × 3 raw pad blocks from the extension. Q is
 * computed in limb arithmetic; the check values and the outputs by the kernels of math/vector.ts
 * (no BigInt per element).
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
  const hQ = tr.H('vole/Q', Qb);
  const [chi1, chi2] = tr.Hq('vole/chi', 2, sidDir, otxHash, hQ) as [bigint, bigint];
  // u_j = χ1·T⁰_j1 + χ2·T⁰_j2 + T⁰_j3 (raw pad blocks: narrow(x) ≡ x mod q)
  const ub = new Uint8Array(VOLE_M * 32);
  new ChiCombiner(chi1, chi2).run(T0raw, VOLE_M, ub);
  const hu = tr.H('vole/check', sidDir, ub);
  const v = scalarToBytes((chi1 * a1 + chi2 * a2 + ah) % q);
  const msg = new Uint8Array(VOLE_MSG_BYTES);
  msg.set(Qb, 0);
  msg.set(hu, Qb.length);
  msg.set(v, Qb.length + 32);
  const g = gadget(tr, sidDir, otxHash, tr.H('vole/msg', hQ, hu, v));
  const { d0, d1 } = gadgetDots(g, T0raw, VOLE_M);
  const t1 = (q - d0) % q;
  const t2 = (q - d1) % q;
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
  // u'_j = χ1·R_j1 + χ2·R_j2 + R_j3 − w_j·v
  const ub = new Uint8Array(VOLE_M * 32);
  new ChiCombiner(chi1, chi2).run(Rb, VOLE_M, ub, x, (q - v) % q);
  // Accumulate the comparison; compare once.
  const hu2 = tr.H('vole/check', sidDir, ub);
  ub.fill(0);
  let d = 0;
  for (let i = 0; i < 32; i++) d |= hu2[i]! ^ hu[i]!;
  if (d !== 0) {
    Rb.fill(0);
    throw abortBan(ErrorCode.VOLE_CHECK, 'VOLE consistency check failed', { culprit });
  }
  const g = gadget(tr, sidDir, otxHash, tr.H('vole/msg', hQ, hu, vb));
  const { d0: r1, d1: r2, s: beta } = gadgetDots(g, Rb, VOLE_M, x);
  Rb.fill(0);
  return { beta, r: [r1, r2] };
}
