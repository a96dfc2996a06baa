/**
 * The node as an independent witness of delayed requests (node/src/authorize.ts
 * applyNotice / applyAnnouncement): an announcement carries the request, which the node decodes
 * itself; only a request whose digest is the announced one, allowed by the node's own policy and
 * recorded in its own audit log, starts the node's cooling-off clock. Real LevelDB store, real
 * signed audit chain (verified with proto/audit.ts), a pino logger writing into an array.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { encodeFunctionData, erc20Abi, parseEther } from 'viem';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Authorizer, pendingDelays, type SeenRequest } from '../../node/src/authorize.js';
import { NodeStore } from '../../node/src/store.js';
import { SessionFailed } from '../../node/src/session.js';
import { AuditLog, verifyChain, type AuditEntry } from '../../proto/audit.js';
import { encodeDocument } from '../../proto/authorization.js';
import { signAdminChange } from '../../proto/governance.js';
import { policyHash } from '../../proto/policy/policy.js';
import { decodeSignRequest } from '../../proto/request.js';

const DEAD = '0x000000000000000000000000000000000000dEaD';
const TOKEN = '0x1111111111111111111111111111111111111111';
const BOB = '0x2222222222222222222222222222222222222222';
const DELAYED = `version: 1
rules:
  - name: slow-payouts
    match: { kind: [eip1559], chainId: [31337], to: ["${DEAD}"] }
    action: { delay: 1h, cancel: { security: 1 } }
  - name: slow-tokens
    match: { kind: [eip1559], chainId: [31337], method: [transfer] }
    action: { delay: 2h }
  - name: everything-else
    action: deny
`;
const keyId = 'ab'.repeat(32);
const T0 = 1_800_000_000_000;
const HOUR = 3600e3;

const admin = generateKeyPairSync('ed25519');
const adminPem = admin.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const adminPub = Buffer.from(String(admin.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
const writer = generateKeyPairSync('ed25519');
const writerPub = Buffer.from(String(writer.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');

const tx = (to: string, value: string, data?: string, nonce = 0) => ({ kind: 'eip1559', transaction: { chainId: 31337, nonce, to, value, gas: '60000', maxFeePerGas: '2', maxPriorityFeePerGas: '1', ...(data ? { data } : {}) } });
const payout = tx(DEAD, parseEther('2').toString());

let dir: string;
let store: NodeStore;
let a: Authorizer;
let lines: Record<string, unknown>[];
/** Set to make the audit log's storage fail. */
let auditBroken: boolean;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tecdsa-authorize-'));
  store = await NodeStore.open(dir, 'correct horse battery staple', { kdf: { N: 2 ** 10, r: 8, p: 1 } });
  auditBroken = false;
  const audit = new AuditLog(
    {
      put: async (e) => {
        if (auditBroken) throw new Error('disk full');
        await store.putRecords([{ key: `audit/${String(e.seq).padStart(12, '0')}`, value: e }]);
      },
      last: () => store.lastRecord<AuditEntry>('audit/'),
    },
    writer.privateKey,
  );
  lines = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  a = new Authorizer(store, [{ name: 'admin', publicKey: adminPub }], 1, async () => true, { audit: (type, data) => audit.append(type, 'coordinator', data), log });
  await installPolicy(DELAYED, 1);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function installPolicy(text: string, seq: number): Promise<void> {
  const change = { type: 'policy' as const, keyId, policyHash: policyHash(text), seq };
  await a.applyAdminUpdate(encodeDocument({ change, signatures: [signAdminChange(change, adminPem, 'admin')], policyText: text }));
}

const announce = (request: Record<string, unknown>, over: Record<string, unknown> = {}) => {
  const body = { requestId: randomUUID(), keyId, initiator: 'carol', digest: decodeSignRequest(request).digest, request, policyHash: policyHash(DELAYED), expiresAt: T0 + 24 * HOUR, ...over };
  return { body, record: encodeDocument({ announce: body }) };
};
/** The code of a REFUSED failure, or 'accepted'. */
const outcome = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof SessionFailed ? `${e.failure.failureClass} ${e.code}` : `unexpected ${String(e)}`));
const audits = async () => (await store.listRecords<AuditEntry>('audit/')).map((r) => r.value);
const seen = (id: string) => store.getRecord<SeenRequest>(`seen/${id}`);
/** What the coordinator sends at signing time for the same request. */
const authorization = (requestId: string, request: Record<string, unknown>) =>
  encodeDocument({ requestId, keyId, initiator: 'carol', expiresAt: T0 + 24 * HOUR, request, policyHash: policyHash(DELAYED), approvals: [] });

