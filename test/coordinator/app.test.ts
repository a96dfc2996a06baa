/**
 * The coordinator's HTTP layer (coordinator/src/app.ts) against an in-memory CoordinatorApi:
 * the token check on every route, input validation (always a 4xx with `{"error":{code,message}}`,
 * never reaching the API), the sign-request flow with a real secp256k1 signature, and the
 * generic 500 for an unexpected exception. No libp2p, no LevelDB: `app.inject` only.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { publicKeyToAddress } from 'viem/accounts';
import { recoverAddress } from 'viem';
import { buildApp, MAX_BODY_BYTES, MAX_KEY_NAME_CHARS, sha256 } from '../../coordinator/src/app.js';
import { ApiError, type CoordinatorApi, type NodeHealth } from '../../coordinator/src/service.js';
import type { KeyRecord, SignRequestRecord } from '../../coordinator/src/store.js';
import { toHex } from '../../protocol/core/bytes.js';

const TOKEN = 'test-admin-token-7f3a9c';
const AUTH = { authorization: `Bearer ${TOKEN}` } as const;
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' } as const;
const HEX64 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Call = { method: keyof CoordinatorApi; args: unknown[] };

/** In-memory CoordinatorApi: deterministic keys, real ECDSA signatures, every call recorded. */
class FakeApi implements CoordinatorApi {
  readonly calls: Call[] = [];
  readonly keys = new Map<string, KeyRecord>();
  readonly requests = new Map<string, SignRequestRecord>();
  private readonly secrets = new Map<string, Uint8Array>();
  private counter = 0;
  /** When set, signDigest stores and returns a 'failed' record. */
  failSigning = false;
  /** When set, the named method throws this (after recording the call). */
  throwOn?: { method: keyof CoordinatorApi; error: unknown };
  readonly parties = [
    { index: 1, peerId: '12D3KooWFakeNode1' },
    { index: 2, peerId: '12D3KooWFakeNode2' },
    { index: 3, peerId: '12D3KooWFakeNode3' },
  ];

  private record(method: keyof CoordinatorApi, ...args: unknown[]) {
    this.calls.push({ method, args });
    if (this.throwOn?.method === method) throw this.throwOn.error;
  }

  called(method?: keyof CoordinatorApi): Call[] {
    return method ? this.calls.filter((c) => c.method === method) : this.calls;
  }

  async health(): Promise<{ status: 'ok' | 'degraded'; peerId: string; nodes: NodeHealth[] }> {
    this.record('health');
    const nodes = this.parties.map((p) => ({ index: p.index, name: `node-${p.index}`, peerId: p.peerId, reachable: p.index !== 3 }));
    return { status: 'degraded', peerId: '12D3KooWFakeCoordinator', nodes };
  }

  async createKey(name: string): Promise<KeyRecord> {
    this.record('createKey', name);
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
  }

  async getKey(id: string): Promise<KeyRecord | undefined> {
    this.record('getKey', id);
    return this.keys.get(id);
  }

  async listKeys(): Promise<KeyRecord[]> {
    this.record('listKeys');
    return [...this.keys.values()];
  }

  async signDigest(keyId: string, digest: Uint8Array): Promise<SignRequestRecord> {
    this.record('signDigest', keyId, digest);
    const sk = this.secrets.get(keyId);
    if (!sk) throw new ApiError(404, 'ERR_UNKNOWN_KEY', `no key with id ${keyId}`);
    const now = new Date().toISOString();
    const base = { id: randomUUID(), keyId, kind: 'digest' as const, digest: `0x${toHex(digest)}`, createdAt: now, updatedAt: now };
    let rec: SignRequestRecord;
    if (this.failSigning) {
      rec = {
        ...base,
        status: 'failed',
        attempts: [{ nodes: [1, 2], sessionId: 'aa'.repeat(32), error: { code: 'ERR_NODE_UNAVAILABLE', message: 'node 2 unreachable' } }],
        error: { code: 'ERR_SIGNING_FAILED', message: 'no signing pair succeeded: [1,2] ERR_NODE_UNAVAILABLE' },
      };
    } else {
      const sig = secp256k1.Signature.fromBytes(secp256k1.sign(digest, sk, { prehash: false, format: 'recovered' }), 'recovered');
      const hex32 = (v: bigint) => `0x${v.toString(16).padStart(64, '0')}`;
      const yParity = sig.recovery as 0 | 1;
      const sessionId = 'bb'.repeat(32);
      rec = {
        ...base,
        status: 'signed',
        signature: { r: hex32(sig.r), s: hex32(sig.s), v: 27 + yParity, yParity },
        nodes: this.parties.slice(0, 2).map((p) => ({ ...p })),
        sessionId,
        attempts: [{ nodes: [1, 2], sessionId }],
      };
    }
    this.requests.set(rec.id, rec);
    return rec;
  }

