/**
 * The coordinator's HTTP API (fastify). Built separately from `listen` so tests can `inject`.
 * Every route needs `Authorization: Bearer <admin token>`. Errors are JSON
 * `{"error":{"code","message"}}`; a caller's mistake is always a 4xx, never a 5xx.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { ApiError, type CoordinatorApi } from './service.js';
import type { KeyRecord, SignRequestRecord } from './store.js';
import { REQUEST_KINDS } from '../../proto/request.js';
import { cancelBytes, rejectBytes } from '../../proto/governance.js';
import { ROLES, type Principal, type Role } from './store.js';

/** The token in <dir>/admin.token: every role, every key. */
export const BOOTSTRAP_ADMIN: Principal = { name: 'admin', roles: [...ROLES] };

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_KEY_NAME_CHARS = 128;
const KEY_ID_RE = /^[0-9a-f]{64}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export interface AppOptions {
  /** SHA-256 of the admin token. */
  readonly tokenHash: Buffer;
  readonly logger?: boolean;
}

const bad = (code: string, message: string) => new ApiError(400, code, message);
/** Most audit entries one `GET /v1/audit` returns. */
export const AUDIT_PAGE_MAX = 5_000;

function body(req: { body: unknown }): Record<string, unknown> {
  const b = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw bad('ERR_BAD_REQUEST', 'the request body must be a JSON object');
  return b as Record<string, unknown>;
}

export const keyView = (k: KeyRecord) => ({
  id: k.id,
  name: k.name,
  publicKey: k.publicKey,
  address: k.address,
  threshold: k.threshold,
  parties: k.parties.length,
  nodes: k.parties,
  createdAt: k.createdAt,
});

