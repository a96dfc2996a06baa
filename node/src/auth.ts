/**
 * Ed25519 `Authenticator` over node:crypto (OpenSSL): a node signs its DKG broadcasts with its
 * identity key and verifies the other parties' with their public keys.
 */
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Authenticator } from '../../protocol/core/auth.js';

export function ed25519Authenticator(own: KeyObject, peers: ReadonlyMap<number, KeyObject>): Authenticator {
  return {
    sign: (data) => new Uint8Array(sign(null, data, own)),
    verify: (party, data, sig) => {
      const pk = peers.get(party);
      if (!pk || sig.length !== 64) return false;
      try {
        return verify(null, data, pk, sig);
      } catch {
        return false;
      }
    },
  };
}

/** Fresh identities for parties 1..n (tests and benchmarks). */
export function ed25519Authenticators(n: number): Authenticator[] {
  const keys = Array.from({ length: n }, () => generateKeyPairSync('ed25519'));
  const pubs = new Map(keys.map((k, i) => [i + 1, k.publicKey]));
  return keys.map((k) => ed25519Authenticator(k.privateKey, pubs));
}
