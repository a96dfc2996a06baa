/**
 * The coordinator as a libp2p peer of the nodes: it asks them to run DKGs and signing sessions
 * over CONTROL_PROTOCOL, picks two reachable nodes per signature, retries with another pair
 * when a node fails or is blamed, and combines the two partial signatures (protocol/sign/
 * combine.ts verifies the result before returning it). It never holds a share.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Libp2p } from 'libp2p';
import { peerIdFromString } from '@libp2p/peer-id';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { publicKeyToAddress } from 'viem/accounts';
import { CONTROL_PROTOCOL, asError, createHost, readFrame } from '../../proto/transport.js';
import { ControlStreams } from './control-streams.js';
import { PRESIGN_CONCURRENCY, PRESIGN_MAINTAIN_MS, PRESIGN_REFILL_QUIET_MS, PresignPool } from './presign-pool.js';
import { decodeControlResponse, encodeControlRequest, type ControlRequest, type ControlResponse, type Failure } from '../../proto/index.js';
import { loadIdentity, peerPublicKey } from '../../proto/identity.js';
import { AuditLog, type AuditEntry } from '../../proto/audit.js';
import type { Json } from '../../proto/governance.js';
import { approverAt, type EvidenceBundle } from '../../proto/evidence.js';
import { combine, decodePartial } from '../../protocol/sign/combine.js';
import { PARTIAL_BYTES, type PartialSignature } from '../../protocol/sign/sign.js';
import { toHex } from '../../protocol/core/bytes.js';
import { hexToBytes as fromHex } from '@noble/hashes/utils.js';
import { isProtocolError } from '../../protocol/core/errors.js';
import { loadCoordinatorConfig, type LoadedCoordinatorConfig } from './config.js';
import { CoordinatorStore, type KeyRecord, type Principal, type Role, type SignRequestRecord, type StoredApprover, type StoredFreeze, type StoredPolicy, type StoredPrincipal } from './store.js';
import { decodeSignRequest, RequestError, TX_KINDS, type DecodedRequest } from '../../proto/request.js';
import { MAX_WINDOW_MS, evaluate, loadPolicy, policyHash, PolicyError, spentBy, usesHistory, type HistoryEntry } from '../../proto/policy/policy.js';
import { adminChangeBytes, adminSetProblem, adminSigners, approvalBytes, checkApprovals, checkCancellations, rejectBytes, verifyEd25519, type AdminChange, type AdminKey, type AdminSetChange, type ApproverChange, type FreezeChange, type PolicyChange, type Signed } from '../../proto/governance.js';
import { encodeDocument } from '../../proto/authorization.js';
import { createPublicClient, http, keccak256, serializeTransaction, type Hex, type TransactionSerializable } from 'viem';
import { pino, type Logger } from 'pino';

/** How long a reachability probe (dial) may take. */
export const PROBE_TIMEOUT_MS = 2_000;
/** How long a request may wait for approvals; approvals do not count after it. */
export const APPROVAL_WINDOW_MS = 24 * 3600_000;
/**
 * The announcement of a delayed request to the nodes: the request itself, so each node decodes
 * it, checks the digest and its own policy, and witnesses it in its own audit log.
 */
const announcement = (rec: SignRequestRecord): Uint8Array =>
  encodeDocument({ announce: { requestId: rec.id, keyId: rec.keyId, initiator: rec.initiator, digest: rec.digest, request: rec.request, policyHash: rec.policyHash, expiresAt: rec.expiresAt } });
/** Node refusals that mean it missed an admin change (it was down): resend and retry once. */
const RESYNC_CODES = new Set(['ERR_NO_POLICY', 'ERR_POLICY_MISMATCH', 'ERR_APPROVALS', 'ERR_FROZEN', 'ERR_DELAY']);

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface NodeHealth {
  index: number;
  name: string;
  peerId: string;
  reachable: boolean;
  /** Key shares held and sessions running (reachable nodes only). */
  keys?: number;
  sessions?: number;
}

/** What the HTTP layer needs (tests may supply their own). */
export interface CoordinatorApi {
  health(): Promise<{ status: 'ok' | 'degraded'; peerId: string; nodes: NodeHealth[] }>;
  createKey(name: string): Promise<KeyRecord>;
  getKey(id: string): Promise<KeyRecord | undefined>;
  listKeys(): Promise<KeyRecord[]>;
  submit(body: Record<string, unknown>, opts: { initiator: string; idempotencyKey?: string }): Promise<{ record: SignRequestRecord; existing: boolean }>;
  getSignRequest(id: string): Promise<SignRequestRecord | undefined>;
  approve(id: string, approver: string, signature: string): Promise<SignRequestRecord>;
  getPolicy(keyId: string): Promise<StoredPolicy | undefined>;
  setPolicy(keyId: string, text: string, signatures: readonly Signed[], seq?: number): Promise<{ keyId: string; hash: string; seq: number; nodes: unknown[] }>;
  listApprovers(): Promise<StoredApprover[]>;
  setApprover(name: string, publicKey: string, roles: readonly string[], signatures: readonly Signed[], seq?: number): Promise<StoredApprover & { nodes: unknown[] }>;
  freeze(scope: string, reason: string): Promise<{ scope: string; frozen: boolean; seq: number; failedRequests: string[]; nodes: unknown[] }>;
  unfreeze(scope: string, signatures: readonly Signed[], seq?: number): Promise<{ scope: string; frozen: boolean; seq: number; nodes: unknown[] }>;
  listFreezes(): Promise<StoredFreeze[]>;
  /** Optional (tests may leave them out): the admin set and its replacement. */
  adminSet?(): Promise<{ admins: readonly AdminKey[]; quorum: number; seq: number }>;
  setAdmins?(admins: readonly AdminKey[], quorum: number, signatures: readonly Signed[], seq?: number): Promise<{ admins: readonly AdminKey[]; quorum: number; seq: number; nodes: unknown[] }>;
  /** The audit log, or with `page` the entries after seq `after`, at most `limit` of them. */
  auditEntries(page?: { after: number; limit: number }): Promise<AuditEntry[]>;
  evidence(id: string): Promise<EvidenceBundle>;
  cancel?(id: string, approver: string, signature: string): Promise<SignRequestRecord>;
  reject?(id: string, approver: string, signature: string): Promise<SignRequestRecord>;
  /** Principals other than the bootstrap admin token (optional: tests may leave it out). */
  principalByTokenHash?(hashHex: string): Principal | undefined;
  createPrincipal?(name: string, roles: readonly Role[], keys: readonly string[] | undefined, actor: string): Promise<Principal & { token: string }>;
  listPrincipals?(): Promise<Principal[]>;
  deletePrincipal?(name: string, actor: string): Promise<void>;
}

/** eth_call + eth_estimateGas of a transaction from the key's address (pre-flight, informational). */
async function simulate(rpcUrl: string, from: string, tx: TransactionSerializable): Promise<NonNullable<SignRequestRecord['simulation']>> {
  const client = createPublicClient({ transport: http(rpcUrl, { timeout: 10_000, retryCount: 0 }) });
  const call = { account: from as Hex, ...(tx.to ? { to: tx.to } : {}), value: tx.value ?? 0n, ...(tx.data && tx.data !== '0x' ? { data: tx.data } : {}) };
  try {
    const r = await client.call(call);
    const gas = await client.estimateGas(call);
    return { ok: true, gasEstimate: gas.toString(), ...(r.data ? { returnData: r.data } : {}), rpcUrl };
  } catch (e) {
    const m = (e as { shortMessage?: string; message?: string }).shortMessage ?? (e as Error).message;
    return { ok: false, error: String(m).split('\n')[0]!.slice(0, 500), rpcUrl };
  }
}

/**
 * A POST /v1/sign-requests body without keyId / idempotencyKey, decoded; a malformed request is
 * a 400 (ERR_BAD_DIGEST, ERR_UNSUPPORTED_KIND or ERR_BAD_REQUEST naming the field).
 */
export function decodeRequestBody(body: Record<string, unknown>): { request: Record<string, unknown>; decoded: DecodedRequest } {
  const request: Record<string, unknown> = { ...body };
  delete request.keyId;
  delete request.idempotencyKey;
  try {
    return { request, decoded: decodeSignRequest(request) };
  } catch (e) {
    if (e instanceof RequestError) throw new ApiError(400, e.field === 'digest' ? 'ERR_BAD_DIGEST' : e.field === 'kind' ? 'ERR_UNSUPPORTED_KIND' : 'ERR_BAD_REQUEST', e.message, { field: e.field });
    throw e;
  }
}

const signers = (sigs: readonly Signed[]) => sigs.map((s) => s.by).join(',') || 'none';

/** Whether the key's pair {a, b} is banned (either order). */
const pairBanned = (key: KeyRecord, a: number, b: number) => key.bannedPairs.some(([x, y]) => (x === a && y === b) || (x === b && y === a));

