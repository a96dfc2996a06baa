/**
 * Every protocol parameter, as a named constant (@spec SPEC.md §2). test/protocol/params.test.ts
 * fails when one changes without SPEC.md changing.
 */

/** Computational security parameter λ_c (bits). */
export const LAMBDA_C = 128;
/** Statistical security parameter s (bits). */
export const STAT_S = 80;
/** log2 of the group order q (secp256k1). */
export const LOG_Q = 256;
/** Base OTs per ordered pair (= λ_c: SoftSpokenOT with k = 1 uses one base OT per row). */
export const BASE_OT_COUNT = LAMBDA_C;
/** SoftSpokenOT subspace dimension k. */
export const SOFTSPOKEN_K = 1;
/**
 * OTs per VOLE, Asharov 2026/976 Variant II: m ≥ log q + 2·λ_c + 3·s = 256 + 256 + 240 = 752
 * (already a multiple of 8).
 */
export const VOLE_M = 752;
/** Number of VOLE mask (check) columns ρ; ρ = 1 is valid because log q ≥ λ_c + 2·log2 m. */
export const VOLE_RHO = 1;
/** VOLE input vector length ℓ: (nonce mask, key-share mask) in signing. */
export const VOLE_ELL = 2;
/** Extra random extension columns that mask the Fiat–Shamir consistency check (one GF(2^128) chunk). */
export const OTE_MASK_COLUMNS = LAMBDA_C;
/** Extension width in bits: m + mask columns. */
export const OTE_WIDTH = VOLE_M + OTE_MASK_COLUMNS;
export const OTE_ROW_BYTES = OTE_WIDTH / 8;
/** Number of 128-bit chunks covering the m VOLE columns (the last is zero-padded). */
export const OTE_CHUNKS = Math.ceil(VOLE_M / LAMBDA_C);
/** Scalars per pad: ℓ + ρ. */
export const PAD_SCALARS = VOLE_ELL + VOLE_RHO;
/** Parties supported by the DKG. */
export const MIN_PARTIES = 2;
export const MAX_PARTIES = 16;
