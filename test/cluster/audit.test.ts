/**
 * Audit: the coordinator's signed hash chain covers keys, policy and approver changes, requests,
 * decisions, approvals, sessions and signatures; any changed byte, removed or reordered entry is
 * found (in memory, in the exported JSONL and in the stopped coordinator's LevelDB, through the
 * CLI); the log fails closed; nodes keep their own chains; evidence bundles verify offline and
 * tampered ones do not.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Level } from 'level';
import { startTestCluster, type TestCluster } from './harness.js';
import type { KeyRecord } from '../../coordinator/src/store.js';
import { verifyChain, type AuditEntry } from '../../proto/audit.js';
import { verifyEvidence, type EvidenceBundle } from '../../proto/evidence.js';
import { signAdminChange, signStatement } from '../../proto/governance.js';
import { peerPublicKey } from '../../proto/identity.js';

const root = resolve(import.meta.dirname, '../..');
const DEAD = '0x000000000000000000000000000000000000dEaD';
const POLICY = `version: 1
rules:
  - name: small-transfers
    match: { kind: [eip1559], chainId: [31337], to: ["${DEAD}"], maxValue: "1 ether" }
    action: { require_approvals: { treasury: 1 } }
  - name: everything-else
    action: deny
`;

let c: TestCluster;
let key: KeyRecord;
let signedId: string;
let entries: AuditEntry[];
let coordKey: string;
const alice = generateKeyPairSync('ed25519');
const alicePem = alice.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const alicePub = Buffer.from(String(alice.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
const tx = (value: string, nonce: number) => ({ keyId: '', kind: 'eip1559', transaction: { chainId: 31337, nonce, to: DEAD, value, gas: '21000', maxFeePerGas: '2', maxPriorityFeePerGas: '1' } });

/** Session ids of every protocol message node 1 sends (after its own checks, before signing the envelope). */
const sentBy1: string[] = [];
beforeAll(async () => {
  c = await startTestCluster({ hooks: { 1: { outgoing: (env) => (sentBy1.push(Buffer.from(env.sessionId).toString('hex')), env) } } });
  key = await c.coordinator.createKey('audited');
  await c.setPolicy(key.id, POLICY);
  await c.coordinator.setApprover('alice', alicePub, ['treasury'], [signAdminChange({ type: 'approver', name: 'alice', publicKey: alicePub, roles: ['treasury'], seq: 1 }, c.adminKeyPem, 'admin')], 1);
  const { record: p } = await c.coordinator.submit({ ...tx('10', 0), keyId: key.id }, { initiator: 'admin' });
  const s = await c.coordinator.approve(p.id, 'alice', signStatement(p.approvalStatement!, alicePem, 'alice').signature);
  expect(s.status).toBe('signed');
  signedId = s.id;
  await c.coordinator.submit({ ...tx('2000000000000000000', 1), keyId: key.id }, { initiator: 'admin' }); // rejected
  entries = await c.coordinator.auditEntries();
  coordKey = Buffer.from(peerPublicKey(c.coordinator.peerId)).toString('hex');
});
afterAll(async () => {
  await c?.close();
});