class NodeFailed extends Error {
  constructor(
    readonly index: number,
    readonly failure: Failure,
  ) {
    super(`node ${index}: ${failure.code}: ${failure.message}`);
  }
}

export interface StartCoordinatorOptions {
  readonly dir: string;
  readonly logger?: Logger;
}

export class Coordinator implements CoordinatorApi {
  private rotation = 0;
  /** The coordinator's signed, hash-chained audit log (proto/audit.ts). */
  readonly audit: AuditLog;
  /** Its Ed25519 public key (hex): what `tecdsa audit verify` checks entries against. */
  readonly auditPublicKey: string;
  /** Control streams to the nodes, reused across requests (control-streams.ts). */
  readonly control: ControlStreams;
  /** Presignatures ready per key and pair (presign-pool.ts, protocol/SPEC.md §6.6). */
  readonly presigns: PresignPool;
  private stopping = false;
  private constructor(
    readonly config: LoadedCoordinatorConfig,
    readonly host: Libp2p,
    private readonly store: CoordinatorStore,
    private readonly log: Logger,
    readonly peerId: string,
    signingKey: import('node:crypto').KeyObject,
  ) {
    this.audit = new AuditLog(store.audit, signingKey);
    this.auditPublicKey = Buffer.from(peerPublicKey(peerId)).toString('hex');
    this.control = new ControlStreams(host, CONTROL_PROTOCOL);
    this.presigns = new PresignPool(config.presignDepth);
    // A node that disconnects may have restarted, and a restart loses its presignatures.
    host.addEventListener('peer:disconnect', (ev) => {
      const node = this.nodes.find((n) => n.peerId === ev.detail.toString());
      if (node) this.presigns.forgetNode(node.index);
    });
  }

  private readonly refills = new Set<Promise<void>>();
  private maintainTimer: ReturnType<typeof setInterval> | undefined;

  /**
   * Tops up every pair whose pool was ever filled (expired presignatures are replaced), skipping
   * and dropping pairs that are banned now. Runs every PRESIGN_MAINTAIN_MS.
   */
  /**
   * Starts filling the pool of every signing pair of a key that is not banned (after its DKG, and
   * for every key when the coordinator starts), so that its first requests find presignatures.
   */
  private prefill(key: KeyRecord): void {
    const idx = key.parties.map((p) => p.index).sort((a, b) => a - b);
    for (let i = 0; i < idx.length; i++) {
      for (let j = i + 1; j < idx.length; j++) if (!pairBanned(key, idx[i]!, idx[j]!)) this.refill(key.id, [idx[i]!, idx[j]!]);
    }
  }

  async maintainPresigns(): Promise<void> {
    for (const { keyId, pair } of this.presigns.maintained()) {
      const key = await this.store.getKey(keyId);
      if (!key || pairBanned(key, pair[0], pair[1])) this.presigns.drop(keyId, pair);
      else this.refill(keyId, pair);
    }
  }
  /** Resolves once no presign refill is running (tests, and `stop` before it closes the store). */
  async presignsSettled(): Promise<void> {
    while (this.refills.size > 0) await Promise.all(this.refills);
  }

  /**
   * Appends an audit entry; if it cannot be written the operation it records does not happen
   * (the log fails closed, like Vault's audit devices).
   */
  private async record(type: string, actor: string, data: { [k: string]: Json }): Promise<AuditEntry> {
    try {
      return await this.audit.append(type, actor, data);
    } catch (e) {
      this.log.error({ event: 'audit_write_failed', type, err: e }, 'audit log write failed');
      throw new ApiError(503, 'ERR_AUDIT', `the audit log cannot be written (${asError(e).message}); nothing was done`);
    }
  }

  auditEntries(page?: { after: number; limit: number }): Promise<AuditEntry[]> {
    return page ? this.store.audit.page(page.after, page.limit) : this.store.audit.all();
  }

  // ---------- principals (API tokens, stored hashed) ----------

  private principals = new Map<string, StoredPrincipal>();

  private async loadPrincipals(): Promise<void> {
    this.principals = new Map((await this.store.listPrincipals()).map((p) => [p.tokenHash, p]));
  }

  principalByTokenHash(hashHex: string): Principal | undefined {
    return this.principals.get(hashHex);
  }

  async createPrincipal(name: string, roles: readonly Role[], keys: readonly string[] | undefined, actor: string): Promise<Principal & { token: string }> {
    if (name === 'admin' || (await this.store.listPrincipals()).some((p) => p.name === name)) throw new ApiError(409, 'ERR_PRINCIPAL_EXISTS', `principal ${name} exists`);
    const token = randomBytes(32).toString('hex');
    const p: StoredPrincipal = { name, roles: [...new Set(roles)], ...(keys ? { keys: [...keys] } : {}), tokenHash: createHash('sha256').update(token).digest('hex'), createdAt: new Date().toISOString() };
    await this.record('principal_created', actor, { name, roles: [...p.roles], keys: keys ? [...keys] : null });
    await this.store.putPrincipal(p);
    this.principals.set(p.tokenHash, p);
    return { name, roles: p.roles, ...(p.keys ? { keys: p.keys } : {}), token };
  }

  async listPrincipals(): Promise<Principal[]> {
    return (await this.store.listPrincipals()).map((p) => ({ name: p.name, roles: p.roles, ...(p.keys ? { keys: p.keys } : {}) }));
  }

  async deletePrincipal(name: string, actor: string): Promise<void> {
    const p = (await this.store.listPrincipals()).find((x) => x.name === name);
    if (!p) throw new ApiError(404, 'ERR_UNKNOWN_PRINCIPAL', `no principal ${name}`);
    await this.record('principal_deleted', actor, { name });
    await this.store.deletePrincipal(name);
    this.principals.delete(p.tokenHash);
  }

  /** A self-contained evidence bundle for one request (proto/evidence.ts verifies it offline). */
  async evidence(id: string): Promise<EvidenceBundle> {
    const r = await this.getSignRequest(id);
    if (!r) throw new ApiError(404, 'ERR_UNKNOWN_REQUEST', `no sign request with id ${id}`);
    const key = (await this.store.getKey(r.keyId))!;
    const text = r.policyHash ? await this.store.getPolicyText(r.policyHash) : undefined;
    // through the audit index: this request's entries, the key's, and its approvers' registrations
    const ofRequest = await this.store.audit.indexed({ requestId: id });
    const ofKey = await this.store.audit.indexed({ keyId: r.keyId });
    const names = [...new Set(r.approvals.map((a) => a.by))];
    const registrations = (await Promise.all(names.map((approver) => this.store.audit.indexed({ approver })))).flat();
    const all = [...new Map([...ofRequest, ...ofKey, ...registrations].map((e) => [e.seq, e])).values()].sort((a, b) => a.seq - b.seq);
    // Each approver's key and roles as registered when the approval was given (the last
    // approver_set entry before the approval entry), not as registered now: a key rotated later
    // must not make an old bundle fail, nor a new key vouch for an old approval.
    const approvers = [];
    for (const a of r.approvals) {
      const given = all.find((e) => e.type === 'approval' && e.actor === a.by && e.data.requestId === id && e.data.signature === a.signature);
      const reg = approverAt(all, a.by, given?.seq ?? Infinity);
      if (reg) approvers.push(reg);
      else {
        const who = await this.store.getApprover(a.by);
        if (who) approvers.push({ name: who.name, publicKey: who.publicKey, roles: [...who.roles] });
      }
    }
    const entries = all.filter(
      (e) =>
        e.data.requestId === id ||
        (e.type === 'key_created' && e.data.keyId === r.keyId) ||
        (e.type === 'policy_set' && e.data.keyId === r.keyId && e.data.policyHash === r.policyHash) ||
        (e.type === 'approver_set' && r.approvals.some((a) => a.by === e.data.name)),
    );
    return {
      version: 1,
      request: {
        id: r.id,
        keyId: r.keyId,
        kind: r.kind,
        request: r.request,
        digest: r.digest,
        summary: r.summary,
        initiator: r.initiator,
        status: r.status,
        ...(r.policyHash ? { policyHash: r.policyHash } : {}),
        ...(r.decision ? { decision: { action: r.decision.action, rule: r.decision.rule } } : {}),
        expiresAt: new Date(r.expiresAt).toISOString(),
        ...(r.signature ? { signature: r.signature } : {}),
        ...(r.nodes ? { nodes: r.nodes } : {}),
        ...(r.sessionId ? { sessionId: r.sessionId } : {}),
        createdAt: r.createdAt,
      },
      key: { id: key.id, publicKey: key.publicKey, address: key.address },
      ...(text && r.policyHash ? { policy: { hash: r.policyHash, text } } : {}),
      approvals: r.approvals.map((a) => ({ ...a })),
      approvers,
      coordinator: { peerId: this.peerId, publicKey: this.auditPublicKey },
      auditEntries: entries,
    };
  }

