/**
 * `npm run bench:cluster [-- --json] [-- --requests N] [-- --gap MS]`: end-to-end digest signing
 * through the coordinator's HTTP API on a local cluster started exactly as `npm start` does
 * (3 node processes + coordinator, 127.0.0.1, temp directory). Prints the latency of N
 * sequential requests (p50, p99; default N = 200 after 20 warm-up requests) twice: back to back
 * (each request sent as soon as the previous one answered), and paced (a pause of MS, default
 * 100, between one answer and the next request: the gaps in which the coordinator refills its
 * presignatures, protocol/SPEC.md §6.6), with how many requests bound a presignature; then the
 * throughput with 16 requests in flight. `--json` ends the output with one JSON line
 * {"p50_ms","p99_ms","mean_ms","paced_p50_ms","paced_p99_ms","paced_presigned","gap_ms","throughput_rps","requests","concurrency"}.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signAdminChange } from '../proto/governance.js';
import { policyHash } from '../proto/policy/policy.js';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, requests: { type: 'string' }, concurrency: { type: 'string' }, gap: { type: 'string' } }, strict: true });
const N = Number(values.requests ?? 200);
const C = Number(values.concurrency ?? 16);
const GAP = Number(values.gap ?? 100);
const WARMUP = 20;
const root = resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  for (;;) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    const ok = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => new Promise<boolean>((res) => {
        const s = createServer();
        s.once('error', () => res(false));
        s.listen(base + i, '127.0.0.1', () => s.close(() => res(true)));
      })),
    );
    if (ok.every(Boolean)) return base;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tecdsa-bench-cluster-'));
const port = await freePort();
const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--dir', dir, '--port', String(port)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
proc.stdout!.on('data', (d) => {
  if (out.length < 1e6) out += d;
});
const exited = new Promise((r) => proc.once('exit', r));
try {
  const deadline = Date.now() + 120_000;
  while (!out.includes('Press Ctrl-C to stop.')) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`cluster did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${readFileSync(join(dir, 'admin.token'), 'utf8').trim()}`, 'content-type': 'application/json' };
  const key = (await (await fetch(`${url}/v1/keys`, { method: 'POST', headers, body: JSON.stringify({ name: 'bench' }) })).json()) as { id: string };
  // raw-digest signing must be allowed by an admin-signed policy
  const policy = 'version: 1\nrules:\n  - name: bench-digests\n    match: { kind: [digest] }\n    action: allow\n';
  const sig = signAdminChange({ type: 'policy', keyId: key.id, policyHash: policyHash(policy), seq: 1 }, readFileSync(join(dir, 'admin.key'), 'utf8'), 'admin');
  const put = await fetch(`${url}/v1/keys/${key.id}/policy`, { method: 'PUT', headers, body: JSON.stringify({ policy, seq: 1, signatures: [sig] }) });
  if (put.status !== 200) throw new Error(`policy not installed: ${put.status} ${await put.text()}`);
  const sign = async () => {
    const t = performance.now();
    const r = await fetch(`${url}/v1/sign-requests`, { method: 'POST', headers, body: JSON.stringify({ keyId: key.id, kind: 'digest', digest: `0x${randomBytes(32).toString('hex')}` }) });
    const body = (await r.json()) as { status?: string; attempts?: { presigned?: boolean }[] };
    if (r.status !== 201 || body.status !== 'signed') throw new Error(`sign failed: ${r.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - t, presigned: body.attempts?.at(-1)?.presigned === true };
  };
  for (let i = 0; i < WARMUP; i++) await sign();
  const run = async (gap: number) => {
    const lat: number[] = [];
    let presigned = 0;
    for (let i = 0; i < N; i++) {
      if (gap > 0) await new Promise((r) => setTimeout(r, gap));
      const s = await sign();
      lat.push(s.ms);
      if (s.presigned) presigned++;
    }
    lat.sort((a, b) => a - b);
    return { lat, presigned, q: (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!, mean: lat.reduce((a, b) => a + b, 0) / lat.length };
  };
  const b2b = await run(0);
  const paced = await run(GAP);
  const { lat, q, mean } = b2b;
  const total = Math.max(N, 10 * C);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async () => {
    while (next++ < total) await sign();
  }));
  const rps = total / ((performance.now() - t0) / 1000);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  console.log(`digest signing through the coordinator (3 node processes, 127.0.0.1, ${N} sequential requests after ${WARMUP} warm-up):`);
  console.log(`  back to back: p50 ${r2(q(0.5))} ms   p99 ${r2(q(0.99))} ms   mean ${r2(mean)} ms   min ${r2(lat[0]!)} ms   (${b2b.presigned} bound a presignature)`);
  console.log(`  ${GAP} ms between requests: p50 ${r2(paced.q(0.5))} ms   p99 ${r2(paced.q(0.99))} ms   mean ${r2(paced.mean)} ms   min ${r2(paced.lat[0]!)} ms   (${paced.presigned} bound a presignature)`);
  console.log(`  throughput with ${C} in flight: ${r2(rps)} signatures/s (${total} requests)`);
  if (values.json) {
    console.log(
      JSON.stringify({ p50_ms: r2(q(0.5)), p99_ms: r2(q(0.99)), mean_ms: r2(mean), paced_p50_ms: r2(paced.q(0.5)), paced_p99_ms: r2(paced.q(0.99)), paced_presigned: paced.presigned, gap_ms: GAP, throughput_rps: r2(rps), requests: N, concurrency: C }),
    );
  }
} finally {
  proc.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
}
