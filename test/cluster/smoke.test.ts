import { test, expect } from 'vitest';
import { startTestCluster } from './harness.js';

test('smoke', async () => {
  const c = await startTestCluster();
  try {
    const t0 = performance.now();
    const k = await c.coordinator.createKey('smoke');
    console.log('dkg', performance.now() - t0, k.address);
    for (let i = 0; i < 3; i++) {
      const t1 = performance.now();
      const r = await c.coordinator.signDigest(k.id, new Uint8Array(32).fill(i + 1));
      console.log('sign', performance.now() - t1, r.status, r.nodes?.map((n) => n.index), r.error);
      expect(r.status).toBe('signed');
    }
  } finally {
    await c.close();
  }
});
