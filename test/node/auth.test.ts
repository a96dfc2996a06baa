import { describe, expect, it } from 'vitest';
import { ed25519Authenticators } from '../../node/src/auth.js';
import { createDkg } from '../../protocol/dkg/dkg.js';
import { simulate } from '../../protocol/testing/index.js';
import { nodePrimitives, TEST_SEED } from '../helpers.js';
import { seededRng } from '../../protocol/testing/index.js';

describe('node Ed25519 authenticator (node:crypto)', () => {
  it('verifies its own party and rejects other parties, altered data and bad lengths', () => {
    const [a, b] = ed25519Authenticators(2);
    const data = new TextEncoder().encode('broadcast');
    const sig = a!.sign(data);
    expect(sig.length).toBe(64);
    expect(b!.verify(1, data, sig)).toBe(true);
    expect(b!.verify(2, data, sig)).toBe(false);
    expect(b!.verify(3, data, sig)).toBe(false);
    expect(b!.verify(1, new TextEncoder().encode('broadcasT'), sig)).toBe(false);
    expect(b!.verify(1, data, sig.subarray(0, 63))).toBe(false);
  });

  it('drives a DKG to a common public key', () => {
    const auth = ed25519Authenticators(2);
    const rng = seededRng(`node-auth/${TEST_SEED}`);
    const sessionId = rng(32);
    const r = simulate([1, 2].map((i) => createDkg({ sessionId, n: 2, t: 2, self: i, rng: seededRng(`${TEST_SEED}/${i}`), auth: auth[i - 1]!, primitives: nodePrimitives })));
    expect(r.errors.size, `seed ${TEST_SEED}`).toBe(0);
    expect(r.outputs.get(1)!.publicKey).toEqual(r.outputs.get(2)!.publicKey);
  });
});
