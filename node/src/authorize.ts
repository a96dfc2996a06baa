/**
 * A node's own check of every signing request, before it joins the session: the admin-signed
 * policy it holds for the key, the request decoded by the node itself (the digest must be the
 * one it is asked to sign), the policy decision over the node's own signed history, and the
 * approvals verified against its own approver registry. The coordinator's word counts for
 * nothing here. Also applies admin-signed policy, approver, freeze and admin-set changes (the
 * quorum of the admin set in force: cluster.json's until an admin-set change replaces it;
 * strictly increasing sequence numbers), and keeps the signed history (HISTORY notices, pruned
 * to the longest policy window). Witnesses delayed requests: an announcement carries the request,
 * which the node decodes, checks against its own policy and records in its own audit log before
 * its cooling-off clock starts.
 */
import { MAX_WINDOW_MS, loadPolicy, evaluate, policyHash, spentBy, usesHistory, type HistoryEntry, type Policy } from '../../proto/policy/policy.js';
import { decodeSignRequest, RequestError, type DecodedRequest } from '../../proto/request.js';
import { adminSigners, checkApprovals, type AdminKey, type Approver, type Json, type Signed } from '../../proto/governance.js';
import { parseAdminRecord, parseAnnouncement, parseAuthorization, DocumentError, type Announcement, type Authorization } from '../../proto/authorization.js';
import type { RequestSummary } from '../../proto/request.js';
import type { NodeStore } from './store.js';
import type { Logger } from './log.js';
import { refused } from './session.js';

interface StoredPolicy {
  text: string;
  hash: string;
  seq: number;
  signatures: Signed[];
}
interface StoredApprover extends Approver {
  seq: number;
  signatures: Signed[];
}
interface StoredFreeze {
  frozen: boolean;
  reason: string;
  seq: number;
}
interface StoredAdmins {
  admins: AdminKey[];
  quorum: number;
  seq: number;
  signatures: Signed[];
}
const sameAdminSet = (a: { admins: readonly AdminKey[]; quorum: number }, b: { admins: readonly AdminKey[]; quorum: number }): boolean =>
  a.quorum === b.quorum && a.admins.length === b.admins.length && a.admins.every((x) => b.admins.some((y) => y.name === x.name && y.publicKey === x.publicKey));
interface StoredHistory {
  at: number;
  /** The request's digest: one request id can never stand for two different requests. */
  digest: string;
  spent: { asset: string; amount: string }[];
}

/**
 * `seen/<request id>`: a delayed request as this node first saw it, decoded by the node itself.
 * Records from before announcements carried the request hold only `at` and `digest`; they start
 * no clock (the signing check refuses them and a full announcement replaces them).
 */
export interface SeenRequest {
  /** This node's clock when it first saw the announcement (ms). */
  at: number;
  digest: string;
  keyId?: string;
  initiator?: string;
  summary?: RequestSummary;
  policyHash?: string;
  /** The rule of this node's own policy that matched, and its action. */
  rule?: string | null;
  action?: string;
  /** This node's cooling-off period for it and the earliest time it signs (at + delayMs). */
  delayMs?: number;
  notBefore?: number;
  expiresAt?: number;
}

/** A delayed request this node has seen and not yet signed, and that is neither cancelled nor expired. */
export interface PendingDelay {
  readonly requestId: string;
  readonly keyId: string;
  readonly initiator: string;
  readonly digest: string;
  readonly summary: RequestSummary;
  readonly rule: string | null;
  readonly seenAt: string;
  readonly notBefore: string;
  readonly expiresAt: string;
}

/** Where the Authorizer writes what it witnesses: the node's audit log (must reject if it cannot) and its log. */
export interface Witness {
  readonly audit?: (type: string, data: { [k: string]: Json }) => Promise<unknown>;
  readonly log?: Logger;
}

