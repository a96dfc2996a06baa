/**
 * Treasury signing on a real cluster (libp2p + LevelDB): the example policy exactly as
 * written, an approver registered by an admin-signed change, an EIP-1559 transfer that waits for
 * one treasury approval and comes out as a raw transaction viem recovers to the key's address,
 * messages and typed data, approval edge cases at the API, and a coordinator that forges,
 * drops or reuses approvals talking to the nodes directly: no node signs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { keccak256, parseEther, parseTransaction, recoverMessageAddress, recoverTransactionAddress, recoverTypedDataAddress, type Hex } from 'viem';
import { DIGEST_POLICY, startTestCluster, type TestCluster } from './harness.js';
import type { KeyRecord } from '../../coordinator/src/store.js';
import { ApiError } from '../../coordinator/src/service.js';
import { approvalBytes, signAdminChange, signStatement, type Signed } from '../../proto/governance.js';
import { encodeDocument } from '../../proto/authorization.js';
import { decodeSignRequest } from '../../proto/request.js';
import { policyHash } from '../../proto/policy/policy.js';
import { CAPPED_POLICY, EXAMPLE_POLICY, cappedTx } from '../fixtures/policies.js';
import { verifyChain } from '../../proto/audit.js';
import { peerPublicKey } from '../../proto/identity.js';

const DEAD = '0x000000000000000000000000000000000000dEaD';
const EXAMPLE = EXAMPLE_POLICY;
const WITH_MESSAGES = `version: 1
rules:
  - name: small-transfers
    match: { kind: [eip1559, legacy], chainId: [31337], to: ["0x000000000000000000000000000000000000dEaD"], maxValue: "1 ether" }
    action: { require_approvals: { treasury: 1 } }
  - name: messages
    match: { kind: [eip191, eip712] }
    action: allow
  - name: everything-else
    action: deny
`;

let c: TestCluster;
let key: KeyRecord;
const alice = generateKeyPairSync('ed25519');
const alicePem = alice.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const alicePub = Buffer.from(String(alice.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
const mallory = generateKeyPairSync('ed25519');
const malloryPem = mallory.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const transfer = (value: string, nonce = 0) => ({
  keyId: '',
  kind: 'eip1559',
  transaction: { chainId: 31337, nonce, to: DEAD, value, gas: '21000', maxFeePerGas: '2000000000', maxPriorityFeePerGas: '1000000000' },
});

beforeAll(async () => {
  c = await startTestCluster();
  key = await c.coordinator.createKey('treasury');
  await c.setPolicy(key.id, EXAMPLE);
  const change = { type: 'approver' as const, name: 'alice', publicKey: alicePub, roles: ['treasury'], seq: 1 };
  await c.coordinator.setApprover('alice', alicePub, ['treasury'], [signAdminChange(change, c.adminKeyPem, 'admin')], 1);
});
afterAll(async () => {
  await c?.close();
});

const submit = async (body: Record<string, unknown>) => (await c.coordinator.submit({ ...body, keyId: key.id }, { initiator: 'admin' })).record;

describe('the example policy end to end', () => {
  test('1 ether to dEaD waits for one treasury approval, then becomes a raw transaction from the key address', async () => {
    const r = await submit(transfer(parseEther('1').toString()));
    expect([r.status, r.decision?.rule]).toEqual(['pending_approval', 'small-transfers']);
    expect(r.approvalStatement).toMatch(/^[0-9a-f]+$/);
    const signed = await c.coordinator.approve(r.id, 'alice', signStatement(r.approvalStatement!, alicePem, 'alice').signature);
    expect(signed.status, JSON.stringify(signed.attempts)).toBe('signed');
    const raw = signed.signedTransaction as Hex;
    expect(signed.transactionHash).toBe(keccak256(raw));
    expect(await recoverTransactionAddress({ serializedTransaction: raw as never })).toBe(key.address);
    expect(parseTransaction(raw)).toMatchObject({ chainId: 31337, value: parseEther('1'), nonce: 0 });
  });

  test('more than 1 ether, another chain, another recipient: rejected by everything-else', async () => {
    for (const body of [transfer((parseEther('1') + 1n).toString()), { ...transfer('1'), transaction: { ...transfer('1').transaction, chainId: 1 } }, { ...transfer('1'), transaction: { ...transfer('1').transaction, to: '0x1111111111111111111111111111111111111111' } }]) {
      const r = await submit(body);
      expect([r.status, r.rejection?.rule]).toEqual(['rejected', 'everything-else']);
      expect(r.signature).toBeUndefined();
    }
  });

  test('approval edge cases: forged, unknown approver, self-approval, duplicate', async () => {
    const r = await submit(transfer('5', 1));
    const stmt = r.approvalStatement!;
    const err = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: ApiError) => `${e.status} ${e.code} ${e.message}`);
    expect(await err(c.coordinator.approve(r.id, 'alice', signStatement(stmt, malloryPem, 'alice').signature))).toMatch(/^400 ERR_BAD_APPROVAL .*does not verify/);
    expect(await err(c.coordinator.approve(r.id, 'mallory', signStatement(stmt, malloryPem, 'mallory').signature))).toMatch(/^400 ERR_BAD_APPROVAL .*not a registered approver/);
    // the initiator ('admin') registered as an approver still cannot approve its own request
    const ch = { type: 'approver' as const, name: 'admin', publicKey: alicePub, roles: ['treasury'], seq: 1 };
    await c.coordinator.setApprover('admin', alicePub, ['treasury'], [signAdminChange(ch, c.adminKeyPem, 'admin')], 1);
    expect(await err(c.coordinator.approve(r.id, 'admin', signStatement(stmt, alicePem, 'admin').signature))).toMatch(/^400 ERR_BAD_APPROVAL .*initiator/);
    const ok = await c.coordinator.approve(r.id, 'alice', signStatement(stmt, alicePem, 'alice').signature);
    expect(ok.status).toBe('signed');
    expect(await err(c.coordinator.approve(r.id, 'alice', signStatement(stmt, alicePem, 'alice').signature))).toMatch(/^409 ERR_NOT_PENDING/);
  });

  test('an approver change without the admin quorum is refused by the coordinator and by every node', async () => {
    const change = { type: 'approver' as const, name: 'mallory', publicKey: alicePub, roles: ['treasury'], seq: 1 };
    await expect(c.coordinator.setApprover('mallory', alicePub, ['treasury'], [signAdminChange(change, malloryPem, 'admin')], 1)).rejects.toMatchObject({ code: 'ERR_ADMIN_QUORUM' });
    const record = encodeDocument({ change, signatures: [signAdminChange(change, malloryPem, 'admin')] });
    for (const i of [1, 2, 3]) {
      const r = await c.coordinator.request(i, { admin: { record } });
      expect('failure' in r && r.failure.code).toBe('ERR_ADMIN_QUORUM');
    }
  });

  test('messages and typed data (after a policy update): viem recovers the key address', async () => {
    await c.setPolicy(key.id, WITH_MESSAGES);
    const m = await submit({ kind: 'eip191', message: 'hello treasury' });
    expect(m.status).toBe('signed');
    const sig = (s: NonNullable<typeof m.signature>) => `${s.r}${s.s.slice(2)}${(27 + s.yParity).toString(16)}` as Hex;
    expect(await recoverMessageAddress({ message: 'hello treasury', signature: sig(m.signature!) })).toBe(key.address);
    const typedData = {
      domain: { name: 'Treasury', version: '1', chainId: 31337, verifyingContract: DEAD },
      types: { Payout: [{ name: 'to', type: 'address' }, { name: 'amount', type: 'uint256' }] },
      primaryType: 'Payout',
      message: { to: DEAD, amount: '5' },
    } as const;
    const t = await submit({ kind: 'eip712', typedData });
    expect(t.status).toBe('signed');
    expect(await recoverTypedDataAddress({ ...typedData, message: { to: DEAD, amount: 5n }, signature: sig(t.signature!) })).toBe(key.address);
  });
});

describe('a coordinator that forges, drops or reuses approvals gets no signature from any node', () => {
  /** Asks both nodes of pair (1, 2) directly, as a compromised coordinator could. */
  async function askNodes(digest: string, auth: Record<string, unknown> | null): Promise<string[]> {
    const sessionId = new Uint8Array(randomBytes(32));
    const authorization = auth ? encodeDocument(auth) : new Uint8Array(0);
    const sign = { keyId: Buffer.from(key.id, 'hex'), sessionId, digest: Buffer.from(digest.slice(2), 'hex'), initiator: 1, responder: 2, authorization };
    const rs = await Promise.all([1, 2].map((i) => c.coordinator.request(i, { sign })));
    return rs.map((r) => ('failure' in r ? r.failure.code : 'SIGNED'));
  }

  let pending: Awaited<ReturnType<typeof submit>>;
  let policy: string;
  beforeAll(async () => {
    pending = await submit(transfer('7', 2));
    expect(pending.status).toBe('pending_approval');
    policy = pending.policyHash!;
  });
  const authFor = (r: typeof pending, approvals: Signed[]) => ({
    requestId: r.id,
    keyId: key.id,
    initiator: r.initiator,
    expiresAt: r.expiresAt,
    request: r.request,
    policyHash: policy,
    approvals,
  });

  test('no authorization at all', async () => {
    expect(await askNodes(pending.digest, null)).toEqual(['ERR_NOT_AUTHORIZED', 'ERR_NOT_AUTHORIZED']);
  });
  test('approvals dropped', async () => {
    expect(await askNodes(pending.digest, authFor(pending, []))).toEqual(['ERR_APPROVALS', 'ERR_APPROVALS']);
  });
  test('approval forged (signed by a key that is not alice’s)', async () => {
    expect(await askNodes(pending.digest, authFor(pending, [signStatement(pending.approvalStatement!, malloryPem, 'alice')]))).toEqual(['ERR_APPROVALS', 'ERR_APPROVALS']);
  });
  test('approval reused from another request', async () => {
    const other = await submit(transfer('8', 3));
    const aliceForOther = signStatement(other.approvalStatement!, alicePem, 'alice');
    expect(await askNodes(pending.digest, authFor(pending, [aliceForOther]))).toEqual(['ERR_APPROVALS', 'ERR_APPROVALS']);
  });
  test('expiry moved by the coordinator invalidates alice’s signature', async () => {
    const a = signStatement(pending.approvalStatement!, alicePem, 'alice');
    expect(await askNodes(pending.digest, { ...authFor(pending, [a]), expiresAt: pending.expiresAt + 3600e3 })).toEqual(['ERR_APPROVALS', 'ERR_APPROVALS']);
  });
  test('a valid authorization for another digest', async () => {
    const a = signStatement(pending.approvalStatement!, alicePem, 'alice');
    expect(await askNodes(`0x${'ee'.repeat(32)}`, authFor(pending, [a]))).toEqual(['ERR_DIGEST_MISMATCH', 'ERR_DIGEST_MISMATCH']);
  });
  test('a request the policy denies, dressed up as approved', async () => {
    const body = transfer(parseEther('5').toString(), 4);
    const big = { ...pending, id: randomUUID(), request: { kind: body.kind, transaction: body.transaction } };
    const digest = decodeSignRequest(big.request).digest;
    const stmt = approvalBytes({ requestId: big.id, keyId: key.id, initiator: 'admin', digest, summary: decodeSignRequest(big.request).summary, policyHash: policy, rule: 'small-transfers', expiresAt: big.expiresAt });
    const a = signStatement(Buffer.from(stmt).toString('hex'), alicePem, 'alice');
    expect(await askNodes(digest, authFor(big, [a]))).toEqual(['ERR_POLICY_DENIED', 'ERR_POLICY_DENIED']);
  });
  test('one request id carrying a different (allowed) request', async () => {
    const a = signStatement(pending.approvalStatement!, alicePem, 'alice');
    expect(await askNodes(pending.digest, authFor(pending, [a]))).toEqual(['SIGNED', 'SIGNED']);
    // the same id now used for a message the policy allows without approvals
    const msg = { kind: 'eip191', message: 'same id, other request' };
    const other = { ...pending, request: msg };
    expect(await askNodes(decodeSignRequest(msg).digest, authFor(other, []))).toEqual(['ERR_REQUEST_ID_REUSED', 'ERR_REQUEST_ID_REUSED']);
  });
  test('an expired authorization', async () => {
    const msg = { kind: 'eip191', message: 'late' };
    const late = { ...pending, id: randomUUID(), request: msg, expiresAt: Date.now() - 1 };
    expect(await askNodes(decodeSignRequest(msg).digest, authFor(late, []))).toEqual(['ERR_EXPIRED', 'ERR_EXPIRED']);
  });
  test('an old policy hash', async () => {
    const a = signStatement(pending.approvalStatement!, alicePem, 'alice');
    expect(await askNodes(pending.digest, { ...authFor(pending, [a]), policyHash: policyHash(EXAMPLE + '#') })).toEqual(['ERR_POLICY_MISMATCH', 'ERR_POLICY_MISMATCH']);
  });
  test('control: the genuine approval of a fresh request, sent the same way, is signed by both nodes', async () => {
    const fresh = await submit(transfer('9', 5));
    const a = signStatement(fresh.approvalStatement!, alicePem, 'alice');
    expect(await askNodes(fresh.digest, authFor(fresh, [a]))).toEqual(['SIGNED', 'SIGNED']);
  });
});