export const requestView = (r: SignRequestRecord) => ({
  id: r.id,
  keyId: r.keyId,
  kind: r.kind,
  status: r.status,
  digest: r.digest,
  summary: r.summary,
  /** The request as submitted: approvers decode it themselves (the CLI does) before signing. */
  request: r.request,
  initiator: r.initiator,
  ...(r.idempotencyKey ? { idempotencyKey: r.idempotencyKey } : {}),
  ...(r.policyHash ? { policyHash: r.policyHash } : {}),
  ...(r.decision ? { decision: r.decision } : {}),
  ...(r.rejection ? { rejection: r.rejection } : {}),
  ...(r.status === 'pending_approval' && r.approvalStatement ? { approvalStatement: r.approvalStatement } : {}),
  ...(r.notBefore !== undefined ? { notBefore: new Date(r.notBefore).toISOString() } : {}),
  ...(r.simulation ? { simulation: r.simulation } : {}),
  ...(r.status === 'pending_approval' && r.cancelQuorum
    ? { cancelQuorum: r.cancelQuorum, cancelStatement: Buffer.from(cancelBytes({ requestId: r.id, keyId: r.keyId, digest: r.digest })).toString('hex') }
    : {}),
  ...(r.cancellations?.length ? { cancellations: r.cancellations.map((a) => ({ approver: a.by, at: a.at })) } : {}),
  ...(r.status === 'pending_approval' ? { rejectStatement: Buffer.from(rejectBytes({ requestId: r.id, keyId: r.keyId, digest: r.digest })).toString('hex') } : {}),
  approvals: r.approvals.map((a) => ({ approver: a.by, at: a.at })),
  expiresAt: new Date(r.expiresAt).toISOString(),
  ...(r.signature ? { signature: r.signature } : {}),
  ...(r.signedTransaction ? { signedTransaction: r.signedTransaction, transactionHash: r.transactionHash } : {}),
  ...(r.nodes ? { nodes: r.nodes } : {}),
  ...(r.sessionId ? { sessionId: r.sessionId } : {}),
  ...(r.error ? { error: r.error } : {}),
  attempts: r.attempts,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const SIG_HEX = /^(0x)?[0-9a-fA-F]{128}$/;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

/** `signatures: [{by, signature}]` from an admin request body (hex normalised to lowercase). */
function signatures(b: Record<string, unknown>): { by: string; signature: string }[] {
  const v = b.signatures ?? [];
  if (!Array.isArray(v) || v.length > 32) throw bad('ERR_BAD_REQUEST', '"signatures" must be a list of {by, signature}');
  return v.map((x) => {
    if (typeof x !== 'object' || x === null || typeof (x as Record<string, unknown>).by !== 'string' || !NAME_RE.test((x as { by: string }).by) || typeof (x as Record<string, unknown>).signature !== 'string' || !SIG_HEX.test((x as { signature: string }).signature)) {
      throw bad('ERR_BAD_REQUEST', 'each signature is {"by": admin name, "signature": 64-byte hex Ed25519}');
    }
    const o = x as { by: string; signature: string };
    return { by: o.by, signature: o.signature.replace(/^0x/, '').toLowerCase() };
  });
}

function optSeq(b: Record<string, unknown>): number | undefined {
  if (b.seq === undefined) return undefined;
  // Nodes accept seq 1..2^52 (proto/authorization.ts parseAdminRecord); more would be a 502 from every node.
  if (typeof b.seq !== 'number' || !Number.isSafeInteger(b.seq) || b.seq < 1 || b.seq > 2 ** 52) throw bad('ERR_BAD_REQUEST', '"seq" must be an integer 1..2^52');
  return b.seq;
}

export function buildApp(api: CoordinatorApi, o: AppOptions): FastifyInstance {
  /** The principal a bearer token stands for: the bootstrap admin token, or a stored principal. */
  const principalOf = (h: unknown): Principal | ApiError => {
    const m = typeof h === 'string' ? /^Bearer ([\x21-\x7e]+)$/.exec(h) : null;
    if (!m) return new ApiError(401, 'ERR_UNAUTHORIZED', 'missing "Authorization: Bearer <token>" header');
    const hash = sha256(m[1]!);
    if (timingSafeEqual(hash, o.tokenHash)) return BOOTSTRAP_ADMIN;
    return api.principalByTokenHash?.(hash.toString('hex')) ?? new ApiError(401, 'ERR_UNAUTHORIZED', 'invalid token');
  };
  const authError = (h: unknown): ApiError | undefined => {
    const p = principalOf(h);
    return p instanceof ApiError ? p : undefined;
  };
  const principals = new WeakMap<object, Principal>();
  /** The request's principal; throws 403 unless it holds one of `roles` (and `keyId` is in its scope). */
  const need = (req: object, roles: readonly Role[], keyId?: string): Principal => {
    const p = principals.get(req)!;
    if (!roles.some((r) => p.roles.includes(r))) throw new ApiError(403, 'ERR_FORBIDDEN', `${p.name} needs the role ${roles.join(' or ')}`);
    if (keyId && p.keys && !p.keys.includes(keyId)) throw new ApiError(403, 'ERR_FORBIDDEN', `${p.name} may not act on key ${keyId}`);
    return p;
  };
  const ANY: readonly Role[] = ROLES;
  /**
   * Approver or admin; a key-scoped principal must also have the request's key in scope (the
   * request is looked up only for scoped principals; unknown ids are the service's 404).
   */
  const needForRequest = async (req: object, id: string): Promise<Principal> => {
    const p = need(req, ['approver', 'admin']);
    if (p.keys) {
      const r = await api.getSignRequest(id);
      if (r) need(req, ['approver', 'admin'], r.keyId);
    }
    return p;
  };

  const app = Fastify({
    logger: o.logger ?? false,
    bodyLimit: MAX_BODY_BYTES,
    // Router errors (a bad %-escape, an over-long path segment) skip the hooks and the error
    // handler; without this they would bypass the token check and answer in fastify's own shape.
    frameworkErrors: (err, req, reply) => {
      const e = authError(req.headers.authorization) ?? new ApiError(err.statusCode ?? 400, 'ERR_BAD_REQUEST', err.message);
      void (reply as FastifyReply).code(e.status).send({ error: { code: e.code, message: e.message } });
    },
  });

  app.addHook('onRequest', async (req) => {
    const p = principalOf(req.headers.authorization);
    if (p instanceof ApiError) throw p;
    principals.set(req, p);
  });

  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 'ERR_NOT_FOUND', message: `no route ${req.method} ${req.url}` } });
  });

  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    if (err instanceof ApiError) {
      if (err.status >= 500) req.log.error({ err }, err.message);
      return reply.code(err.status).send({ error: { ...(err.details ?? {}), code: err.code, message: err.message } });
    }
    const status = (err as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const code = (err as FastifyError).code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'ERR_BAD_JSON' : 'ERR_BAD_REQUEST';
      return reply.code(status).send({ error: { code, message: err.message } });
    }
    req.log.error({ err }, 'internal error');
    return reply.code(500).send({ error: { code: 'ERR_INTERNAL', message: 'internal error (see the coordinator log)' } });
  });

  app.get('/health', async (req) => {
    need(req, ANY);
    return api.health();
  });

  app.post('/v1/keys', async (req, reply) => {
    const b = body(req);
    const name = b.name;
    if (typeof name !== 'string' || name.trim().length === 0 || name.length > MAX_KEY_NAME_CHARS) {
      throw bad('ERR_BAD_REQUEST', `"name" must be a non-empty string of at most ${MAX_KEY_NAME_CHARS} characters`);
    }
    need(req, ['admin']);
    const k = await api.createKey(name);
    return reply.code(201).send(keyView(k));
  });

  app.get('/v1/keys', async (req) => {
    const p = need(req, ANY);
    return { keys: (await api.listKeys()).filter((k) => !p.keys || p.keys.includes(k.id)).map(keyView) };
  });

  app.get<{ Params: { id: string } }>('/v1/keys/:id', async (req) => {
    const id = req.params.id.toLowerCase();
    if (!KEY_ID_RE.test(id)) throw bad('ERR_BAD_REQUEST', 'a key id is 64 hex characters');
    need(req, ANY, id);
    const k = await api.getKey(id);
    if (!k) throw new ApiError(404, 'ERR_UNKNOWN_KEY', `no key with id ${id}`);
    return keyView(k);
  });

  app.post('/v1/sign-requests', async (req, reply) => {
    const b = body(req);
    if (typeof b.keyId !== 'string' || !KEY_ID_RE.test(b.keyId.toLowerCase())) throw bad('ERR_BAD_REQUEST', '"keyId" must be a key id (64 hex characters)');
    if (b.idempotencyKey !== undefined && (typeof b.idempotencyKey !== 'string' || b.idempotencyKey.length === 0 || b.idempotencyKey.length > 128)) {
      throw bad('ERR_BAD_REQUEST', '"idempotencyKey" must be a string of 1..128 characters');
    }
    if (typeof b.kind !== 'string' || !(REQUEST_KINDS as readonly string[]).includes(b.kind)) {
      throw bad('ERR_UNSUPPORTED_KIND', `"kind" must be one of ${REQUEST_KINDS.join(', ')}${typeof b.kind === 'string' ? ` (got "${b.kind}")` : ''}`);
    }
    // raw digests bypass every meaning-based rule: admins only (and only if policy allows them)
    const who = need(req, b.kind === 'digest' ? ['admin'] : ['initiator', 'admin'], b.keyId.toLowerCase());
    const { record: r, existing } = await api.submit({ ...b, keyId: b.keyId.toLowerCase() }, { initiator: who.name, ...(typeof b.idempotencyKey === 'string' ? { idempotencyKey: b.idempotencyKey } : {}) });
    if (r.status === 'failed' && !existing) {
      throw new ApiError(503, r.error?.code ?? 'ERR_SIGNING_FAILED', r.error?.message ?? 'signing failed', { requestId: r.id });
    }
    return reply.code(existing ? 200 : 201).send(requestView(r));
  });

  app.get<{ Params: { id: string } }>('/v1/sign-requests/:id', async (req) => {
    const id = req.params.id.toLowerCase();
    if (!UUID_RE.test(id)) throw bad('ERR_BAD_REQUEST', 'a sign request id is a UUID');
    const r = await api.getSignRequest(id);
    if (!r) throw new ApiError(404, 'ERR_UNKNOWN_REQUEST', `no sign request with id ${id}`);
    need(req, ANY, r.keyId);
    return requestView(r);
  });

  type StatementCall = (id: string, approver: string, signature: string) => Promise<SignRequestRecord>;
  /**
   * An approver's signed statement about a request (approval, rejection, cancellation): the same
   * checks for all three. `call` is looked up per request; absent means not supported here (501).
   */
  const statementRoute = (path: string, statement: string, call: () => StatementCall | undefined, unsupported?: string) =>
    app.post<{ Params: { id: string } }>(`/v1/sign-requests/:id/${path}`, async (req) => {
      const id = req.params.id.toLowerCase();
      if (!UUID_RE.test(id)) throw bad('ERR_BAD_REQUEST', 'a sign request id is a UUID');
      const b = body(req);
      if (typeof b.approver !== 'string' || !NAME_RE.test(b.approver)) throw bad('ERR_BAD_REQUEST', '"approver" must be an approver name');
      if (typeof b.signature !== 'string' || !SIG_HEX.test(b.signature)) throw bad('ERR_BAD_REQUEST', `"signature" must be a 64-byte hex Ed25519 signature over ${statement}`);
      const who = await needForRequest(req, id);
      if (!who.roles.includes('admin') && who.name !== b.approver) throw new ApiError(403, 'ERR_FORBIDDEN', `${who.name} may post only its own ${path}`);
      const f = call();
      if (!f) throw new ApiError(501, 'ERR_NOT_SUPPORTED', unsupported ?? `${path} are not supported here`);
      return requestView(await f(id, b.approver, b.signature.replace(/^0x/, '').toLowerCase()));
    });
  statementRoute('approvals', 'approvalStatement', () => api.approve.bind(api));
  statementRoute('rejections', 'rejectStatement', () => api.reject?.bind(api), 'rejection is not supported here');
  statementRoute('cancellations', 'cancelStatement', () => api.cancel?.bind(api), 'cancellation is not supported here');

  app.get<{ Params: { id: string } }>('/v1/keys/:id/policy', async (req) => {
    const id = req.params.id.toLowerCase();
    if (!KEY_ID_RE.test(id)) throw bad('ERR_BAD_REQUEST', 'a key id is 64 hex characters');
    need(req, ANY, id);
    const p = await api.getPolicy(id);
    if (!p) {
      if (!(await api.getKey(id))) throw new ApiError(404, 'ERR_UNKNOWN_KEY', `no key with id ${id}`);
      throw new ApiError(404, 'ERR_NO_POLICY', `key ${id} has no policy`);
    }
    return { keyId: id, policy: p.text, hash: p.hash, seq: p.seq, updatedAt: p.updatedAt };
  });

  app.put<{ Params: { id: string } }>('/v1/keys/:id/policy', async (req) => {
    const id = req.params.id.toLowerCase();
    if (!KEY_ID_RE.test(id)) throw bad('ERR_BAD_REQUEST', 'a key id is 64 hex characters');
    const b = body(req);
    if (typeof b.policy !== 'string' || b.policy.length === 0) throw bad('ERR_BAD_REQUEST', '"policy" must be the YAML text');
    need(req, ['admin']);
    return api.setPolicy(id, b.policy, signatures(b), optSeq(b));
  });

  const scopeOf = (id: string | undefined) => {
    if (id === undefined) return '*';
    const k = id.toLowerCase();
    if (!KEY_ID_RE.test(k)) throw bad('ERR_BAD_REQUEST', 'a key id is 64 hex characters');
    return k;
  };
  const reasonOf = (b: Record<string, unknown>) => {
    const r = b.reason ?? '';
    if (typeof r !== 'string' || r.length > 512) throw bad('ERR_BAD_REQUEST', '"reason" must be a string of at most 512 characters');
    return r;
  };
  const optionalBody = (req: { body: unknown }) => (req.body === undefined || req.body === null || req.body === '' ? {} : body(req));
  app.post<{ Params: { id: string } }>('/v1/keys/:id/freeze', async (req) => {
    const scope = scopeOf(req.params.id);
    const reason = reasonOf(optionalBody(req));
    need(req, ['admin']);
    return api.freeze(scope, reason);
  });
  app.post('/v1/freeze', async (req) => {
    const reason = reasonOf(optionalBody(req));
    need(req, ['admin']);
    return api.freeze('*', reason);
  });
  app.post<{ Params: { id: string } }>('/v1/keys/:id/unfreeze', async (req) => {
    const scope = scopeOf(req.params.id);
    const b = body(req);
    const sigs = signatures(b);
    const seq = optSeq(b);
    need(req, ['admin']);
    return api.unfreeze(scope, sigs, seq);
  });
  app.post('/v1/unfreeze', async (req) => {
    const b = body(req);
    const sigs = signatures(b);
    const seq = optSeq(b);
    need(req, ['admin']);
    return api.unfreeze('*', sigs, seq);
  });
  app.get('/v1/freeze', async () => ({ freezes: (await api.listFreezes()).map((f) => ({ scope: f.scope, frozen: f.frozen, reason: f.reason, seq: f.seq, updatedAt: f.updatedAt })) }));

  app.get('/v1/admins', async () => {
    if (!api.adminSet) throw new ApiError(404, 'ERR_NOT_SUPPORTED', 'this coordinator has no admin set API');
    return api.adminSet();
  });
  app.put('/v1/admins', async (req) => {
    if (!api.setAdmins) throw new ApiError(404, 'ERR_NOT_SUPPORTED', 'this coordinator has no admin set API');
    const b = body(req);
    const list = b.admins;
    if (!Array.isArray(list) || list.length === 0 || list.length > 32) throw bad('ERR_BAD_REQUEST', '"admins" must be a list of 1..32 {name, publicKey}');
    const admins = list.map((a: unknown) => {
      const o = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
      if (typeof o.name !== 'string' || !NAME_RE.test(o.name) || typeof o.publicKey !== 'string' || !/^[0-9a-fA-F]{64}$/.test(o.publicKey)) {
        throw bad('ERR_BAD_REQUEST', 'each admin is {"name", "publicKey" (32-byte hex Ed25519)}');
      }
      return { name: o.name, publicKey: o.publicKey.toLowerCase() };
    });
    if (typeof b.quorum !== 'number' || !Number.isSafeInteger(b.quorum)) throw bad('ERR_BAD_REQUEST', '"quorum" must be an integer');
    const sigs = signatures(b);
    const seq = optSeq(b);
    need(req, ['admin']);
    return api.setAdmins(admins, b.quorum, sigs, seq);
  });

  // Paged: `?after=SEQ&limit=N` (defaults 0 and AUDIT_PAGE_MAX). A full page carries the header
  // `x-next-after` (the last seq read); a client asks again with it until the header is absent.
  app.get<{ Querystring: { after?: string; limit?: string } }>('/v1/audit', async (req, reply) => {
    const who = need(req, ['auditor', 'admin']);
    const int = (v: string | undefined, name: string, min: number, max: number, dflt: number) => {
      if (v === undefined) return dflt;
      if (!/^\d{1,15}$/.test(v) || Number(v) < min || Number(v) > max) throw bad('ERR_BAD_REQUEST', `"${name}" must be an integer from ${min} to ${max}`);
      return Number(v);
    };
    const after = int(req.query.after, 'after', 0, Number.MAX_SAFE_INTEGER, 0);
    const limit = int(req.query.limit, 'limit', 1, AUDIT_PAGE_MAX, AUDIT_PAGE_MAX);
    const page = await api.auditEntries({ after, limit });
    if (page.length === limit) reply.header('x-next-after', String(page[page.length - 1]!.seq));
    // a key-scoped reader sees only the entries of its keys
    const entries = page.filter((e) => !who.keys || (typeof e.data.keyId === 'string' && who.keys.includes(e.data.keyId)));
    return reply.type('application/x-ndjson').send(entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''));
  });

  app.get<{ Params: { id: string } }>('/v1/sign-requests/:id/evidence', async (req) => {
    const id = req.params.id.toLowerCase();
    if (!UUID_RE.test(id)) throw bad('ERR_BAD_REQUEST', 'a sign request id is a UUID');
    const r = await api.getSignRequest(id);
    if (!r) throw new ApiError(404, 'ERR_UNKNOWN_REQUEST', `no sign request with id ${id}`);
    need(req, ['auditor', 'admin'], r.keyId);
    return api.evidence(id);
  });

  app.post('/v1/principals', async (req, reply) => {
    const b = body(req);
    if (typeof b.name !== 'string' || !NAME_RE.test(b.name)) throw bad('ERR_BAD_REQUEST', '"name" must be 1-64 letters, digits, _ . @ -');
    if (!Array.isArray(b.roles) || b.roles.length === 0 || b.roles.some((r) => !(ROLES as readonly unknown[]).includes(r))) throw bad('ERR_BAD_REQUEST', `"roles" must be a non-empty list of ${ROLES.join(', ')}`);
    if (b.keys !== undefined && (!Array.isArray(b.keys) || b.keys.length > 256 || b.keys.some((k) => typeof k !== 'string' || !KEY_ID_RE.test(k)))) throw bad('ERR_BAD_REQUEST', '"keys" must be a list of key ids');
    const who = need(req, ['admin']);
    if (who.keys) throw new ApiError(403, 'ERR_FORBIDDEN', 'only an admin without a key scope manages principals');
    if (!api.createPrincipal) throw new ApiError(501, 'ERR_NOT_SUPPORTED', 'principals are not supported here');
    return reply.code(201).send(await api.createPrincipal(b.name, b.roles as Role[], b.keys as string[] | undefined, who.name));
  });
  app.get('/v1/principals', async (req) => {
    need(req, ['admin']);
    return { principals: [{ ...BOOTSTRAP_ADMIN, bootstrap: true }, ...((await api.listPrincipals?.()) ?? [])] };
  });
  app.delete<{ Params: { name: string } }>('/v1/principals/:name', async (req, reply) => {
    const who = need(req, ['admin']);
    if (!api.deletePrincipal) throw new ApiError(501, 'ERR_NOT_SUPPORTED', 'principals are not supported here');
    await api.deletePrincipal(req.params.name, who.name);
    return reply.code(204).send();
  });

  app.get('/v1/approvers', async () => ({ approvers: (await api.listApprovers()).filter((a) => a.publicKey !== '').map((a) => ({ name: a.name, publicKey: a.publicKey, roles: a.roles, seq: a.seq })) }));

  app.post('/v1/approvers', async (req, reply) => {
    const b = body(req);
    if (typeof b.name !== 'string' || !NAME_RE.test(b.name)) throw bad('ERR_BAD_REQUEST', '"name" must be 1-64 letters, digits, _ . @ -');
    if (typeof b.publicKey !== 'string' || !/^((0x)?[0-9a-fA-F]{64})?$/.test(b.publicKey)) throw bad('ERR_BAD_REQUEST', '"publicKey" must be a 32-byte hex Ed25519 public key (empty removes the approver)');
    if (!Array.isArray(b.roles) || b.roles.length > 16 || b.roles.some((r) => typeof r !== 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(r))) {
      throw bad('ERR_BAD_REQUEST', '"roles" must be a list of up to 16 role names');
    }
    need(req, ['admin']);
    const a = await api.setApprover(b.name, b.publicKey.replace(/^0x/, '').toLowerCase(), b.roles as string[], signatures(b), optSeq(b));
    return reply.code(201).send(a);
  });

  return app;
}
