/**
 * Randomness is a parameter (@spec SPEC.md §1.5): `protocol/` never reads system randomness.
 * Nodes pass the operating system CSPRNG (Web Crypto); tests pass a seeded generator from
 * `protocol/testing`.
 */
export type Rng = (length: number) => Uint8Array;
