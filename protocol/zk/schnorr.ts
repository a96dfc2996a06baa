/**
 * Schnorr proof of knowledge of x with X = x·G, made non-interactive by Fiat–Shamir and bound
 * to a caller-supplied context (session id, prover, purpose, index) (@spec SPEC.md §3.3).
 * Proof = T (33 bytes) ‖ z (32 bytes).
 */
import type { Rng } from '../core/rng.js';
import type { Transcript } from '../core/transcript.js';
import { G, add, mul, neg, pointFromBytes, pointToBytes, randomScalar, scalarFromBytes, scalarToBytes, type Point } from '../math/ec.js';
import { mulG } from '../math/batch.js';
import { concat } from '../core/bytes.js';

export const SCHNORR_PROOF_BYTES = 65;

export function schnorrProve(tr: Transcript, bind: readonly Uint8Array[], x: bigint, X: Point, rng: Rng): Uint8Array {
  const k = randomScalar(rng);
  const T = pointToBytes(mulG(k));
  const c = tr.Hq1('pok', ...bind, pointToBytes(X), T);
  return concat(T, scalarToBytes(add(k, mul(c, x))));
}

/** Verifies a proof; false on any malformed field (identity T, z ≥ q, wrong length). */
export function schnorrVerify(tr: Transcript, bind: readonly Uint8Array[], X: Point, proof: Uint8Array): boolean {
  if (proof.length !== SCHNORR_PROOF_BYTES) return false;
  const Tb = proof.subarray(0, 33);
  const T = pointFromBytes(Tb);
  const z = scalarFromBytes(proof, 33);
  if (!T || z === undefined || X.is0()) return false;
  const c = tr.Hq1('pok', ...bind, pointToBytes(X), Tb);
  // z·G − c·X == T (public values: variable-time is fine)
  return G.mulAddUnsafe(z, X, neg(c)).equals(T);
}
