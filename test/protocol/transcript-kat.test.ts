/**
 * Known answer for a whole DKG and signing session from fixed seeds (@spec SPEC.md §1.3, §4–§6):
 * pins every byte on the wire and the partials, so a speed-up of the hashing, OT-extension or VOLE
 * code cannot change what is sent without this test failing. The value was first recorded before
 * the session-7 optimisations and holds for both hash implementations. It must only change
 * together with a SPEC.md change to the message formats.
 *
 * The digest covers the payloads in the order they are sent, not where one message ends: the
 * framing (sender, round, length of every message) is pinned separately by FRAMING. When the
 * four sequential messages became three simultaneous rounds (session 8, SPEC §6.3), EXPECTED
 * stayed the same: every value on the wire is unchanged, only the grouping moved.
 *
 * Session 9 changed EXPECTED and FRAMING on purpose (SPEC §6.1, §6.6): rounds 1–2 now hash a
 * digest-free presign context pctx (so every value from round 1 on differs), and round 3 is
 * ctx ‖ opening with ctx = H("sign/ctx"; pctx, digest), 32 + 195 = 227 bytes. Both primitive
 * sets gave the new value.
 */
import { describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { dkgKeys, memoryReplay, nodePrimitives } from '../helpers.js';
import { noblePrimitives, type Primitives } from '../../protocol/core/primitives.js';
import { MemoryPairGuard } from '../../protocol/core/guard.js';
import { createSigner, encodePartial, type PartialSignature } from '../../protocol/sign/sign.js';
import { seededRng, simulate } from '../../protocol/testing/index.js';
import { hex } from './support.js';

const KAT_SEED = 'tecdsa-kat/v1';
const EXPECTED = 'fd453cc60a5716cd5068cd95db9d49a47c36dafeb50384916ba6b50d3afad713';
/** Per signing session: sender (I or R), round, bytes, in sending order. */
const FRAMING = ['I1:14224', 'R1:14224', 'R2:72256', 'I2:72256', 'I3:227', 'R3:227'];

function transcriptDigest(P: Primitives): string {
  const keys = dkgKeys(3, 2, KAT_SEED);
  const h = createHash('sha256');
  for (const k of keys) h.update(k.publicKey);
  for (const [I, R] of [[1, 2], [3, 1]] as const) {
    const setup = seededRng(`${KAT_SEED}/sign/${I}${R}/setup`);
    const digest = setup(32);
    const sessionId = setup(32);
    const mk = (self: number, peer: number, initiator: boolean) =>
      createSigner({ share: keys[self - 1]!, peer, initiator, digest, sessionId, rng: seededRng(`${KAT_SEED}/sign/${I}${R}/${self}`), guard: new MemoryPairGuard(), replay: memoryReplay(), primitives: P });
    const framing: string[] = [];
    const sim = simulate<PartialSignature>([mk(I, R, true), mk(R, I, false)], {
      intercept: (m) => {
        h.update(m.payload);
        framing.push(`${m.from === I ? 'I' : 'R'}${m.round}:${m.payload.length}`);
        return m;
      },
    });
    expect(sim.outputs.size).toBe(2);
    expect(framing).toEqual(FRAMING);
    for (const p of [...sim.outputs.values()].sort((a, b) => a.index - b.index)) h.update(encodePartial(p));
  }
  return h.digest('hex');
}

describe('signing transcript known answer', () => {
  test('node:crypto primitives', () => {
    expect(transcriptDigest(nodePrimitives)).toBe(EXPECTED);
  });
  test('noble primitives', () => {
    expect(transcriptDigest(noblePrimitives)).toBe(EXPECTED);
  });
});