  async getSignRequest(id: string): Promise<SignRequestRecord | undefined> {
    this.record('getSignRequest', id);
    return this.requests.get(id);
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

const digestHex = (seed: string) => `0x${toHex(sha256(seed))}`;

async function createKey(app: FastifyInstance, name = 'treasury'): Promise<Json> {
  const r = await postJson(app, '/v1/keys', { name });
  expect(r.statusCode, r.body).toBe(201);
  return json(r);
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
    expect(Object.keys(b.signature).sort()).toEqual(['r', 's', 'v', 'yParity']);
    expect(b.signature.r).toMatch(/^0x[0-9a-f]{64}$/);
    expect(b.signature.s).toMatch(/^0x[0-9a-f]{64}$/);
    expect([0, 1]).toContain(b.signature.yParity);
    expect(b.signature.v).toBe(27 + b.signature.yParity);
    expect(b.nodes).toEqual(api.parties.slice(0, 2));
    expect(b).not.toHaveProperty('error');
    const recovered = await recoverAddress({ hash: digest as `0x${string}`, signature: { r: b.signature.r, s: b.signature.s, yParity: b.signature.yParity } });
    expect(recovered).toBe(key.address);

    const calls = api.called('signDigest');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0]).toBe(key.id);
    expect(toHex(calls[0]!.args[1] as Uint8Array)).toBe(digest.slice(2));
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
    expect(api.called('signDigest')[0]!.args[0]).toBe(key.id);
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
  ])('digest %s → 400 ERR_BAD_DIGEST, API not called', async (_, digest) => {
    const { api, app, key } = await withKey();
    const e = expectError(await postJson(app, '/v1/sign-requests', { keyId: key.id, kind: 'digest', digest }), 400, 'ERR_BAD_DIGEST');
    expect(e.message).toMatch(/32 bytes/);
    expect(api.calls).toEqual([]);
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

  it('unknown key → 404 ERR_UNKNOWN_KEY, never reaches signDigest', async () => {
    const { api, app } = await withKey();
    const unknown = 'ef'.repeat(32);
    const e = expectError(await postJson(app, '/v1/sign-requests', { keyId: unknown, kind: 'digest', digest: good }), 404, 'ERR_UNKNOWN_KEY');
    expect(e.message).toContain(unknown);
    expect(api.called('getKey')).toHaveLength(1);
    expect(api.called('signDigest')).toEqual([]);
  });

  it.each([
    ['"message"', 'message'],
    ['"DIGEST"', 'DIGEST'],
    ['"transaction"', 'transaction'],
    ['missing', undefined],
    ['a number', 1],
    ['null', null],
  ])('kind %s → 400 ERR_UNSUPPORTED_KIND, API not called', async (_, kind) => {
    const { api, app, key } = await withKey();
    expectError(await postJson(app, '/v1/sign-requests', { keyId: key.id, kind, digest: good }), 400, 'ERR_UNSUPPORTED_KIND');
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
    api.failSigning = true;
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

describe('unexpected exceptions', () => {
  const secret = 'LEVEL_IO_ERROR: /var/lib/coordinator/db/000123.ldb: secret-detail-42';
  it.each([
    ['health', { method: 'GET', url: '/health' }],
    ['createKey', { method: 'POST', url: '/v1/keys', payload: { name: 'k' } }],
    ['listKeys', { method: 'GET', url: '/v1/keys' }],
    ['getKey', { method: 'GET', url: `/v1/keys/${'ab'.repeat(32)}` }],
    ['getSignRequest', { method: 'GET', url: `/v1/sign-requests/${randomUUID()}` }],
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

  it('signDigest throwing a TypeError → 500 ERR_INTERNAL, generic message', async () => {
    const { api, app } = setup();
    const key = await createKey(app);
    api.throwOn = { method: 'signDigest', error: new TypeError(`Cannot read properties of undefined (${secret})`) };
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
  it('random JSON / values / strings POSTed to both routes → success status or a JSON 4xx error', async () => {
    const { api, app } = setup();
    const key = await createKey(app);
    const anyValue = fc.anything({ maxDepth: 3 });
    const keyIdArb = fc.oneof(fc.constant(key.id as string), fc.constant((key.id as string).toUpperCase()), fc.constant('ef'.repeat(32)), anyValue);
    const digestArb = fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${toHex(b)}`),
      fc.uint8Array({ minLength: 0, maxLength: 40 }).map((b) => `0x${toHex(b)}`),
      anyValue,
    );
    const signBody = fc.record({ keyId: keyIdArb, kind: fc.oneof(fc.constant('digest'), anyValue), digest: digestArb }, { requiredKeys: [] });
    const keyBody = fc.record({ name: fc.oneof(fc.string({ maxLength: MAX_KEY_NAME_CHARS + 5 }), anyValue) }, { requiredKeys: [] });
    const payload = fc.oneof(
      fc.json({ maxDepth: 4 }),
      anyValue.map((v) => JSON.stringify(v) ?? 'null'),
      fc.string({ maxLength: 50 }),
      signBody.map((b) => JSON.stringify(b) ?? 'null'),
      keyBody.map((b) => JSON.stringify(b) ?? 'null'),
    );
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', undefined);
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v1/keys', '/v1/sign-requests'), payload, contentType, async (url, body, ct) => {
        const r = await app.inject({ method: 'POST', url, headers: { ...AUTH, ...(ct ? { 'content-type': ct } : {}) }, payload: body });
        const what = `${url} ${ct} ${body.slice(0, 200)} → ${r.statusCode} ${r.body.slice(0, 200)}`;
        expect(r.statusCode, what).toBeLessThan(500);
        if (r.statusCode === 201) {
          successes++;
          const b = json(r);
          if (url === '/v1/keys') expect(b.id, what).toMatch(HEX64);
          else expect(b.status, what).toBe('signed');
          return;
        }
        expect(r.statusCode, what).toBeGreaterThanOrEqual(400);
        expectError(r, r.statusCode);
      }),
      { numRuns: 200 },
    );
    // The generators are biased enough that some requests succeed (both the API and the
    // validation paths are exercised), and every success went through the fake.
    expect(successes).toBeGreaterThan(0);
    expect(api.called('createKey').length + api.called('signDigest').length).toBe(successes + 1);
  });
});
