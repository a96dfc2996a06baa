/**
 * The coordinator's LevelDB: public key records and signing requests. It holds no secret
 * (no share ever reaches the coordinator); the admin token is kept only as a hash in memory.
 */
import { Level } from 'level';
import type { RequestKind, RequestSummary } from '../../proto/request.js';
import type { AdminKey, Signed } from '../../proto/governance.js';
import type { AuditEntry, AuditStorage } from '../../proto/audit.js';

export interface KeyRecord {
  readonly id: string;
  readonly name: string;
  readonly publicKey: string;
  readonly address: string;
  readonly threshold: number;
  readonly parties: readonly { readonly index: number; readonly peerId: string }[];
  readonly publicShares: readonly string[];
  readonly createdAt: string;
  /** Signing pairs a node refused for good after a failed OT/VOLE check (ABORT_BAN). */
  readonly bannedPairs: readonly (readonly [number, number])[];
}

/** Marks a store whose per-key request index is complete (see `buildIndexes`). */
const REQUEST_INDEX_MARK = 'index/requests-by-key/v1';
/** Marks a store whose audit index is complete. */
const AUDIT_INDEX_MARK = 'index/audit/v1';
const seqKey = (seq: number) => String(seq).padStart(12, '0');
/**
 * Index keys of an audit entry: every entry about a request (`data.requestId`), the key_created
 * and policy_set entries of a key, and the approver_set entries of an approver; what an
 * evidence bundle needs.
 */
function auditIndexKeys(e: AuditEntry): string[] {
  const out: string[] = [];
  const d = e.data as { requestId?: unknown; keyId?: unknown; name?: unknown };
  if (typeof d.requestId === 'string') out.push(`req/${d.requestId}/${seqKey(e.seq)}`);
  if ((e.type === 'key_created' || e.type === 'policy_set') && typeof d.keyId === 'string') out.push(`key/${d.keyId}/${seqKey(e.seq)}`);
  if (e.type === 'approver_set' && typeof d.name === 'string') out.push(`approver/${d.name}/${seqKey(e.seq)}`);
  return out;
}
const byKeyIndex = (r: { keyId: string; createdAt: string; id: string }) => `${r.keyId}/${r.createdAt}/${r.id}`;

export type SignStatus = 'pending_approval' | 'signing' | 'signed' | 'rejected' | 'failed' | 'expired';

export interface SignAttempt {
  readonly nodes: readonly number[];
  readonly sessionId: string;
  /** The attempt bound a presignature (only round 3 ran); absent: a full session. */
  readonly presigned?: true;
  readonly error?: { readonly code: string; readonly message: string; readonly culprit?: number };
}

export interface SignRequestRecord {
  readonly id: string;
  readonly keyId: string;
  readonly kind: RequestKind;
  /** The request as submitted (kind and its fields), what nodes decode for themselves. */
  readonly request: Record<string, unknown>;
  readonly digest: string;
  readonly summary: RequestSummary;
  readonly initiator: string;
  readonly idempotencyKey?: string;
  status: SignStatus;
  readonly policyHash?: string;
  decision?: { action: string; rule: string | null; approvals?: Record<string, number>; explanation: readonly string[] };
  /** For rejected requests: the rule that rejected it (null = default deny / no policy) and why. */
  rejection?: { rule: string | null; reason: string };
  /** ms since epoch: approvals do not count after it, and a pending request expires. */
  readonly expiresAt: number;
  /** Hex of the exact bytes an approver signs (proto/governance.ts approvalBytes). */
  readonly approvalStatement?: string;
  approvals: { by: string; signature: string; at: string }[];
  /** The pre-flight simulation, when the key's policy names an RPC URL (transactions only). */
  simulation?: { ok: boolean; gasEstimate?: string; returnData?: string; error?: string; rpcUrl: string };
  /** ms since epoch before which the request is not signed (a rule's cooling-off period). */
  notBefore?: number;
  /** Who may cancel it during the cooling-off period (role → count). */
  cancelQuorum?: Record<string, number>;
  cancellations?: { by: string; signature: string; at: string }[];
  signature?: { r: string; s: string; v: number; yParity: 0 | 1 };
  signedTransaction?: string;
  transactionHash?: string;
  nodes?: { index: number; peerId: string }[];
  sessionId?: string;
  attempts: SignAttempt[];
  error?: { code: string; message: string };
  readonly createdAt: string;
  updatedAt: string;
}

export interface StoredPolicy {
  readonly keyId: string;
  readonly text: string;
  readonly hash: string;
  readonly seq: number;
  readonly signatures: readonly Signed[];
  readonly updatedAt: string;
}

export interface StoredApprover {
  readonly name: string;
  readonly publicKey: string;
  readonly roles: readonly string[];
  readonly seq: number;
  readonly signatures: readonly Signed[];
  readonly updatedAt: string;
}

type Sub = ReturnType<Level<string, unknown>['sublevel']>;
type PutOp = { type: 'put'; sublevel: Sub; key: string; value: unknown };

