/**
 * Append-only, hash-chained, signed audit logs (the coordinator's and each node's). Entry n
 * carries the hash of entry n−1; its own hash covers every field but the signature; the
 * signature (Ed25519, the writer's libp2p identity key) covers the hash. Changing, removing,
 * reordering or inserting any stored byte breaks a hash, a link or a signature, and
 * verifyChain names the first entry where that happens. Verification needs only the entries
 * and the writer's public key (from cluster.json), so it runs offline.
 */
import { createHash, sign as edSign, type KeyObject } from 'node:crypto';
import { canonicalJson, verifyEd25519, type Json } from './governance.js';

export const GENESIS = '0'.repeat(64);
const DOMAIN = 'tecdsa-cluster/v1/audit';

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  /** What happened, e.g. request_created, approval, signing_session, signed, policy_set. */
  readonly type: string;
  /** Who did it (a principal, approver or admin name; a node index; 'coordinator'). */
  readonly actor: string;
  readonly data: { readonly [k: string]: Json };
  /** Hash of the previous entry (GENESIS for the first). */
  readonly prev: string;
  readonly hash: string;
  /** Ed25519 signature over the hash bytes, hex. */
  readonly sig: string;
}

export function entryHash(e: Pick<AuditEntry, 'seq' | 'at' | 'type' | 'actor' | 'data' | 'prev'>): string {
  const body = canonicalJson({ domain: DOMAIN, seq: e.seq, at: e.at, type: e.type, actor: e.actor, data: e.data as Json, prev: e.prev });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** Why one entry is bad on its own (hash or signature), or undefined. */
export function checkEntry(e: AuditEntry, publicKeyHex: string): string | undefined {
  if (!e || typeof e !== 'object' || !Number.isSafeInteger(e.seq) || typeof e.hash !== 'string' || typeof e.sig !== 'string') return 'malformed entry';
  let h: string;
  try {
    h = entryHash(e);
  } catch (err) {
    return `malformed entry (${(err as Error).message})`;
  }
  if (h !== e.hash) return 'content does not match its hash';
  if (!verifyEd25519(publicKeyHex, Buffer.from(e.hash, 'hex'), e.sig)) return 'signature does not verify';
  return undefined;
}

export type ChainResult = { ok: true; count: number; head: string } | { ok: false; seq: number; index: number; reason: string };

/** Checks a whole log from its first entry: hashes, signatures, links and sequence numbers. */
export function verifyChain(entries: readonly AuditEntry[], publicKeyHex: string): ChainResult {
  let prev = GENESIS;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const bad = checkEntry(e, publicKeyHex);
    if (bad) return { ok: false, seq: e?.seq ?? -1, index: i, reason: bad };
    if (e.seq !== i + 1) return { ok: false, seq: e.seq, index: i, reason: `sequence number ${e.seq} where ${i + 1} was expected (entry removed or inserted)` };
    if (e.prev !== prev) return { ok: false, seq: e.seq, index: i, reason: 'does not link to the previous entry' };
    prev = e.hash;
  }
  return { ok: true, count: entries.length, head: prev };
}

export interface AuditStorage {
  /** Durably stores the entry; must reject if it cannot. */
  put(e: AuditEntry): Promise<void>;
  last(): Promise<AuditEntry | undefined>;
}

/**
 * The writer. Appends are serialised; an append that cannot be stored rejects and leaves the
 * chain as it was, so the caller can fail closed (not sign what it could not record).
 */
export class AuditLog {
  private tail: Promise<unknown> = Promise.resolve();
  private head: { seq: number; hash: string } | undefined;

  constructor(
    private readonly storage: AuditStorage,
    private readonly key: KeyObject,
    private readonly now: () => Date = () => new Date(),
  ) {}

  append(type: string, actor: string, data: { [k: string]: Json }): Promise<AuditEntry> {
    const run = async () => {
      if (!this.head) {
        const last = await this.storage.last();
        this.head = last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS };
      }
      const base = { seq: this.head.seq + 1, at: this.now().toISOString(), type, actor, data, prev: this.head.hash };
      const hash = entryHash(base);
      const e: AuditEntry = { ...base, hash, sig: Buffer.from(edSign(null, Buffer.from(hash, 'hex'), this.key)).toString('hex') };
      await this.storage.put(e);
      this.head = { seq: e.seq, hash };
      return e;
    };
    const p = this.tail.then(run, run);
    this.tail = p.catch(() => {});
    return p;
  }
}
