/**
 * Message authentication injected into the protocol (@spec SPEC.md §1.7). The DKG signs its
 * broadcast payloads so that an echo mismatch is attributable: two valid signatures by one
 * party on different payloads prove equivocation; an invalid relayed signature blames the relay.
 * Nodes use their Ed25519 identity key; tests use `protocol/testing` keys.
 */
export interface Authenticator {
  /** Signs `data` with this party's identity key; 64-byte signature. */
  sign(data: Uint8Array): Uint8Array;
  /** Verifies `sig` on `data` under party `party`'s identity key. */
  verify(party: number, data: Uint8Array, sig: Uint8Array): boolean;
}
export const AUTH_SIG_BYTES = 64;