/** The beneficiary as the policy reads it: the ERC-20 recipient of a token transfer, else the transaction recipient. */
const recipientOf = (s: RequestSummary): string | undefined =>
  s.call?.method === 'transfer' || s.call?.method === 'transferFrom' ? (s.call.args?.to ?? s.to) : s.to;

/** One line for an operator: what is waiting to be signed. */
function describeRequest(s: RequestSummary): string {
  const parts: string[] = [s.kind];
  if (s.call?.method && s.call.token) parts.push(`${s.call.method} of ${s.call.args?.amount ?? '?'} units of token ${s.call.token} to ${recipientOf(s) ?? '?'}`);
  else if (s.call) parts.push(`call ${s.call.selector} on ${s.to ?? '?'}`);
  if (s.value !== undefined) parts.push(`${s.value} wei`);
  if (s.to && !(s.call?.method && s.call.token)) parts.push(`to ${s.to}`);
  if (s.chainId !== undefined) parts.push(`on chain ${s.chainId}`);
  if (s.message?.text !== undefined) parts.push(`message ${JSON.stringify(s.message.text.slice(0, 80))}`);
  if (s.message?.raw !== undefined) parts.push(`raw message ${s.message.raw.slice(0, 42)}${s.message.raw.length > 42 ? '…' : ''}`);
  if (s.typedData) parts.push(`typed data ${s.typedData.primaryType}`);
  return parts.join(' ');
}

/**
 * The delayed requests `store` has seen that are still waiting on this node: announced with
 * the request, no history entry (this node has not agreed to sign it), not cancelled, not
 * expired at `now`. Read by `node status` (also on a stopped node's store).
 */
export async function pendingDelays(store: NodeStore, now: number): Promise<PendingDelay[]> {
  const out: PendingDelay[] = [];
  for (const { key, value: v } of await store.listRecords<SeenRequest>('seen/')) {
    const requestId = key.slice('seen/'.length);
    if (!v.summary || !v.keyId || v.notBefore === undefined || v.expiresAt === undefined || now >= v.expiresAt) continue;
    if ((await store.getRecord(`cancel/${requestId}`)) !== undefined) continue;
    if ((await store.getRecord(`history/${v.keyId}/${requestId}`)) !== undefined) continue;
    out.push({
      requestId,
      keyId: v.keyId,
      initiator: v.initiator ?? '',
      digest: v.digest,
      summary: v.summary,
      rule: v.rule ?? null,
      seenAt: new Date(v.at).toISOString(),
      notBefore: new Date(v.notBefore).toISOString(),
      expiresAt: new Date(v.expiresAt).toISOString(),
    });
  }
  return out.sort((a, b) => a.notBefore.localeCompare(b.notBefore));
}

export class Authorizer {
  private readonly policies = new Map<string, Policy>();
  /** Per-key chain: decisions that read and extend the history run one at a time. */
  private readonly locks = new Map<string, Promise<unknown>>();

  private admins: readonly AdminKey[];
  private quorum: number;
  private adminSeq = 0;

  constructor(
    private readonly store: NodeStore,
    admins: readonly AdminKey[],
    quorum: number,
    private readonly hasKey: (keyId: string) => Promise<boolean>,
    private readonly witness: Witness = {},
  ) {
    this.admins = admins;
    this.quorum = quorum;
  }

  /**
   * Takes the admin set from the last applied admin-set change, if any (it overrides
   * cluster.json's, which counts as seq 0). Called once at start.
   */
  async loadAdmins(): Promise<void> {
    const cur = await this.store.getRecord<StoredAdmins>('admins');
    if (cur) {
      this.admins = cur.admins;
      this.quorum = cur.quorum;
      this.adminSeq = cur.seq;
    }
  }

  /** The admin set this node checks admin changes against. */
  adminSet(): { admins: readonly AdminKey[]; quorum: number; seq: number } {
    return { admins: this.admins, quorum: this.quorum, seq: this.adminSeq };
  }