  static async start(o: StartCoordinatorOptions): Promise<Coordinator> {
    const config = loadCoordinatorConfig(o.dir);
    const id = loadIdentity(config.identityFile);
    if (id.peerId !== config.clusterConfig.coordinator.peerId) {
      throw new Error(`identity ${id.peerId} is not the coordinator of ${config.cluster}`);
    }
    const store = await CoordinatorStore.open(config.dataDir);
    try {
      const host = await createHost({
        privateKey: id.privateKey,
        listen: config.listen,
        peers: config.clusterConfig.nodes,
        keepAlive: config.clusterConfig.nodes.map((n) => n.peerId),
      });
      const c = new Coordinator(config, host, store, o.logger ?? pino({ level: 'silent' }), id.peerId, id.signingKey);
      await c.loadPrincipals();
      await c.rescheduleAll();
      if (config.presignDepth > 0) {
        for (const k of await store.listKeys()) c.prefill(k);
        c.maintainTimer = setInterval(() => void c.maintainPresigns().catch((e: unknown) => c.log.warn({ event: 'presign_maintain_failed', err: e }, 'presign upkeep failed')), PRESIGN_MAINTAIN_MS);
        c.maintainTimer.unref();
      }
      return c;
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.maintainTimer);
    this.wakeRefills();
    for (const w of this.slotWaiters.splice(0)) w();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.control.close();
    await this.host.stop();
    // refills end once their requests fail with the host stopped; none touches the store after this
    await this.presignsSettled();
    await this.store.close();
  }

  private get nodes() {
    return this.config.clusterConfig.nodes;
  }

  // ---------- control client ----------

  /** Sends one control request to node `index`; returns its final response. */
  async request(
    index: number,
    req: ControlRequest,
    onProgress?: (round: number, rounds: number) => void,
    expect: { parties?: number; partialBytes?: number } = {},
    timeout = this.config.requestTimeoutMs,
  ): Promise<ControlResponse> {
    const node = this.nodes.find((n) => n.index === index);
    if (!node) throw new Error(`no node ${index}`);
    for (let attempt = 0; ; attempt++) {
      const ch = await this.control.take(node.peerId, AbortSignal.timeout(timeout));
      let answered = false;
      try {
        await ch.lp.write(encodeControlRequest(req), { signal: AbortSignal.timeout(timeout) });
        for (;;) {
          const frame = await readFrame(ch.lp, timeout);
          answered = true;
          const r = decodeControlResponse(frame, expect);
          if ('progress' in r) {
            onProgress?.(r.progress.round, r.progress.rounds);
            continue;
          }
          this.control.give(node.peerId, ch);
          return r;
        }
      } catch (e) {
        const err = asError(e);
        this.control.discard(ch, err);
        // A reused stream the node had closed meanwhile (it restarted, or dropped the stream)
        // fails before any answer: once more on a fresh stream. Never after a timeout or an
        // answer, so a request the node is working on is not sent twice.
        if (ch.reused && !answered && attempt === 0 && err.name !== 'TimeoutError' && err.name !== 'AbortError') continue;
        throw err;
      }
    }
  }

