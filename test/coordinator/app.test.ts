/**
 * The coordinator's HTTP layer (coordinator/src/app.ts) against an in-memory CoordinatorApi:
 * the token check on every route, input validation (always a 4xx with `{"error":{code,message}}`,
 * never reaching the API), the sign-request flow (every kind goes to `submit`; 201 new, 200 an
 * idempotent repeat, 503 a failed signing) with real secp256k1 signatures, approvals, the
 * admin-signed policy and approver routes, and the generic 500 for an unexpected exception.
 * No libp2p, no LevelDB: `app.inject` only.
 */
import type { AuditEntry } from '../../proto/audit.js';
import type { EvidenceBundle } from '../../proto/evidence.js';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { publicKeyToAddress } from 'viem/accounts';
import { hashMessage, keccak256, recoverAddress, recoverMessageAddress, recoverTransactionAddress, serializeTransaction, type Hex } from 'viem';
import { AUDIT_PAGE_MAX, buildApp, MAX_BODY_BYTES, MAX_KEY_NAME_CHARS, requestView, sha256 } from '../../coordinator/src/app.js';
import { ApiError, decodeRequestBody, type CoordinatorApi, type NodeHealth } from '../../coordinator/src/service.js';
import type { KeyRecord, SignRequestRecord, SignStatus, StoredApprover, StoredPolicy , StoredFreeze } from '../../coordinator/src/store.js';
import { decodeSignRequest, REQUEST_KINDS, TX_KINDS } from '../../proto/request.js';
import { approvalBytes, signStatement, verifyEd25519, type Signed } from '../../proto/governance.js';
import { toHex } from '../../protocol/core/bytes.js';

const TOKEN = 'test-admin-token-7f3a9c';
const AUTH = { authorization: `Bearer ${TOKEN}` } as const;
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' } as const;
const HEX64 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A well-formed (not necessarily valid) Ed25519 signature / public key in hex. */
const SIG = 'ab'.repeat(64);
const PUB = 'cd'.repeat(32);

type Call = { method: keyof CoordinatorApi; args: unknown[] };
/** What the fake's submit does with a request that decodes. */
type Outcome = 'signed' | 'pending_approval' | 'rejected' | 'failed';

const FAKE_POLICY_HASH = 'fa'.repeat(32);
const APPROVAL_RULE = 'large-transfers';
const REJECT_RULE = 'deny-unknown-recipients';

/**
 * In-memory CoordinatorApi: deterministic keys, real ECDSA signatures, every call recorded (and,
 * separately, every call that returned without throwing). `submit` mirrors the service: an
 * idempotency lookup, the key lookup, then the service's own decodeRequestBody (decoding and the
 * mapping of its errors to 400s); what happens next is `outcome`.
 */
class FakeApi implements CoordinatorApi {
  readonly calls: Call[] = [];
  readonly returned: Call[] = [];
  readonly keys = new Map<string, KeyRecord>();
  readonly requests = new Map<string, SignRequestRecord>();
  readonly idempotency = new Map<string, string>();
  readonly policies = new Map<string, StoredPolicy>();
  readonly approvers = new Map<string, StoredApprover>();
  private readonly secrets = new Map<string, Uint8Array>();
  private counter = 0;
  /** The fate of the next submitted request that decodes. */
  outcome: Outcome = 'signed';
  /** Approvals a pending_approval request needs before it is signed. */
  requiredApprovals = 1;
  /** When set, the named method throws this (after recording the call). */
  throwOn?: { method: keyof CoordinatorApi; error: unknown };
  readonly parties = [
    { index: 1, peerId: '12D3KooWFakeNode1' },
    { index: 2, peerId: '12D3KooWFakeNode2' },
    { index: 3, peerId: '12D3KooWFakeNode3' },
  ];

  private async run<T>(method: keyof CoordinatorApi, args: unknown[], f: () => T | Promise<T>): Promise<T> {
    this.calls.push({ method, args });
    if (this.throwOn?.method === method) throw this.throwOn.error;
    const v = await f();
    this.returned.push({ method, args });
    return v;
  }

  called(method?: keyof CoordinatorApi): Call[] {
    return method ? this.calls.filter((c) => c.method === method) : this.calls;
  }

  health(): Promise<{ status: 'ok' | 'degraded'; peerId: string; nodes: NodeHealth[] }> {
    return this.run('health', [], () => {
      const nodes = this.parties.map((p) => ({ index: p.index, name: `node-${p.index}`, peerId: p.peerId, reachable: p.index !== 3 }));
      return { status: 'degraded' as const, peerId: '12D3KooWFakeCoordinator', nodes };
    });
  }

  createKey(name: string): Promise<KeyRecord> {
    return this.run('createKey', [name], () => {
      const n = ++this.counter;
      const sk = sha256(`fake-secret/${n}`);
      const pub = secp256k1.getPublicKey(sk, true);
      const rec: KeyRecord = {
        id: toHex(sha256(`fake-key-id/${n}`)),
        name,
        publicKey: toHex(pub),
        address: publicKeyToAddress(`0x${toHex(secp256k1.Point.fromBytes(pub).toBytes(false))}`),
        threshold: 2,
        parties: this.parties,
        publicShares: this.parties.map((p) => toHex(sha256(`share/${n}/${p.index}`))),
        createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(),
        bannedPairs: [],
      };
      this.keys.set(rec.id, rec);
      this.secrets.set(rec.id, sk);
      return rec;
    });
  }

  getKey(id: string): Promise<KeyRecord | undefined> {
    return this.run('getKey', [id], () => this.keys.get(id));
  }

  listKeys(): Promise<KeyRecord[]> {
    return this.run('listKeys', [], () => [...this.keys.values()]);
  }

  submit(body: Record<string, unknown>, opts: { initiator: string; idempotencyKey?: string }): Promise<{ record: SignRequestRecord; existing: boolean }> {
    return this.run('submit', [body, opts], () => {
      const keyId = String(body.keyId ?? '').toLowerCase();
      if (opts.idempotencyKey) {
        const prev = this.requests.get(this.idempotency.get(`${opts.initiator}/${opts.idempotencyKey}`) ?? '');
        if (prev) {
          if (prev.keyId !== keyId) throw new ApiError(409, 'ERR_IDEMPOTENCY_CONFLICT', 'this idempotencyKey was used for another request');
          return { record: prev, existing: true };
        }
      }
      if (!this.keys.has(keyId)) throw new ApiError(404, 'ERR_UNKNOWN_KEY', `no key with id ${keyId}`);
      // the service's own decoding and error mapping
      const { request, decoded } = decodeRequestBody(body);
      const now = Date.now();
      const policyHash = this.policies.get(keyId)?.hash ?? FAKE_POLICY_HASH;
      const base = {
        id: randomUUID(),
        keyId,
        kind: decoded.kind,
        request,
        digest: decoded.digest,
        summary: decoded.summary,
        initiator: opts.initiator,
        ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
        policyHash,
        expiresAt: now + 3_600_000,
        approvals: [],
        attempts: [],
        createdAt: new Date(now).toISOString(),
        updatedAt: new Date(now).toISOString(),
      };
      let rec: SignRequestRecord;
      if (this.outcome === 'rejected') {
        rec = {
          ...base,
          status: 'rejected',
          decision: { action: 'deny', rule: REJECT_RULE, explanation: [`rule "${REJECT_RULE}" matched`] },
          rejection: { rule: REJECT_RULE, reason: `denied by rule "${REJECT_RULE}"` },
        };
      } else if (this.outcome === 'pending_approval') {
        const statement = approvalBytes({ requestId: base.id, keyId, initiator: base.initiator, digest: base.digest, summary: base.summary, policyHash, rule: APPROVAL_RULE, expiresAt: base.expiresAt });
        rec = {
          ...base,
          status: 'pending_approval',
          decision: { action: 'require_approvals', rule: APPROVAL_RULE, approvals: { treasury: this.requiredApprovals }, explanation: [`rule "${APPROVAL_RULE}" matched`] },
          approvalStatement: Buffer.from(statement).toString('hex'),
        };
      } else {
        rec = { ...base, status: 'signing', decision: { action: 'allow', rule: 'small-transfers', explanation: ['rule "small-transfers" matched'] } };
        this.sign(rec);
      }
      this.requests.set(rec.id, rec);
      if (opts.idempotencyKey) this.idempotency.set(`${opts.initiator}/${opts.idempotencyKey}`, rec.id);
      return { record: rec, existing: false };
    });
  }

  /** Signs `rec` in place (or fails it, when outcome is 'failed'). */
  private sign(rec: SignRequestRecord): void {
    rec.updatedAt = new Date().toISOString();
    if (this.outcome === 'failed') {
      rec.status = 'failed';
      rec.attempts.push({ nodes: [1, 2], sessionId: 'aa'.repeat(32), error: { code: 'ERR_NODE_UNAVAILABLE', message: 'node 2 unreachable' } });
      rec.error = { code: 'ERR_SIGNING_FAILED', message: 'no signing pair succeeded: [1,2] ERR_NODE_UNAVAILABLE' };
      return;
    }
    const sk = this.secrets.get(rec.keyId)!;
    const sig = secp256k1.Signature.fromBytes(secp256k1.sign(Buffer.from(rec.digest.slice(2), 'hex'), sk, { prehash: false, format: 'recovered' }), 'recovered');
    const hex32 = (v: bigint) => `0x${v.toString(16).padStart(64, '0')}`;
    const yParity = sig.recovery as 0 | 1;
    const sessionId = 'bb'.repeat(32);
    rec.status = 'signed';
    rec.signature = { r: hex32(sig.r), s: hex32(sig.s), v: 27 + yParity, yParity };
    if (TX_KINDS.includes(rec.kind)) {
      const tx = decodeSignRequest(rec.request).transaction!;
      rec.signedTransaction = serializeTransaction(tx, { r: rec.signature.r as Hex, s: rec.signature.s as Hex, yParity });
      rec.transactionHash = keccak256(rec.signedTransaction as Hex);
    }
    rec.nodes = this.parties.slice(0, 2).map((p) => ({ ...p }));
    rec.sessionId = sessionId;
    rec.attempts.push({ nodes: [1, 2], sessionId });
  }

  getSignRequest(id: string): Promise<SignRequestRecord | undefined> {
    return this.run('getSignRequest', [id], () => this.requests.get(id));
  }

  approve(id: string, approver: string, signature: string): Promise<SignRequestRecord> {
    return this.run('approve', [id, approver, signature], () => {
      const rec = this.requests.get(id);
      if (!rec) throw new ApiError(404, 'ERR_UNKNOWN_REQUEST', `no sign request with id ${id}`);
      if (rec.status !== 'pending_approval') throw new ApiError(409, 'ERR_NOT_PENDING', `the request is ${rec.status}`);
      const a = this.approvers.get(approver);
      if (!a || a.publicKey === '') throw new ApiError(400, 'ERR_BAD_APPROVAL', `${approver}: not a registered approver`);
      if (rec.approvals.some((x) => x.by === approver)) throw new ApiError(409, 'ERR_DUPLICATE_APPROVAL', `${approver} has already approved`);
      if (!verifyEd25519(a.publicKey, Buffer.from(rec.approvalStatement!, 'hex'), signature)) {
        throw new ApiError(400, 'ERR_BAD_APPROVAL', `${approver}: signature does not verify over the statement`);
      }
      rec.approvals.push({ by: approver, signature, at: new Date().toISOString() });
      rec.updatedAt = new Date().toISOString();
      if (rec.approvals.length >= this.requiredApprovals) this.sign(rec);
      return rec;
    });
  }