  /**
   * Notices from the coordinator (no signatures): announcements of delayed requests and
   * cancellations. A cancellation only stops a request. An announcement starts the request's
   * cooling-off clock on this node (first sight wins), but only for a request the node decoded
   * itself (applyAnnouncement). Returns which notice `record` was, or false if it is neither
   * (then it is an admin-signed change).
   */
  async applyNotice(record: Uint8Array, now: number): Promise<'announce' | 'cancel' | false> {
    let v: unknown;
    try {
      v = JSON.parse(new TextDecoder().decode(record));
    } catch {
      return false;
    }
    const o = v as { announce?: unknown; cancel?: { requestId?: unknown } };
    if (o.announce) {
      let a;
      try {
        a = parseAnnouncement(o.announce);
      } catch (e) {
        throw refused('ERR_BAD_DOCUMENT', (e as DocumentError).message);
      }
      await this.serial(a.keyId, () => this.applyAnnouncement(a, now));
      return 'announce';
    }
    if (o.cancel) {
      const requestId = typeof o.cancel.requestId === 'string' && /^[0-9a-f-]{36}$/.test(o.cancel.requestId) ? o.cancel.requestId : undefined;
      if (!requestId) throw refused('ERR_BAD_DOCUMENT', 'cancel needs requestId');
      await this.store.putRecords([{ key: `cancel/${requestId}`, value: { at: now } }]);
      return 'cancel';
    }
    return false;
  }

  /**
   * This node as an independent witness of a delayed request: it decodes the announced request
   * with the code it signs with, requires the announced digest, evaluates its own policy, writes
   * a `delay_announced` entry to its own audit log and a warning to its log, and only then
   * stores `seen/<request id>` (its clock). Any failure refuses the announcement and stores
   * nothing, so no clock starts for a request this node could not decode or record.
   */
  private async applyAnnouncement(a: Announcement, now: number): Promise<void> {
    const cur = await this.store.getRecord<SeenRequest>(`seen/${a.requestId}`);
    if (cur?.summary) {
      // first sight counts; a request id never stands for two requests
      if (cur.digest !== a.digest) throw refused('ERR_REQUEST_ID_REUSED', `request id ${a.requestId} was announced before with another digest`);
      return;
    }
    if (now >= a.expiresAt) throw refused('ERR_EXPIRED', 'the announced request has expired');
    let decoded: DecodedRequest;
    try {
      decoded = decodeSignRequest(a.request);
    } catch (e) {
      throw refused('ERR_BAD_REQUEST', `the announced request does not decode: ${(e as RequestError).message}`);
    }
    if (decoded.digest !== a.digest) throw refused('ERR_DIGEST_MISMATCH', 'the announced digest is not the digest of the announced request');
    const policy = await this.policy(a.keyId);
    if (!policy) throw refused('ERR_NO_POLICY', `no admin-approved policy for key ${a.keyId} on this node`);
    if (policy.hash !== a.policyHash) throw refused('ERR_POLICY_MISMATCH', `this node holds policy ${policy.hash.slice(0, 12)}…, the request was evaluated under ${a.policyHash.slice(0, 12)}…`);
    const decision = evaluate(policy, decoded.summary, { now, history: usesHistory(policy) ? await this.history(a.keyId, a.requestId) : [] });
    if (decision.action === 'deny') {
      throw refused('ERR_POLICY_DENIED', decision.rule ? `policy rule "${decision.rule}" denies the announced request` : 'no policy rule allows the announced request (default deny)');
    }
    const delayMs = decision.delayMs ?? 0;
    const seen: SeenRequest = {
      at: now,
      digest: decoded.digest,
      keyId: a.keyId,
      initiator: a.initiator,
      summary: decoded.summary,
      policyHash: policy.hash,
      rule: decision.rule,
      action: decision.action,
      delayMs,
      notBefore: now + delayMs,
      expiresAt: a.expiresAt,
    };
    const recipient = recipientOf(decoded.summary);
    const entry = {
      requestId: a.requestId,
      keyId: a.keyId,
      initiator: a.initiator,
      digest: decoded.digest,
      kind: decoded.kind,
      ...(recipient ? { recipient } : {}),
      summary: decoded.summary as unknown as Json,
      policyHash: policy.hash,
      rule: decision.rule,
      action: decision.action,
      delayMs,
      ...(decision.cancel ? { cancelQuorum: { ...decision.cancel } } : {}),
      seenAt: new Date(now).toISOString(),
      notBefore: new Date(seen.notBefore!).toISOString(),
      expiresAt: new Date(a.expiresAt).toISOString(),
    };
    // fail closed: an announcement this node cannot record starts no clock
    if (!this.witness.audit) throw refused('ERR_AUDIT', 'this node has no audit log to record the announcement in');
    await this.witness.audit('delay_announced', entry).catch((e: unknown) => {
      throw refused('ERR_AUDIT', `this node's audit log cannot be written: ${(e as Error).message}`);
    });
    this.witness.log?.warn(
      { event: 'delay_announced', ...entry },
      `delayed request ${a.requestId} by ${a.initiator} on key ${a.keyId.slice(0, 12)}…: ${describeRequest(decoded.summary)}; rule "${decision.rule}", ` +
        `first seen ${entry.seenAt}, this node signs it no earlier than ${entry.notBefore}${decision.cancel ? ` (cancel quorum ${JSON.stringify(decision.cancel)})` : ''}`,
    );
    await this.store.putRecords([{ key: `seen/${a.requestId}`, value: seen }]);
  }