  private async probe(peerId: string): Promise<boolean> {
    const pid = peerIdFromString(peerId);
    if (this.host.getConnections(pid).some((c) => c.status === 'open')) return true;
    try {
      await this.host.dial(pid, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      return true;
    } catch {
      return false;
    }
  }

  /** Asks every node for its status (a real round trip, not the connection table). */
  async health() {
    const nodes = await Promise.all(
      this.nodes.map(async (n) => {
        const base = { index: n.index, name: n.name, peerId: n.peerId };
        try {
          const r = await this.request(n.index, { status: {} }, undefined, {}, PROBE_TIMEOUT_MS);
          if (!('status' in r) || r.status.peerId !== n.peerId) return { ...base, reachable: false };
          return { ...base, reachable: true, keys: r.status.keys, sessions: r.status.sessions };
        } catch {
          return { ...base, reachable: false };
        }
      }),
    );
    return { status: nodes.every((n) => n.reachable) ? ('ok' as const) : ('degraded' as const), peerId: this.peerId, nodes };
  }

  // ---------- keys ----------

  async createKey(name: string, onProgress?: (index: number, round: number, rounds: number) => void): Promise<KeyRecord> {
    const sessionId = new Uint8Array(randomBytes(32));
    const parties = this.nodes.map((n) => ({ index: n.index, peerId: n.peerId }));
    const n = parties.length;
    const t = this.config.clusterConfig.threshold;
    this.log.info({ event: 'dkg_started', sessionId: toHex(sessionId), name, n, t }, `DKG started for key "${name}"`);
    const results = await Promise.allSettled(
      parties.map((p) => this.request(p.index, { dkg: { sessionId, threshold: t, parties, name } }, (r, rs) => {
        this.log.info({ event: 'dkg_progress', sessionId: toHex(sessionId), node: p.index, round: r, rounds: rs }, `DKG node ${p.index} round ${r}/${rs}`);
        onProgress?.(p.index, r, rs);
      }, { parties: n })),
    );
    const outs = results.map((r, i) => {
      if (r.status === 'rejected') throw new ApiError(503, 'ERR_NODE_UNAVAILABLE', `node ${parties[i]!.index} did not complete the DKG: ${asError(r.reason).message}`);
      if ('failure' in r.value) throw new ApiError(502, 'ERR_DKG_FAILED', `node ${parties[i]!.index}: ${r.value.failure.code}: ${r.value.failure.message}`, { failure: r.value.failure });
      if (!('dkg' in r.value)) throw new ApiError(502, 'ERR_DKG_FAILED', `node ${parties[i]!.index} sent an unexpected answer`);
      return r.value.dkg;
    });
    const first = outs[0]!;
    const same = (a: Uint8Array, b: Uint8Array) => toHex(a) === toHex(b);
    for (const o of outs) {
      if (!same(o.keyId, first.keyId) || !same(o.publicKey, first.publicKey) || o.publicShares.some((s, i) => !same(s, first.publicShares[i]!))) {
        throw new ApiError(502, 'ERR_DKG_FAILED', `node ${o.index} reports a different key id or public key; the key is not usable`);
      }
    }
    const uncompressed = secp256k1.Point.fromBytes(first.publicKey).toBytes(false);
    const rec: KeyRecord = {
      // The DKG derives the key id from the request and every party's fresh contribution.
      id: toHex(first.keyId),
      name,
      publicKey: toHex(first.publicKey),
      address: publicKeyToAddress(`0x${toHex(uncompressed)}`),
      threshold: t,
      parties,
      publicShares: first.publicShares.map(toHex),
      createdAt: new Date().toISOString(),
      bannedPairs: [],
    };
    await this.record('key_created', 'admin', { keyId: rec.id, name, publicKey: rec.publicKey, address: rec.address, threshold: t, parties: parties.map((p) => p.index), sessionId: toHex(sessionId) });
    await this.store.putKey(rec);
    this.log.info({ event: 'dkg_done', keyId: rec.id, address: rec.address }, `key "${name}" created: ${rec.address}`);
    this.prefill(rec);
    return rec;
  }

  private readonly policyCache = new Map<string, ReturnType<typeof loadPolicy>>();
  /** Parsed policies by hash (the text of a hash never changes). */
  private parsed(p: StoredPolicy): ReturnType<typeof loadPolicy> {
    let v = this.policyCache.get(p.hash);
    if (!v) {
      if (this.policyCache.size > 256) this.policyCache.clear();
      this.policyCache.set(p.hash, (v = loadPolicy(p.text)));
    }
    return v;
  }

  getKey(id: string) {
    return this.store.getKey(id);
  }
  listKeys() {
    return this.store.listKeys();
  }

  // ---------- signing ----------

  /** Signing pairs to try, reachable nodes first, rotating so load spreads over pairs. */
  private async candidatePairs(key: KeyRecord, only?: readonly [number, number]): Promise<[number, number][]> {
    const reach = await Promise.all(key.parties.map(async (p) => [p.index, await this.probe(p.peerId)] as const));
    const up = reach.filter(([, r]) => r).map(([i]) => i);
    const pairs: [number, number][] = [];
    for (let a = 0; a < up.length; a++) {
      for (let b = a + 1; b < up.length; b++) {
        const p: [number, number] = [up[a]!, up[b]!];
        if (!pairBanned(key, p[0], p[1])) pairs.push(p);
      }
    }
    if (only) return pairs.filter(([a, b]) => (a === only[0] && b === only[1]) || (a === only[1] && b === only[0])).map(() => [only[0], only[1]]);
    const k = pairs.length ? this.rotation++ % pairs.length : 0;
    return [...pairs.slice(k), ...pairs.slice(0, k)].map(([a, b]) => (this.rotation % 2 ? [a, b] : [b, a]));
  }

  /**
   * Signs `digest` with key `keyId`. `pair` restricts signing to that (initiator, responder);
   * `first` tries that pair first and falls back to others (operators and tests).
   */
  // ---------- governance (admin-signed changes, applied by every node) ----------

  private async pushAdminRecord(record: Uint8Array): Promise<{ index: number; ok: boolean; error?: string }[]> {
    return Promise.all(
      this.nodes.map(async (n) => {
        try {
          let r = await this.request(n.index, { admin: { record } }, undefined, {}, PROBE_TIMEOUT_MS * 5);
          if ('failure' in r && r.failure.code === 'ERR_ADMIN_QUORUM') {
            // the node may have missed an admin-set change (it was down): send that, then retry once
            const a = await this.adminSetRecord();
            if (a) {
              await this.request(n.index, { admin: { record: a } }, undefined, {}, PROBE_TIMEOUT_MS * 5);
              r = await this.request(n.index, { admin: { record } }, undefined, {}, PROBE_TIMEOUT_MS * 5);
            }
          }
          if ('failure' in r) return { index: n.index, ok: false, error: `${r.failure.code}: ${r.failure.message}` };
          return { index: n.index, ok: true };
        } catch (e) {
          return { index: n.index, ok: false, error: `unreachable: ${asError(e).message}` };
        }
      }),
    );
  }

  /** The stored admin-set change with its signatures, as the record a node applies (undefined: none yet). */
  private async adminSetRecord(): Promise<Uint8Array | undefined> {
    const a = await this.store.getAdminSet();
    return a && encodeDocument({ change: { type: 'admins', admins: a.admins, quorum: a.quorum, seq: a.seq }, signatures: a.signatures });
  }

  /** The admin set admin changes are checked against: the last admin-set change's, else cluster.json's (seq 0). */
  async adminSet(): Promise<{ admins: readonly AdminKey[]; quorum: number; seq: number }> {
    const a = await this.store.getAdminSet();
    const c = this.config.clusterConfig;
    return a ? { admins: a.admins, quorum: a.quorum, seq: a.seq } : { admins: c.admins, quorum: c.adminQuorum, seq: 0 };
  }

  /** Checks the admin quorum like a node would; a 400 carries the statement to sign. */
  private async requireQuorum(change: AdminChange, signatures: readonly Signed[]): Promise<void> {
    const set = await this.adminSet();
    const ok = adminSigners(change, signatures, set.admins);
    if (ok.length < set.quorum) {
      throw new ApiError(400, 'ERR_ADMIN_QUORUM', `${ok.length} valid admin signature(s), ${set.quorum} needed: sign "statement" with an admin key`, {
        statement: Buffer.from(adminChangeBytes(change)).toString('hex'),
        change: change as unknown as Record<string, unknown>,
      });
    }
  }

  /**
   * Replaces the admin set and quorum (signed by the quorum of the current set), on the
   * coordinator and every reachable node; later admin changes need the new set's quorum.
   */
  async setAdmins(admins: readonly AdminKey[], quorum: number, signatures: readonly Signed[], seq?: number) {
    const problem = adminSetProblem(admins, quorum);
    if (problem) throw new ApiError(400, 'ERR_BAD_REQUEST', problem);
    const cur = await this.adminSet();
    const change: AdminSetChange = { type: 'admins', admins: admins.map((a) => ({ name: a.name, publicKey: a.publicKey })), quorum, seq: seq ?? cur.seq + 1 };
    if (change.seq <= cur.seq) throw new ApiError(409, 'ERR_STALE_CHANGE', `seq ${change.seq} is not newer than the current ${cur.seq}`);
    await this.requireQuorum(change, signatures);
    await this.record('admins_set', signers(signatures), { admins: change.admins.map((a) => ({ name: a.name, publicKey: a.publicKey })), quorum, seq: change.seq });
    const nodes = await this.pushAdminRecord(encodeDocument({ change, signatures }));
    const refusedBy = nodes.filter((n) => !n.ok && !n.error?.startsWith('unreachable'));
    if (refusedBy.length > 0) throw new ApiError(502, 'ERR_NODE_REFUSED', `node(s) refused the admin set: ${refusedBy.map((n) => `${n.index}: ${n.error}`).join('; ')}`);
    await this.store.putAdminSet({ admins: change.admins, quorum, seq: change.seq, signatures: [...signatures], updatedAt: new Date().toISOString() });
    this.log.warn({ event: 'admins_set', admins: change.admins.map((a) => a.name), quorum, seq: change.seq }, 'admin set replaced');
    return { admins: change.admins, quorum, seq: change.seq, nodes };
  }

  async getPolicy(keyId: string): Promise<StoredPolicy | undefined> {
    return this.store.getPolicy(keyId);
  }

  /** Installs a policy signed by an admin quorum on the coordinator and every reachable node. */
  async setPolicy(keyId: string, text: string, signatures: readonly Signed[], seq?: number) {
    if (!(await this.store.getKey(keyId))) throw new ApiError(404, 'ERR_UNKNOWN_KEY', `no key with id ${keyId}`);
    try {
      loadPolicy(text);
    } catch (e) {
      if (e instanceof PolicyError) throw new ApiError(400, 'ERR_POLICY_INVALID', e.message, { problems: e.problems as unknown as Record<string, unknown> });
      throw e;
    }
    const cur = await this.store.getPolicy(keyId);
    const change: PolicyChange = { type: 'policy', keyId, policyHash: policyHash(text), seq: seq ?? (cur?.seq ?? 0) + 1 };
    if (cur && change.seq <= cur.seq) throw new ApiError(409, 'ERR_STALE_CHANGE', `seq ${change.seq} is not newer than the current ${cur.seq}`);
    await this.requireQuorum(change, signatures);
    await this.record('policy_set', signers(signatures), { keyId, policyHash: change.policyHash, seq: change.seq });
    const nodes = await this.pushAdminRecord(encodeDocument({ change, signatures, policyText: text }));
    const refusedBy = nodes.filter((n) => !n.ok && !n.error?.startsWith('unreachable'));
    if (refusedBy.length > 0) throw new ApiError(502, 'ERR_NODE_REFUSED', `node(s) refused the policy: ${refusedBy.map((n) => `${n.index}: ${n.error}`).join('; ')}`);
    const stored: StoredPolicy = { keyId, text, hash: change.policyHash, seq: change.seq, signatures: [...signatures], updatedAt: new Date().toISOString() };
    await this.store.putPolicyText(stored.hash, text);
    await this.store.putPolicy(stored);
    this.log.info({ event: 'policy_set', keyId, hash: stored.hash, seq: stored.seq }, 'policy installed');
    return { keyId, hash: stored.hash, seq: stored.seq, nodes };
  }

  listApprovers(): Promise<StoredApprover[]> {
    return this.store.listApprovers();
  }

  /** Registers (or updates, or with publicKey "" removes) an approver, admin-signed. */
  async setApprover(name: string, publicKey: string, roles: readonly string[], signatures: readonly Signed[], seq?: number) {
    const cur = await this.store.getApprover(name);
    const change: ApproverChange = { type: 'approver', name, publicKey, roles: [...new Set(roles)], seq: seq ?? (cur?.seq ?? 0) + 1 };
    if (cur && change.seq <= cur.seq) throw new ApiError(409, 'ERR_STALE_CHANGE', `seq ${change.seq} is not newer than the current ${cur.seq}`);
    await this.requireQuorum(change, signatures);
    await this.record('approver_set', signers(signatures), { name, publicKey, roles: [...change.roles], seq: change.seq });
    const nodes = await this.pushAdminRecord(encodeDocument({ change, signatures }));
    const refusedBy = nodes.filter((n) => !n.ok && !n.error?.startsWith('unreachable'));
    if (refusedBy.length > 0) throw new ApiError(502, 'ERR_NODE_REFUSED', `node(s) refused the change: ${refusedBy.map((n) => `${n.index}: ${n.error}`).join('; ')}`);
    const stored: StoredApprover = { name, publicKey, roles: change.roles, seq: change.seq, signatures: [...signatures], updatedAt: new Date().toISOString() };
    await this.store.putApprover(stored);
    return { ...stored, nodes };
  }

  // ---------- emergency freeze ----------

  listFreezes(): Promise<StoredFreeze[]> {
    return this.store.listFreezes();
  }

  private async frozen(keyId: string): Promise<StoredFreeze | undefined> {
    for (const scope of ['*', keyId]) {
      const f = await this.store.getFreeze(scope);
      if (f?.frozen) return f;
    }
    return undefined;
  }

  /**
   * Freezes one key or ('*') every key: every reachable node refuses to sign for it until an
   * admin quorum lifts it, and requests waiting for approval or signing fail now.
   */
  async freeze(scope: string, reason: string) {
    if (scope !== '*' && !(await this.store.getKey(scope))) throw new ApiError(404, 'ERR_UNKNOWN_KEY', `no key with id ${scope}`);
    const cur = await this.store.getFreeze(scope);
    const change: FreezeChange = { type: 'freeze', scope, frozen: true, reason, seq: (cur?.seq ?? 0) + 1 };
    await this.record('freeze', 'admin', { scope, reason, seq: change.seq });
    await this.store.putFreeze({ scope, frozen: true, reason, seq: change.seq, signatures: [], updatedAt: new Date().toISOString() });
    const nodes = await this.pushAdminRecord(encodeDocument({ change, signatures: [] }));
    const failedRequests: string[] = [];
    for (const r of await this.store.allRequests()) {
      if ((scope === '*' || r.keyId === scope) && (r.status === 'pending_approval' || r.status === 'signing')) {
        r.status = 'failed';
        r.error = { code: 'ERR_FROZEN', message: `${scope === '*' ? 'the cluster' : 'the key'} was frozen${reason ? `: ${reason}` : ''}` };
        r.updatedAt = new Date().toISOString();
        await this.store.putRequest(r);
        failedRequests.push(r.id);
      }
    }
    this.log.warn({ event: 'frozen', scope, reason, failedRequests: failedRequests.length }, `frozen: ${scope}`);
    return { scope, frozen: true, seq: change.seq, failedRequests, nodes };
  }

  /** Lifts a freeze; needs the admin quorum's signatures (a 400 carries the statement). */
  async unfreeze(scope: string, signatures: readonly Signed[], seq?: number) {
    const cur = await this.store.getFreeze(scope);
    if (!cur?.frozen) throw new ApiError(409, 'ERR_NOT_FROZEN', `${scope === '*' ? 'the cluster' : `key ${scope}`} is not frozen`);
    const change: FreezeChange = { type: 'freeze', scope, frozen: false, reason: '', seq: seq ?? cur.seq + 1 };
    if (change.seq <= cur.seq) throw new ApiError(409, 'ERR_STALE_CHANGE', `seq ${change.seq} is not newer than the current ${cur.seq}`);
    await this.requireQuorum(change, signatures);
    await this.record('unfreeze', signers(signatures), { scope, seq: change.seq });
    const nodes = await this.pushAdminRecord(encodeDocument({ change, signatures }));
    const refusedBy = nodes.filter((n) => !n.ok && !n.error?.startsWith('unreachable'));
    if (refusedBy.length > 0) throw new ApiError(502, 'ERR_NODE_REFUSED', `node(s) refused: ${refusedBy.map((n) => `${n.index}: ${n.error}`).join('; ')}`);
    await this.store.putFreeze({ scope, frozen: false, reason: '', seq: change.seq, signatures: [...signatures], updatedAt: new Date().toISOString() });
    this.log.warn({ event: 'unfrozen', scope }, `unfrozen: ${scope}`);
    return { scope, frozen: false, seq: change.seq, nodes };
  }

  /** Re-sends the stored governance records to a node that missed them (it was down). */
  private async resync(index: number, keyId: string, rec?: SignRequestRecord): Promise<void> {
    const docs: Uint8Array[] = [];
    // the admin set first: the other records may be signed by admins it adds
    const admins = await this.adminSetRecord();
    if (admins) docs.push(admins);
    for (const f of await this.store.listFreezes()) {
      if (f.scope === '*' || f.scope === keyId) {
        docs.push(encodeDocument({ change: { type: 'freeze', scope: f.scope, frozen: f.frozen, reason: f.reason, seq: f.seq }, signatures: f.signatures }));
      }
    }
    for (const a of await this.store.listApprovers()) {
      docs.push(encodeDocument({ change: { type: 'approver', name: a.name, publicKey: a.publicKey, roles: a.roles, seq: a.seq }, signatures: a.signatures }));
    }
    const p = await this.store.getPolicy(keyId);
    if (p) docs.push(encodeDocument({ change: { type: 'policy', keyId, policyHash: p.hash, seq: p.seq }, signatures: p.signatures, policyText: p.text }));
    // after the policy: a node evaluates its own policy on the announced request
    if (rec?.notBefore !== undefined) docs.push(announcement(rec));
    for (const d of docs) await this.request(index, { admin: { record: d } }, undefined, {}, PROBE_TIMEOUT_MS * 5).catch(() => undefined);
  }

  // ---------- signing requests ----------

  private history(reqs: readonly SignRequestRecord[], except: string): HistoryEntry[] {
    return reqs
      .filter((r) => r.id !== except && (r.status === 'signed' || r.status === 'signing'))
      .map((r) => ({ at: Date.parse(r.createdAt), spent: spentBy(r.summary) }));
  }

  /** Marks a pending request expired once its approval window has passed. */
  private async refresh(r: SignRequestRecord): Promise<SignRequestRecord> {
    if (r.status === 'pending_approval' && Date.now() >= r.expiresAt) {
      r.status = 'expired';
      r.updatedAt = new Date().toISOString();
      await this.store.putRequest(r);
    }
    return r;
  }

  async getSignRequest(id: string): Promise<SignRequestRecord | undefined> {
    const r = await this.store.getRequest(id);
    return r ? this.refresh(r) : undefined;
  }

  /**
   * A new signing request: decoded (digest + summary), evaluated under the key's policy, then
   * rejected, held for approvals, or signed at once. `opts.pair`/`opts.first` pick signers
   * (operators and tests).
   */
  async submit(
    body: Record<string, unknown>,
    opts: { initiator: string; idempotencyKey?: string; pair?: readonly [number, number]; first?: readonly [number, number] },
  ): Promise<{ record: SignRequestRecord; existing: boolean }> {
    const keyId = String(body.keyId ?? '').toLowerCase();
    if (opts.idempotencyKey) {
      const prev = await this.store.requestByIdempotencyKey(opts.initiator, opts.idempotencyKey);
      if (prev) {
        if (prev.keyId !== keyId) throw new ApiError(409, 'ERR_IDEMPOTENCY_CONFLICT', 'this idempotencyKey was used for another request');
        return { record: await this.refresh(prev), existing: true };
      }
    }
    const key = await this.store.getKey(keyId);
    if (!key) throw new ApiError(404, 'ERR_UNKNOWN_KEY', `no key with id ${keyId}`);
    const fz = await this.frozen(keyId);
    if (fz) throw new ApiError(423, 'ERR_FROZEN', `${fz.scope === '*' ? 'the cluster' : 'this key'} is frozen${fz.reason ? `: ${fz.reason}` : ''}; an admin quorum must unfreeze it`);
    const { request, decoded } = decodeRequestBody(body);
    const now = Date.now();
    const stored = await this.store.getPolicy(keyId);
    const rec: SignRequestRecord = {
      id: randomUUID(),
      keyId,
      kind: decoded.kind,
      request,
      digest: decoded.digest,
      summary: decoded.summary,
      initiator: opts.initiator,
      ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
      status: 'signing',
      ...(stored ? { policyHash: stored.hash } : {}),
      expiresAt: now + APPROVAL_WINDOW_MS,
      approvals: [],
      attempts: [],
      createdAt: new Date(now).toISOString(),
      updatedAt: new Date(now).toISOString(),
    };
    if (!stored) {
      rec.status = 'rejected';
      rec.rejection = { rule: null, reason: 'the key has no policy: everything is denied until an admin installs one' };
    } else {
      const policy = this.parsed(stored);
      if (policy.simulate && decoded.transaction) rec.simulation = await simulate(policy.simulate.rpcUrl, key.address, decoded.transaction);
      const d = evaluate(policy, decoded.summary, { now, history: usesHistory(policy) ? this.history(await this.store.requestsSince(keyId, now - MAX_WINDOW_MS), rec.id) : [] });
      rec.decision = { action: d.action, rule: d.rule, ...(d.approvals ? { approvals: { ...d.approvals } } : {}), explanation: d.explanation };
      if (rec.simulation && !rec.simulation.ok && policy.simulate?.denyOnRevert) {
        rec.decision = { action: 'deny', rule: 'simulate.denyOnRevert', explanation: [`simulation: ${rec.simulation.error}`, ...d.explanation] };
        rec.status = 'rejected';
        rec.rejection = { rule: 'simulate.denyOnRevert', reason: `the transaction reverts in simulation: ${rec.simulation.error}` };
      } else if (d.action === 'deny') {
        rec.status = 'rejected';
        rec.rejection = { rule: d.rule, reason: d.rule ? `denied by rule "${d.rule}"` : 'no rule allows it (default deny)' };
      } else {
        if (d.delayMs !== undefined) {
          rec.status = 'pending_approval';
          rec.notBefore = now + d.delayMs;
          // approvals and the request must outlive the cooling-off period
          (rec as { expiresAt: number }).expiresAt = Math.max(rec.expiresAt, rec.notBefore + APPROVAL_WINDOW_MS);
          if (d.cancel) rec.cancelQuorum = { ...d.cancel };
          rec.cancellations = [];
        }
        if (d.action === 'require_approvals') {
          rec.status = 'pending_approval';
          const statement = approvalBytes({ requestId: rec.id, keyId, initiator: rec.initiator, digest: rec.digest, summary: rec.summary, policyHash: stored.hash, rule: d.rule!, expiresAt: rec.expiresAt });
          (rec as { approvalStatement?: string }).approvalStatement = Buffer.from(statement).toString('hex');
        }
      }
    }
    await this.record('request_created', rec.initiator, {
      requestId: rec.id,
      keyId,
      kind: rec.kind,
      digest: rec.digest,
      summary: rec.summary as unknown as Json,
      policyHash: rec.policyHash ?? null,
      decision: rec.decision?.action ?? 'deny',
      rule: rec.decision?.rule ?? rec.rejection?.rule ?? null,
      status: rec.status,
    });
    await this.store.createRequest(rec);
    if (rec.notBefore !== undefined) {
      // every node starts its own cooling-off clock now (node/src/authorize.ts)
      const told = await this.pushAdminRecord(announcement(rec));
      for (const n of told.filter((t) => !t.ok)) this.log.warn({ event: 'announce_refused', requestId: rec.id, node: n.index, error: n.error }, `node ${n.index} did not take the announcement of ${rec.id}: ${n.error}`);
      // nodes count from when the announcement reached them: never release before that
      rec.notBefore = Math.max(rec.notBefore, Date.now() + (rec.notBefore - now) + 250);
      await this.store.putRequest(rec);
      this.schedule(rec);
    }
    this.log.info({ event: 'sign_request', requestId: rec.id, keyId, kind: rec.kind, status: rec.status, rule: rec.decision?.rule ?? null, initiator: rec.initiator }, `sign request ${rec.status}`);
    if (rec.status === 'signing') await this.sign(rec, key, opts);
    return { record: rec, existing: false };
  }

  /** Adds one approval; signs when the quorum is complete. */
  async approve(id: string, approver: string, signature: string): Promise<SignRequestRecord> {
    const rec = await this.getSignRequest(id);
    if (!rec) throw new ApiError(404, 'ERR_UNKNOWN_REQUEST', `no sign request with id ${id}`);
    if (rec.status !== 'pending_approval') throw new ApiError(409, 'ERR_NOT_PENDING', `the request is ${rec.status}`);
    if (await this.frozen(rec.keyId)) throw new ApiError(423, 'ERR_FROZEN', 'the key is frozen');
    const stored = await this.store.getPolicy(rec.keyId);
    if (!stored || stored.hash !== rec.policyHash) {
      rec.status = 'failed';
      rec.error = { code: 'ERR_POLICY_CHANGED', message: 'the key\'s policy changed after the request was made; submit it again' };
      await this.store.putRequest(rec);
      throw new ApiError(409, 'ERR_POLICY_CHANGED', rec.error.message);
    }
    const registry = (await this.store.listApprovers()).filter((a) => a.publicKey !== '');
    const statement = { requestId: rec.id, keyId: rec.keyId, initiator: rec.initiator, digest: rec.digest, summary: rec.summary, policyHash: stored.hash, rule: rec.decision!.rule!, expiresAt: rec.expiresAt };
    const all = [...rec.approvals.map((a) => ({ by: a.by, signature: a.signature })), { by: approver, signature }];
    const check = checkApprovals(statement, all, registry, rec.decision!.approvals ?? {}, Date.now());
    const mine = check.refused.find((r) => r.by === approver && !check.valid.includes(approver));
    if (mine) throw new ApiError(mine.reason === 'already counted' ? 409 : 400, mine.reason === 'already counted' ? 'ERR_DUPLICATE_APPROVAL' : 'ERR_BAD_APPROVAL', `${approver}: ${mine.reason}`);
    if (rec.approvals.some((a) => a.by === approver)) throw new ApiError(409, 'ERR_DUPLICATE_APPROVAL', `${approver} has already approved`);
    await this.record('approval', approver, { requestId: rec.id, keyId: rec.keyId, digest: rec.digest, signature });
    rec.approvals.push({ by: approver, signature, at: new Date().toISOString() });
    rec.updatedAt = new Date().toISOString();
    this.log.info({ event: 'approval', requestId: rec.id, approver }, `approval by ${approver}`);
    if (Object.keys(check.missing).length === 0 && (rec.notBefore ?? 0) <= Date.now()) {
      rec.status = 'signing';
      await this.store.putRequest(rec);
      const key = (await this.store.getKey(rec.keyId))!;
      await this.sign(rec, key, {});
    } else {
      await this.store.putRequest(rec);
    }
    return rec;
  }

  // ---------- cooling-off periods and cancel quorums ----------

  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  private schedule(rec: SignRequestRecord): void {
    if (rec.notBefore === undefined || this.timers.has(rec.id)) return;
    const t = setTimeout(() => {
      this.timers.delete(rec.id);
      void this.release(rec.id).catch((e: unknown) => this.log.error({ event: 'release_failed', requestId: rec.id, err: e }, 'delayed request could not be signed'));
    }, Math.max(0, rec.notBefore - Date.now()) + 25);
    t.unref?.();
    this.timers.set(rec.id, t);
  }

  /** Signs a delayed request once its cooling-off period is over and its approvals are in. */
  private async release(id: string): Promise<void> {
    const rec = await this.getSignRequest(id);
    if (!rec || rec.status !== 'pending_approval' || (rec.notBefore ?? 0) > Date.now()) return;
    if (rec.decision?.action === 'require_approvals') {
      const stored = await this.store.getPolicy(rec.keyId);
      const registry = (await this.store.listApprovers()).filter((a) => a.publicKey !== '');
      const check = checkApprovals(
        { requestId: rec.id, keyId: rec.keyId, initiator: rec.initiator, digest: rec.digest, summary: rec.summary, policyHash: stored?.hash ?? '', rule: rec.decision.rule!, expiresAt: rec.expiresAt },
        rec.approvals.map((a) => ({ by: a.by, signature: a.signature })),
        registry,
        rec.decision.approvals ?? {},
        Date.now(),
      );
      if (Object.keys(check.missing).length > 0) return; // the last approval will release it
    }
    rec.status = 'signing';
    await this.store.putRequest(rec);
    await this.sign(rec, (await this.store.getKey(rec.keyId))!, {});
  }

  /** Re-arms the timers of delayed requests after a restart. */
  private async rescheduleAll(): Promise<void> {
    for (const r of await this.store.allRequests()) if (r.status === 'pending_approval' && r.notBefore !== undefined) this.schedule(r);
  }

  /**
   * An approver's signed "no": any registered approver holding a role the decision asks for
   * can reject a pending request; it is rejected at once and every node refuses it.
   */
  async reject(id: string, approver: string, signature: string): Promise<SignRequestRecord> {
    const rec = await this.getSignRequest(id);
    if (!rec) throw new ApiError(404, 'ERR_UNKNOWN_REQUEST', `no sign request with id ${id}`);
    if (rec.status !== 'pending_approval') throw new ApiError(409, 'ERR_NOT_PENDING', `the request is ${rec.status}`);
    const who = (await this.store.listApprovers()).find((a) => a.name === approver && a.publicKey !== '');
    const roles = Object.keys({ ...(rec.decision?.approvals ?? {}), ...(rec.cancelQuorum ?? {}) });
    if (!who || !who.roles.some((r) => roles.includes(r))) throw new ApiError(400, 'ERR_BAD_REJECTION', `${approver} is not an approver of this request`);
    if (!verifyEd25519(who.publicKey, rejectBytes({ requestId: rec.id, keyId: rec.keyId, digest: rec.digest }), signature)) throw new ApiError(400, 'ERR_BAD_REJECTION', `${approver}: signature does not verify over the reject statement`);
    await this.record('rejection', approver, { requestId: rec.id, keyId: rec.keyId, signature });
    rec.status = 'rejected';
    rec.rejection = { rule: rec.decision?.rule ?? null, reason: `rejected by approver ${approver}` };
    rec.updatedAt = new Date().toISOString();
    clearTimeout(this.timers.get(rec.id));
    this.timers.delete(rec.id);
    await this.store.putRequest(rec);
    await this.pushAdminRecord(encodeDocument({ cancel: { requestId: rec.id } }));
    return rec;
  }

  /** A cancel-quorum member's signature over the cancel statement; enough of them stop the request. */
  async cancel(id: string, approver: string, signature: string): Promise<SignRequestRecord> {
    const rec = await this.getSignRequest(id);
    if (!rec) throw new ApiError(404, 'ERR_UNKNOWN_REQUEST', `no sign request with id ${id}`);
    if (rec.status !== 'pending_approval' || !rec.cancelQuorum) throw new ApiError(409, 'ERR_NOT_CANCELLABLE', `the request is ${rec.status}${rec.cancelQuorum ? '' : ' and has no cancel quorum'}`);
    const registry = (await this.store.listApprovers()).filter((a) => a.publicKey !== '');
    const all = [...(rec.cancellations ?? []).map((a) => ({ by: a.by, signature: a.signature })), { by: approver, signature }];
    const check = checkCancellations({ requestId: rec.id, keyId: rec.keyId, digest: rec.digest, expiresAt: rec.expiresAt }, all, registry, rec.cancelQuorum, Date.now());
    const mine = check.refused.find((r) => r.by === approver && !check.valid.includes(approver));
    if (mine) throw new ApiError(mine.reason === 'already counted' ? 409 : 400, 'ERR_BAD_CANCELLATION', `${approver}: ${mine.reason}`);
    await this.record('cancellation', approver, { requestId: rec.id, keyId: rec.keyId, signature });
    (rec.cancellations ??= []).push({ by: approver, signature, at: new Date().toISOString() });
    if (Object.keys(check.missing).length === 0) {
      rec.status = 'rejected';
      rec.rejection = { rule: rec.decision?.rule ?? null, reason: `cancelled during the cooling-off period by ${check.valid.join(', ')}` };
      clearTimeout(this.timers.get(rec.id));
      this.timers.delete(rec.id);
      await this.pushAdminRecord(encodeDocument({ cancel: { requestId: rec.id } }));
      await this.record('cancelled', 'coordinator', { requestId: rec.id, keyId: rec.keyId, by: [...check.valid] });
    }
    rec.updatedAt = new Date().toISOString();
    await this.store.putRequest(rec);
    return rec;
  }

  /** Compatibility for operators and tests: a raw-digest request as the admin. */
  async signDigest(keyId: string, digest: Uint8Array, opts: { pair?: readonly [number, number]; first?: readonly [number, number] } = {}): Promise<SignRequestRecord> {
    return (await this.submit({ keyId, kind: 'digest', digest: `0x${toHex(digest)}` }, { initiator: 'admin', ...opts })).record;
  }

  /** Sign requests being signed now, and when the last one started or ended (refills wait for quiet). */
  private signing = 0;
  private lastSigning = 0;

  /** Refills waiting for the last signing request to end. */
  private idleWaiters: (() => void)[] = [];

  private async sign(rec: SignRequestRecord, key: KeyRecord, opts: { pair?: readonly [number, number]; first?: readonly [number, number] }): Promise<void> {
    this.signing++;
    this.lastSigning = Date.now();
    try {
      await this.signAttempts(rec, key, opts);
    } finally {
      this.signing--;
      this.lastSigning = Date.now();
      if (this.signing === 0) this.wakeRefills();
    }
  }

  /** Presign sessions running now, over all keys and pairs (at most PRESIGN_CONCURRENCY). */
  private presignRunning = 0;
  private slotWaiters: (() => void)[] = [];

  /**
   * Waits for one of PRESIGN_CONCURRENCY presign slots: however many pairs and keys need refills
   * (after an upkeep, say, with many keys), the nodes run only that many presign sessions at once.
   */
  private async presignSlot(): Promise<void> {
    while (!this.stopping && this.presignRunning >= PRESIGN_CONCURRENCY) await new Promise<void>((r) => this.slotWaiters.push(r));
    this.presignRunning++;
  }

  private releasePresignSlot(): void {
    this.presignRunning--;
    this.slotWaiters.shift()?.();
  }

  private wakeRefills(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }

  /**
   * Resolves once no request has been signing for PRESIGN_REFILL_QUIET_MS: presign sessions
   * start in the gaps between requests (on a busy cluster the pool stays empty and every request
   * runs all three rounds, as without a pool). One that has started when a request arrives runs
   * on beside it. While requests are signing this waits for the last one to end (no polling).
   */
  private async quiet(): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      if (this.signing > 0) {
        await new Promise<void>((r) => this.idleWaiters.push(r));
        continue;
      }
      const since = Date.now() - this.lastSigning;
      if (since >= PRESIGN_REFILL_QUIET_MS) return;
      await new Promise<void>((r) => setTimeout(r, PRESIGN_REFILL_QUIET_MS - since).unref());
    }
  }

  private async signAttempts(rec: SignRequestRecord, key: KeyRecord, opts: { pair?: readonly [number, number]; first?: readonly [number, number] }): Promise<void> {
    const keyId = key.id;
    const digest = fromHex(rec.digest.slice(2));
    const authorization = encodeDocument({
      requestId: rec.id,
      keyId,
      initiator: rec.initiator,
      expiresAt: rec.expiresAt,
      request: rec.request,
      policyHash: rec.policyHash,
      approvals: rec.approvals.map((a) => ({ by: a.by, signature: a.signature })),
    });
    const tried = new Set<string>();
    const excluded = new Set<number>();
    const resynced = new Set<number>();
    let pairs = await this.candidatePairs(key, opts.pair);
    const first = opts.first;
    if (first && pairs.some(([a, b]) => (a === first[0] && b === first[1]) || (a === first[1] && b === first[0]))) {
      pairs = [[first[0], first[1]], ...pairs];
    }
    // A pair with a presignature ready goes first, unless the caller chose the pair. For a chosen
    // pair (`pair`, or `first` for that pair) a presignature is used only if it ran in that order.
    const chosen = opts.pair ?? opts.first;
    const strict = (p: readonly [number, number]) => opts.pair !== undefined || (first !== undefined && Math.min(...p) === Math.min(...first) && Math.max(...p) === Math.max(...first));
    if (!chosen) {
      const now = Date.now();
      const ready = pairs.filter((p) => this.presigns.has(keyId, p, now));
      pairs = [...ready, ...pairs.filter((p) => !ready.includes(p))];
    }
    /** Pairs whose presignature a node no longer had: retried once without one. */
    const fresh = new Set<string>();
    while (true) {
      const unordered = ([a, b]: readonly [number, number]) => `${Math.min(a, b)}/${Math.max(a, b)}`;
      const candidate = pairs.find((p) => !tried.has(unordered(p)) && !excluded.has(p[0]) && !excluded.has(p[1]));
      if (!candidate) break;
      tried.add(unordered(candidate));
      const pre = fresh.has(unordered(candidate)) ? undefined : this.presigns.take(keyId, candidate, Date.now(), strict(candidate));
      // a presignature fixes who is initiator: its session ran in that order
      const pair: readonly [number, number] = pre ? pre.pair : candidate;
      const sessionId = pre ? pre.sessionId : new Uint8Array(randomBytes(32));
      try {
        await this.record('signing_session', 'coordinator', { requestId: rec.id, keyId, nodes: [...pair], sessionId: toHex(sessionId), presigned: pre !== undefined });
      } catch (e) {
        rec.status = 'failed';
        rec.error = { code: 'ERR_AUDIT', message: (e as Error).message };
        rec.updatedAt = new Date().toISOString();
        await this.store.putRequest(rec).catch(() => {});
        return;
      }
      try {
        const sig = await this.signOnce(key, digest, sessionId, pair, authorization, pre !== undefined);
        this.refill(keyId, pair);
        const fz = await this.frozen(keyId);
        if (fz) {
          rec.status = 'failed';
          rec.error = { code: 'ERR_FROZEN', message: `frozen while signing${fz.reason ? `: ${fz.reason}` : ''}; the signature was not released` };
          rec.updatedAt = new Date().toISOString();
          await this.store.putRequest(rec);
          await this.record('sign_failed', 'coordinator', { requestId: rec.id, keyId, code: 'ERR_FROZEN' }).catch(() => {});
          return;
        }
        rec.status = 'signed';
        rec.signature = sig;
        if (TX_KINDS.includes(rec.kind)) {
          const tx = decodeSignRequest(rec.request).transaction!;
          rec.signedTransaction = serializeTransaction(tx, { r: sig.r as Hex, s: sig.s as Hex, yParity: sig.yParity });
          rec.transactionHash = keccak256(rec.signedTransaction as Hex);
        }
        rec.nodes = pair.map((i) => ({ index: i, peerId: key.parties.find((p) => p.index === i)!.peerId }));
        rec.sessionId = toHex(sessionId);
        rec.attempts.push({ nodes: pair, sessionId: toHex(sessionId), ...(pre ? { presigned: true as const } : {}) });
        try {
          await this.record('signed', 'coordinator', { requestId: rec.id, keyId, nodes: [...pair], sessionId: toHex(sessionId), r: sig.r, s: sig.s, yParity: sig.yParity, transactionHash: rec.transactionHash ?? null });
        } catch (e) {
          // fail closed: a signature that could not be recorded is not released
          delete rec.signature;
          delete rec.signedTransaction;
          delete rec.transactionHash;
          rec.status = 'failed';
          rec.error = { code: 'ERR_AUDIT', message: (e as Error).message };
          rec.updatedAt = new Date().toISOString();
          await this.store.putRequest(rec).catch(() => {});
          return;
        }
        rec.updatedAt = new Date().toISOString();
        await this.store.putRequest(rec);
        this.log.info({ event: 'signed', requestId: rec.id, keyId, nodes: pair, sessionId: rec.sessionId }, 'signed');
        return;
      } catch (e) {
        const blame = this.blame(e, pair);
        if (pre && e instanceof NodeFailed && e.failure.code === 'ERR_PRESIGNATURE_UNKNOWN' && !fresh.has(unordered(pair))) {
          // the node restarted (or expired it): its other presignatures are gone too; this pair
          // signs again without one
          this.presigns.forgetNode(e.index);
          fresh.add(unordered(pair));
          tried.delete(unordered(pair));
        } else if (e instanceof NodeFailed && RESYNC_CODES.has(e.failure.code) && !resynced.has(e.index)) {
          // the node missed an admin change while it was down: send it again, then retry the pair
          resynced.add(e.index);
          await this.resync(e.index, keyId, rec);
          tried.delete(unordered(pair));
        } else {
          for (const b of blame.exclude) excluded.add(b);
        }
        if (blame.ban) await this.banPair(key, blame.ban);
        rec.attempts.push({ nodes: pair, sessionId: toHex(sessionId), ...(pre ? { presigned: true as const } : {}), error: { code: blame.code, message: blame.message, ...(blame.culprit ? { culprit: blame.culprit } : {}) } });
        this.log.warn({ event: 'sign_attempt_failed', requestId: rec.id, nodes: pair, code: blame.code, culprit: blame.culprit }, blame.message);
        pairs = await this.candidatePairs((await this.store.getKey(keyId))!, opts.pair);
      }
    }
    if (rec.notBefore !== undefined && rec.attempts.length > 0 && rec.attempts.every((a) => a.error?.code === 'ERR_DELAY') && Date.now() < rec.expiresAt) {
      // some node's cooling-off clock started later (it saw the announcement late): wait
      rec.status = 'pending_approval';
      rec.notBefore = Date.now() + 1000;
      rec.updatedAt = new Date().toISOString();
      await this.store.putRequest(rec);
      this.schedule(rec);
      return;
    }
    rec.status = 'failed';
    rec.error = { code: 'ERR_SIGNING_FAILED', message: rec.attempts.length ? `no signing pair succeeded: ${rec.attempts.map((a) => `[${a.nodes.join(',')}] ${a.error?.code}`).join('; ')}` : 'fewer than two nodes are reachable' };
    await this.record('sign_failed', 'coordinator', { requestId: rec.id, keyId, attempts: rec.attempts.map((a) => ({ nodes: [...a.nodes], sessionId: a.sessionId, code: a.error?.code ?? null })) as unknown as Json }).catch(() => {});
    rec.updatedAt = new Date().toISOString();
    await this.store.putRequest(rec);
  }

  private async banPair(key: KeyRecord, pair: [number, number]): Promise<void> {
    const cur = (await this.store.getKey(key.id)) ?? key;
    await this.store.putKey({ ...cur, bannedPairs: [...cur.bannedPairs, pair] });
  }

  private blame(e: unknown, pair: readonly [number, number]): { exclude: number[]; code: string; message: string; culprit?: number; ban?: [number, number] } {
    if (e instanceof NodeFailed) {
      const f = e.failure;
      const culprit = f.culprit && pair.includes(f.culprit) ? f.culprit : undefined;
      // A refusal or failure without a culprit: the reporting node cannot help with this request.
      const exclude = culprit ? [culprit] : f.failureClass === 'REFUSED' || f.failureClass === 'BUG' ? [e.index] : [];
      return {
        exclude,
        code: f.code,
        message: `node ${e.index}: ${f.message}`,
        ...(culprit ? { culprit } : {}),
        ...(f.failureClass === 'ABORT_BAN' ? { ban: [pair[0], pair[1]] as [number, number] } : {}),
      };
    }
    if (isProtocolError(e)) {
      return { exclude: e.culprit ? [e.culprit] : [], code: e.code, message: e.message, ...(e.culprit ? { culprit: e.culprit } : {}) };
    }
    const idx = (e as { node?: number }).node;
    return { exclude: idx ? [idx] : [], code: 'ERR_NODE_UNAVAILABLE', message: asError(e).message, ...(idx ? { culprit: idx } : {}) };
  }

  /**
   * Keeps the pool of presignatures of (key, pair) at its depth, one presign session at a time
   * per pair, in the background (protocol/SPEC.md §6.6), each started in a quiet gap. A failure
   * stops this refill; the pair's next signature or the upkeep (maintainPresigns) starts another.
   * A ban found by a presign session is recorded as in signing.
   */
  private refill(keyId: string, pair: readonly [number, number]): void {
    if (this.presigns.depth === 0 || this.stopping || !this.presigns.startFill(keyId, pair)) return;
    const [I, R] = pair;
    const run = (async () => {
      try {
        while (!this.stopping && this.presigns.missing(keyId, pair, Date.now()) > 0) {
          // the slot first, then the quiet gap: the session starts right after the gap is seen
          await this.presignSlot();
          try {
            await this.quiet();
            if (this.stopping) return;
            const sessionId = new Uint8Array(randomBytes(32));
            const req = { presign: { keyId: fromHex(keyId), sessionId, initiator: I, responder: R } };
            await Promise.all(
              [I, R].map((i) =>
                this.request(i, req).then((r) => {
                  if ('failure' in r) throw new NodeFailed(i, r.failure);
                  if (!('presign' in r)) throw new NodeFailed(i, { failureClass: 'BUG', code: 'ERR_BAD_ANSWER', culprit: 0, message: 'unexpected answer', round: 0 });
                }),
              ),
            );
            this.presigns.put(keyId, { sessionId, pair: [I, R], at: Date.now() });
          } finally {
            this.releasePresignSlot();
          }
        }
      } catch (e) {
        if (this.stopping) return;
        const blame = this.blame(e, pair);
        const key = await this.store.getKey(keyId);
        if (blame.ban && key) await this.banPair(key, blame.ban);
        this.log.warn({ event: 'presign_failed', keyId, nodes: [I, R], code: blame.code, culprit: blame.culprit }, blame.message);
      } finally {
        this.presigns.endFill(keyId, pair);
      }
    })().catch((e: unknown) => this.log.error({ event: 'presign_refill_error', err: e }, 'presign refill failed'));
    this.refills.add(run);
    void run.finally(() => this.refills.delete(run));
  }

  private async signOnce(key: KeyRecord, digest: Uint8Array, sessionId: Uint8Array, [I, R]: readonly [number, number], authorization: Uint8Array, presigned = false) {
    const start = { sign: { keyId: fromHex(key.id), sessionId, digest, initiator: I, responder: R, authorization, presigned } };
    const ask = (i: number) =>
      this.request(i, start, undefined, { partialBytes: PARTIAL_BYTES }).then(
        (r) => {
          if ('failure' in r) throw new NodeFailed(i, r.failure);
          if (!('sign' in r)) throw new NodeFailed(i, { failureClass: 'BUG', code: 'ERR_BAD_ANSWER', culprit: 0, message: 'unexpected answer', round: 0 });
          return decodePartial(r.sign.partial, i);
        },
        (e: unknown) => {
          throw Object.assign(new Error(`node ${i} unreachable: ${asError(e).message}`), { node: i });
        },
      );
    // Fail fast: if either node fails, do not wait for the other one's round timeout.
    this.log.debug({ event: 'sign_session', nodes: [I, R], sessionId: toHex(sessionId) });
    const partials: PartialSignature[] = await Promise.all([ask(I), ask(R)]);
    this.log.debug({ event: 'partials_received', sessionId: toHex(sessionId) });
    const sig = combine(
      {
        keyId: fromHex(key.id),
        publicKey: fromHex(key.publicKey),
        publicShares: key.publicShares.map(fromHex),
        initiator: I,
        responder: R,
        digest,
        sessionId,
      },
      partials,
    );
    const hex32 = (v: bigint) => `0x${v.toString(16).padStart(64, '0')}`;
    return { r: hex32(sig.r), s: hex32(sig.s), v: 27 + sig.recovery, yParity: sig.recovery };
  }
}
