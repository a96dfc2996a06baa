/**
 * Known answer for a whole DKG and signing session from fixed seeds (@spec SPEC.md §1.3, §4–§6):
 * pins every byte on the wire and the partials, so a speed-up of the hashing, OT-extension or VOLE
 * code cannot change what is sent without this test failing. The value was recorded before the
 * session-7 optimisations and holds for both hash implementations. It must only change together
 * with a SPEC.md change to the message formats.
 *
 * The digest covers the payloads in the order they are sent, not where one message ends: the
 * framing (sender, round, length of every message) is pinned separately by FRAMING. When the
 * four sequential messages became three simultaneous rounds (session 8, SPEC §6.3), EXPECTED
 * stayed the same: every value on the wire is unchanged, only the grouping moved.
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
const EXPECTED = '7dea462274db82cd2af4126a7902c3d0d63850ee76a587821eef503cd074dd0e';
/** Per signing session: sender (I or R), round, bytes, in sending order. */
const FRAMING = ['I1:14224', 'R1:14224', 'R2:72256', 'I2:72256', 'I3:195', 'R3:195'];

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