  /** The delayed requests this node has seen that still wait (see pendingDelays). */
  pendingDelays(now: number): Promise<PendingDelay[]> {
    return pendingDelays(this.store, now);
  }

  /** Applies an admin-signed change; throws a REFUSED failure naming what is wrong. */
  async applyAdminUpdate(record: Uint8Array): Promise<void> {
    let r;
    try {
      r = parseAdminRecord(record);
    } catch (e) {
      throw refused('ERR_BAD_DOCUMENT', (e as Error).message);
    }
    const signers = adminSigners(r.change, r.signatures, this.admins);
    // a freeze is taken on the coordinator's word (stopping is always safe); lifting one is not
    const needed = r.change.type === 'freeze' && r.change.frozen ? 0 : this.quorum;
    if (signers.length < needed) {
      throw refused('ERR_ADMIN_QUORUM', `the change carries ${signers.length} valid admin signature(s); ${this.quorum} needed`);
    }
    const c = r.change;
    if (c.type === 'freeze') {
      const cur = await this.store.getRecord<StoredFreeze>(`freeze/${c.scope}`);
      if (cur && c.seq <= cur.seq) throw refused('ERR_STALE_CHANGE', `freeze seq ${c.seq} is not newer than ${cur.seq}`);
      // An unsigned freeze advances the sequence by one only, and not at all when already
      // frozen: a freeze sent with a huge seq must not make every later signed unfreeze stale.
      const unsigned = c.frozen && signers.length < this.quorum;
      if (unsigned && cur?.frozen) return;
      const seq = unsigned ? (cur?.seq ?? 0) + 1 : c.seq;
      await this.store.putRecords([{ key: `freeze/${c.scope}`, value: { frozen: c.frozen, reason: c.reason, seq } satisfies StoredFreeze }]);
      return;
    }
    if (c.type === 'policy') {
      if (policyHash(r.policyText!) !== c.policyHash) throw refused('ERR_POLICY_HASH', 'the policy text does not hash to the signed policyHash');
      let policy: Policy;
      try {
        policy = loadPolicy(r.policyText!);
      } catch (e) {
        throw refused('ERR_POLICY_INVALID', (e as Error).message);
      }
      if (!(await this.hasKey(c.keyId))) throw refused('ERR_UNKNOWN_KEY', `no share for key ${c.keyId}`);
      const cur = await this.store.getRecord<StoredPolicy>(`policy/${c.keyId}`);
      if (cur && cur.hash === c.policyHash && cur.seq === c.seq) return; // already applied
      if (cur && c.seq <= cur.seq) throw refused('ERR_STALE_CHANGE', `policy seq ${c.seq} is not newer than ${cur.seq}`);
      await this.store.putRecords([{ key: `policy/${c.keyId}`, value: { text: r.policyText!, hash: c.policyHash, seq: c.seq, signatures: [...r.signatures] } satisfies StoredPolicy }]);
      this.policies.set(c.keyId, policy);
      return;
    }
    if (c.type === 'admins') {
      if (c.seq === this.adminSeq && sameAdminSet(c, this.adminSet())) return; // already applied
      if (c.seq <= this.adminSeq) throw refused('ERR_STALE_CHANGE', `admin set seq ${c.seq} is not newer than ${this.adminSeq}`);
      await this.store.putRecords([{ key: 'admins', value: { admins: c.admins.map((a) => ({ name: a.name, publicKey: a.publicKey })), quorum: c.quorum, seq: c.seq, signatures: [...r.signatures] } satisfies StoredAdmins }]);
      this.admins = c.admins;
      this.quorum = c.quorum;
      this.adminSeq = c.seq;
      return;
    }
    const cur = await this.store.getRecord<StoredApprover>(`approver/${c.name}`);
    if (cur && cur.seq === c.seq && cur.publicKey === c.publicKey) return;
    if (cur && c.seq <= cur.seq) throw refused('ERR_STALE_CHANGE', `approver seq ${c.seq} is not newer than ${cur.seq}`);
    await this.store.putRecords([{ key: `approver/${c.name}`, value: { name: c.name, publicKey: c.publicKey, roles: [...c.roles], seq: c.seq, signatures: [...r.signatures] } satisfies StoredApprover }]);
  }

