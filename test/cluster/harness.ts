/**
 * A real cluster inside the test process: 3 ClusterNodes and a Coordinator, each with its own
 * libp2p host on 127.0.0.1 (real TCP, Noise, Yamux) and its own LevelDB in a temp directory,
 * created by the same cluster-init code `npm start` uses.
 */
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCluster, NODES, type ClusterInfo } from '../../scripts/cluster-init.js';
import { ClusterNode, type NodeHooks } from '../../node/src/node.js';
import { Coordinator } from '../../coordinator/src/service.js';
import { buildApp, sha256 } from '../../coordinator/src/app.js';
import type { FastifyInstance } from 'fastify';
import { policyHash } from '../../proto/policy/policy.js';
import { signAdminChange } from '../../proto/governance.js';

/** A policy that lets the admin sign raw digests (what the cluster-layer tests exercise). */
export const DIGEST_POLICY = `version: 1
rules:
  - name: raw-digests
    match: { kind: [digest] }
    action: allow
`;

/** Cheap scrypt for tests (the default cost is tested in test/node/store.test.ts). */
export const TEST_KDF = { N: 2 ** 10, r: 8, p: 1 };

export async function freePortBlock(n: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    const ok = await Promise.all(
      Array.from({ length: n }, (_, i) => new Promise<boolean>((res) => {
        const s = createServer();
        s.once('error', () => res(false));
        s.listen(base + i, '127.0.0.1', () => s.close(() => res(true)));
      })),
    );
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no free port block');
}

export interface TestCluster {
  readonly info: ClusterInfo;
  readonly dir: string;
  readonly token: string;
  nodes: (ClusterNode | undefined)[];
  coordinator: Coordinator;
  app: FastifyInstance;
  startNode(index: number, hooks?: NodeHooks): Promise<ClusterNode>;
  /** Installs `text` as the key's policy, signed with the cluster's admin key. */
  setPolicy(keyId: string, text?: string): Promise<void>;
  adminKeyPem: string;
  stopNode(index: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTestCluster(o: { roundTimeoutMs?: number; hooks?: Record<number, NodeHooks> } = {}): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'tecdsa-cluster-'));
  const port = await freePortBlock(NODES + 2);
  const info = await initCluster({ dir, port, roundTimeoutMs: o.roundTimeoutMs ?? 3_000 });
  const token = readFileSync(info.tokenFile, 'utf8').trim();
  const nodes: (ClusterNode | undefined)[] = [];
  const startNode = async (i: number, hooks?: NodeHooks) => {
    const h = hooks ?? o.hooks?.[i];
    const n = await ClusterNode.start({ dir: join(dir, `node${i}`), kdf: TEST_KDF, ...(h ? { hooks: h } : {}) });
    nodes[i - 1] = n;
    return n;
  };
  for (let i = 1; i <= NODES; i++) await startNode(i);
  const coordinator = await Coordinator.start({ dir: join(dir, 'coordinator') });
  const app = buildApp(coordinator, { tokenHash: sha256(token) });
  await app.ready();
  const c: TestCluster = {
    info,
    dir,
    token,
    nodes,
    coordinator,
    app,
    startNode,
    adminKeyPem: readFileSync(info.adminKeyFile, 'utf8'),
    setPolicy: async (keyId, text = DIGEST_POLICY) => {
      const seq = ((await coordinator.getPolicy(keyId))?.seq ?? 0) + 1;
      const change = { type: 'policy' as const, keyId, policyHash: policyHash(text), seq };
      await coordinator.setPolicy(keyId, text, [signAdminChange(change, c.adminKeyPem, 'admin')], seq);
    },
    stopNode: async (i) => {
      await nodes[i - 1]?.stop();
      nodes[i - 1] = undefined;
    },
    close: async () => {
      await app.close();
      await c.coordinator.stop();
      for (const n of nodes) await n?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return c;
}
