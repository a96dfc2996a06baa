/**
 * The README's `npm start`, as a user runs it: separate OS processes for 3 nodes and the
 * coordinator, a key created and a digest signed over HTTP, SIGTERM to npm stops every process;
 * a second start on the same directory reuses identities, configs and the stored key.
 */
import { afterAll, expect, test } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DIGEST_POLICY, freePortBlock } from './harness.js';
import { opensslVerify } from '../helpers.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'tecdsa-npm-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  proc: ChildProcess;
  /** The output pipe closed: every process that inherited it (npm, the launcher) has exited. */
  drained: Promise<void>;
  out: () => string;
  pids: number[];
  exited: Promise<number | null>;
}

async function start(port: number): Promise<Run> {
  const proc = spawn('npm', ['start', '--', '--dir', dir, '--port', String(port)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((res) => proc.once('exit', (c) => res(c)));
  const drained = new Promise<void>((res) => proc.stdout!.once('close', () => res()));
  const deadline = Date.now() + 90_000;
  while (!out.includes('Press Ctrl-C to stop.')) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`npm start did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const pids = /pids\s+([\d ]+)/.exec(out)![1]!.trim().split(/\s+/).map(Number);
  return { proc, drained, out: () => out, pids, exited };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function stop(r: Run): Promise<void> {
  r.proc.kill('SIGTERM');
  await r.exited;
  const end = Date.now() + 15_000;
  while (r.pids.some(alive) && Date.now() < end) await new Promise((res) => setTimeout(res, 100));
  expect(r.pids.filter(alive), r.out()).toEqual([]);
  await r.drained;
  expect(r.out()).toContain('All processes stopped.');
}

test('npm start: DKG and a signature over HTTP, then SIGTERM stops every process; a restart reuses everything', async () => {
  const port = await freePortBlock(5);
  const url = `http://127.0.0.1:${port}`;
  const first = await start(port);
  expect(first.pids.length).toBe(5); // launcher, 3 nodes, coordinator
  expect(first.pids.every(alive)).toBe(true);
  const token = readFileSync(join(dir, 'admin.token'), 'utf8').trim();
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let keyId: string;
  let publicKey: string;
  try {
    expect(first.out()).toContain(`coordinator  ${url}`);
    expect(first.out()).toContain(join(dir, 'admin.token'));
    const cluster = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as { nodes: { peerId: string }[] };
    for (const n of cluster.nodes) expect(first.out()).toContain(n.peerId);

    const k = await fetch(`${url}/v1/keys`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'npm-start' }) });
    expect(k.status).toBe(201);
    const key = (await k.json()) as { id: string; publicKey: string; threshold: number; parties: number };
    expect([key.threshold, key.parties]).toEqual([2, 3]);
    keyId = key.id;
    publicKey = key.publicKey;
    // a new key denies everything until an admin installs a policy: do it with the CLI
    const denied = await fetch(`${url}/v1/sign-requests`, { method: 'POST', headers: auth, body: JSON.stringify({ keyId, kind: 'digest', digest: `0x${'cd'.repeat(32)}` }) });
    expect(((await denied.json()) as { status: string }).status).toBe('rejected');
    const policyFile = join(dir, 'digest-policy.yaml');
    writeFileSync(policyFile, DIGEST_POLICY);
    const set = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/tecdsa.ts', 'policy', 'set', keyId, policyFile, '--dir', dir], { cwd: root });
    expect(JSON.parse(set.stdout)).toMatchObject({ keyId, seq: 1 });
    const digest = randomBytes(32);
    const s = await fetch(`${url}/v1/sign-requests`, { method: 'POST', headers: auth, body: JSON.stringify({ keyId, kind: 'digest', digest: `0x${digest.toString('hex')}` }) });
    expect(s.status).toBe(201);
    const sig = ((await s.json()) as { status: string; signature: { r: string; s: string } });
    expect(sig.status).toBe('signed');
    const compact = Buffer.from(sig.signature.r.slice(2) + sig.signature.s.slice(2), 'hex');
    expect(opensslVerify([{ publicKey: Buffer.from(publicKey, 'hex'), digest, compact }])).toEqual([true]);
    expect(first.out()).toMatch(/DKG round 6\/7 done on every node/);
  } finally {
    await stop(first);
  }

  const second = await start(port);
  try {
    expect(second.out()).toContain(`Using cluster in ${dir}`);
    const list = (await (await fetch(`${url}/v1/keys`, { headers: auth })).json()) as { keys: { id: string }[] };
    expect(list.keys.map((k) => k.id)).toEqual([keyId]);
    const s = await fetch(`${url}/v1/sign-requests`, { method: 'POST', headers: auth, body: JSON.stringify({ keyId, kind: 'digest', digest: `0x${'ab'.repeat(32)}` }) });
    expect(s.status).toBe(201);
  } finally {
    await stop(second);
  }
});
