/**
 * History catch-up on (re)connection (node/README § Authorization): a node that was down is sent
 * the signed history by the others when it connects, and a failed send is retried, so one
 * failure does not leave it counting less than was spent.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestCluster, type TestCluster } from './harness.js';
import { ProtocolKind } from '../../proto/index.js';
import { HISTORY_SYNC_ATTEMPTS } from '../../node/src/node.js';
import { CAPPED_POLICY, cappedTx } from '../fixtures/policies.js';

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.close();
});

test('node 1’s first send of the history to a returning node 3 fails and is retried; node 2 never sends it; node 3 still ends with the entry', async () => {
  expect(HISTORY_SYNC_ATTEMPTS).toBeGreaterThan(1);
  const k = await c.coordinator.createKey('sync-retry');
  await c.setPolicy(k.id, CAPPED_POLICY);
  await c.stopNode(3);
  expect((await c.coordinator.submit(cappedTx(k.id, '600', 0), { initiator: 'admin', pair: [1, 2] } as never)).record.status).toBe('signed');

  // restart 1 and 2 with hooks: node 2 drops every HISTORY envelope for node 3, node 1 throws on its first one
  let thrown = 0;
  let delivered = 0;
  await c.stopNode(2);
  await c.startNode(2, { outgoing: (e) => (e.protocol === ProtocolKind.HISTORY && e.to === 3 ? null : e) });
  await c.stopNode(1);
  await c.startNode(1, {
    outgoing: (e) => {
      if (e.protocol === ProtocolKind.HISTORY && e.to === 3) {
        if (thrown === 0) {
          thrown++;
          throw new Error('injected send failure');
        }
        delivered++;
      }
      return e;
    },
  });
  await c.startNode(3, {});
  const history = () => (c.nodes[2] as unknown as { authorizer: { history(k: string): Promise<unknown[]> } }).authorizer.history(k.id);
  const end = Date.now() + 15_000;
  while ((await history()).length !== 1) {
    if (Date.now() > end) throw new Error(`node 3 never received the history (thrown ${thrown}, delivered ${delivered})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  expect([thrown, delivered >= 1]).toEqual([1, true]);
});