describe('announcements of delayed requests', () => {
  test('an announcement whose request decodes to its digest is audited with the decoded summary, logged, and starts the clock', async () => {
    const { body, record } = announce(payout);
    expect(await a.applyNotice(record, T0)).toBe('announce');

    const entries = await audits();
    expect(entries.map((e) => e.type)).toEqual(['delay_announced']);
    expect(entries[0]!.actor).toBe('coordinator');
    expect(entries[0]!.data).toMatchObject({
      requestId: body.requestId,
      keyId,
      initiator: 'carol',
      digest: body.digest,
      kind: 'eip1559',
      recipient: DEAD,
      summary: { kind: 'eip1559', chainId: 31337, to: DEAD, value: parseEther('2').toString() },
      policyHash: policyHash(DELAYED),
      rule: 'slow-payouts',
      action: 'delay',
      delayMs: HOUR,
      cancelQuorum: { security: 1 },
      seenAt: new Date(T0).toISOString(),
      notBefore: new Date(T0 + HOUR).toISOString(),
    });
    expect(verifyChain(entries, writerPub)).toMatchObject({ ok: true, count: 1 });

    const warn = lines.find((l) => l.event === 'delay_announced')!;
    expect(warn.level).toBe(40);
    expect(warn.msg).toContain(body.requestId);
    expect(warn.msg).toContain(`${parseEther('2')} wei to ${DEAD} on chain 31337`);
    expect(warn.msg).toContain(`no earlier than ${new Date(T0 + HOUR).toISOString()}`);

    expect(await seen(body.requestId)).toMatchObject({ at: T0, digest: body.digest, keyId, rule: 'slow-payouts', notBefore: T0 + HOUR, summary: { to: DEAD } });

    // the same announcement again (a resync): first sight counts, nothing new is written
    expect(await a.applyNotice(record, T0 + 10 * 60e3)).toBe('announce');
    expect((await seen(body.requestId))!.at).toBe(T0);
    expect((await audits()).length).toBe(1);

    // the clock the announcement started is the one the signing check reads
    const auth = authorization(body.requestId, payout);
    expect(await outcome(a.authorize(keyId, body.digest, auth, T0 + HOUR - 1000))).toBe('REFUSED ERR_DELAY');
    expect(await outcome(a.authorize(keyId, body.digest, auth, T0 + HOUR))).toBe('accepted');
  });

  test('an ERC-20 transfer is witnessed with the token call and the token recipient', async () => {
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [BOB, 5_000_000n] });
    const { body, record } = announce(tx(TOKEN, '0', data));
    await a.applyNotice(record, T0);
    const [e] = await audits();
    expect(e!.data).toMatchObject({
      requestId: body.requestId,
      recipient: BOB,
      rule: 'slow-tokens',
      delayMs: 2 * HOUR,
      summary: { to: TOKEN, value: '0', call: { method: 'transfer', token: TOKEN, args: { to: BOB, amount: '5000000' } } },
    });
    expect(lines.find((l) => l.event === 'delay_announced')!.msg).toContain(`transfer of 5000000 units of token ${TOKEN} to ${BOB}`);
  });

  test('a digest that is not the digest of the announced request is refused and nothing is stored', async () => {
    const other = decodeSignRequest(tx(DEAD, '1')).digest;
    const { body, record } = announce(payout, { digest: other });
    expect(await outcome(a.applyNotice(record, T0))).toBe('REFUSED ERR_DIGEST_MISMATCH');
    expect(await seen(body.requestId)).toBeUndefined();
    expect(await audits()).toEqual([]);
    expect(lines.filter((l) => l.event === 'delay_announced')).toEqual([]);
    // so neither digest can be signed as "announced" later
    for (const [req, digest] of [[payout, decodeSignRequest(payout).digest], [tx(DEAD, '1'), other]] as const) {
      expect(await outcome(a.authorize(keyId, digest, authorization(body.requestId, req), T0 + 2 * HOUR))).toBe('REFUSED ERR_DELAY');
    }
  });

  test('a request that does not decode is refused and nothing is stored', async () => {
    for (const request of [{ kind: 'eip1559', transaction: { ...payout.transaction, chainId: 0 } }, { kind: 'nope' }, { kind: 'eip191' }]) {
      const { body, record } = announce(payout, { request });
      expect(await outcome(a.applyNotice(record, T0))).toBe('REFUSED ERR_BAD_REQUEST');
      expect(await seen(body.requestId)).toBeUndefined();
    }
    expect(await audits()).toEqual([]);
  });

  test('when the audit entry cannot be written the announcement is refused and no clock starts', async () => {
    const { body, record } = announce(payout);
    auditBroken = true;
    expect(await outcome(a.applyNotice(record, T0))).toBe('REFUSED ERR_AUDIT');
    expect(await seen(body.requestId)).toBeUndefined();
    expect(lines.filter((l) => l.event === 'delay_announced')).toEqual([]);
    expect(await outcome(a.authorize(keyId, body.digest, authorization(body.requestId, payout), T0 + 2 * HOUR))).toBe('REFUSED ERR_DELAY');
    // once the log can be written again, the announcement is taken and the clock starts then
    auditBroken = false;
    expect(await a.applyNotice(record, T0 + HOUR)).toBe('announce');
    expect((await seen(body.requestId))!.at).toBe(T0 + HOUR);
    expect(verifyChain(await audits(), writerPub).ok).toBe(true);
  });

  test('an authorizer without an audit log refuses announcements', async () => {
    const bare = new Authorizer(store, [{ name: 'admin', publicKey: adminPub }], 1, async () => true);
    const { body, record } = announce(payout);
    expect(await outcome(bare.applyNotice(record, T0))).toBe('REFUSED ERR_AUDIT');
    expect(await seen(body.requestId)).toBeUndefined();
  });

  test('an announcement without the request (the old shape) is refused; an old record starts no clock and a full announcement replaces it', async () => {
    const requestId = randomUUID();
    const digest = decodeSignRequest(payout).digest;
    const old = a.applyNotice(encodeDocument({ announce: { requestId, digest } }), T0);
    expect(await outcome(old)).toBe('REFUSED ERR_BAD_DOCUMENT');
    await expect(old).rejects.toThrow(/must carry the request/);
    expect(await seen(requestId)).toBeUndefined();
    // a record an older node version stored from a bare digest
    await store.putRecords([{ key: `seen/${requestId}`, value: { at: T0, digest } }]);
    expect(await outcome(a.authorize(keyId, digest, authorization(requestId, payout), T0 + 2 * HOUR))).toBe('REFUSED ERR_DELAY');
    const { record } = announce(payout, { requestId });
    expect(await a.applyNotice(record, T0 + 2 * HOUR)).toBe('announce');
    expect(await seen(requestId)).toMatchObject({ at: T0 + 2 * HOUR, rule: 'slow-payouts' });
    expect(await outcome(a.authorize(keyId, digest, authorization(requestId, payout), T0 + 3 * HOUR - 1))).toBe('REFUSED ERR_DELAY');
    expect(await outcome(a.authorize(keyId, digest, authorization(requestId, payout), T0 + 3 * HOUR))).toBe('accepted');
  });

  test("the node's own policy decides: no policy, another policy, a denied request, an expired one, a reused request id", async () => {
    const { record: unknownKey } = announce(payout, { keyId: 'cd'.repeat(32) });
    expect(await outcome(a.applyNotice(unknownKey, T0))).toBe('REFUSED ERR_NO_POLICY');
    const { record: otherPolicy } = announce(payout, { policyHash: 'ee'.repeat(32) });
    expect(await outcome(a.applyNotice(otherPolicy, T0))).toBe('REFUSED ERR_POLICY_MISMATCH');
    const { record: denied } = announce(tx(BOB, '1'));
    expect(await outcome(a.applyNotice(denied, T0))).toBe('REFUSED ERR_POLICY_DENIED');
    const { record: expired } = announce(payout, { expiresAt: T0 });
    expect(await outcome(a.applyNotice(expired, T0))).toBe('REFUSED ERR_EXPIRED');
    expect(await audits()).toEqual([]);
    expect(await store.listRecords('seen/')).toEqual([]);

    const { body, record } = announce(payout);
    await a.applyNotice(record, T0);
    const { record: reused } = announce(tx(DEAD, '7', undefined, 1), { requestId: body.requestId });
    expect(await outcome(a.applyNotice(reused, T0 + 1))).toBe('REFUSED ERR_REQUEST_ID_REUSED');
    expect((await seen(body.requestId))!.digest).toBe(body.digest);
  });

  test('pendingDelays lists what still waits: not signed, not cancelled, not expired', async () => {
    const waiting = announce(payout);
    const cancelled = announce(tx(DEAD, '3', undefined, 1));
    const signed = announce(tx(DEAD, '4', undefined, 2));
    const shortLived = announce(tx(DEAD, '5', undefined, 3), { expiresAt: T0 + 3 * HOUR });
    for (const x of [waiting, cancelled, signed, shortLived]) await a.applyNotice(x.record, T0);
    await a.applyNotice(encodeDocument({ cancel: { requestId: cancelled.body.requestId } }), T0 + 1);
    expect(await outcome(a.authorize(keyId, signed.body.digest, authorization(signed.body.requestId, signed.body.request), T0 + HOUR))).toBe('accepted');
    // an old-shape record is not listed (it is no witnessed request)
    await store.putRecords([{ key: `seen/${randomUUID()}`, value: { at: T0, digest: waiting.body.digest } }]);

    const at = T0 + 2 * HOUR;
    expect((await a.pendingDelays(at)).map((p) => p.requestId).sort()).toEqual([waiting.body.requestId, shortLived.body.requestId].sort());
    const later = await pendingDelays(store, T0 + 3 * HOUR);
    expect(later).toEqual([
      {
        requestId: waiting.body.requestId,
        keyId,
        initiator: 'carol',
        digest: waiting.body.digest,
        summary: decodeSignRequest(payout).summary,
        rule: 'slow-payouts',
        seenAt: new Date(T0).toISOString(),
        notBefore: new Date(T0 + HOUR).toISOString(),
        expiresAt: new Date(T0 + 24 * HOUR).toISOString(),
      },
    ]);
  });
});
