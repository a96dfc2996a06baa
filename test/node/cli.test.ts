/**
 * The `node` command line as an operator runs it (separate processes): init, status (with the
 * delayed requests the node still holds back), start with
 * a wrong passphrase (clear error, exit 1, nothing changed), and refusal of an identity file
 * that others can read.
 */
import { afterAll, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { initCluster } from '../../scripts/cluster-init.js';
import { freePortBlock } from '../cluster/harness.js';
import { NodeStore } from '../../node/src/store.js';
import { dkgKeys } from '../helpers.js';
import { toHex } from '../../protocol/core/bytes.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'tecdsa-node-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'node/src/cli.ts', ...args], { cwd: root, env: { ...process.env, ...env, TECDSA_PASSPHRASE: '' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

test('init creates identity (0600), passphrase (0600) and config; a second init reuses them', async () => {
  const d = join(dir, 'solo');
  const a = await run(['init', '--dir', d, '--index', '1', '--listen', '/ip4/127.0.0.1/tcp/1']);
  expect(a.code, a.stderr).toBe(0);
  const r1 = JSON.parse(a.stdout) as { peerId: string; createdIdentity: boolean };
  expect(r1.createdIdentity).toBe(true);
  expect(statSync(join(d, 'identity.key')).mode & 0o777).toBe(0o600);
  expect(statSync(join(d, 'passphrase')).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'))).toMatchObject({ version: 1, index: 1, listen: ['/ip4/127.0.0.1/tcp/1'] });
  const b = await run(['init', '--dir', d, '--index', '1', '--listen', '/ip4/127.0.0.1/tcp/1']);
  expect(JSON.parse(b.stdout)).toEqual({ peerId: r1.peerId, createdIdentity: false, createdConfig: false });
  const bad = await run(['init', '--dir', d, '--index', 'x', '--listen', '/ip4/127.0.0.1/tcp/1']);
  expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--index must be a positive integer')]);
});

test('start with a wrong passphrase stops with a clear error and changes nothing; status shows the keys', async () => {
  const info = await initCluster({ dir: join(dir, 'c'), port: await freePortBlock(5) });
  const nd = join(info.dir, 'node1');
  const pass = readFileSync(join(nd, 'passphrase'), 'utf8').trim();
  const share = dkgKeys(3)[0]!;
  const store = await NodeStore.open(join(nd, 'data'), pass);
  const meta = { keyId: toHex(share.keyId), name: 'k', index: 1, n: 3, t: 2, publicKey: toHex(share.publicKey), publicShares: share.publicShares.map(toHex), createdAt: 1 };
  await store.putKey(meta, share);
  // a delayed request this node witnessed (as applyAnnouncement stores it), one that expired, and a
  // record from before announcements carried the request: only the first is still waiting
  const now = Date.now();
  const summary = { kind: 'eip1559', chainId: 31337, to: '0x000000000000000000000000000000000000dEaD', value: '6', nonce: 0 };
  const witnessed = { at: now, digest: `0x${'11'.repeat(32)}`, keyId: meta.keyId, initiator: 'carol', summary, policyHash: 'aa'.repeat(32), rule: 'slow', action: 'delay', delayMs: 3600e3, notBefore: now + 3600e3, expiresAt: now + 86400e3 };
  const waiting = '00000000-0000-4000-8000-00000000000a';
  await store.putRecords([
    { key: `seen/${waiting}`, value: witnessed },
    { key: 'seen/00000000-0000-4000-8000-00000000000b', value: { ...witnessed, expiresAt: now - 1 } },
    { key: 'seen/00000000-0000-4000-8000-00000000000c', value: { at: now, digest: witnessed.digest } },
  ]);
  await store.close();

  const st = await run(['status', '--dir', nd]);
  expect(st.code, st.stderr).toBe(0);
  const s = JSON.parse(st.stdout) as { state: string; keys: { keyId: string }[]; peerId: string; delayed: unknown[] };
  expect([s.state, s.keys.map((k) => k.keyId), s.peerId]).toEqual(['stopped', [meta.keyId], info.cluster.nodes[0]!.peerId]);
  expect(s.delayed).toEqual([{ requestId: waiting, keyId: meta.keyId, initiator: 'carol', digest: witnessed.digest, summary, rule: 'slow', seenAt: new Date(now).toISOString(), notBefore: new Date(now + 3600e3).toISOString(), expiresAt: new Date(now + 86400e3).toISOString() }]);

  writeFileSync(join(nd, 'passphrase'), 'not the passphrase\n', { mode: 0o600 });
  const r = await run(['start', '--dir', nd]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/wrong passphrase/);
  expect(r.stderr).toMatch(/nothing was changed/);
  writeFileSync(join(nd, 'passphrase'), pass + '\n', { mode: 0o600 });
  const again = await NodeStore.open(join(nd, 'data'), pass);
  try {
    expect((await again.listKeys()).map((k) => k.keyId)).toEqual([meta.keyId]);
    expect(toHex((await again.getShare(meta.keyId))!.publicKey)).toBe(meta.publicKey);
  } finally {
    await again.close();
  }
});

test('an identity file readable by others is refused with the chmod to run', async () => {
  const info = await initCluster({ dir: join(dir, 'm'), port: await freePortBlock(5) });
  const f = join(info.dir, 'node2', 'identity.key');
  chmodSync(f, 0o644);
  const r = await run(['start', '--dir', join(info.dir, 'node2')]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`chmod 600 ${f}`);
  chmodSync(f, 0o600);
  const ok = await run(['status', '--dir', join(info.dir, 'node2')]);
  expect(ok.code, ok.stderr).toBe(0);
});
