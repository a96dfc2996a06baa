/**
 * The operator and approver CLI (`npm run tecdsa -- …`, run as a separate process) against a
 * real cluster: policy validate / test with line-numbered errors and explanations, keys,
 * principals, approver keygen/add, sign, reject, freeze / unfreeze, status, admins get / set.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startTestCluster, type TestCluster } from './harness.js';
import { EXAMPLE_POLICY } from '../fixtures/policies.js';

const root = resolve(import.meta.dirname, '../..');
let c: TestCluster;
let url: string;
beforeAll(async () => {
  c = await startTestCluster();
  await c.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(c.app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await c?.close();
});

const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/tecdsa.ts', ...args, '--dir', c.dir, '--url', url], { cwd: root }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
const EXAMPLE = EXAMPLE_POLICY;

test('policy validate and policy test explain themselves', async () => {
  const f = join(c.dir, 'p.yaml');
  writeFileSync(f, EXAMPLE);
  expect((await cli('policy', 'validate', f)).out).toMatch(/^ok: 2 rule\(s\), hash [0-9a-f]{64}/);
  writeFileSync(join(c.dir, 'bad.yaml'), EXAMPLE.replace('maxValue: "1 ether"', 'maxValue: "1 etherr"'));
  const bad = await cli('policy', 'validate', join(c.dir, 'bad.yaml'));
  expect([bad.code, bad.err]).toEqual([1, expect.stringMatching(/line 4, column \d+ \(rules\[0\]\.match\.maxValue\): "1 etherr" is not an amount/)]);
  const req = join(c.dir, 'req.json');
  writeFileSync(req, JSON.stringify({ kind: 'eip1559', transaction: { chainId: 31337, nonce: 0, to: '0x000000000000000000000000000000000000dEaD', value: '2000000000000000000', gas: '21000', maxFeePerGas: '2', maxPriorityFeePerGas: '1' } }));
  const t = JSON.parse((await cli('policy', 'test', f, req)).out);
  expect([t.decision, t.rule]).toEqual(['deny', 'everything-else']);
  expect(t.why[0]).toMatch(/small-transfers.*exceeds maxValue/);
});

test('keys, principals, approvers, sign, reject, freeze and unfreeze from the command line', async () => {
  const key = JSON.parse((await cli('keys', 'create', 'cli-key')).out);
  expect(key.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
  writeFileSync(join(c.dir, 'p.yaml'), EXAMPLE);
  expect(JSON.parse((await cli('policy', 'set', key.id, join(c.dir, 'p.yaml'))).out).seq).toBe(1);
  const pub = (await cli('approver', 'keygen', join(c.dir, 'alice.key'))).out.trim();
  expect(pub).toMatch(/^[0-9a-f]{64}$/);
  expect(JSON.parse((await cli('approver', 'add', 'alice', pub, 'treasury')).out).roles).toEqual(['treasury']);
  const ivan = JSON.parse((await cli('principal', 'add', 'ivan', 'initiator', key.id)).out);
  expect(ivan.token).toMatch(/^[0-9a-f]{64}$/);

  const reqFile = join(c.dir, 'sign.json');
  writeFileSync(reqFile, JSON.stringify({ keyId: key.id, kind: 'eip1559', transaction: { chainId: 31337, nonce: 0, to: '0x000000000000000000000000000000000000dEaD', value: '1', gas: '21000', maxFeePerGas: '2', maxPriorityFeePerGas: '1' } }));
  writeFileSync(join(c.dir, 'ivan.token'), ivan.token);
  const r1 = JSON.parse((await cli('sign', reqFile, '--token-file', join(c.dir, 'ivan.token'))).out);
  expect([r1.status, r1.initiator]).toEqual(['pending_approval', 'ivan']);
  const rej = JSON.parse((await cli('reject', r1.id, '--as', 'alice', '--key', join(c.dir, 'alice.key'))).out);
  expect([rej.status, rej.rejection.reason]).toEqual(['rejected', 'rejected by approver alice']);

  const r2 = JSON.parse((await cli('sign', reqFile)).out);
  const ok = JSON.parse((await cli('approve', r2.id, '--as', 'alice', '--key', join(c.dir, 'alice.key'))).out);
  expect(ok.status).toBe('signed');
  expect(JSON.parse((await cli('wait', r2.id)).out).signedTransaction).toMatch(/^0x02/);

  expect(JSON.parse((await cli('freeze', key.id, '--reason', 'drill')).out).frozen).toBe(true);
  const frozen = await cli('sign', reqFile);
  expect([frozen.code, frozen.err]).toEqual([1, expect.stringContaining('423 ERR_FROZEN')]);
  expect(JSON.parse((await cli('unfreeze', key.id)).out).frozen).toBe(false);
  expect(JSON.parse((await cli('sign', reqFile)).out).status).toBe('pending_approval');
  expect(JSON.parse((await cli('principal', 'list')).out).principals.map((p: { name: string }) => p.name)).toEqual(['admin', 'ivan']);
});

test('admins get / set: a second admin joins, then signs a policy change with its own key and name', async () => {
  const before = JSON.parse((await cli('admins', 'get')).out);
  expect([before.quorum, before.seq, before.admins.length]).toEqual([1, 0, 1]);
  const ops = (await cli('approver', 'keygen', join(c.dir, 'ops-admin.key'))).out.trim(); // any Ed25519 key file will do
  const file = join(c.dir, 'admins.json');
  writeFileSync(file, JSON.stringify({ admins: [...before.admins, { name: 'ops', publicKey: ops }], quorum: 1 }));
  const set = JSON.parse((await cli('admins', 'set', file)).out);
  expect([set.seq, set.quorum, set.admins.map((a: { name: string }) => a.name)]).toEqual([1, 1, ['admin', 'ops']]);
  expect(set.nodes.every((n: { ok: boolean }) => n.ok)).toBe(true);
  const key = JSON.parse((await cli('keys', 'create', 'admins-cli')).out);
  writeFileSync(join(c.dir, 'p2.yaml'), EXAMPLE);
  const asOps = await cli('policy', 'set', key.id, join(c.dir, 'p2.yaml'), '--admin-key', join(c.dir, 'ops-admin.key'), '--admin-name', 'ops');
  expect(JSON.parse(asOps.out).seq, asOps.err).toBe(1);
  // a bad file is refused before anything is sent
  writeFileSync(file, JSON.stringify({ admins: [{ name: 'ops', publicKey: ops }], quorum: 2 }));
  const bad = await cli('admins', 'set', file);
  expect([bad.code, bad.err]).toEqual([1, expect.stringContaining('quorum')]);
  expect(JSON.parse((await cli('admins', 'get')).out).seq).toBe(1);
});

test('audit export pages through the log; the pages joined are the whole log and it verifies', async () => {
  const all = await c.coordinator.auditEntries();
  expect(all.length).toBeGreaterThan(5);
  const paged = join(c.dir, 'paged.jsonl');
  const whole = join(c.dir, 'whole.jsonl');
  expect((await cli('audit', 'export', '--page-size', '2', '--out', paged)).code).toBe(0);
  expect((await cli('audit', 'export', '--out', whole)).code).toBe(0);
  const seqs = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { seq: number }).seq);
  expect(seqs(paged)).toEqual(all.map((e) => e.seq));
  expect(readFileSync(paged, 'utf8')).toBe(readFileSync(whole, 'utf8'));
  expect((await cli('audit', 'verify', paged)).out).toContain(`ok: ${all.length} entries`);
  expect((await cli('audit', 'export', '--page-size', '0')).code).toBe(2);
});