describe('a node that missed a policy change', () => {
  test('is brought up to date by the coordinator when it refuses, and then signs', async () => {
    await c.stopNode(3);
    await c.setPolicy(key.id, WITH_MESSAGES.replace('hello', 'hello') + '# v3\n');
    await c.startNode(3, {});
    const r = await c.coordinator.submit({ keyId: key.id, kind: 'eip191', message: 'after resync' }, { initiator: 'admin', pair: [3, 1] } as never);
    expect(r.record.status, JSON.stringify(r.record.attempts)).toBe('signed');
    expect(r.record.attempts[0]?.error?.code).toBe('ERR_POLICY_MISMATCH');
    expect(r.record.nodes!.map((n) => n.index)).toEqual([3, 1]);
  });
});

describe('the approver CLI', () => {
  test('decodes the request itself: signs a genuine statement, refuses one the coordinator altered', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join, resolve } = await import('node:path');
    const tmp = mkdtempSync(join(tmpdir(), 'tecdsa-cli-'));
    await c.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const addr = c.app.server.address() as { port: number };
      writeFileSync(join(tmp, 'token'), c.token);
      writeFileSync(join(tmp, 'alice.pem'), alicePem, { mode: 0o600 });
      await c.setPolicy(key.id, EXAMPLE.replace('everything-else', 'rest'));
      const run = (id: string) =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/tecdsa.ts', 'approve', id, '--as', 'alice', '--key', join(tmp, 'alice.pem'), '--url', `http://127.0.0.1:${addr.port}`, '--token-file', join(tmp, 'token')], { cwd: resolve(import.meta.dirname, '../..') }).then(
          (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
          (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
        );
      const r1 = await submit(transfer('11', 6));
      const ok = await run(r1.id);
      expect(ok.code, ok.err).toBe(0);
      expect(JSON.parse(ok.out).status).toBe('signed');
      // a coordinator that shows one request but asks for a signature over another statement
      const r2 = await submit(transfer('12', 7));
      const r3 = await submit(transfer('13', 8));
      const orig = c.coordinator.getSignRequest.bind(c.coordinator);
      c.coordinator.getSignRequest = async (id: string) => {
        const r = await orig(id);
        return r && id === r2.id ? { ...r, approvalStatement: r3.approvalStatement } : r;
      };
      try {
        const bad = await run(r2.id);
        expect(bad.code).toBe(1);
        expect(bad.err).toMatch(/not the statement of this request: refusing/);
      } finally {
        c.coordinator.getSignRequest = orig;
      }
      expect((await orig(r3.id))!.approvals).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('emergency freeze', () => {
  test('freezing a key fails its pending requests, stops new ones at the coordinator and at every node; only an admin quorum lifts it', async () => {
    await c.setPolicy(key.id, WITH_MESSAGES);
    const pendingBefore = await submit(transfer('3', 20));
    expect(pendingBefore.status).toBe('pending_approval');
    const f = await c.coordinator.freeze(key.id, 'incident 42');
    expect(f.failedRequests).toContain(pendingBefore.id);
    expect((await c.coordinator.getSignRequest(pendingBefore.id))!).toMatchObject({ status: 'failed', error: { code: 'ERR_FROZEN' } });
    await expect(submit({ kind: 'eip191', message: 'while frozen' })).rejects.toMatchObject({ status: 423, code: 'ERR_FROZEN' });
    // a coordinator that ignores the freeze gets nothing from the nodes either
    const msg = { kind: 'eip191', message: 'while frozen, direct' };
    const auth = encodeDocument({ requestId: randomUUID(), keyId: key.id, initiator: 'admin', expiresAt: Date.now() + 60e3, request: msg, policyHash: policyHash(WITH_MESSAGES), approvals: [] });
    const sign = { keyId: Buffer.from(key.id, 'hex'), sessionId: new Uint8Array(randomBytes(32)), digest: Buffer.from(decodeSignRequest(msg).digest.slice(2), 'hex'), initiator: 1, responder: 2, authorization: auth };
    const rs = await Promise.all([1, 2].map((i) => c.coordinator.request(i, { sign })));
    expect(rs.map((r) => ('failure' in r ? r.failure.code : 'SIGNED'))).toEqual(['ERR_FROZEN', 'ERR_FROZEN']);
    // an unsigned freeze with an absurd sequence number cannot block the signed unfreeze below
    const huge = encodeDocument({ change: { type: 'freeze', scope: key.id, frozen: true, reason: 'x', seq: 2 ** 52 }, signatures: [] });
    expect('admin' in (await c.coordinator.request(1, { admin: { record: huge } }))).toBe(true);
    // lifting it: without signatures the coordinator answers with the statement to sign; a node refuses an unsigned unfreeze
    await expect(c.coordinator.unfreeze(key.id, [])).rejects.toMatchObject({ code: 'ERR_ADMIN_QUORUM' });
    const unsigned = encodeDocument({ change: { type: 'freeze', scope: key.id, frozen: false, reason: '', seq: f.seq + 1 }, signatures: [] });
    const r1 = await c.coordinator.request(1, { admin: { record: unsigned } });
    expect('failure' in r1 && r1.failure.code).toBe('ERR_ADMIN_QUORUM');
    const change = { type: 'freeze' as const, scope: key.id, frozen: false, reason: '', seq: f.seq + 1 };
    await c.coordinator.unfreeze(key.id, [signAdminChange(change, c.adminKeyPem, 'admin')], f.seq + 1);
    expect((await submit({ kind: 'eip191', message: 'after unfreeze' })).status).toBe('signed');
  });

  test('a cluster-wide freeze stops every key', async () => {
    const f = await c.coordinator.freeze('*', 'drill');
    await expect(submit({ kind: 'eip191', message: 'cluster frozen' })).rejects.toMatchObject({ code: 'ERR_FROZEN' });
    const change = { type: 'freeze' as const, scope: '*', frozen: false, reason: '', seq: f.seq + 1 };
    await c.coordinator.unfreeze('*', [signAdminChange(change, c.adminKeyPem, 'admin')], f.seq + 1);
    expect((await submit({ kind: 'eip191', message: 'cluster thawed' })).status).toBe('signed');
  });
});

describe('access control: principals with roles and key scopes', () => {
  test('initiators submit, approvers approve as themselves, auditors read, admins manage; tokens are stored hashed', async () => {
    await c.setPolicy(key.id, EXAMPLE.replace('# v', '# w'));
    const other = await c.coordinator.createKey('other');
    const mk = async (name: string, roles: string[], keys?: string[]) => {
      const r = await c.app.inject({ method: 'POST', url: '/v1/principals', headers: { authorization: `Bearer ${c.token}` }, payload: { name, roles, ...(keys ? { keys } : {}) } });
      expect(r.statusCode, r.body).toBe(201);
      return { authorization: `Bearer ${r.json().token as string}` };
    };
    const ivan = await mk('ivan', ['initiator'], [key.id]);
    const aliceT = await mk('alice', ['approver']);
    const audrey = await mk('audrey', ['auditor']);
    const bob = await mk('bob', ['initiator', 'approver']);
    const bobKey = generateKeyPairSync('ed25519');
    const bobPub = Buffer.from(String(bobKey.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
    await c.coordinator.setApprover('bob', bobPub, ['treasury'], [signAdminChange({ type: 'approver', name: 'bob', publicKey: bobPub, roles: ['treasury'], seq: 1 }, c.adminKeyPem, 'admin')], 1);

    const post = (h: Record<string, string>, url: string, payload: unknown) => c.app.inject({ method: 'POST', url, headers: h, payload: payload as Record<string, unknown> });
    const get = (h: Record<string, string>, url: string) => c.app.inject({ method: 'GET', url, headers: h });
    const t = { ...transfer('4', 30), keyId: key.id };

    const sub1 = await post(ivan, '/v1/sign-requests', t);
    expect(sub1.statusCode, sub1.body).toBe(201);
    const req1 = sub1.json();
    expect([req1.status, req1.initiator]).toEqual(['pending_approval', 'ivan']);
    expect((await post(ivan, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest: `0x${'aa'.repeat(32)}` })).statusCode).toBe(403); // raw digests: admins only
    expect((await post(ivan, '/v1/sign-requests', { ...t, keyId: other.id })).statusCode).toBe(403); // out of scope
    expect((await c.app.inject({ method: 'PUT', url: `/v1/keys/${key.id}/policy`, headers: ivan, payload: { policy: EXAMPLE } })).statusCode).toBe(403);
    expect((await c.app.inject({ method: 'PUT', url: '/v1/admins', headers: ivan, payload: { admins: [{ name: 'ivan', publicKey: 'ab'.repeat(32) }], quorum: 1, signatures: [] } })).statusCode).toBe(403);
    expect((await get(ivan, '/v1/audit')).statusCode).toBe(403);
    expect((await get(ivan, '/v1/keys')).json().keys.map((k: { id: string }) => k.id)).toEqual([key.id]);

    const sig = signStatement(req1.approvalStatement, alicePem, 'alice').signature;
    expect((await post(aliceT, `/v1/sign-requests/${req1.id}/approvals`, { approver: 'bob', signature: sig })).statusCode).toBe(403); // only as herself
    expect((await post(aliceT, '/v1/sign-requests', t)).statusCode).toBe(403);
    const ok = await post(aliceT, `/v1/sign-requests/${req1.id}/approvals`, { approver: 'alice', signature: sig });
    expect([ok.statusCode, ok.json().status]).toEqual([200, 'signed']);

    // bob may initiate and approve, but never his own request
    const own = (await post(bob, '/v1/sign-requests', { ...transfer('5', 31), keyId: key.id })).json();
    const self = await post(bob, `/v1/sign-requests/${own.id}/approvals`, { approver: 'bob', signature: signStatement(own.approvalStatement, bobKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'bob').signature });
    expect([self.statusCode, self.json().error.message]).toEqual([400, expect.stringContaining('initiator cannot approve')]);

    expect((await get(audrey, '/v1/audit')).statusCode).toBe(200);
    expect((await get(audrey, `/v1/sign-requests/${req1.id}/evidence`)).statusCode).toBe(200);
    expect((await post(audrey, '/v1/sign-requests', t)).statusCode).toBe(403);
    expect((await post(audrey, '/v1/keys', { name: 'x' })).statusCode).toBe(403);

    const stored = await (c.coordinator as unknown as { store: { listPrincipals(): Promise<Record<string, unknown>[]> } }).store.listPrincipals();
    for (const p of stored) {
      expect(p).not.toHaveProperty('token');
      expect(p.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(JSON.stringify(stored)).not.toContain(ivan.authorization.slice(7));
    // a deleted principal's token stops working at once
    expect((await c.app.inject({ method: 'DELETE', url: '/v1/principals/ivan', headers: { authorization: `Bearer ${c.token}` } })).statusCode).toBe(204);
    expect((await get(ivan, '/v1/keys')).statusCode).toBe(401);
  });
});

describe('cooling-off periods and cancel quorums', () => {
  const DELAYED = `version: 1
rules:
  - name: slow-messages
    match: { kind: [eip191] }
    action: { delay: 2s, cancel: { security: 1 } }
  - name: slow-transfers
    match: { kind: [eip1559], chainId: [31337], to: ["0x000000000000000000000000000000000000dEaD"] }
    action: { require_approvals: { treasury: 1 }, delay: 2s }
  - name: everything-else
    action: deny
`;
  const sec = generateKeyPairSync('ed25519');
  const secPem = sec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const secPub = Buffer.from(String(sec.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
  beforeAll(async () => {
    await c.setPolicy(key.id, DELAYED);
    await c.coordinator.setApprover('sam', secPub, ['security'], [signAdminChange({ type: 'approver', name: 'sam', publicKey: secPub, roles: ['security'], seq: 1 }, c.adminKeyPem, 'admin')], 1);
  });
  const waitFor = async (id: string, status: string, ms = 8_000) => {
    const end = Date.now() + ms;
    for (;;) {
      const r = (await c.coordinator.getSignRequest(id))!;
      if (r.status === status) return r;
      if (Date.now() > end) throw new Error(`still ${r.status}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  };

  /** Each node's own witness of a delayed request: its delay_announced audit entry (its chain verifying) and its pending list. */
  const witnessed = async (id: string) =>
    Promise.all(
      c.nodes.map(async (n) => {
        const own = await n!.auditEntries();
        expect(verifyChain(own, Buffer.from(peerPublicKey(n!.peerId)).toString('hex')).ok).toBe(true);
        const entries = own.filter((e) => e.type === 'delay_announced' && e.data.requestId === id);
        expect(entries).toHaveLength(1);
        expect((await n!.pendingDelays()).map((p) => p.requestId)).toContain(id);
        return entries[0]!.data;
      }),
    );

  test('a delayed request waits, nodes refuse to sign it early even when asked directly, then it is signed', async () => {
    const r = await submit({ kind: 'eip191', message: 'cool off' });
    expect(r.status).toBe('pending_approval');
    expect(r.notBefore! - Date.now()).toBeGreaterThan(1000);
    // every node witnessed it in its own audit log before anything can be signed
    for (const w of await witnessed(r.id)) {
      expect(w).toMatchObject({ requestId: r.id, keyId: key.id, initiator: 'admin', digest: r.digest, summary: { kind: 'eip191', message: { text: 'cool off' } }, rule: 'slow-messages', delayMs: 2000, cancelQuorum: { security: 1 } });
      expect(Date.parse(w.notBefore as string) - Date.parse(w.seenAt as string)).toBe(2000);
    }
    const auth = encodeDocument({ requestId: r.id, keyId: key.id, initiator: 'admin', expiresAt: r.expiresAt, request: r.request, policyHash: r.policyHash, approvals: [] });
    const sign = { keyId: Buffer.from(key.id, 'hex'), sessionId: new Uint8Array(randomBytes(32)), digest: Buffer.from(r.digest.slice(2), 'hex'), initiator: 1, responder: 2, authorization: auth };
    const early = await Promise.all([1, 2].map((i) => c.coordinator.request(i, { sign })));
    expect(early.map((x) => ('failure' in x ? x.failure.code : 'SIGNED'))).toEqual(['ERR_DELAY', 'ERR_DELAY']);
    const done = await waitFor(r.id, 'signed');
    // once signed it is no longer listed as waiting (the third node learns it from the signers' history notices)
    for (let end = Date.now() + 5_000; ; await new Promise((res) => setTimeout(res, 100))) {
      const listed = await Promise.all(c.nodes.map(async (n) => (await n!.pendingDelays()).some((p) => p.requestId === r.id)));
      if (!listed.includes(true)) break;
      if (Date.now() > end) throw new Error(`still listed as waiting on nodes ${listed.map((x, i) => (x ? i + 1 : 0)).filter(Boolean).join(', ')}`);
    }
    expect(await recoverMessageAddress({ message: 'cool off', signature: `${done.signature!.r}${done.signature!.s.slice(2)}${(27 + done.signature!.yParity).toString(16)}` as Hex })).toBe(key.address);
  });

  test('a request nodes were never shown cannot be signed during the cooling-off period', async () => {
    const msg = { kind: 'eip191', message: 'never announced' };
    const auth = encodeDocument({ requestId: randomUUID(), keyId: key.id, initiator: 'admin', expiresAt: Date.now() + 60e3, request: msg, policyHash: policyHash(DELAYED), approvals: [] });
    const sign = { keyId: Buffer.from(key.id, 'hex'), sessionId: new Uint8Array(randomBytes(32)), digest: Buffer.from(decodeSignRequest(msg).digest.slice(2), 'hex'), initiator: 1, responder: 2, authorization: auth };
    const rs = await Promise.all([1, 2].map((i) => c.coordinator.request(i, { sign })));
    expect(rs.map((x) => ('failure' in x ? x.failure.code : 'SIGNED'))).toEqual(['ERR_DELAY', 'ERR_DELAY']);
  });

  test('the cancel quorum stops it during the cooling-off period, at the coordinator and at the nodes', async () => {
    const r = await submit({ kind: 'eip191', message: 'stop me' });
    const view = await c.app.inject({ method: 'GET', url: `/v1/sign-requests/${r.id}`, headers: { authorization: `Bearer ${c.token}` } });
    const stmt = view.json().cancelStatement as string;
    await expect(c.coordinator.cancel(r.id, 'alice', signStatement(stmt, alicePem, 'alice').signature)).resolves.toMatchObject({ status: 'pending_approval' }); // alice is not security
    const cancelled = await c.coordinator.cancel(r.id, 'sam', signStatement(stmt, secPem, 'sam').signature);
    expect([cancelled.status, cancelled.rejection?.reason]).toEqual(['rejected', expect.stringContaining('cancelled')]);
    await new Promise((res) => setTimeout(res, 2_300));
    expect((await c.coordinator.getSignRequest(r.id))!.status).toBe('rejected');
    const auth = encodeDocument({ requestId: r.id, keyId: key.id, initiator: 'admin', expiresAt: r.expiresAt, request: r.request, policyHash: r.policyHash, approvals: [] });
    const sign = { keyId: Buffer.from(key.id, 'hex'), sessionId: new Uint8Array(randomBytes(32)), digest: Buffer.from(r.digest.slice(2), 'hex'), initiator: 2, responder: 3, authorization: auth };
    const rs = await Promise.all([2, 3].map((i) => c.coordinator.request(i, { sign })));
    expect(rs.map((x) => ('failure' in x ? x.failure.code : 'SIGNED'))).toEqual(['ERR_CANCELLED', 'ERR_CANCELLED']);
  });

  test('approvals and a delay: approved early, signed only after the delay', async () => {
    const r = await submit(transfer('6', 40));
    // each node's own audit log names the recipient and the value before it is approved or signed
    for (const w of await witnessed(r.id)) {
      expect(w).toMatchObject({ requestId: r.id, recipient: DEAD, summary: { kind: 'eip1559', chainId: 31337, to: DEAD, value: '6', nonce: 40 }, rule: 'slow-transfers', action: 'require_approvals', delayMs: 2000 });
    }
    expect((await c.coordinator.getSignRequest(r.id))!.status).toBe('pending_approval');
    const ok = await c.coordinator.approve(r.id, 'alice', signStatement(r.approvalStatement!, alicePem, 'alice').signature);
    expect(ok.status).toBe('pending_approval');
    const done = await waitFor(r.id, 'signed');
    expect(Date.parse(done.updatedAt)).toBeGreaterThanOrEqual(r.notBefore!);
  });
});

describe('policy scenarios through the coordinator and the nodes', () => {
  const DENY_LIST = '0x2222222222222222222222222222222222222222';
  const SCENARIOS = `version: 1
rules:
  - name: no-sanctioned
    match: { notTo: ["${DENY_LIST}"], kind: [eip1559], chainId: [31337], spendLimit: { window: 24h, max: "1000 wei" } }
    action: allow
  - name: everything-else
    action: deny
`;
  test('allowed, then over the rolling limit, denylisted, wrong chain, default deny', async () => {
    const k = await c.coordinator.createKey('scenarios');
    await c.setPolicy(k.id, SCENARIOS);
    const t = (value: string, nonce: number, over: Record<string, unknown> = {}) => ({ keyId: k.id, kind: 'eip1559', transaction: { chainId: 31337, nonce, to: DEAD, value, gas: '21000', maxFeePerGas: '2', maxPriorityFeePerGas: '1', ...over } });
    const go = async (b: Record<string, unknown>) => (await c.coordinator.submit(b, { initiator: 'admin' })).record;
    expect((await go(t('600', 0))).status).toBe('signed');
    const over = await go(t('401', 1));
    expect([over.status, over.rejection?.rule]).toEqual(['rejected', 'everything-else']);
    expect(over.decision!.explanation[0]).toMatch(/spend limit/);
    expect((await go(t('400', 2))).status).toBe('signed'); // exactly the limit
    expect((await go(t('1', 3, { to: DENY_LIST }))).decision!.explanation[0]).toMatch(/denylist/);
    expect((await go(t('1', 4, { chainId: 1 }))).status).toBe('rejected');
    expect((await go({ keyId: k.id, kind: 'eip191', message: 'x' })).rejection?.rule).toBe('everything-else');
  });

  test('outside a UTC time window', async () => {
    const k = await c.coordinator.createKey('window');
    const h = new Date().getUTCHours();
    const closed = `${String((h + 2) % 24).padStart(2, '0')}:00`;
    const closedEnd = `${String((h + 3) % 24).padStart(2, '0')}:00`;
    await c.setPolicy(k.id, `version: 1\nrules:\n  - name: office-hours\n    match: { kind: [eip191], utc: { from: "${closed}", to: "${closedEnd}" } }\n    action: allow\n`);
    const r = (await c.coordinator.submit({ keyId: k.id, kind: 'eip191', message: 'now?' }, { initiator: 'admin' })).record;
    expect([r.status, r.rejection?.rule]).toEqual(['rejected', null]);
    expect(r.decision!.explanation[0]).toMatch(/outside the window/);
  });
});


/** A SignStart for `body` with a genuine authorization under CAPPED_POLICY, as a coordinator going straight to a pair would send it. */
function directSign(keyId: string, body: ReturnType<typeof cappedTx>, initiator: number, responder: number) {
  const auth = encodeDocument({ requestId: randomUUID(), keyId, initiator: 'admin', expiresAt: Date.now() + 60e3, request: { kind: body.kind, transaction: body.transaction }, policyHash: policyHash(CAPPED_POLICY), approvals: [] });
  return { keyId: Buffer.from(keyId, 'hex'), sessionId: new Uint8Array(randomBytes(32)), digest: Buffer.from(decodeSignRequest(body).digest.slice(2), 'hex'), initiator, responder, authorization: auth };
}

describe('limits hold across pairs: nodes tell each other what they signed', () => {
  test('after 500 wei on pair (1,2) and 500 on (1,3), a coordinator going straight to (2,3) gets nothing for another 500 under a 1000 wei limit', async () => {
    const k = await c.coordinator.createKey('cross-pair');
    await c.setPolicy(k.id, CAPPED_POLICY);
    const t = (value: string, nonce: number) => cappedTx(k.id, value, nonce);
    expect((await c.coordinator.submit(t('500', 0), { initiator: 'admin', pair: [1, 2] } as never)).record.status).toBe('signed');
    expect((await c.coordinator.submit(t('500', 1), { initiator: 'admin', pair: [1, 3] } as never)).record.status).toBe('signed');
    // wait until every node has heard of both signatures
    const end = Date.now() + 5_000;
    for (;;) {
      const seen = await Promise.all(c.nodes.map(async (n) => (await n!.listKeys()).length >= 0 && (await (n as unknown as { authorizer: { history(k: string): Promise<unknown[]> } }).authorizer.history(k.id)).length));
      if (seen.every((x) => x === 2)) break;
      if (Date.now() > end) throw new Error(`history not shared: ${seen.join(',')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const sign = directSign(k.id, t('500', 2), 2, 3);
    const rs = await Promise.all([2, 3].map((i) => c.coordinator.request(i, { sign })));
    expect(rs.map((x) => ('failure' in x ? x.failure.code : 'SIGNED'))).toEqual(['ERR_POLICY_DENIED', 'ERR_POLICY_DENIED']);
  });
});

describe('a node that was down catches up on what was signed meanwhile', () => {
  test('node 3 misses a 600 wei transfer signed by (1,2); after restart the others send it their history and node 3 alone refuses 600 more under a 1000 wei limit', async () => {
    const k = await c.coordinator.createKey('catch-up');
    await c.setPolicy(k.id, CAPPED_POLICY);
    const t = (value: string, nonce: number) => cappedTx(k.id, value, nonce);
    const historyOf = (i: number) => (c.nodes[i - 1] as unknown as { authorizer: { history(k: string): Promise<unknown[]> } }).authorizer.history(k.id);
    await c.stopNode(3);
    expect((await c.coordinator.submit(t('600', 0), { initiator: 'admin', pair: [1, 2] } as never)).record.status).toBe('signed');
    await c.startNode(3, {});
    const end = Date.now() + 10_000;
    while ((await historyOf(3)).length !== 1) {
      if (Date.now() > end) throw new Error('node 3 never received the history it missed');
      await new Promise((r) => setTimeout(r, 50));
    }
    // Node 3's own decision: asked alone (its peer is never asked), it refuses a second 600 wei.
    const r3 = await c.coordinator.request(3, { sign: directSign(k.id, t('600', 1), 3, 1) });
    expect('failure' in r3 ? r3.failure.code : 'SIGNED').toBe('ERR_POLICY_DENIED');
    // control: 300 wei more still fits under the limit on the same node
    const res = await c.coordinator.submit(t('300', 2), { initiator: 'admin', pair: [3, 2] } as never);
    expect(res.record.status, JSON.stringify(res.record.attempts)).toBe('signed');
  });
});

describe('key scopes apply to approvals too', () => {
  test('an approver scoped to another key cannot approve, reject or cancel this key’s requests', async () => {
    await c.setPolicy(key.id, EXAMPLE);
    const other = await c.coordinator.createKey('scope-other');
    await c.app.inject({ method: 'DELETE', url: '/v1/principals/alice', headers: { authorization: `Bearer ${c.token}` } }); // from an earlier test, if any
    const r = await c.app.inject({ method: 'POST', url: '/v1/principals', headers: { authorization: `Bearer ${c.token}` }, payload: { name: 'alice', roles: ['approver'], keys: [other.id] } });
    const h = r.statusCode === 201 ? { authorization: `Bearer ${r.json().token as string}` } : undefined;
    expect(h, r.body).toBeDefined();
    const pending = await submit(transfer('2', 50));
    const sig = signStatement(pending.approvalStatement!, alicePem, 'alice').signature;
    for (const path of ['approvals', 'rejections', 'cancellations']) {
      const res = await c.app.inject({ method: 'POST', url: `/v1/sign-requests/${pending.id}/${path}`, headers: h!, payload: { approver: 'alice', signature: sig } });
      expect([path, res.statusCode]).toEqual([path, 403]);
    }
    expect((await c.coordinator.getSignRequest(pending.id))!.status).toBe('pending_approval');
  });
});

describe('changing the admin set (last in this file: it restores the original set)', () => {
  test('admins are added with the current quorum; the new quorum then binds the coordinator and every node, also one that was down, and survives restarts', async () => {
    const bob = generateKeyPairSync('ed25519');
    const bobPem = bob.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const bobPub = Buffer.from(String(bob.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
    const adminPub = (await c.coordinator.adminSet()).admins[0]!.publicKey;
    const both = [{ name: 'admin', publicKey: adminPub }, { name: 'bob', publicKey: bobPub }];
    const setChange = (admins: typeof both, quorum: number, seq: number) => ({ type: 'admins' as const, admins, quorum, seq });
    expect(await c.coordinator.adminSet()).toMatchObject({ quorum: 1, seq: 0 });

    // bob cannot add himself; the current admin can add him with quorum 2
    await expect(c.coordinator.setAdmins(both, 2, [signAdminChange(setChange(both, 2, 1), bobPem, 'bob')], 1)).rejects.toMatchObject({ code: 'ERR_ADMIN_QUORUM' });
    const r1 = await c.coordinator.setAdmins(both, 2, [signAdminChange(setChange(both, 2, 1), c.adminKeyPem, 'admin')], 1);
    expect(r1.nodes).toEqual([1, 2, 3].map((index) => ({ index, ok: true })));
    expect(await c.coordinator.adminSet()).toMatchObject({ quorum: 2, seq: 1 });

    // one admin is no longer enough, at the coordinator and at each node asked directly
    const k = await c.coordinator.createKey('admin-set');
    const pol = (n: number) => `${DIGEST_POLICY}# ${n}\n`;
    const polChange = (text: string, seq: number) => ({ type: 'policy' as const, keyId: k.id, policyHash: policyHash(text), seq });
    await expect(c.coordinator.setPolicy(k.id, pol(1), [signAdminChange(polChange(pol(1), 1), c.adminKeyPem, 'admin')], 1)).rejects.toMatchObject({ code: 'ERR_ADMIN_QUORUM' });
    const lone = encodeDocument({ change: polChange(pol(1), 1), signatures: [signAdminChange(polChange(pol(1), 1), c.adminKeyPem, 'admin')], policyText: pol(1) });
    for (const i of [1, 2, 3]) {
      const r = await c.coordinator.request(i, { admin: { record: lone } });
      expect('failure' in r ? r.failure.code : 'APPLIED').toBe('ERR_ADMIN_QUORUM');
    }
    const twoSigs = (text: string, seq: number) => [signAdminChange(polChange(text, seq), c.adminKeyPem, 'admin'), signAdminChange(polChange(text, seq), bobPem, 'bob')];
    expect((await c.coordinator.setPolicy(k.id, pol(1), twoSigs(pol(1), 1), 1)).nodes).toEqual([1, 2, 3].map((index) => ({ index, ok: true })));

    // node 3 is down while the quorum goes back to 1; it still holds quorum 2 (persisted) when it returns
    await c.stopNode(3);
    const r2 = await c.coordinator.setAdmins(both, 1, [signAdminChange(setChange(both, 1, 2), c.adminKeyPem, 'admin'), signAdminChange(setChange(both, 1, 2), bobPem, 'bob')], 2);
    expect(r2.nodes.map((n) => (n as { ok: boolean }).ok)).toEqual([true, true, false]);
    await c.startNode(3, {});
    // a change signed by bob alone: node 3 first refuses it, is sent the admin set, then applies it
    const r3 = await c.coordinator.setPolicy(k.id, pol(2), [signAdminChange(polChange(pol(2), 2), bobPem, 'bob')], 2);
    expect(r3.nodes).toEqual([1, 2, 3].map((index) => ({ index, ok: true })));
    const n3 = c.nodes[2] as unknown as { authorizer: { adminSet(): { quorum: number; seq: number } } };
    expect(n3.authorizer.adminSet()).toMatchObject({ quorum: 1, seq: 2 });
    // a stale admin set is refused everywhere
    await expect(c.coordinator.setAdmins(both, 1, [signAdminChange(setChange(both, 1, 2), c.adminKeyPem, 'admin')], 2)).rejects.toMatchObject({ code: 'ERR_STALE_CHANGE' });

    // restore the original set (signed by the current quorum: one admin)
    const orig = [{ name: 'admin', publicKey: adminPub }];
    await c.coordinator.setAdmins(orig, 1, [signAdminChange(setChange(orig, 1, 3), bobPem, 'bob')], 3);
    expect(await c.coordinator.adminSet()).toMatchObject({ admins: orig, quorum: 1, seq: 3 });
  });
});