export const ROLES = ['initiator', 'approver', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** An API principal. Only the SHA-256 of its token is stored. */
export interface Principal {
  readonly name: string;
  readonly roles: readonly Role[];
  /** Key ids it may act on; absent = every key. */
  readonly keys?: readonly string[];
}
export interface StoredPrincipal extends Principal {
  readonly tokenHash: string;
  readonly createdAt: string;
}

export interface StoredAdminSet {
  readonly admins: readonly AdminKey[];
  readonly quorum: number;
  readonly seq: number;
  readonly signatures: readonly Signed[];
  readonly updatedAt: string;
}
export interface StoredFreeze {
  /** A key id, or '*' for the whole cluster. */
  readonly scope: string;
  readonly frozen: boolean;
  readonly reason: string;
  readonly seq: number;
  readonly signatures: readonly Signed[];
  readonly updatedAt: string;
}

export class CoordinatorStore {
  private constructor(
    private readonly db: Level<string, unknown>,
    private readonly subs: Record<'keys' | 'requests' | 'byKey' | 'auditIndex' | 'policies' | 'approvers' | 'idempotency' | 'freezes' | 'audit' | 'principals' | 'governance', Sub>,
  ) {}

  static async open(dir: string): Promise<CoordinatorStore> {
    const db = new Level<string, unknown>(dir, { valueEncoding: 'json' });
    await db.open();
    const sub = (name: string) => db.sublevel<string, unknown>(name, { valueEncoding: 'json' }) as never as Sub;
    const store = new CoordinatorStore(db, { keys: sub('keys'), requests: sub('requests'), byKey: sub('by-key'), auditIndex: sub('audit-index'), policies: sub('policies'), approvers: sub('approvers'), idempotency: sub('idempotency'), freezes: sub('freezes'), audit: sub('audit'), principals: sub('principals'), governance: sub('governance') });
    try {
      await store.buildIndexes();
    } catch (e) {
      await db.close();
      throw e;
    }
    return store;
  }

  /**
   * Two indexes, each written in the same batch as what it indexes: the per-key time index of
   * requests (`by-key`: `<key id>/<createdAt>/<request id>`), so spend and rate limits read only
   * the requests inside the longest policy window, and the audit index (`auditIndexKeys`), so an
   * evidence bundle reads only its entries. A store written before an index existed gets it
   * built once, here, on open (a mark in `governance` records that it is complete).
   */
  private async buildIndexes(): Promise<void> {
    const ops: PutOp[] = [];
    if ((await this.subs.governance.get(REQUEST_INDEX_MARK)) === undefined) {
      for (const r of (await this.subs.requests.values().all()) as SignRequestRecord[]) ops.push({ type: 'put', sublevel: this.subs.byKey, key: byKeyIndex(r), value: r.id });
      ops.push({ type: 'put', sublevel: this.subs.governance, key: REQUEST_INDEX_MARK, value: 1 });
    }
    if ((await this.subs.governance.get(AUDIT_INDEX_MARK)) === undefined) {
      for (const e of (await this.subs.audit.values().all()) as AuditEntry[]) for (const k of auditIndexKeys(e)) ops.push({ type: 'put', sublevel: this.subs.auditIndex, key: k, value: e.seq });
      ops.push({ type: 'put', sublevel: this.subs.governance, key: AUDIT_INDEX_MARK, value: 1 });
    }
    if (ops.length > 0) await this.db.batch<string, unknown>(ops as never, {});
  }

  async putKey(k: KeyRecord): Promise<void> {
    await this.subs.keys.put(k.id, k);
  }
  async getKey(id: string): Promise<KeyRecord | undefined> {
    return (await this.subs.keys.get(id)) as KeyRecord | undefined;
  }
  async listKeys(): Promise<KeyRecord[]> {
    const all = (await this.subs.keys.values().all()) as KeyRecord[];
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
  async putRequest(r: SignRequestRecord): Promise<void> {
    await this.subs.requests.put(r.id, r);
  }
  /** A new request, its index entry and its idempotency key in one batch. */
  async createRequest(r: SignRequestRecord): Promise<void> {
    const ops: PutOp[] = [
      { type: 'put', sublevel: this.subs.requests, key: r.id, value: r },
      { type: 'put', sublevel: this.subs.byKey, key: byKeyIndex(r), value: r.id },
    ];
    if (r.idempotencyKey) ops.push({ type: 'put', sublevel: this.subs.idempotency, key: `${r.initiator}/${r.idempotencyKey}`, value: r.id });
    await this.db.batch<string, unknown>(ops as never, {});
  }
  async requestByIdempotencyKey(initiator: string, key: string): Promise<SignRequestRecord | undefined> {
    const id = (await this.subs.idempotency.get(`${initiator}/${key}`)) as string | undefined;
    return id ? this.getRequest(id) : undefined;
  }
  async getRequest(id: string): Promise<SignRequestRecord | undefined> {
    return (await this.subs.requests.get(id)) as SignRequestRecord | undefined;
  }
  /** The requests of `keyId` created at or after `sinceMs`, oldest first (through the per-key index). */
  async requestsSince(keyId: string, sinceMs: number): Promise<SignRequestRecord[]> {
    const ids = (await this.subs.byKey.values({ gte: `${keyId}/${new Date(Math.max(0, sinceMs)).toISOString()}`, lt: `${keyId}/\uffff` }).all()) as string[];
    if (ids.length === 0) return [];
    return ((await this.subs.requests.getMany(ids)) as (SignRequestRecord | undefined)[]).filter((r): r is SignRequestRecord => r !== undefined);
  }
  async putPolicy(p: StoredPolicy): Promise<void> {
    await this.subs.policies.put(p.keyId, p);
  }
  /** Every policy text ever installed, by hash (evidence bundles cite old versions). */
  async putPolicyText(hash: string, text: string): Promise<void> {
    await this.subs.policies.put(`text/${hash}`, text);
  }
  async getPolicyText(hash: string): Promise<string | undefined> {
    return (await this.subs.policies.get(`text/${hash}`)) as string | undefined;
  }
  async getPolicy(keyId: string): Promise<StoredPolicy | undefined> {
    return (await this.subs.policies.get(keyId)) as StoredPolicy | undefined;
  }
  async putApprover(a: StoredApprover): Promise<void> {
    await this.subs.approvers.put(a.name, a);
  }
  async getApprover(name: string): Promise<StoredApprover | undefined> {
    return (await this.subs.approvers.get(name)) as StoredApprover | undefined;
  }
  async listApprovers(): Promise<StoredApprover[]> {
    return (await this.subs.approvers.values().all()) as StoredApprover[];
  }
  async putPrincipal(p: StoredPrincipal): Promise<void> {
    await this.subs.principals.put(p.name, p);
  }
  async deletePrincipal(name: string): Promise<void> {
    await this.subs.principals.del(name);
  }
  async listPrincipals(): Promise<StoredPrincipal[]> {
    return (await this.subs.principals.values().all()) as StoredPrincipal[];
  }
  /** The admin set installed by the last admin-set change (absent: cluster.json's). */
  async putAdminSet(a: StoredAdminSet): Promise<void> {
    await this.subs.governance.put('admins', a);
  }
  async getAdminSet(): Promise<StoredAdminSet | undefined> {
    return (await this.subs.governance.get('admins')) as StoredAdminSet | undefined;
  }
  async putFreeze(f: StoredFreeze): Promise<void> {
    await this.subs.freezes.put(f.scope, f);
  }
  async getFreeze(scope: string): Promise<StoredFreeze | undefined> {
    return (await this.subs.freezes.get(scope)) as StoredFreeze | undefined;
  }
  async listFreezes(): Promise<StoredFreeze[]> {
    return (await this.subs.freezes.values().all()) as StoredFreeze[];
  }
  async allRequests(): Promise<SignRequestRecord[]> {
    return (await this.subs.requests.values().all()) as SignRequestRecord[];
  }
  /**
   * The audit log's storage (proto/audit.ts): entries keyed by zero-padded sequence number, each
   * written in one batch with its index entries (`auditIndexKeys`), which evidence bundles read
   * instead of the whole log.
   */
  readonly audit: AuditStorage & {
    all(): Promise<AuditEntry[]>;
    page(after: number, limit: number): Promise<AuditEntry[]>;
    /** The entries of one request, one key's key_created / policy_set entries, or one approver's approver_set entries, in order. */
    indexed(what: { requestId: string } | { keyId: string } | { approver: string }): Promise<AuditEntry[]>;
  } = {
    put: async (e) => {
      const ops: PutOp[] = [{ type: 'put', sublevel: this.subs.audit, key: seqKey(e.seq), value: e }, ...auditIndexKeys(e).map((k): PutOp => ({ type: 'put', sublevel: this.subs.auditIndex, key: k, value: e.seq }))];
      await this.db.batch<string, unknown>(ops as never, {});
    },
    last: async () => {
      const [v] = (await this.subs.audit.values({ reverse: true, limit: 1 }).all()) as AuditEntry[];
      return v;
    },
    all: async () => (await this.subs.audit.values().all()) as AuditEntry[],
    /** Up to `limit` entries with seq > `after`, in order. */
    page: async (after, limit) => (await this.subs.audit.values({ gt: seqKey(after), limit }).all()) as AuditEntry[],
    indexed: async (what) => {
      const prefix = 'requestId' in what ? `req/${what.requestId}/` : 'keyId' in what ? `key/${what.keyId}/` : `approver/${what.approver}/`;
      const seqs = (await this.subs.auditIndex.values({ gte: prefix, lt: `${prefix}\uffff` }).all()) as number[];
      if (seqs.length === 0) return [];
      const got = (await this.subs.audit.getMany([...new Set(seqs)].sort((a, b) => a - b).map(seqKey))) as (AuditEntry | undefined)[];
      return got.filter((e): e is AuditEntry => e !== undefined);
    },
  };

  async close(): Promise<void> {
    await this.db.close();
  }
}