describe('the coordinator chain', () => {
  test('covers every step with who, key, destination, value, decision, node pair and session id', () => {
    expect(verifyChain(entries, coordKey)).toMatchObject({ ok: true, count: entries.length });
    expect(entries.map((e) => e.type)).toEqual(['key_created', 'policy_set', 'approver_set', 'request_created', 'approval', 'signing_session', 'signed', 'request_created']);
    const created = entries.find((e) => e.type === 'request_created')!;
    expect(created.actor).toBe('admin');
    expect(created.data).toMatchObject({ requestId: signedId, keyId: key.id, decision: 'require_approvals', rule: 'small-transfers', summary: { to: DEAD, value: '10', chainId: 31337 } });
    expect(entries.find((e) => e.type === 'approval')!.actor).toBe('alice');
    const signed = entries.find((e) => e.type === 'signed')!;
    expect(signed.data.nodes).toHaveLength(2);
    expect(signed.data.sessionId).toMatch(/^[0-9a-f]{64}$/);
    expect(entries.at(-1)!.data).toMatchObject({ decision: 'deny', rule: 'everything-else', status: 'rejected' });
    for (const e of entries) expect(Date.parse(e.at)).toBeGreaterThan(0);
  });

  test('every changed byte of every stored entry is detected, at or before that entry', () => {
    const lines = entries.map((e) => JSON.stringify(e));
    let checked = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      for (let p = 0; p < line.length; p++) {
        const code = line.charCodeAt(p);
        const flipped = line.slice(0, p) + String.fromCharCode(code === 0x30 ? 0x31 : code ^ 1) + line.slice(p + 1);
        let parsed: AuditEntry;
        try {
          parsed = JSON.parse(flipped) as AuditEntry;
        } catch {
          continue; // not even JSON any more: the reader stops there
        }
        const copy = entries.slice();
        copy[i] = parsed;
        const r = verifyChain(copy, coordKey);
        if (JSON.stringify(parsed) === line) continue; // flip inside an escape that decodes the same
        expect(r.ok, `byte ${p} of entry ${i + 1} (${flipped.slice(Math.max(0, p - 20), p + 20)})`).toBe(false);
        if (!r.ok) expect(r.index).toBeLessThanOrEqual(i + 1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  test('removing, reordering or appending a forged entry is detected', () => {
    expect(verifyChain([...entries.slice(0, 3), ...entries.slice(4)], coordKey)).toMatchObject({ ok: false, index: 3 });
    const swapped = entries.slice();
    [swapped[4], swapped[5]] = [swapped[5]!, swapped[4]!];
    expect(verifyChain(swapped, coordKey)).toMatchObject({ ok: false, index: 4 });
    const last = entries.at(-1)!;
    const forged = { ...last, seq: last.seq + 1, prev: last.hash };
    expect(verifyChain([...entries, forged], coordKey).ok).toBe(false);
    // another writer's key does not verify
    expect(verifyChain(entries, Buffer.from(peerPublicKey(c.info.cluster.nodes[0]!.peerId)).toString('hex')).ok).toBe(false);
  });

  test('fails closed: when an entry cannot be written, no request is made and nothing is signed', async () => {
    const storage = (c.coordinator as unknown as { store: { audit: { put: (e: AuditEntry) => Promise<void> } } }).store.audit;
    const put = storage.put;
    // presign refills after earlier signatures also count as sessions: let them finish first
    await c.coordinator.presignsSettled();
    const sessionsBefore = c.nodes.map((n) => n!.stats.sessionsOk + n!.stats.sessionsFailed);
    storage.put = async () => {
      throw new Error('disk full');
    };
    try {
      await expect(c.coordinator.submit({ keyId: key.id, kind: 'digest', digest: `0x${'11'.repeat(32)}` }, { initiator: 'admin' })).rejects.toMatchObject({ status: 503, code: 'ERR_AUDIT' });
    } finally {
      storage.put = put;
    }
    expect(c.nodes.map((n) => n!.stats.sessionsOk + n!.stats.sessionsFailed)).toEqual(sessionsBefore);
    expect(verifyChain(await c.coordinator.auditEntries(), coordKey).ok).toBe(true);
  });

  test('a node whose own log cannot be written joins no session: nothing reaches its peer, no partial', async () => {
    const n1 = c.nodes[0]!;
    const digestKey = await c.coordinator.createKey('raw-digests');
    await c.setPolicy(digestKey.id);
    // the new key's presignatures are made in the background: wait for them, then take the
    // pair's out of the coordinator's pool so that this request runs all three rounds (round 1
    // is computed while the entry is being written)
    await c.coordinator.presignsSettled();
    while (c.coordinator.presigns.take(digestKey.id, [1, 2], Date.now()));
    const storage = (n1.audit as unknown as { storage: { put: (e: AuditEntry) => Promise<void> } }).storage;
    const put = storage.put;
    const sent = sentBy1.length;
    storage.put = async () => {
      throw new Error('disk full');
    };
    let rec;
    try {
      rec = await c.coordinator.signDigest(digestKey.id, new Uint8Array(32).fill(0x22), { pair: [1, 2] });
    } catch (e) {
      rec = e as { code?: string };
    } finally {
      storage.put = put;
    }
    const r = rec as { status?: string; signature?: unknown; attempts?: { error?: { code: string } }[] };
    expect(r.status, JSON.stringify(rec)).toBe('failed');
    expect(r.signature).toBeUndefined();
    expect(r.attempts?.map((a) => a.error?.code)).toEqual(['ERR_AUDIT']);
    expect((r.attempts as { presigned?: boolean }[])[0]!.presigned).toBeUndefined();
    // round 1 was computed while the entry was being written, but nothing left node 1
    expect(sentBy1.slice(sent), 'messages node 1 sent for the failed session').toEqual([]);
    expect(verifyChain(await n1.auditEntries(), Buffer.from(peerPublicKey(n1.peerId)).toString('hex')).ok).toBe(true);
  });

  test('nodes keep their own chains of the sessions they joined', async () => {
    const signed = entries.find((e) => e.type === 'signed')!;
    for (const idx of signed.data.nodes as number[]) {
      const n = c.nodes[idx - 1]!;
      const own = await n.auditEntries();
      expect(verifyChain(own, Buffer.from(peerPublicKey(n.peerId)).toString('hex')).ok).toBe(true);
      expect(own.filter((e) => e.type === 'sign_session' && e.data.sessionId === signed.data.sessionId)).toHaveLength(1);
      expect(own.filter((e) => e.type === 'sign_done' && e.data.requestId === signedId)).toHaveLength(1);
    }
  });
});

describe('evidence bundles', () => {
  let bundle: EvidenceBundle;
  beforeAll(async () => {
    bundle = await c.coordinator.evidence(signedId);
  });
  test('verify offline', () => {
    const r = verifyEvidence(bundle, coordKey);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(bundle.auditEntries.map((e) => e.type)).toEqual(['key_created', 'policy_set', 'approver_set', 'request_created', 'approval', 'signing_session', 'signed']);
  });
  const tamper = (f: (b: EvidenceBundle) => void) => {
    const b = JSON.parse(JSON.stringify(bundle)) as EvidenceBundle;
    f(b);
    return verifyEvidence(b, coordKey);
  };
  test.each([
    ['another value in the request', (b: EvidenceBundle) => ((b.request.request.transaction as Record<string, unknown>).value = '11')],
    ['another signature s', (b: EvidenceBundle) => ((b.request.signature as { s: string }).s = `0x${'1'.repeat(64)}`)],
    ['a forged approval', (b: EvidenceBundle) => ((b.approvals[0] as { signature: string }).signature = 'ab'.repeat(64))],
    ['another policy text', (b: EvidenceBundle) => ((b.policy as { text: string }).text += '# edited\n')],
    ['an audit entry edited', (b: EvidenceBundle) => ((b.auditEntries[3]!.data as Record<string, unknown>).rule = 'other')],
    ['the signed entry removed', (b: EvidenceBundle) => (b.auditEntries as AuditEntry[]).pop()],
    ['another approver key', (b: EvidenceBundle) => ((b.approvers[0] as { publicKey: string }).publicKey = '11'.repeat(32))],
  ])('%s: refused', (_n, f) => {
    expect(tamper(f as (b: EvidenceBundle) => void).ok).toBe(false);
  });
  test('after the approver’s key is rotated, the bundle still carries (and checks) the key registered when the approval was given', async () => {
    const next = generateKeyPairSync('ed25519');
    const nextPub = Buffer.from(String(next.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
    await c.coordinator.setApprover('alice', nextPub, ['treasury'], [signAdminChange({ type: 'approver', name: 'alice', publicKey: nextPub, roles: ['treasury'], seq: 2 }, c.adminKeyPem, 'admin')], 2);
    const after = await c.coordinator.evidence(signedId);
    expect(after.approvers).toEqual([{ name: 'alice', publicKey: alicePub, roles: ['treasury'] }]);
    expect(after.auditEntries.filter((e) => e.type === 'approver_set').map((e) => e.data.publicKey)).toEqual([alicePub, nextPub]);
    const r = verifyEvidence(after, coordKey);
    expect(r.problems).toEqual([]);
    // the current key in its place: refused, and the reason names the registration
    const swapped = JSON.parse(JSON.stringify(after)) as EvidenceBundle;
    (swapped.approvers[0] as { publicKey: string }).publicKey = nextPub;
    expect(verifyEvidence(swapped, coordKey).problems).toEqual(expect.arrayContaining([expect.stringContaining('does not verify'), expect.stringContaining('registered when the approval was given')]));
  });
});

describe('CLI, offline', () => {
  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/tecdsa.ts', ...args, '--dir', c.dir], { cwd: root }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
    );
  test('verify-evidence and verify on the exported JSONL, then on the stopped coordinator’s database before and after a stored byte is changed', async () => {
    writeFileSync(join(c.dir, 'evidence.json'), JSON.stringify(await c.coordinator.evidence(signedId)));
    const ev = await cli('audit', 'verify-evidence', join(c.dir, 'evidence.json'));
    expect([ev.code, ev.out]).toEqual([0, expect.stringContaining('ok: the evidence bundle verifies')]);
    const all = await c.coordinator.auditEntries();
    writeFileSync(join(c.dir, 'audit.jsonl'), all.map((e) => JSON.stringify(e)).join('\n') + '\n');
    expect((await cli('audit', 'verify', join(c.dir, 'audit.jsonl'))).out).toContain(`ok: ${all.length} entries`);

    await c.coordinator.stop();
    const dbDir = join(c.dir, 'coordinator', 'data');
    expect((await cli('audit', 'verify', '--db', dbDir)).out).toContain(`ok: ${all.length} entries`);
    const db = new Level<string, string>(dbDir, { valueEncoding: 'utf8' });
    await db.open();
    const audit = db.sublevel<string, string>('audit', { valueEncoding: 'utf8' });
    const k = String(5).padStart(12, '0');
    const raw = (await audit.get(k))!;
    await audit.put(k, raw.replace('"alice"', '"alicf"'));
    await db.close();
    const bad = await cli('audit', 'verify', '--db', dbDir);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/audit log broken at entry 5 \(seq 5\)/);
    // the harness closes the (already stopped) coordinator again: make that a no-op
    c.coordinator.stop = async () => {};
  });
});