  getPolicy(keyId: string): Promise<StoredPolicy | undefined> {
    return this.run('getPolicy', [keyId], () => this.policies.get(keyId));
  }

  /** An admin change needs at least one signature here (the service checks a real quorum). */
  private quorum(signatures: readonly Signed[]): void {
    if (signatures.length === 0) throw new ApiError(400, 'ERR_ADMIN_QUORUM', '0 valid admin signature(s), 1 needed', { statement: 'ee'.repeat(8) });
  }

  setPolicy(keyId: string, text: string, signatures: readonly Signed[], seq?: number): Promise<{ keyId: string; hash: string; seq: number; nodes: unknown[] }> {
    return this.run('setPolicy', [keyId, text, signatures, seq], () => {
      if (!this.keys.has(keyId)) throw new ApiError(404, 'ERR_UNKNOWN_KEY', `no key with id ${keyId}`);
      const cur = this.policies.get(keyId);
      const next = seq ?? (cur?.seq ?? 0) + 1;
      if (cur && next <= cur.seq) throw new ApiError(409, 'ERR_STALE_CHANGE', `seq ${next} is not newer than the current ${cur.seq}`);
      this.quorum(signatures);
      const p: StoredPolicy = { keyId, text, hash: createHash('sha256').update(text).digest('hex'), seq: next, signatures: [...signatures], updatedAt: new Date().toISOString() };
      this.policies.set(keyId, p);
      return { keyId, hash: p.hash, seq: p.seq, nodes: this.parties.map((n) => ({ index: n.index, ok: true })) };
    });
  }

  listApprovers(): Promise<StoredApprover[]> {
    return this.run('listApprovers', [], () => [...this.approvers.values()]);
  }

  readonly freezes = new Map<string, StoredFreeze>();
  freeze(scope: string, reason: string) {
    return this.run('freeze', [scope, reason], () => {
      const seq = (this.freezes.get(scope)?.seq ?? 0) + 1;
      this.freezes.set(scope, { scope, frozen: true, reason, seq, signatures: [], updatedAt: new Date(0).toISOString() });
      return { scope, frozen: true, seq, failedRequests: [], nodes: [] };
    });
  }
  unfreeze(scope: string, signatures: readonly Signed[], seq?: number) {
    return this.run('unfreeze', [scope, signatures, seq], () => {
      const s = seq ?? (this.freezes.get(scope)?.seq ?? 0) + 1;
      this.freezes.set(scope, { scope, frozen: false, reason: '', seq: s, signatures, updatedAt: new Date(0).toISOString() });
      return { scope, frozen: false, seq: s, nodes: [] };
    });
  }
  listFreezes(): Promise<StoredFreeze[]> {
    return this.run('listFreezes', [], () => [...this.freezes.values()]);
  }
  admins: { admins: readonly { name: string; publicKey: string }[]; quorum: number; seq: number } = { admins: [{ name: 'root', publicKey: 'ab'.repeat(32) }], quorum: 1, seq: 0 };
  adminSet() {
    return this.run('adminSet', [], () => this.admins);
  }
  setAdmins(admins: readonly { name: string; publicKey: string }[], quorum: number, signatures: readonly Signed[], seq?: number) {
    return this.run('setAdmins', [admins, quorum, signatures, seq], () => {
      if (signatures.length === 0) throw new ApiError(400, 'ERR_ADMIN_QUORUM', '0 valid admin signature(s), 1 needed');
      const s = seq ?? this.admins.seq + 1;
      if (s <= this.admins.seq) throw new ApiError(409, 'ERR_STALE_CHANGE', `seq ${s} is not newer than the current ${this.admins.seq}`);
      this.admins = { admins, quorum, seq: s };
      return { ...this.admins, nodes: [] };
    });
  }
  /** Entries the fake's audit log holds (seq 1..n). */
  audit: AuditEntry[] = [];
  auditEntries(page?: { after: number; limit: number }): Promise<AuditEntry[]> {
    return this.run('auditEntries', [page], () => (page ? this.audit.filter((e) => e.seq > page.after).slice(0, page.limit) : this.audit));
  }
  evidence(id: string): Promise<EvidenceBundle> {
    return this.run('evidence', [id], () => {
      if (!this.requests.has(id)) throw new ApiError(404, 'ERR_UNKNOWN_REQUEST', `no sign request with id ${id}`);
      return { version: 1 } as unknown as EvidenceBundle;
    });
  }