  private async policy(keyId: string): Promise<Policy | undefined> {
    let p = this.policies.get(keyId);
    if (!p) {
      const rec = await this.store.getRecord<StoredPolicy>(`policy/${keyId}`);
      if (!rec) return undefined;
      p = loadPolicy(rec.text);
      this.policies.set(keyId, p);
    }
    return p;
  }

  /** Current freeze records (scope → state). */
  async freezes(): Promise<{ scope: string; frozen: boolean; reason: string; seq: number }[]> {
    return (await this.store.listRecords<StoredFreeze>('freeze/')).map(({ key, value }) => ({ scope: key.slice('freeze/'.length), ...value }));
  }

  async approvers(): Promise<Approver[]> {
    const all = await this.store.listRecords<StoredApprover>('approver/');
    return all.map((r) => r.value).filter((a) => a.publicKey !== '');
  }

  /** What to tell the other nodes once this node has signed for a request (HISTORY messages). */
  async historyNotice(keyId: string, requestId: string): Promise<Uint8Array | undefined> {
    const h = await this.store.getRecord<StoredHistory>(`history/${keyId}/${requestId}`);
    return h ? new TextEncoder().encode(JSON.stringify({ keyId, requestId, ...h })) : undefined;
  }

  /**
   * Another node's notice of a request it signed for: recorded in this node's history unless
   * this node already has an entry for that request. Sent by an authenticated cluster node; a
   * lying node can only make this node stricter. Entries older than MAX_WINDOW_MS are accepted
   * but not stored (no decision can read them).
   */
  async applyHistoryNotice(payload: Uint8Array, now: number): Promise<boolean> {
    let v: { keyId?: unknown; requestId?: unknown; at?: unknown; digest?: unknown; spent?: unknown };
    try {
      v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) as typeof v;
    } catch {
      return false;
    }
    const ok =
      typeof v.keyId === 'string' && /^[0-9a-f]{64}$/.test(v.keyId) &&
      typeof v.requestId === 'string' && /^[0-9a-f-]{36}$/.test(v.requestId) &&
      typeof v.at === 'number' && Number.isSafeInteger(v.at) &&
      typeof v.digest === 'string' && /^0x[0-9a-f]{64}$/.test(v.digest) &&
      Array.isArray(v.spent) && v.spent.length <= 8 &&
      v.spent.every((s: { asset?: unknown; amount?: unknown }) => typeof s?.asset === 'string' && s.asset.length <= 64 && typeof s.amount === 'string' && /^[0-9]{1,78}$/.test(s.amount));
    if (!ok) return false;
    if ((v.at as number) < now - MAX_WINDOW_MS) return true;
    const key = `history/${v.keyId}/${v.requestId}`;
    await this.serial(v.keyId as string, async () => {
      if ((await this.store.getRecord(key)) === undefined) await this.store.putRecords([{ key, value: { at: v.at, digest: v.digest, spent: v.spent } }]);
    });
    return true;
  }

  /**
   * Deletes history entries older than the longest window a policy can name (MAX_WINDOW_MS):
   * no decision can read them. Returns how many were removed.
   */
  async pruneHistory(now: number): Promise<number> {
    const old = (await this.store.listRecords<StoredHistory>('history/')).filter(({ value }) => value.at < now - MAX_WINDOW_MS).map(({ key }) => key);
    await this.store.deleteRecords(old);
    return old.length;
  }

  /**
   * Every history entry this node holds (all keys, after pruning), as HISTORY notices: sent to a
   * node when it connects, so a node that was down learns what was signed meanwhile. Entries
   * a node already has are ignored by it, so repeating this is harmless.
   */
  async historyNotices(now: number): Promise<Uint8Array[]> {
    await this.pruneHistory(now);
    const te = new TextEncoder();
    return (await this.store.listRecords<StoredHistory>('history/')).map(({ key, value }) => {
      const [, keyId, requestId] = key.split('/');
      return te.encode(JSON.stringify({ keyId, requestId, ...value }));
    });
  }

  /** Signed (or reserved) requests of the key, except `exceptRequest`. */
  async history(keyId: string, exceptRequest?: string): Promise<HistoryEntry[]> {
    const all = await this.store.listRecords<StoredHistory>(`history/${keyId}/`);
    return all
      .filter(({ key }) => key !== `history/${keyId}/${exceptRequest}`)
      .map(({ value }) => ({ at: value.at, spent: value.spent.map((s) => ({ asset: s.asset, amount: BigInt(s.amount) })) }));
  }

  private serial<T>(keyId: string, f: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(keyId) ?? Promise.resolve();
    const next = prev.then(f, f);
    this.locks.set(keyId, next.catch(() => {}));
    return next;
  }

  /**
   * Decides whether this node signs `digest` for `keyId`. Returns what to record in the
   * history once the signature is produced.
   */
  async authorize(keyId: string, digestHex: string, authorization: Uint8Array, now: number): Promise<{ auth: Authorization; decoded: DecodedRequest }> {
    return this.serial(keyId, () => this.decide(keyId, digestHex, authorization, now));
  }

  /**
   * The decision, and — when it allows signing — a history entry for the request written
   * before the node joins the session (keyed by request id, so a retry with another pair does
   * not count twice; a failed session still counts: limits err on the safe side).
   */
  private async decide(keyId: string, digestHex: string, authorization: Uint8Array, now: number): Promise<{ auth: Authorization; decoded: DecodedRequest }> {
    if (authorization.length === 0) throw refused('ERR_NOT_AUTHORIZED', 'no authorization: nodes sign only requests they can check against policy');
    let auth: Authorization;
    try {
      auth = parseAuthorization(authorization);
    } catch (e) {
      throw refused('ERR_BAD_DOCUMENT', (e as DocumentError).message);
    }
    if (auth.keyId !== keyId) throw refused('ERR_NOT_AUTHORIZED', 'the authorization is for another key');
    for (const scope of ['*', keyId]) {
      const f = await this.store.getRecord<StoredFreeze>(`freeze/${scope}`);
      if (f?.frozen) throw refused('ERR_FROZEN', `${scope === '*' ? 'the cluster' : 'this key'} is frozen${f.reason ? `: ${f.reason}` : ''}`);
    }
    if (now >= auth.expiresAt) throw refused('ERR_EXPIRED', 'the request has expired');
    const policy = await this.policy(keyId);
    if (!policy) throw refused('ERR_NO_POLICY', `no admin-approved policy for key ${keyId} on this node`);
    if (policy.hash !== auth.policyHash) throw refused('ERR_POLICY_MISMATCH', `this node holds policy ${policy.hash.slice(0, 12)}…, the request was evaluated under ${auth.policyHash.slice(0, 12)}…`);
    let decoded: DecodedRequest;
    try {
      decoded = decodeSignRequest(auth.request);
    } catch (e) {
      throw refused('ERR_BAD_REQUEST', (e as RequestError).message);
    }
    if (decoded.digest !== digestHex) throw refused('ERR_DIGEST_MISMATCH', 'the digest to sign is not the digest of the request');
    const earlier = await this.store.getRecord<StoredHistory>(`history/${keyId}/${auth.requestId}`);
    if (earlier && earlier.digest !== decoded.digest) {
      // otherwise one request id could carry ever new requests past the limits
      throw refused('ERR_REQUEST_ID_REUSED', `request id ${auth.requestId} was already used for another request`);
    }
    const decision = evaluate(policy, decoded.summary, { now, history: usesHistory(policy) ? await this.history(keyId, auth.requestId) : [] });
    if (decision.action === 'deny') {
      throw refused('ERR_POLICY_DENIED', decision.rule ? `policy rule "${decision.rule}" denies this request` : 'no policy rule allows this request (default deny)');
    }
    if ((await this.store.getRecord(`cancel/${auth.requestId}`)) !== undefined) throw refused('ERR_CANCELLED', 'the request was cancelled by its cancel quorum');
    if (decision.delayMs !== undefined) {
      // The cooling-off period counts from when this node first saw the request (announced
      // by the coordinator when it was made), on this node's clock.
      // Only a record of a request this node decoded itself counts (not one stored from a bare digest).
      const seen = await this.store.getRecord<SeenRequest>(`seen/${auth.requestId}`);
      if (!seen || !seen.summary || seen.keyId !== keyId || seen.digest !== decoded.digest) throw refused('ERR_DELAY', `rule "${decision.rule}" has a cooling-off period and this node was never shown the request`);
      const wait = seen.at + decision.delayMs - now;
      if (wait > 0) throw refused('ERR_DELAY', `rule "${decision.rule}" has a cooling-off period: ${Math.ceil(wait / 1000)} s left`);
    }
    if (decision.action === 'require_approvals') {
      const check = checkApprovals(
        { requestId: auth.requestId, keyId, initiator: auth.initiator, digest: decoded.digest, summary: decoded.summary, policyHash: policy.hash, rule: decision.rule!, expiresAt: auth.expiresAt },
        auth.approvals,
        await this.approvers(),
        decision.approvals!,
        now,
      );
      if (Object.keys(check.missing).length > 0) {
        const why = check.refused.map((r) => `${r.by}: ${r.reason}`).join('; ');
        throw refused('ERR_APPROVALS', `approvals missing for ${JSON.stringify(check.missing)}${why ? ` (${why})` : ''}`);
      }
    }
    const spent = spentBy(decoded.summary).map((s) => ({ asset: s.asset, amount: s.amount.toString() }));
    await this.store.putRecords([{ key: `history/${keyId}/${auth.requestId}`, value: { at: earlier?.at ?? now, digest: decoded.digest, spent } satisfies StoredHistory }]);
    return { auth, decoded };
  }
}
