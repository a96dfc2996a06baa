import { test } from 'vitest';
import { dkgKeys, memoryReplay, nodePrimitives } from '../helpers.js';
import { MemoryPairGuard } from '../../protocol/core/guard.js';
import { createSigner } from '../../protocol/sign/sign.js';
import { seededRng, simulate } from '../../protocol/testing/index.js';
import { keyIdHex } from '../../protocol/keyshare/keyshare.js';
test('probe', () => {
  const keys = dkgKeys(2);
  const rng = seededRng('probe');
  const sessionId = rng(32);
  const gA = new MemoryPairGuard(), gB = new MemoryPairGuard();
  const a = createSigner({ share: keys[0]!, peer: 2, initiator: true, digest: rng(32), sessionId, rng, guard: gA, replay: memoryReplay(), primitives: nodePrimitives });
  const b = createSigner({ share: keys[1]!, peer: 1, initiator: false, digest: rng(32), sessionId, rng, guard: gB, replay: memoryReplay(), primitives: nodePrimitives });
  const sim = simulate([a, b]);
  for (const [k, e] of sim.errors) console.log(k, e.failure, e.code, e.culprit, e.message);
  console.log('B bans 1:', gB.isBanned(keyIdHex(keys[1]!), 1));
});