  setApprover(name: string, publicKey: string, roles: readonly string[], signatures: readonly Signed[], seq?: number): Promise<StoredApprover & { nodes: unknown[] }> {
    return this.run('setApprover', [name, publicKey, roles, signatures, seq], () => {
      const cur = this.approvers.get(name);
      const next = seq ?? (cur?.seq ?? 0) + 1;
      if (cur && next <= cur.seq) throw new ApiError(409, 'ERR_STALE_CHANGE', `seq ${next} is not newer than the current ${cur.seq}`);
      this.quorum(signatures);
      const a: StoredApprover = { name, publicKey, roles: [...new Set(roles)], seq: next, signatures: [...signatures], updatedAt: new Date().toISOString() };
      this.approvers.set(name, a);
      return { ...a, nodes: this.parties.map((n) => ({ index: n.index, ok: true })) };
    });
  }
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

function setup() {
  const api = new FakeApi();
  const app = buildApp(api, { tokenHash: sha256(TOKEN) });
  apps.push(app);
  return { api, app };
}

type Json = Record<string, any>;
const json = (r: LightMyRequestResponse): Json => JSON.parse(r.body) as Json;

/** Status, JSON content type, and exactly `{"error":{code,message,...}}` with string code and message. */
function expectError(r: LightMyRequestResponse, status: number, code?: string): Json {
  const what = `${r.statusCode} ${r.body.slice(0, 300)}`;
  expect(r.statusCode, what).toBe(status);
  expect(r.headers['content-type'], what).toMatch(/^application\/json/);
  const b = json(r);
  expect(Object.keys(b), what).toEqual(['error']);
  expect(typeof b.error.code, what).toBe('string');
  expect(typeof b.error.message, what).toBe('string');
  expect(b.error.message.length, what).toBeGreaterThan(0);
  if (code) expect(b.error.code, what).toBe(code);
  return b.error as Json;
}

const postJson = (app: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) =>
  app.inject({ method: 'POST', url, headers, payload: typeof body === 'string' ? body : JSON.stringify(body) });
const putJson = (app: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) =>
  app.inject({ method: 'PUT', url, headers, payload: typeof body === 'string' ? body : JSON.stringify(body) });

const digestHex = (seed: string) => `0x${toHex(sha256(seed))}`;

async function createKey(app: FastifyInstance, name = 'treasury'): Promise<Json> {
  const r = await postJson(app, '/v1/keys', { name });
  expect(r.statusCode, r.body).toBe(201);
  return json(r);
}

/** A fresh Ed25519 key pair: PKCS#8 PEM and the raw public key as hex. */
function edKey(): { pem: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex') };
}

/** Registers approver `name` through the API (with one admin signature) and returns its key. */
async function registerApprover(app: FastifyInstance, name: string, roles: string[] = ['treasury']): Promise<{ pem: string; publicKey: string }> {
  const k = edKey();
  const r = await postJson(app, '/v1/approvers', { name, publicKey: k.publicKey, roles, signatures: [{ by: 'root', signature: SIG }] });
  expect(r.statusCode, r.body).toBe(201);
  return k;
}

// ---------------------------------------------------------------------------------------------

describe('authentication', () => {
  const KEY_ID = 'ab'.repeat(32);
  const REQ_ID = '0b8e7a52-3c1d-4e6f-9a2b-5c4d3e2f1a0b';
  const routes: { name: string; opts: InjectOptions }[] = [
    { name: 'GET /health', opts: { method: 'GET', url: '/health' } },
    { name: 'GET /v1/keys', opts: { method: 'GET', url: '/v1/keys' } },
    { name: 'GET /v1/keys/:id', opts: { method: 'GET', url: `/v1/keys/${KEY_ID}` } },
    { name: 'POST /v1/keys', opts: { method: 'POST', url: '/v1/keys', payload: { name: 'k' } } },
    { name: 'POST /v1/sign-requests', opts: { method: 'POST', url: '/v1/sign-requests', payload: { keyId: KEY_ID, kind: 'digest', digest: digestHex('x') } } },
    { name: 'GET /v1/sign-requests/:id', opts: { method: 'GET', url: `/v1/sign-requests/${REQ_ID}` } },
    { name: 'POST /v1/sign-requests/:id/approvals', opts: { method: 'POST', url: `/v1/sign-requests/${REQ_ID}/approvals`, payload: { approver: 'alice', signature: SIG } } },
    { name: 'GET /v1/keys/:id/policy', opts: { method: 'GET', url: `/v1/keys/${KEY_ID}/policy` } },
    { name: 'PUT /v1/keys/:id/policy', opts: { method: 'PUT', url: `/v1/keys/${KEY_ID}/policy`, payload: { policy: 'rules: []', signatures: [{ by: 'root', signature: SIG }] } } },
    { name: 'GET /v1/approvers', opts: { method: 'GET', url: '/v1/approvers' } },
    { name: 'POST /v1/approvers', opts: { method: 'POST', url: '/v1/approvers', payload: { name: 'alice', publicKey: PUB, roles: ['treasury'], signatures: [{ by: 'root', signature: SIG }] } } },
    { name: 'POST /v1/keys/:id/freeze', opts: { method: 'POST', url: `/v1/keys/${KEY_ID}/freeze`, payload: { reason: 'x' } } },
    { name: 'POST /v1/keys/:id/unfreeze', opts: { method: 'POST', url: `/v1/keys/${KEY_ID}/unfreeze`, payload: { signatures: [{ by: 'root', signature: SIG }] } } },
    { name: 'POST /v1/freeze', opts: { method: 'POST', url: '/v1/freeze', payload: {} } },
    { name: 'POST /v1/unfreeze', opts: { method: 'POST', url: '/v1/unfreeze', payload: { signatures: [{ by: 'root', signature: SIG }] } } },
    { name: 'GET /v1/freeze', opts: { method: 'GET', url: '/v1/freeze' } },
    { name: 'GET /v1/audit', opts: { method: 'GET', url: '/v1/audit' } },
    { name: 'GET /v1/sign-requests/:id/evidence', opts: { method: 'GET', url: `/v1/sign-requests/${REQ_ID}/evidence` } },
    { name: 'unknown route', opts: { method: 'GET', url: '/v1/nope' } },
    { name: 'bad %-escape in the path', opts: { method: 'GET', url: '/v1/keys/%ZZ' } },
    { name: 'over-long path parameter', opts: { method: 'GET', url: `/v1/keys/${'a'.repeat(200)}` } },
  ];
  const badHeaders: { name: string; headers: Record<string, string> }[] = [
    { name: 'no Authorization header', headers: {} },
    { name: 'Basic scheme', headers: { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` } },
    { name: 'Basic scheme carrying the token', headers: { authorization: `Basic ${TOKEN}` } },
    { name: 'wrong token', headers: { authorization: 'Bearer not-the-token' } },
    { name: 'token with one character changed', headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}X` } },
    { name: 'token prefix', headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` } },
    { name: 'token with a trailing space', headers: { authorization: `Bearer ${TOKEN} ` } },
    { name: 'token with a leading extra space', headers: { authorization: `Bearer  ${TOKEN}` } },
    { name: 'empty bearer', headers: { authorization: 'Bearer ' } },
    { name: 'bare "Bearer"', headers: { authorization: 'Bearer' } },
    { name: 'token without a scheme', headers: { authorization: TOKEN } },
  ];

  it.each(badHeaders)('$name → 401 ERR_UNAUTHORIZED, API not called', async ({ headers }) => {
    const { api, app } = setup();
    const r = await app.inject({ method: 'GET', url: '/health', headers });
    expectError(r, 401, 'ERR_UNAUTHORIZED');
    expect(api.calls).toEqual([]);
  });

  it('the right token → 200 (positive control)', async () => {
    const { api, app } = setup();
    const r = await app.inject({ method: 'GET', url: '/health', headers: AUTH });
    expect(r.statusCode, r.body).toBe(200);
    expect(api.called('health')).toHaveLength(1);
  });

  it.each(routes)('$name requires the token (every bad header → 401, nothing called)', async ({ opts }) => {
    const { api, app } = setup();
    for (const { name, headers } of badHeaders) {
      const r = await app.inject({ ...opts, headers: { ...(opts.payload ? { 'content-type': 'application/json' } : {}), ...headers } });
      expect(r.statusCode, `${name}: ${r.body}`).toBe(401);
      expectError(r, 401, 'ERR_UNAUTHORIZED');
    }
    expect(api.calls).toEqual([]);
    // With the token the same request gets past the check (whatever it answers next).
    const ok = await app.inject({ ...opts, headers: { ...(opts.payload ? { 'content-type': 'application/json' } : {}), ...AUTH } });
    expect(ok.statusCode, ok.body).not.toBe(401);
    expect(ok.statusCode, ok.body).toBeLessThan(500);
  });

  it('the token is checked before the body is parsed (bad JSON without a token → 401)', async () => {
    const { api, app } = setup();
    const r = await postJson(app, '/v1/keys', '{"name":', { 'content-type': 'application/json' });
    expectError(r, 401, 'ERR_UNAUTHORIZED');
    expect(api.calls).toEqual([]);
  });

  it('HEAD /health without a token → 401', async () => {
    const { api, app } = setup();
    const r = await app.inject({ method: 'HEAD', url: '/health' });
    expect(r.statusCode).toBe(401);
    expect(api.calls).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('GET /health', () => {
  it("returns each node's peer id and reachability", async () => {
    const { app } = setup();
    const r = await app.inject({ method: 'GET', url: '/health', headers: AUTH });
    expect(r.statusCode).toBe(200);
    const b = json(r);
    expect(b.status).toBe('degraded');
    expect(b.nodes).toHaveLength(3);
    for (const n of b.nodes) {
      expect(typeof n.peerId).toBe('string');
      expect(typeof n.reachable).toBe('boolean');
    }
    expect(b.nodes.map((n: Json) => n.reachable)).toEqual([true, true, false]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('POST /v1/keys', () => {
  it('201 with the key view', async () => {
    const { api, app } = setup();
    const r = await postJson(app, '/v1/keys', { name: 'treasury' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const b = json(r);
    expect(b.id).toMatch(HEX64);
    expect(b.name).toBe('treasury');
    expect(b.publicKey).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(b.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(b.threshold).toBe(2);
    expect(b.parties).toBe(3);
    expect(b.nodes).toEqual(api.parties);
    expect(typeof b.createdAt).toBe('string');
    // The view leaks no internal field.
    expect(b).not.toHaveProperty('publicShares');
    expect(b).not.toHaveProperty('bannedPairs');
    expect(api.called('createKey')).toEqual([{ method: 'createKey', args: ['treasury'] }]);
  });

  it(`accepts a name of exactly MAX_KEY_NAME_CHARS (${MAX_KEY_NAME_CHARS}) characters and passes it unchanged`, async () => {
    const { api, app } = setup();
    const name = ` ${'n'.repeat(MAX_KEY_NAME_CHARS - 2)} `;
    const r = await postJson(app, '/v1/keys', { name, extra: 'ignored' });
    expect(r.statusCode, r.body).toBe(201);
    expect(api.called('createKey')[0]!.args).toEqual([name]);
  });

  const invalid: { name: string; payload: string; headers?: Record<string, string>; status: number; code: string }[] = [
    { name: 'missing name', payload: '{}', status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'empty name', payload: '{"name":""}', status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'whitespace name', payload: '{"name":" \\t\\n "}', status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'name too long', payload: JSON.stringify({ name: 'x'.repeat(MAX_KEY_NAME_CHARS + 1) }), status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'name a number', payload: '{"name":42}', status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'name null', payload: '{"name":null}', status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'name an array', payload: '{"name":["a"]}', status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'name an object', payload: '{"name":{"toString":"a"}}', status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'body an array', payload: '[{"name":"a"}]', status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'body a string', payload: '"treasury"', status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'body null', payload: 'null', status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'body a number', payload: '7', status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'invalid JSON', payload: '{"name":', status: 400, code: 'ERR_BAD_JSON' },
    { name: 'trailing garbage after JSON', payload: '{"name":"a"} x', status: 400, code: 'ERR_BAD_JSON' },
    { name: '__proto__ key (prototype poisoning)', payload: '{"name":"a","__proto__":{"admin":true}}', status: 400, code: 'ERR_BAD_JSON' },
    { name: 'constructor.prototype key', payload: '{"name":"a","constructor":{"prototype":{"admin":true}}}', status: 400, code: 'ERR_BAD_JSON' },
    { name: 'deeply nested JSON', payload: `${'['.repeat(20_000)}${']'.repeat(20_000)}`, status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'empty body with JSON content type', payload: '', status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'no body and no content type', payload: '', headers: { ...AUTH }, status: 400, code: 'ERR_BAD_REQUEST' },
    // fastify parses text/plain as a string, which is not a JSON object.
    { name: 'text/plain content type', payload: '{"name":"a"}', headers: { ...AUTH, 'content-type': 'text/plain' }, status: 400, code: 'ERR_BAD_REQUEST' },
    { name: 'form content type', payload: 'name=a', headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'ERR_BAD_REQUEST' },
    { name: 'body over MAX_BODY_BYTES', payload: JSON.stringify({ name: 'a', pad: 'p'.repeat(MAX_BODY_BYTES) }), status: 413, code: 'ERR_BAD_REQUEST' },
  ];

  it.each(invalid)('$name → $status $code, API not called', async ({ payload, headers, status, code }) => {
    const { api, app } = setup();
    const r = await app.inject({ method: 'POST', url: '/v1/keys', headers: headers ?? JSON_HEADERS, payload });
    expectError(r, status, code);
    expect(api.calls).toEqual([]);
  });

  it('a body just under MAX_BODY_BYTES is accepted', async () => {
    const { app } = setup();
    const small = JSON.stringify({ name: 'a', pad: '' });
    const payload = JSON.stringify({ name: 'a', pad: 'p'.repeat(MAX_BODY_BYTES - small.length) });
    expect(Buffer.byteLength(payload)).toBe(MAX_BODY_BYTES);
    const r = await postJson(app, '/v1/keys', payload);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(201);
  });

  it('an ApiError from the service keeps its status, code and details', async () => {
    const { api, app } = setup();
    api.throwOn = { method: 'createKey', error: new ApiError(502, 'ERR_DKG_FAILED', 'node 2: ERR_X: boom', { failure: { code: 'ERR_X' } }) };
    const r = await postJson(app, '/v1/keys', { name: 'k' });
    const e = expectError(r, 502, 'ERR_DKG_FAILED');
    expect(e.message).toBe('node 2: ERR_X: boom');
    expect(e.failure).toEqual({ code: 'ERR_X' });
  });
});

// ---------------------------------------------------------------------------------------------

describe('GET /v1/keys and /v1/keys/:id', () => {
  it('lists keys in the view shape', async () => {
    const { app } = setup();
    const a = await createKey(app, 'a');
    const b = await createKey(app, 'b');
    const r = await app.inject({ method: 'GET', url: '/v1/keys', headers: AUTH });
    expect(r.statusCode).toBe(200);
    expect(json(r)).toEqual({ keys: [a, b] });
  });

  it('an empty list is {"keys":[]}', async () => {
    const { app } = setup();
    const r = await app.inject({ method: 'GET', url: '/v1/keys', headers: AUTH });
    expect(r.statusCode).toBe(200);
    expect(json(r)).toEqual({ keys: [] });
  });

  it('gets a key by id; an uppercase id is the same key (normalised to lowercase before lookup)', async () => {
    const { api, app } = setup();
    const k = await createKey(app);
    const lower = await app.inject({ method: 'GET', url: `/v1/keys/${k.id}`, headers: AUTH });
    expect(lower.statusCode).toBe(200);
    expect(json(lower)).toEqual(k);
    const upper = await app.inject({ method: 'GET', url: `/v1/keys/${(k.id as string).toUpperCase()}`, headers: AUTH });
    expect(upper.statusCode).toBe(200);
    expect(json(upper)).toEqual(k);
    expect(api.called('getKey').map((c) => c.args[0])).toEqual([k.id, k.id]);
  });

  it('unknown key → 404 ERR_UNKNOWN_KEY', async () => {
    const { app } = setup();
    await createKey(app);
    const e = expectError(await app.inject({ method: 'GET', url: `/v1/keys/${'cd'.repeat(32)}`, headers: AUTH }), 404, 'ERR_UNKNOWN_KEY');
    expect(e.message).toContain('cd'.repeat(32));
  });

  it.each([
    ['too short', 'ab'.repeat(31)],
    ['too long', 'ab'.repeat(33)],
    ['0x prefix', `0x${'ab'.repeat(32)}`],
    ['non-hex', 'zz'.repeat(32)],
    ['encoded space', `${'ab'.repeat(31)}a%20`],
  ])('malformed id (%s) → 400, API not called', async (_, id) => {
    const { api, app } = setup();
    expectError(await app.inject({ method: 'GET', url: `/v1/keys/${id}`, headers: AUTH }), 400, 'ERR_BAD_REQUEST');
    expect(api.calls).toEqual([]);
  });

  it('a path with a bad %-escape → 400 in the JSON error shape', async () => {
    const { api, app } = setup();
    expectError(await app.inject({ method: 'GET', url: '/v1/keys/%ZZ', headers: AUTH }), 400, 'ERR_BAD_REQUEST');
    expect(api.calls).toEqual([]);
  });

  it('an over-long path parameter → 4xx in the JSON error shape', async () => {
    const { api, app } = setup();
    const r = await app.inject({ method: 'GET', url: `/v1/keys/${'a'.repeat(200)}`, headers: AUTH });
    expectError(r, 414, 'ERR_BAD_REQUEST');
    expect(api.calls).toEqual([]);
  });
});

describe('unknown routes', () => {
  it.each([
    ['GET', '/'],
    ['GET', '/v1/nope'],
    ['DELETE', '/v1/keys'],
    ['PUT', '/v1/keys/ab'],
    ['POST', '/health'],
    ['GET', '/v1/sign-requests'],
    ['DELETE', '/v1/approvers'],
    ['POST', `/v1/keys/${'ab'.repeat(32)}/policy`],
    ['DELETE', `/v1/keys/${'ab'.repeat(32)}/policy`],
    ['GET', `/v1/sign-requests/${randomUUID()}/approvals`],
    ['PUT', `/v1/sign-requests/${randomUUID()}/approvals`],
  ] as const)('%s %s → 404 ERR_NOT_FOUND JSON', async (method, url) => {
    const { api, app } = setup();
    expectError(await app.inject({ method, url, headers: AUTH }), 404, 'ERR_NOT_FOUND');
    expect(api.calls).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('sign requests', () => {
  async function withKey() {
    const s = setup();
    const key = await createKey(s.app);
    s.api.calls.length = 0;
    s.api.returned.length = 0;
    return { ...s, key };
  }

  it('201: signed, with a signature that recovers to the key address, and the signing nodes', async () => {
    const { api, app, key } = await withKey();
    const digest = digestHex('hello');
    const r = await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest });
    expect(r.statusCode, r.body).toBe(201);
    const b = json(r);
    expect(b.id).toMatch(UUID);
    expect(b.status).toBe('signed');
    expect(b.keyId).toBe(key.id);
    expect(b.kind).toBe('digest');
    expect(b.digest).toBe(digest);
    expect(b.summary).toEqual({ kind: 'digest' });
    expect(b.initiator).toBe('admin');
    expect(b.approvals).toEqual([]);
    expect(new Date(b.expiresAt).toISOString()).toBe(b.expiresAt);
    expect(Object.keys(b.signature).sort()).toEqual(['r', 's', 'v', 'yParity']);
    expect(b.signature.r).toMatch(/^0x[0-9a-f]{64}$/);
    expect(b.signature.s).toMatch(/^0x[0-9a-f]{64}$/);
    expect([0, 1]).toContain(b.signature.yParity);
    expect(b.signature.v).toBe(27 + b.signature.yParity);
    expect(b.nodes).toEqual(api.parties.slice(0, 2));
    expect(b).not.toHaveProperty('error');
    expect(b).not.toHaveProperty('approvalStatement');
    expect(b).not.toHaveProperty('rejection');
    expect(b).not.toHaveProperty('idempotencyKey');
    expect(b).not.toHaveProperty('signedTransaction');
    // The request body is part of the view: approvers decode it themselves before signing.
    expect(b.request).toMatchObject({ kind: 'digest' });
    expect(b.request).not.toHaveProperty('keyId');
    const recovered = await recoverAddress({ hash: digest as `0x${string}`, signature: { r: b.signature.r, s: b.signature.s, yParity: b.signature.yParity } });
    expect(recovered).toBe(key.address);

    const calls = api.called('submit');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args).toEqual([{ keyId: key.id, kind: 'digest', digest }, { initiator: 'admin' }]);
    expect(api.calls).toHaveLength(1);
  });

  it('GET of a stored request returns the same body; an uppercase UUID finds it too', async () => {
    const { app, key } = await withKey();
    const post = await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest: digestHex('stored') });
    expect(post.statusCode).toBe(201);
    const id = json(post).id as string;
    const get = await app.inject({ method: 'GET', url: `/v1/sign-requests/${id}`, headers: AUTH });
    expect(get.statusCode).toBe(200);
    expect(json(get)).toEqual(json(post));
    const upper = await app.inject({ method: 'GET', url: `/v1/sign-requests/${id.toUpperCase()}`, headers: AUTH });
    expect(upper.statusCode).toBe(200);
    expect(json(upper)).toEqual(json(post));
  });

  it('uppercase keyId and uppercase digest hex are accepted and normalised', async () => {
    const { api, app, key } = await withKey();
    const digest = digestHex('upper');
    const r = await postJson(app, '/v1/sign-requests', { keyId: (key.id as string).toUpperCase(), kind: 'digest', digest: `0x${digest.slice(2).toUpperCase()}` });
    expect(r.statusCode, r.body).toBe(201);
    expect(json(r).keyId).toBe(key.id);
    expect(json(r).digest).toBe(digest);
    // The app lowercases the key id before the service sees it; the digest is the decoder's business.
    expect((api.called('submit')[0]!.args[0] as Json).keyId).toBe(key.id);
  });

  it('an eip191 message goes to submit unchanged and is signed over its EIP-191 hash', async () => {
    const { api, app, key } = await withKey();
    const message = 'I approve the Q3 budget';
    const r = await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'eip191', message });
    expect(r.statusCode, r.body).toBe(201);
    const b = json(r);
    expect(b.kind).toBe('eip191');
    expect(b.digest).toBe(hashMessage(message));
    expect(b.summary).toEqual({ kind: 'eip191', message: { text: message } });
    expect(await recoverMessageAddress({ message, signature: { r: b.signature.r, s: b.signature.s, yParity: b.signature.yParity } })).toBe(key.address);
    expect(api.called('submit')[0]!.args[0]).toEqual({ keyId: key.id, kind: 'eip191', message });
  });

  it('an eip1559 transaction comes back signed and serialised, with its hash', async () => {
    const { app, key } = await withKey();
    const transaction = { chainId: 1, nonce: 7, to: '0x000000000000000000000000000000000000dEaD', value: '1000000000000000', gas: '21000', maxFeePerGas: '30000000000', maxPriorityFeePerGas: '1000000000' };
    const r = await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'eip1559', transaction });
    expect(r.statusCode, r.body).toBe(201);
    const b = json(r);
    expect(b.kind).toBe('eip1559');
    expect(b.summary).toMatchObject({ kind: 'eip1559', chainId: 1, nonce: 7, to: transaction.to, value: transaction.value });
    expect(b.signedTransaction).toMatch(/^0x02[0-9a-f]+$/);
    expect(b.transactionHash).toBe(keccak256(b.signedTransaction as Hex));
    expect(await recoverTransactionAddress({ serializedTransaction: b.signedTransaction as `0x02${string}` })).toBe(key.address);
  });

  it.each(REQUEST_KINDS.filter((k) => k !== 'digest'))('kind %s reaches submit (the app no longer restricts kinds beyond the list)', async (kind) => {
    const { api, app, key } = await withKey();
    // An empty request of that kind: the decoder refuses it, as a 400 naming the field.
    const e = expectError(await postJson(app, '/v1/sign-requests', { keyId: key.id, kind }), 400, 'ERR_BAD_REQUEST');
    expect(typeof e.field).toBe('string');
    expect(api.called('submit')).toHaveLength(1);
    expect(api.requests.size).toBe(0);
  });

  const good = digestHex('d');
  it.each([
    ['missing', undefined],
    ['no 0x prefix', good.slice(2)],
    ['0X prefix', `0X${good.slice(2)}`],
    ['31 bytes', good.slice(0, -2)],
    ['33 bytes', `${good}00`],
    ['odd length', good.slice(0, -1)],
    ['non-hex', `0x${'zz'.repeat(32)}`],
    ['surrounding whitespace', ` ${good} `],
    ['trailing newline', `${good}\n`],
    ['a number', 12345],
    ['a byte array', Array.from({ length: 32 }, () => 1)],
    ['null', null],
    ['just 0x', '0x'],
  ])('digest %s → 400 ERR_BAD_DIGEST (the decoder, via submit), nothing stored or signed', async (_, digest) => {
    const { api, app, key } = await withKey();
    const e = expectError(await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest }), 400, 'ERR_BAD_DIGEST');
    expect(e.message).toMatch(/32 bytes/);
    expect(e.field).toBe('digest');
    expect(api.calls.map((c) => c.method)).toEqual(['submit']);
    expect(api.returned).toEqual([]);
    expect(api.requests.size).toBe(0);
  });

  it.each([
    ['eip191 message a number', { kind: 'eip191', message: 42 }, 'message'],
    ['eip1559 chainId 0', { kind: 'eip1559', transaction: { chainId: 0, nonce: 0, gas: '21000', maxFeePerGas: '1', maxPriorityFeePerGas: '1' } }, 'transaction.chainId'],
    ['legacy with an eip1559 field', { kind: 'legacy', transaction: { chainId: 1, nonce: 0, gas: '21000', gasPrice: '1', maxFeePerGas: '1' } }, 'transaction.maxFeePerGas'],
    ['eip712 without types', { kind: 'eip712', typedData: { primaryType: 'Mail', message: {} } }, 'typedData'],
  ])('%s → 400 ERR_BAD_REQUEST naming the field, nothing stored', async (_, req, field) => {
    const { api, app, key } = await withKey();
    const e = expectError(await postJson(app, '/v1/sign-requests', { keyId: key.id, ...req }), 400, 'ERR_BAD_REQUEST');
    expect(e.field).toBe(field);
    expect(api.requests.size).toBe(0);
  });

  it.each([
    ['missing', undefined],
    ['too short', 'ab'.repeat(31)],
    ['too long', 'ab'.repeat(33)],
    ['0x prefix', `0x${'ab'.repeat(32)}`],
    ['non-hex', 'zz'.repeat(32)],
    ['a number', 42],
    ['an object', { id: 'ab'.repeat(32) }],
  ])('keyId %s → 400 ERR_BAD_REQUEST, API not called', async (_, keyId) => {
    const { api, app } = await withKey();
    expectError(await postJson(app, '/v1/sign-requests', { keyId, kind: 'digest', digest: good }), 400, 'ERR_BAD_REQUEST');
    expect(api.calls).toEqual([]);
  });

  it('unknown key → 404 ERR_UNKNOWN_KEY from submit, nothing stored or signed', async () => {
    const { api, app } = await withKey();
    const unknown = 'ef'.repeat(32);
    const e = expectError(await postJson(app, '/v1/sign-requests', { keyId: unknown, kind: 'digest', digest: good }), 404, 'ERR_UNKNOWN_KEY');
    expect(e.message).toContain(unknown);
    expect(api.calls.map((c) => c.method)).toEqual(['submit']);
    expect(api.requests.size).toBe(0);
  });

  it.each([
    ['"message"', 'message'],
    ['"DIGEST"', 'DIGEST'],
    ['"transaction"', 'transaction'],
    ['"eip-1559"', 'eip-1559'],
    ['"" (empty)', ''],
    ['missing', undefined],
    ['a number', 1],
    ['null', null],
    ['a list of kinds', ['digest']],
  ])('kind %s → 400 ERR_UNSUPPORTED_KIND listing every kind, API not called', async (_, kind) => {
    const { api, app, key } = await withKey();
    const e = expectError(await postJson(app, '/v1/sign-requests', { keyId: key.id, kind, digest: good }), 400, 'ERR_UNSUPPORTED_KIND');
    for (const k of REQUEST_KINDS) expect(e.message).toContain(k);
    expect(api.calls).toEqual([]);
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"sign this"'],
    ['invalid JSON', '{"keyId":'],
  ])('body %s → 400, API not called', async (_, payload) => {
    const { api, app } = await withKey();
    const e = expectError(await postJson(app, '/v1/sign-requests', payload), 400);
    expect(['ERR_BAD_REQUEST', 'ERR_BAD_JSON']).toContain(e.code);
    expect(api.calls).toEqual([]);
  });

  it('a failed signing → 503 with the request id; the failed record is retrievable', async () => {
    const { api, app, key } = await withKey();
    api.outcome = 'failed';
    const e = expectError(await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest: good }), 503, 'ERR_SIGNING_FAILED');
    const stored = [...api.requests.values()];
    expect(stored).toHaveLength(1);
    expect(e.requestId).toBe(stored[0]!.id);
    expect(e.message).toBe(stored[0]!.error!.message);

    const get = await app.inject({ method: 'GET', url: `/v1/sign-requests/${e.requestId}`, headers: AUTH });
    expect(get.statusCode).toBe(200);
    const b = json(get);
    expect(b.status).toBe('failed');
    expect(b.error).toEqual(stored[0]!.error);
    expect(b).not.toHaveProperty('signature');
    expect(b.attempts).toHaveLength(1);
  });

  it('a rejected request → 201 with status rejected, its rejection and decision, and no signature', async () => {
    const { api, app, key } = await withKey();
    api.outcome = 'rejected';
    const r = await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest: good });
    expect(r.statusCode, r.body).toBe(201);
    const b = json(r);
    expect(b.status).toBe('rejected');
    expect(b.rejection).toEqual({ rule: REJECT_RULE, reason: `denied by rule "${REJECT_RULE}"` });
    expect(b.decision).toMatchObject({ action: 'deny', rule: REJECT_RULE });
    expect(b.policyHash).toBe(FAKE_POLICY_HASH);
    for (const k of ['signature', 'signedTransaction', 'nodes', 'sessionId', 'error', 'approvalStatement']) expect(b).not.toHaveProperty(k);
    const get = await app.inject({ method: 'GET', url: `/v1/sign-requests/${b.id}`, headers: AUTH });
    expect(json(get)).toEqual(b);
  });

  it('a default-deny rejection (rule null) keeps the null rule in the view', async () => {
    const { api, app, key } = await withKey();
    api.outcome = 'rejected';
    const r = await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest: good });
    const rec = api.requests.get(json(r).id as string)!;
    rec.rejection = { rule: null, reason: 'no rule allows it (default deny)' };
    const get = await app.inject({ method: 'GET', url: `/v1/sign-requests/${rec.id}`, headers: AUTH });
    expect(json(get).rejection).toEqual({ rule: null, reason: 'no rule allows it (default deny)' });
  });

  describe('idempotency', () => {
    it('a repeat with the same idempotencyKey → 200 with the same request; one record; the key is passed to submit', async () => {
      const { api, app, key } = await withKey();
      const body = { keyId: key.id, kind: 'digest', digest: good, idempotencyKey: 'payout-2025-001' };
      const first = await postJson(app, '/v1/sign-requests', body);
      expect(first.statusCode, first.body).toBe(201);
      expect(json(first).idempotencyKey).toBe('payout-2025-001');
      const again = await postJson(app, '/v1/sign-requests', body);
      expect(again.statusCode, again.body).toBe(200);
      expect(json(again).id).toBe(json(first).id);
      expect(json(again)).toEqual(json(first));
      expect(api.requests.size).toBe(1);
      expect(api.called('submit').map((c) => c.args[1])).toEqual([
        { initiator: 'admin', idempotencyKey: 'payout-2025-001' },
        { initiator: 'admin', idempotencyKey: 'payout-2025-001' },
      ]);
      // A different key is a different request.
      const other = await postJson(app, '/v1/sign-requests', { ...body, idempotencyKey: 'payout-2025-002' });
      expect(other.statusCode).toBe(201);
      expect(json(other).id).not.toBe(json(first).id);
    });

    it('a repeat of a request that failed → 200 with the failed record (the 503 is for the first answer only)', async () => {
      const { api, app, key } = await withKey();
      api.outcome = 'failed';
      const body = { keyId: key.id, kind: 'digest', digest: good, idempotencyKey: 'k1' };
      const e = expectError(await postJson(app, '/v1/sign-requests', body), 503, 'ERR_SIGNING_FAILED');
      const again = await postJson(app, '/v1/sign-requests', body);
      expect(again.statusCode, again.body).toBe(200);
      expect(json(again).id).toBe(e.requestId);
      expect(json(again).status).toBe('failed');
    });

    it('a repeat of a pending request → 200, still pending with its approval statement', async () => {
      const { api, app, key } = await withKey();
      api.outcome = 'pending_approval';
      const body = { keyId: key.id, kind: 'digest', digest: good, idempotencyKey: 'k2' };
      const first = await postJson(app, '/v1/sign-requests', body);
      expect(first.statusCode).toBe(201);
      const again = await postJson(app, '/v1/sign-requests', body);
      expect(again.statusCode).toBe(200);
      expect(json(again)).toEqual(json(first));
      expect(json(again).approvalStatement).toMatch(/^[0-9a-f]+$/);
    });

    it('the same idempotencyKey for another key → the service\'s 409 passes through', async () => {
      const { app, key } = await withKey();
      const other = await createKey(app, 'other');
      expect((await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest: good, idempotencyKey: 'k3' })).statusCode).toBe(201);
      expectError(await postJson(app, '/v1/sign-requests', { keyId: other.id, kind: 'digest', digest: good, idempotencyKey: 'k3' }), 409, 'ERR_IDEMPOTENCY_CONFLICT');
    });

    it.each([
      ['empty', ''],
      ['129 characters', 'k'.repeat(129)],
      ['a number', 7],
      ['null', null],
      ['an object', { k: 1 }],
    ])('idempotencyKey %s → 400 ERR_BAD_REQUEST, API not called', async (_, idempotencyKey) => {
      const { api, app, key } = await withKey();
      expectError(await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest: good, idempotencyKey }), 400, 'ERR_BAD_REQUEST');
      expect(api.calls).toEqual([]);
    });

    it('idempotencyKey of exactly 128 characters is accepted (positive control)', async () => {
      const { app, key } = await withKey();
      const r = await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest: good, idempotencyKey: 'k'.repeat(128) });
      expect(r.statusCode, r.body).toBe(201);
    });
  });

  it('GET of an unknown UUID → 404 ERR_UNKNOWN_REQUEST', async () => {
    const { app } = setup();
    const id = randomUUID();
    const e = expectError(await app.inject({ method: 'GET', url: `/v1/sign-requests/${id}`, headers: AUTH }), 404, 'ERR_UNKNOWN_REQUEST');
    expect(e.message).toContain(id);
  });

  it.each([
    ['not a uuid', 'abc'],
    ['uuid without dashes', randomUUID().replaceAll('-', '')],
    ['uuid with braces', `{${randomUUID()}}`],
    ['uuid plus a character', `${randomUUID()}0`],
    ['a key id', 'ab'.repeat(32)],
  ])('GET malformed request id (%s) → 400, API not called', async (_, id) => {
    const { api, app } = setup();
    expectError(await app.inject({ method: 'GET', url: `/v1/sign-requests/${encodeURIComponent(id)}`, headers: AUTH }), 400, 'ERR_BAD_REQUEST');
    expect(api.calls).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('approvals', () => {
  async function pending(requiredApprovals = 1) {
    const s = setup();
    const key = await createKey(s.app);
    const alice = await registerApprover(s.app, 'alice');
    const bob = await registerApprover(s.app, 'bob');
    s.api.outcome = 'pending_approval';
    s.api.requiredApprovals = requiredApprovals;
    const r = await postJson(s.app, '/v1/sign-requests', { keyId: key.id, kind: 'eip191', message: 'move 500 ETH' });
    expect(r.statusCode, r.body).toBe(201);
    s.api.calls.length = 0;
    s.api.returned.length = 0;
    return { ...s, key, alice, bob, req: json(r) };
  }
  const approve = (app: FastifyInstance, id: string, body: unknown) => postJson(app, `/v1/sign-requests/${id}/approvals`, body);

  it('a request needing approvals → 201 pending_approval with the approval statement, no signature', async () => {
    const { api, req } = await pending();
    expect(req.status).toBe('pending_approval');
    expect(req.approvalStatement).toMatch(/^([0-9a-f]{2})+$/);
    expect(req.approvalStatement).toBe(api.requests.get(req.id as string)!.approvalStatement);
    const statement = JSON.parse(Buffer.from(req.approvalStatement as string, 'hex').toString('utf8')) as Json;
    expect(statement).toMatchObject({ domain: 'tecdsa-cluster/v1/approval', requestId: req.id, keyId: req.keyId, digest: req.digest, rule: APPROVAL_RULE });
    expect(req.decision).toMatchObject({ action: 'require_approvals', rule: APPROVAL_RULE, approvals: { treasury: 1 } });
    expect(req.approvals).toEqual([]);
    expect(req).not.toHaveProperty('signature');
  });

  it('an approval signed over the statement → 200 signed; approvalStatement disappears from the view (POST answer and GET)', async () => {
    const { api, app, key, alice, req } = await pending();
    const s = signStatement(req.approvalStatement as string, alice.pem, 'alice');
    const r = await approve(app, req.id as string, { approver: 'alice', signature: s.signature });
    expect(r.statusCode, r.body).toBe(200);
    const b = json(r);
    expect(b.id).toBe(req.id);
    expect(b.status).toBe('signed');
    expect(b).not.toHaveProperty('approvalStatement');
    expect(b.approvals).toHaveLength(1);
    expect(b.approvals[0].approver).toBe('alice');
    expect(Object.keys(b.approvals[0]).sort()).toEqual(['approver', 'at']);
    expect(await recoverMessageAddress({ message: 'move 500 ETH', signature: { r: b.signature.r, s: b.signature.s, yParity: b.signature.yParity } })).toBe(key.address);
    expect(api.called('approve')).toEqual([{ method: 'approve', args: [req.id, 'alice', s.signature] }]);
    const get = json(await app.inject({ method: 'GET', url: `/v1/sign-requests/${req.id}`, headers: AUTH }));
    expect(get).toEqual(b);
    // Approving a request that is no longer pending: the service's 409 passes through.
    expectError(await approve(app, req.id as string, { approver: 'bob', signature: SIG }), 409, 'ERR_NOT_PENDING');
  });

  it('with two approvals needed, the first leaves it pending (statement still shown), the second signs it', async () => {
    const { app, alice, bob, req } = await pending(2);
    const first = await approve(app, req.id as string, { approver: 'alice', signature: signStatement(req.approvalStatement as string, alice.pem, 'alice').signature });
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first).status).toBe('pending_approval');
    expect(json(first).approvalStatement).toBe(req.approvalStatement);
    expect(json(first).approvals.map((a: Json) => a.approver)).toEqual(['alice']);
    const second = await approve(app, req.id as string, { approver: 'bob', signature: signStatement(req.approvalStatement as string, bob.pem, 'bob').signature });
    expect(json(second).status).toBe('signed');
    expect(json(second)).not.toHaveProperty('approvalStatement');
  });

  it('the signature is normalised (0x prefix dropped, lowercased) before it reaches the service', async () => {
    const { api, app, alice, req } = await pending();
    const sig = signStatement(req.approvalStatement as string, alice.pem, 'alice').signature;
    const r = await approve(app, (req.id as string).toUpperCase(), { approver: 'alice', signature: `0x${sig.toUpperCase()}` });
    expect(r.statusCode, r.body).toBe(200);
    expect(api.called('approve')[0]!.args).toEqual([req.id, 'alice', sig]);
  });

  it("the service's refusals pass through as 4xx: a bad signature, an unknown approver, an unknown request", async () => {
    const { app, bob, req } = await pending();
    expectError(await approve(app, req.id as string, { approver: 'alice', signature: signStatement(req.approvalStatement as string, bob.pem, 'alice').signature }), 400, 'ERR_BAD_APPROVAL');
    expectError(await approve(app, req.id as string, { approver: 'carol', signature: SIG }), 400, 'ERR_BAD_APPROVAL');
    expectError(await approve(app, randomUUID(), { approver: 'alice', signature: SIG }), 404, 'ERR_UNKNOWN_REQUEST');
  });

  const badBodies: [string, unknown][] = [
    ['approver missing', { signature: SIG }],
    ['approver empty', { approver: '', signature: SIG }],
    ['approver starting with "_"', { approver: '_alice', signature: SIG }],
    ['approver starting with "-"', { approver: '-alice', signature: SIG }],
    ['approver of 65 characters', { approver: 'a'.repeat(65), signature: SIG }],
    ['approver with a space', { approver: 'al ice', signature: SIG }],
    ['approver with a slash', { approver: 'al/ice', signature: SIG }],
    ['approver with a trailing newline', { approver: 'alice\n', signature: SIG }],
    ['approver non-ASCII', { approver: 'ålice', signature: SIG }],
    ['approver a number', { approver: 42, signature: SIG }],
    ['approver null', { approver: null, signature: SIG }],
    ['approver a list', { approver: ['alice'], signature: SIG }],
    ['signature missing', { approver: 'alice' }],
    ['signature of 63 bytes', { approver: 'alice', signature: 'ab'.repeat(63) }],
    ['signature of 65 bytes', { approver: 'alice', signature: 'ab'.repeat(65) }],
    ['signature of 127 hex digits', { approver: 'alice', signature: 'a'.repeat(127) }],
    ['signature non-hex', { approver: 'alice', signature: 'zz'.repeat(64) }],
    ['signature with a 0X prefix', { approver: 'alice', signature: `0X${SIG}` }],
    ['signature with whitespace', { approver: 'alice', signature: ` ${SIG}` }],
    ['signature with a trailing newline', { approver: 'alice', signature: `${SIG}\n` }],
    ['signature base64', { approver: 'alice', signature: Buffer.from(SIG, 'hex').toString('base64') }],
    ['signature a number', { approver: 'alice', signature: 1 }],
    ['signature a byte list', { approver: 'alice', signature: Array.from({ length: 64 }, () => 1) }],
    ['body an array', [{ approver: 'alice', signature: SIG }]],
    ['body a string', 'approve'],
    ['body null', null],
  ];
  it.each(badBodies)('%s → 400 ERR_BAD_REQUEST JSON, API not called', async (_, body) => {
    const { api, app, req } = await pending();
    expectError(await approve(app, req.id as string, JSON.stringify(body)), 400, 'ERR_BAD_REQUEST');
    expect(api.calls).toEqual([]);
  });

  it('invalid JSON → 400 ERR_BAD_JSON, API not called', async () => {
    const { api, app, req } = await pending();
    expectError(await approve(app, req.id as string, '{"approver":'), 400, 'ERR_BAD_JSON');
    expect(api.calls).toEqual([]);
  });

  it('names at the limits are accepted (positive control): 1 and 64 characters, with . _ @ -', async () => {
    const { api, app, req } = await pending();
    for (const approver of ['a', `A${'b'.repeat(63)}`, 'alice.b_c@d-e', '0day']) {
      const r = await approve(app, req.id as string, { approver, signature: SIG });
      // The fake refuses unregistered approvers: a 400 from the service, not from validation.
      expectError(r, 400, 'ERR_BAD_APPROVAL');
    }
    expect(api.called('approve').map((c) => c.args[1])).toEqual(['a', `A${'b'.repeat(63)}`, 'alice.b_c@d-e', '0day']);
  });

  it.each([
    ['not a uuid', 'abc'],
    ['a key id', 'ab'.repeat(32)],
    ['uuid plus a character', `${randomUUID()}0`],
  ])('malformed request id (%s) → 400, API not called', async (_, id) => {
    const { api, app } = setup();
    expectError(await approve(app, encodeURIComponent(id), { approver: 'alice', signature: SIG }), 400, 'ERR_BAD_REQUEST');
    expect(api.calls).toEqual([]);
  });
});

describe('requestView', () => {
  const base: SignRequestRecord = {
    id: randomUUID(),
    keyId: 'ab'.repeat(32),
    kind: 'digest',
    request: { kind: 'digest', digest: digestHex('v') },
    digest: digestHex('v'),
    summary: { kind: 'digest' },
    initiator: 'admin',
    status: 'pending_approval',
    policyHash: FAKE_POLICY_HASH,
    expiresAt: Date.UTC(2030, 0, 1),
    approvalStatement: 'deadbeef',
    approvals: [{ by: 'alice', signature: SIG, at: '2025-01-01T00:00:00.000Z' }],
    attempts: [],
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };

  it.each(['pending_approval', 'signing', 'signed', 'rejected', 'failed', 'expired'] satisfies SignStatus[])(
    'status %s: approvalStatement shown only while pending_approval; approval signatures never; the request body always',
    (status) => {
      const v = requestView({ ...base, status, approvals: [...base.approvals] }) as Json;
      if (status === 'pending_approval') expect(v.approvalStatement).toBe('deadbeef');
      else expect(v).not.toHaveProperty('approvalStatement');
      expect(v.status).toBe(status);
      expect(v.approvals).toEqual([{ approver: 'alice', at: '2025-01-01T00:00:00.000Z' }]);
      expect(JSON.stringify(v)).not.toContain(SIG);
      expect(v.request).toEqual(base.request);
      expect(v.expiresAt).toBe('2030-01-01T00:00:00.000Z');
    },
  );
});

// ---------------------------------------------------------------------------------------------

describe('policy', () => {
  async function withKey() {
    const s = setup();
    const key = await createKey(s.app);
    s.api.calls.length = 0;
    s.api.returned.length = 0;
    return { ...s, key };
  }
  const TEXT = 'rules:\n  - name: small\n    action: allow\n';
  const sigs = [{ by: 'root', signature: SIG }];
  const url = (id: string) => `/v1/keys/${id}/policy`;

  it('PUT installs (200 with keyId, hash, seq), then GET returns the text, hash, seq and updatedAt', async () => {
    const { api, app, key } = await withKey();
    const put = await putJson(app, url(key.id as string), { policy: TEXT, signatures: sigs });
    expect(put.statusCode, put.body).toBe(200);
    const p = json(put);
    expect(p).toMatchObject({ keyId: key.id, seq: 1 });
    expect(p.hash).toMatch(HEX64);
    expect(api.called('setPolicy')[0]!.args).toEqual([key.id, TEXT, sigs, undefined]);
    const get = await app.inject({ method: 'GET', url: url((key.id as string).toUpperCase()), headers: AUTH });
    expect(get.statusCode, get.body).toBe(200);
    const g = json(get);
    expect(Object.keys(g).sort()).toEqual(['hash', 'keyId', 'policy', 'seq', 'updatedAt']);
    expect(g).toMatchObject({ keyId: key.id, policy: TEXT, hash: p.hash, seq: 1 });
    // The admin signatures stay in the store.
    expect(g).not.toHaveProperty('signatures');
    expect(api.called('getPolicy')[0]!.args).toEqual([key.id]);
  });

  it('signatures are normalised (0x dropped, lowercased) and seq is passed through', async () => {
    const { api, app, key } = await withKey();
    const r = await putJson(app, url(key.id as string), { policy: TEXT, signatures: [{ by: 'root', signature: `0x${SIG.toUpperCase()}` }], seq: 5 });
    expect(r.statusCode, r.body).toBe(200);
    expect(api.called('setPolicy')[0]!.args).toEqual([key.id, TEXT, [{ by: 'root', signature: SIG }], 5]);
  });

  it('no signatures at all → [] to the service (whose quorum check answers 400 with the statement)', async () => {
    const { api, app, key } = await withKey();
    const e = expectError(await putJson(app, url(key.id as string), { policy: TEXT }), 400, 'ERR_ADMIN_QUORUM');
    expect(typeof e.statement).toBe('string');
    expect(api.called('setPolicy')[0]!.args[2]).toEqual([]);
  });

  it("the service's 404 (unknown key) and 409 (stale seq) pass through; GET without a policy → 404 ERR_NO_POLICY", async () => {
    const { app, key } = await withKey();
    expectError(await putJson(app, url('ef'.repeat(32)), { policy: TEXT, signatures: sigs }), 404, 'ERR_UNKNOWN_KEY');
    expectError(await app.inject({ method: 'GET', url: url(key.id as string), headers: AUTH }), 404, 'ERR_NO_POLICY');
    expect((await putJson(app, url(key.id as string), { policy: TEXT, signatures: sigs, seq: 3 })).statusCode).toBe(200);
    expectError(await putJson(app, url(key.id as string), { policy: TEXT, signatures: sigs, seq: 3 }), 409, 'ERR_STALE_CHANGE');
  });

  it('seq at 2^52 is accepted (positive control)', async () => {
    const { app, key } = await withKey();
    expect((await putJson(app, url(key.id as string), { policy: TEXT, signatures: sigs, seq: 2 ** 52 })).statusCode).toBe(200);
  });

  const badBodies: [string, unknown][] = [
    ['policy missing', { signatures: sigs }],
    ['policy empty', { policy: '', signatures: sigs }],
    ['policy a number', { policy: 42, signatures: sigs }],
    ['policy null', { policy: null, signatures: sigs }],
    ['policy a list', { policy: [TEXT], signatures: sigs }],
    ['policy an object (parsed YAML)', { policy: { rules: [] }, signatures: sigs }],
    ['signatures a string', { policy: TEXT, signatures: SIG }],
    ['signatures an object', { policy: TEXT, signatures: { by: 'root', signature: SIG } }],
    ['signatures with a null entry', { policy: TEXT, signatures: [null] }],
    ['signatures with a string entry', { policy: TEXT, signatures: [SIG] }],
    ['signature entry without by', { policy: TEXT, signatures: [{ signature: SIG }] }],
    ['signature entry with a numeric by', { policy: TEXT, signatures: [{ by: 1, signature: SIG }] }],
    ['signature entry whose by is not a name', { policy: TEXT, signatures: [{ by: 'root admin', signature: SIG }] }],
    ['signature entry with an empty by', { policy: TEXT, signatures: [{ by: '', signature: SIG }] }],
    ['signature entry without signature', { policy: TEXT, signatures: [{ by: 'root' }] }],
    ['signature of 63 bytes', { policy: TEXT, signatures: [{ by: 'root', signature: 'ab'.repeat(63) }] }],
    ['signature of 65 bytes', { policy: TEXT, signatures: [{ by: 'root', signature: 'ab'.repeat(65) }] }],
    ['signature non-hex', { policy: TEXT, signatures: [{ by: 'root', signature: 'zz'.repeat(64) }] }],
    ['33 signatures', { policy: TEXT, signatures: Array.from({ length: 33 }, (_, i) => ({ by: `admin${i}`, signature: SIG })) }],
    ['seq 0', { policy: TEXT, signatures: sigs, seq: 0 }],
    ['seq -1', { policy: TEXT, signatures: sigs, seq: -1 }],
    ['seq 1.5', { policy: TEXT, signatures: sigs, seq: 1.5 }],
    ['seq a string', { policy: TEXT, signatures: sigs, seq: '2' }],
    ['seq null', { policy: TEXT, signatures: sigs, seq: null }],
    ['seq true', { policy: TEXT, signatures: sigs, seq: true }],
    ['seq 2^52+1 (beyond what nodes accept)', { policy: TEXT, signatures: sigs, seq: 2 ** 52 + 1 }],
    ['seq 2^53 (not a safe integer)', { policy: TEXT, signatures: sigs, seq: 2 ** 53 }],
    ['body an array', [{ policy: TEXT }]],
    ['body a string', TEXT],
  ];
  it.each(badBodies)('PUT %s → 400 ERR_BAD_REQUEST JSON, API not called', async (_, body) => {
    const { api, app, key } = await withKey();
    expectError(await putJson(app, url(key.id as string), JSON.stringify(body)), 400, 'ERR_BAD_REQUEST');
    expect(api.calls).toEqual([]);
  });

  it('32 signatures are accepted (positive control)', async () => {
    const { api, app, key } = await withKey();
    const many = Array.from({ length: 32 }, (_, i) => ({ by: `admin${i}`, signature: SIG }));
    expect((await putJson(app, url(key.id as string), { policy: TEXT, signatures: many })).statusCode).toBe(200);
    expect(api.called('setPolicy')[0]!.args[2]).toEqual(many);
  });

  it('a YAML body (text/plain) → 400, API not called', async () => {
    const { api, app, key } = await withKey();
    expectError(await putJson(app, url(key.id as string), TEXT, { ...AUTH, 'content-type': 'text/plain' }), 400, 'ERR_BAD_REQUEST');
    expect(api.calls).toEqual([]);
  });

  it.each([
    ['too short', 'ab'.repeat(31)],
    ['0x prefix', `0x${'ab'.repeat(32)}`],
    ['non-hex', 'zz'.repeat(32)],
  ])('malformed key id (%s) → 400 on GET and PUT, API not called', async (_, id) => {
    const { api, app } = setup();
    expectError(await app.inject({ method: 'GET', url: url(id), headers: AUTH }), 400, 'ERR_BAD_REQUEST');
    expectError(await putJson(app, url(id), { policy: TEXT, signatures: sigs }), 400, 'ERR_BAD_REQUEST');
    expect(api.calls).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('approvers', () => {
  const sigs = [{ by: 'root', signature: SIG }];
  const good = { name: 'alice', publicKey: PUB, roles: ['treasury', 'ops'], signatures: sigs };

  it('POST registers (201 with the stored approver); GET lists name, publicKey, roles, seq only', async () => {
    const { api, app } = setup();
    const r = await postJson(app, '/v1/approvers', good);
    expect(r.statusCode, r.body).toBe(201);
    expect(json(r)).toMatchObject({ name: 'alice', publicKey: PUB, roles: ['treasury', 'ops'], seq: 1 });
    expect(api.called('setApprover')[0]!.args).toEqual(['alice', PUB, ['treasury', 'ops'], sigs, undefined]);
    const list = await app.inject({ method: 'GET', url: '/v1/approvers', headers: AUTH });
    expect(list.statusCode).toBe(200);
    expect(json(list)).toEqual({ approvers: [{ name: 'alice', publicKey: PUB, roles: ['treasury', 'ops'], seq: 1 }] });
  });

  it('publicKey with 0x and uppercase is normalised; empty publicKey removes the approver from the list', async () => {
    const { api, app } = setup();
    expect((await postJson(app, '/v1/approvers', { ...good, publicKey: `0x${PUB.toUpperCase()}` })).statusCode).toBe(201);
    expect(api.called('setApprover')[0]!.args[1]).toBe(PUB);
    expect((await postJson(app, '/v1/approvers', { name: 'bob', publicKey: 'ef'.repeat(32), roles: [], signatures: sigs, seq: 4 })).statusCode).toBe(201);
    expect(api.called('setApprover')[1]!.args).toEqual(['bob', 'ef'.repeat(32), [], sigs, 4]);
    const removed = await postJson(app, '/v1/approvers', { name: 'alice', publicKey: '', roles: [], signatures: sigs });
    expect(removed.statusCode, removed.body).toBe(201);
    const list = json(await app.inject({ method: 'GET', url: '/v1/approvers', headers: AUTH }));
    expect(list.approvers.map((a: Json) => a.name)).toEqual(['bob']);
    expect(list.approvers[0]).not.toHaveProperty('signatures');
  });

  it("the service's quorum (400) and stale seq (409) refusals pass through", async () => {
    const { app } = setup();
    expectError(await postJson(app, '/v1/approvers', { ...good, signatures: [] }), 400, 'ERR_ADMIN_QUORUM');
    expect((await postJson(app, '/v1/approvers', { ...good, seq: 2 })).statusCode).toBe(201);
    expectError(await postJson(app, '/v1/approvers', { ...good, seq: 2 }), 409, 'ERR_STALE_CHANGE');
  });

  it('limits accepted (positive control): 64-character name, 16 roles, a 32-character role', async () => {
    const { app } = setup();
    const roles = Array.from({ length: 15 }, (_, i) => `role-${i}`).concat(`r${'x'.repeat(31)}`);
    const r = await postJson(app, '/v1/approvers', { ...good, name: `a${'b'.repeat(63)}`, roles });
    expect(r.statusCode, r.body).toBe(201);
  });

  const badBodies: [string, unknown][] = [
    ['name missing', { ...good, name: undefined }],
    ['name empty', { ...good, name: '' }],
    ['name starting with "-"', { ...good, name: '-alice' }],
    ['name of 65 characters', { ...good, name: 'a'.repeat(65) }],
    ['name with a space', { ...good, name: 'al ice' }],
    ['name a number', { ...good, name: 7 }],
    ['publicKey missing', { ...good, publicKey: undefined }],
    ['publicKey of 31 bytes', { ...good, publicKey: 'cd'.repeat(31) }],
    ['publicKey of 33 bytes', { ...good, publicKey: 'cd'.repeat(33) }],
    ['publicKey non-hex', { ...good, publicKey: 'zz'.repeat(32) }],
    ['publicKey with a 0X prefix', { ...good, publicKey: `0X${PUB}` }],
    ['publicKey PEM', { ...good, publicKey: '-----BEGIN PUBLIC KEY-----' }],
    ['publicKey a number', { ...good, publicKey: 1 }],
    ['publicKey null', { ...good, publicKey: null }],
    ['roles missing', { ...good, roles: undefined }],
    ['roles a string', { ...good, roles: 'treasury' }],
    ['roles with a number', { ...good, roles: [1] }],
    ['roles with null', { ...good, roles: [null] }],
    ['role uppercase', { ...good, roles: ['Treasury'] }],
    ['role empty', { ...good, roles: [''] }],
    ['role starting with a digit', { ...good, roles: ['1st'] }],
    ['role of 33 characters', { ...good, roles: [`r${'x'.repeat(32)}`] }],
    ['role with a space', { ...good, roles: ['tre asury'] }],
    ['17 roles', { ...good, roles: Array.from({ length: 17 }, (_, i) => `role-${i}`) }],
    ['signatures a string', { ...good, signatures: SIG }],
    ['signature of 63 bytes', { ...good, signatures: [{ by: 'root', signature: 'ab'.repeat(63) }] }],
    ['signature entry whose by is not a name', { ...good, signatures: [{ by: 'root/1', signature: SIG }] }],
    ['seq 0', { ...good, seq: 0 }],
    ['seq 1.5', { ...good, seq: 1.5 }],
    ['seq a string', { ...good, seq: '1' }],
    ['body an array', [good]],
  ];
  it.each(badBodies)('%s → 400 ERR_BAD_REQUEST JSON, API not called', async (_, body) => {
    const { api, app } = setup();
    expectError(await postJson(app, '/v1/approvers', JSON.stringify(body)), 400, 'ERR_BAD_REQUEST');
    expect(api.calls).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('admin set', () => {
  const sigs = [{ by: 'root', signature: SIG }];
  const good = { admins: [{ name: 'root', publicKey: 'ab'.repeat(32) }, { name: 'bob', publicKey: `0x${'CD'.repeat(32)}`.slice(2) }], quorum: 2, signatures: sigs };

  it('GET returns the set; PUT replaces it (keys normalised to lowercase) and passes seq through', async () => {
    const { api, app } = setup();
    const g = await app.inject({ method: 'GET', url: '/v1/admins', headers: AUTH });
    expect(g.statusCode).toBe(200);
    expect(json(g)).toEqual({ admins: [{ name: 'root', publicKey: 'ab'.repeat(32) }], quorum: 1, seq: 0 });
    const r = await putJson(app, '/v1/admins', { ...good, seq: 3 });
    expect(r.statusCode, r.body).toBe(200);
    expect(api.called('setAdmins')[0]!.args).toEqual([[{ name: 'root', publicKey: 'ab'.repeat(32) }, { name: 'bob', publicKey: 'cd'.repeat(32) }], 2, sigs, 3]);
    expect(json(await app.inject({ method: 'GET', url: '/v1/admins', headers: AUTH }))).toMatchObject({ quorum: 2, seq: 3 });
  });

  it("the service's quorum (400) and stale seq (409) refusals pass through", async () => {
    const { app } = setup();
    expectError(await putJson(app, '/v1/admins', { ...good, signatures: [] }), 400, 'ERR_ADMIN_QUORUM');
    expect((await putJson(app, '/v1/admins', { ...good, seq: 2 })).statusCode).toBe(200);
    expectError(await putJson(app, '/v1/admins', { ...good, seq: 2 }), 409, 'ERR_STALE_CHANGE');
  });

  const badBodies: [string, unknown][] = [
    ['admins missing', { ...good, admins: undefined }],
    ['admins empty', { ...good, admins: [] }],
    ['admins a string', { ...good, admins: 'root' }],
    ['33 admins', { ...good, admins: Array.from({ length: 33 }, (_, i) => ({ name: `a${i}`, publicKey: 'ab'.repeat(32) })) }],
    ['an admin without a key', { ...good, admins: [{ name: 'root' }] }],
    ['a key of 31 bytes', { ...good, admins: [{ name: 'root', publicKey: 'ab'.repeat(31) }] }],
    ['a name with a space', { ...good, admins: [{ name: 'r oot', publicKey: 'ab'.repeat(32) }] }],
    ['quorum missing', { ...good, quorum: undefined }],
    ['quorum a string', { ...good, quorum: '2' }],
    ['quorum fractional', { ...good, quorum: 1.5 }],
    ['signatures malformed', { ...good, signatures: [{ by: 'root', signature: 'zz' }] }],
    ['seq negative', { ...good, seq: -1 }],
  ];
  it.each(badBodies)('%s: 400, nothing changed', async (_n, b) => {
    const { api, app } = setup();
    expectError(await putJson(app, '/v1/admins', b), 400);
    expect(api.called('setAdmins')).toEqual([]);
  });
});

describe('GET /v1/audit', () => {
  const entry = (seq: number) => ({ seq, at: '2026-11-22T00:00:00.000Z', type: 'x', actor: 'admin', data: { keyId: seq % 2 ? 'ab'.repeat(32) : 'cd'.repeat(32) }, prev: '00', hash: '11', sig: '22' }) as unknown as AuditEntry;
  const lines = (r: { body: string }) => r.body.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as AuditEntry).seq);

  it('pages with after and limit; a full page names the next cursor, the last page does not', async () => {
    const { api, app } = setup();
    api.audit = Array.from({ length: 7 }, (_, i) => entry(i + 1));
    const p1 = await app.inject({ method: 'GET', url: '/v1/audit?limit=3', headers: AUTH });
    expect([p1.statusCode, lines(p1), p1.headers['x-next-after']]).toEqual([200, [1, 2, 3], '3']);
    const p3 = await app.inject({ method: 'GET', url: '/v1/audit?after=6&limit=3', headers: AUTH });
    expect([lines(p3), p3.headers['x-next-after']]).toEqual([[7], undefined]);
    const all = await app.inject({ method: 'GET', url: '/v1/audit', headers: AUTH });
    expect([lines(all), all.headers['x-next-after']]).toEqual([[1, 2, 3, 4, 5, 6, 7], undefined]);
    expect(api.called('auditEntries').map((c) => c.args[0])).toEqual([{ after: 0, limit: 3 }, { after: 6, limit: 3 }, { after: 0, limit: AUDIT_PAGE_MAX }]);
  });

  it.each([['after=-1'], ['after=abc'], ['after=1.5'], ['limit=0'], [`limit=${AUDIT_PAGE_MAX + 1}`], ['limit=']])('%s: 400, nothing read', async (q) => {
    const { api, app } = setup();
    expectError(await app.inject({ method: 'GET', url: `/v1/audit?${q}`, headers: AUTH }), 400, 'ERR_BAD_REQUEST');
    expect(api.called('auditEntries')).toEqual([]);
  });
});

describe('unexpected exceptions', () => {
  const secret = 'LEVEL_IO_ERROR: /var/lib/coordinator/db/000123.ldb: secret-detail-42';
  const KEY_ID = 'ab'.repeat(32);
  it.each([
    ['health', { method: 'GET', url: '/health' }],
    ['createKey', { method: 'POST', url: '/v1/keys', payload: { name: 'k' } }],
    ['listKeys', { method: 'GET', url: '/v1/keys' }],
    ['getKey', { method: 'GET', url: `/v1/keys/${KEY_ID}` }],
    ['submit', { method: 'POST', url: '/v1/sign-requests', payload: { keyId: KEY_ID, kind: 'digest', digest: digestHex('t') } }],
    ['getSignRequest', { method: 'GET', url: `/v1/sign-requests/${randomUUID()}` }],
    ['approve', { method: 'POST', url: `/v1/sign-requests/${randomUUID()}/approvals`, payload: { approver: 'alice', signature: SIG } }],
    ['getPolicy', { method: 'GET', url: `/v1/keys/${KEY_ID}/policy` }],
    ['setPolicy', { method: 'PUT', url: `/v1/keys/${KEY_ID}/policy`, payload: { policy: 'rules: []', signatures: [{ by: 'root', signature: SIG }] } }],
    ['listApprovers', { method: 'GET', url: '/v1/approvers' }],
    ['setApprover', { method: 'POST', url: '/v1/approvers', payload: { name: 'alice', publicKey: PUB, roles: [], signatures: [{ by: 'root', signature: SIG }] } }],
  ] as [keyof CoordinatorApi, InjectOptions][])('%s throwing a plain Error → 500 ERR_INTERNAL without the exception text', async (method, opts) => {
    const { api, app } = setup();
    api.throwOn = { method, error: new Error(secret) };
    const r = await app.inject({ ...opts, headers: { ...(opts.payload ? { 'content-type': 'application/json' } : {}), ...AUTH } });
    const e = expectError(r, 500, 'ERR_INTERNAL');
    expect(r.body).not.toContain('secret-detail-42');
    expect(r.body).not.toContain('LEVEL_IO_ERROR');
    expect(e.message).toBe('internal error (see the coordinator log)');
    expect(api.called(method)).toHaveLength(1);
  });

  it('submit throwing a TypeError → 500 ERR_INTERNAL, generic message', async () => {
    const { api, app } = setup();
    const key = await createKey(app);
    api.throwOn = { method: 'submit', error: new TypeError(`Cannot read properties of undefined (${secret})`) };
    const r = await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest: digestHex('t') });
    expectError(r, 500, 'ERR_INTERNAL');
    expect(r.body).not.toContain('secret-detail-42');
  });

  it('a thrown non-Error value (a string) → 500 ERR_INTERNAL without it', async () => {
    const { api, app } = setup();
    api.throwOn = { method: 'listKeys', error: secret };
    const r = await app.inject({ method: 'GET', url: '/v1/keys', headers: AUTH });
    expectError(r, 500, 'ERR_INTERNAL');
    expect(r.body).not.toContain('secret-detail-42');
  });
});

// ---------------------------------------------------------------------------------------------

describe('property: arbitrary bodies never produce a 5xx', () => {
  it('random JSON / values / strings sent to every POST and PUT route → success status or a JSON 4xx error', async () => {
    const { api, app } = setup();
    const key = await createKey(app);
    const alice = await registerApprover(app, 'alice');
    // A few requests waiting for an approval, then everything else is signed at once.
    api.outcome = 'pending_approval';
    const pendingIds: string[] = [];
    const validSig = new Map<string, string>();
    for (let i = 0; i < 4; i++) {
      const r = json(await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest: digestHex(`pending/${i}`) }));
      pendingIds.push(r.id as string);
      validSig.set(r.id as string, signStatement(r.approvalStatement as string, alice.pem, 'alice').signature);
    }
    api.outcome = 'signed';
    const baseline = api.returned.length;

    const anyValue = fc.anything({ maxDepth: 3 });
    /** Mostly `likely`, sometimes something else: keeps valid requests frequent enough to succeed. */
    const mostly = <T, U = T>(likely: fc.Arbitrary<T>, ...others: fc.Arbitrary<U>[]): fc.Arbitrary<T | U> =>
      fc.oneof({ arbitrary: likely as fc.Arbitrary<T | U>, weight: 3 * others.length }, ...others.map((a) => ({ arbitrary: a as fc.Arbitrary<T | U>, weight: 1 })));
    const hexOf = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map((b) => toHex(b));
    const keyIdArb = mostly(fc.constantFrom(key.id as string, (key.id as string).toUpperCase()), fc.constant('ef'.repeat(32)), anyValue);
    const digestArb = mostly(
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${toHex(b)}`),
      fc.uint8Array({ minLength: 0, maxLength: 40 }).map((b) => `0x${toHex(b)}`),
      anyValue,
    );
    const signBody = fc
      .tuple(
        fc.record({ keyId: keyIdArb, kind: mostly(fc.constant('digest'), fc.constantFrom(...REQUEST_KINDS), anyValue), digest: digestArb }, { requiredKeys: [] }),
        fc.record({ message: fc.oneof(fc.string({ maxLength: 40 }), anyValue), transaction: anyValue, typedData: anyValue, idempotencyKey: mostly(fc.constantFrom('k1', 'k2'), fc.constant(''), anyValue) }, { requiredKeys: [] }),
      )
      .map(([a, b]) => ({ ...a, ...b }));
    const keyBody = fc.record({ name: fc.oneof(fc.string({ maxLength: MAX_KEY_NAME_CHARS + 5 }), anyValue) }, { requiredKeys: [] });
    const sigList = mostly(
      fc.array(fc.record({ by: mostly(fc.constantFrom('root', 'admin.2'), fc.constant('bad name'), anyValue), signature: mostly(hexOf(64, 64), hexOf(0, 70), anyValue) }), { minLength: 1, maxLength: 3 }),
      fc.constant([]),
      anyValue,
    );
    const seqArb = mostly(fc.integer({ min: 1, max: 2 ** 52 }), fc.integer({ min: -2, max: 2 ** 53 }), fc.constantFrom(0, 2 ** 52 + 1, 1.5), anyValue);
    const policyBody = fc.record({ policy: mostly(fc.string({ minLength: 1, maxLength: 60 }), fc.constant(''), anyValue), signatures: sigList, seq: seqArb }, { requiredKeys: ['policy', 'signatures'] });
    const approverBody = fc.record(
      {
        name: mostly(fc.constantFrom('alice', 'bob', 'carol'), fc.constantFrom('x'.repeat(65), ''), fc.string({ maxLength: 10 }), anyValue),
        publicKey: mostly(hexOf(32, 32), hexOf(0, 40), fc.constantFrom('', '0x'), anyValue),
        roles: mostly(fc.array(mostly(fc.constantFrom('treasury', 'ops'), fc.constantFrom('Bad', ''), fc.string({ maxLength: 8 })), { maxLength: 18 }), anyValue),
        signatures: sigList,
        seq: seqArb,
      },
      { requiredKeys: ['name', 'publicKey', 'roles', 'signatures'] },
    );
    const VALID = Symbol('valid approval');
    const approvalBody = fc.record(
      { approver: mostly(fc.constant('alice'), fc.constant('bob'), fc.string({ maxLength: 10 }), anyValue), signature: mostly(fc.constant(VALID), hexOf(64, 64), hexOf(0, 70), anyValue) },
      { requiredKeys: [] },
    );
    const generic = fc.oneof(fc.json({ maxDepth: 4 }), anyValue.map((v) => JSON.stringify(v) ?? 'null'), fc.string({ maxLength: 50 }));
    const str = (v: unknown) => JSON.stringify(v) ?? 'null';
    const requestId = mostly(fc.constantFrom(...pendingIds), fc.uuid(), fc.string({ maxLength: 40 }).map(encodeURIComponent));
    const keyPath = mostly(fc.constant(key.id as string), fc.constant('ef'.repeat(32)), fc.string({ maxLength: 70 }).map(encodeURIComponent));

    type Req = { method: 'POST' | 'PUT'; route: string; url: string; body: string };
    const req: fc.Arbitrary<Req> = fc.oneof(
      mostly(keyBody.map(str), generic).map((body): Req => ({ method: 'POST', route: 'keys', url: '/v1/keys', body })),
      mostly(signBody.map(str), generic).map((body): Req => ({ method: 'POST', route: 'sign', url: '/v1/sign-requests', body })),
      fc
        .tuple(requestId, mostly(approvalBody.map((b) => ({ b })), generic.map((g) => ({ g }))))
        .map(([id, v]): Req => {
          const body = 'g' in v ? v.g : str({ ...v.b, ...(v.b.signature === VALID ? { signature: validSig.get(id) ?? SIG } : {}) });
          return { method: 'POST', route: 'approve', url: `/v1/sign-requests/${id}/approvals`, body };
        }),
      fc.tuple(keyPath, mostly(policyBody.map(str), generic)).map(([id, body]): Req => ({ method: 'PUT', route: 'policy', url: `/v1/keys/${id}/policy`, body })),
      mostly(approverBody.map(str), generic).map((body): Req => ({ method: 'POST', route: 'approvers', url: '/v1/approvers', body })),
    );
    const contentType = mostly(fc.constantFrom('application/json', 'application/json; charset=utf-8'), fc.constant('text/plain'), fc.constant(undefined));
    const successes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(req, contentType, async ({ method, route, url, body }, ct) => {
        const r = await app.inject({ method, url, headers: { ...AUTH, ...(ct ? { 'content-type': ct } : {}) }, payload: body });
        const what = `${method} ${url} ${ct} ${body.slice(0, 200)} → ${r.statusCode} ${r.body.slice(0, 200)}`;
        expect(r.statusCode, what).toBeLessThan(500);
        if (r.statusCode === 200 || r.statusCode === 201) {
          successes.set(route, (successes.get(route) ?? 0) + 1);
          const b = json(r);
          if (route === 'keys') expect([r.statusCode, b.id], what).toEqual([201, expect.stringMatching(HEX64)]);
          else if (route === 'sign') expect(b.status, what).toBe('signed');
          else if (route === 'approve') expect([r.statusCode, b.status], what).toEqual([200, 'signed']);
          else if (route === 'policy') expect([r.statusCode, b.keyId, b.hash], what).toEqual([200, key.id, expect.stringMatching(HEX64)]);
          else expect([r.statusCode, typeof b.name], what).toEqual([201, 'string']);
          return;
        }
        expect(r.statusCode, what).toBeGreaterThanOrEqual(400);
        expectError(r, r.statusCode);
      }),
      { numRuns: 400 },
    );
    // The generators are biased enough that requests succeed on several routes (both the API
    // and the validation paths are exercised), and every success went through the fake once.
    const total = [...successes.values()].reduce((a, b) => a + b, 0);
    expect(successes.get('sign') ?? 0, JSON.stringify([...successes])).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(successes.get('sign')!);
    expect(api.returned.length - baseline).toBe(total);
  });
});
