/**
 * Property tests over random (n, signing pair, digest, delivery order, duplicated messages) for
 * signing, and over delivery order for the DKG (n = 3).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { TEST_SEED, combineRun, dkgKeys, nodePrimitives, runSign } from '../helpers.js';
import { ErrorCode } from '../../protocol/core/errors.js';
import type { Message } from '../../protocol/core/machine.js';
import { createDkg } from '../../protocol/dkg/dkg.js';
import { serializeKeyShare, type KeyShare } from '../../protocol/keyshare/keyshare.js';
import { G, Point } from '../../protocol/math/ec.js';
import { seededRng, simulate, testAuthenticators } from '../../protocol/testing/index.js';
import { fcSeed, hex, interpolateSecretForTest, seedMsg } from './support.js';

const NS = [2, 3, 4, 5] as const;

describe('signing property', () => {
  const keys = new Map<number, KeyShare[]>();
  beforeAll(() => {
    for (const n of NS) keys.set(n, dkgKeys(n));
  });

  test('random n, ordered pair, digest, delivery order and duplicated messages: the signature verifies', () => {
    const arb = fc
      .constantFrom(...NS)
      .chain((n) =>
        fc.record({
          n: fc.constant(n),
          I: fc.integer({ min: 1, max: n }),
          dR: fc.integer({ min: 1, max: n - 1 }),
          digest: fc.uint8Array({ minLength: 32, maxLength: 32 }),
          order: fc.uint8Array({ minLength: 16, maxLength: 16 }),
          session: fc.uint8Array({ minLength: 16, maxLength: 16 }),
          dup: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        }),
      );
    let runs = 0;
    let totalRejects = 0;
    fc.assert(
      fc.property(arb, ({ n, I, dR, digest, order, session, dup }) => {
        const R = ((I - 1 + dR) % n) + 1;
        const ks = keys.get(n)!;
        const what = seedMsg(`n=${n} I=${I} R=${R} digest=${hex(digest)} order=${hex(order)} dup=${dup}`);
        // duplicate some messages (each party sends one per round): the copy is dropped (REJECT), the session goes on
        const intercept = (m: Message) => (dup[(m.round - 1) * 2 + (m.from === I ? 0 : 1)] ? [m, { ...m, payload: m.payload.slice() }] : m);
        const run = runSign(ks, I, R, { digest, rng: seededRng(session), sim: { shuffle: seededRng(order), intercept } });
        expect([...run.sim.errors.values()].map((e) => e.code), what).toEqual([]);
        expect(run.sim.outputs.size, what).toBe(2);
        for (const rs of run.sim.rejects.values()) {
          for (const e of rs) expect([ErrorCode.DUPLICATE_MESSAGE, ErrorCode.SESSION_FINISHED], `${what}: ${e.message}`).toContain(e.code);
        }
        const nDup = dup.filter(Boolean).length;
        const nRejects = [...run.sim.rejects.values()].reduce((a, l) => a + l.length, 0);
        expect(nRejects, `${what}: at most one reject per duplicate`).toBeLessThanOrEqual(nDup);
        totalRejects += nRejects;
        const sig = combineRun(ks, I, R, run);
        expect(secp256k1.verify(sig.compact, digest, ks[0]!.publicKey, { prehash: false, lowS: true }), what).toBe(true);
        const rec = secp256k1.Signature.fromBytes(sig.compact, 'compact').addRecoveryBit(sig.recovery).recoverPublicKey(digest);
        expect(hex(rec.toBytes(true)), `${what}: recovery`).toBe(hex(ks[0]!.publicKey));
        runs++;
      }),
      { numRuns: 40, seed: fcSeed('property/sign') },
    );
    expect(runs).toBe(40);
    expect(totalRejects, seedMsg('duplicated messages were exercised and rejected')).toBeGreaterThan(0);
  });
});

describe('DKG delivery-order property (n = 3)', () => {
  const n = 3;
  const base = `${TEST_SEED}/property.test/dkg`;
  const runDkg = (order?: Uint8Array) => {
    const auth = testAuthenticators(n, base);
    const sessionId = seededRng(`${base}/sid`)(32);
    const machines = Array.from({ length: n }, (_, i) =>
      createDkg({ sessionId, n, t: 2, self: i + 1, rng: seededRng(`${base}/${i + 1}`), auth: auth[i]!, primitives: nodePrimitives }),
    );
    return simulate(machines, order ? { shuffle: seededRng(order) } : {});
  };
  let reference: string[];
  beforeAll(() => {
    const ref = runDkg();
    expect(ref.outputs.size, seedMsg('reference DKG')).toBe(n);
    reference = [1, 2, 3].map((i) => hex(serializeKeyShare(ref.outputs.get(i)!)));
  });

  test('any delivery order gives the same, valid key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (order) => {
        const what = seedMsg(`DKG order=${hex(order)}`);
        const res = runDkg(order);
        expect([...res.errors.values()].map((e) => `${e.code}: ${e.message}`), what).toEqual([]);
        expect(res.outputs.size, what).toBe(n);
        const out = [1, 2, 3].map((i) => res.outputs.get(i)!);
        const x = interpolateSecretForTest([out[0]!, out[2]!]);
        expect(G.multiply(x).equals(Point.fromBytes(out[0]!.publicKey)), `${what}: interpolation`).toBe(true);
        expect(out.map((k) => hex(serializeKeyShare(k))), `${what}: same output as in-order delivery`).toEqual(reference);
      }),
      { numRuns: 3, seed: fcSeed('property/dkg') },
    );
  });
});
