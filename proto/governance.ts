/**
 * What admins and approvers sign, in one canonical form that the coordinator and every node
 * rebuild independently: a domain-separated, key-sorted JSON encoding of plain values. Nodes
 * accept a policy or an approver change only with a quorum of admin signatures over it, and
 * join a signing session only with approvals signed over the statement they rebuild
 * themselves — never on the coordinator's word.
 */
import { createPrivateKey, createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import type { RequestSummary } from './request.js';

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** JSON with object keys sorted at every level; only plain values (no undefined, no NaN). */
export function canonicalJson(v: Json): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error('canonical JSON carries integers only');
    return String(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k]!)}`).join(',')}}`;
}

const enc = (domain: string, body: Record<string, Json>) => new TextEncoder().encode(canonicalJson({ domain: `tecdsa-cluster/v1/${domain}`, ...body }));

export interface AdminKey {
  readonly name: string;
  /** Ed25519 public key, 32 bytes hex. */
  readonly publicKey: string;
}

export interface Signed {
  /** Admin or approver name. */
  readonly by: string;
  /** Ed25519 signature, 64 bytes hex. */
  readonly signature: string;
}

export function ed25519Public(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('an Ed25519 public key is 32 bytes hex');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}

export function verifyEd25519(publicKeyHex: string, data: Uint8Array, signatureHex: string): boolean {
  if (!/^[0-9a-f]{128}$/.test(signatureHex)) return false;
  try {
    return edVerify(null, data, ed25519Public(publicKeyHex), Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

// ---------- admin changes ----------

export interface PolicyChange {
  readonly type: 'policy';
  readonly keyId: string;
  /** SHA-256 of the policy text, hex. */
  readonly policyHash: string;
  /** Strictly increasing per key: an older signed policy cannot be replayed. */
  readonly seq: number;
}
export interface ApproverChange {
  readonly type: 'approver';
  readonly name: string;
  /** Ed25519 public key hex; empty string removes the approver. */
  readonly publicKey: string;
  readonly roles: readonly string[];
  /** Strictly increasing per approver name. */
  readonly seq: number;
}
/**
 * Emergency freeze of one key or of every key ('*'). Nodes take a freeze from the coordinator
 * without signatures (stopping signing is always safe); lifting it needs the admin quorum.
 */
export interface FreezeChange {
  readonly type: 'freeze';
  /** A key id, or '*' for the whole cluster. */
  readonly scope: string;
  readonly frozen: boolean;
  readonly reason: string;
  /** Strictly increasing per scope. */
  readonly seq: number;
}
/**
 * Replaces the admin set and its quorum. Signed by the quorum of the current set (cluster.json's
 * at first); every later admin change is checked against the new set.
 */
export interface AdminSetChange {
  readonly type: 'admins';
  readonly admins: readonly AdminKey[];
  readonly quorum: number;
  /** Strictly increasing; cluster.json's set counts as seq 0. */
  readonly seq: number;
}
/** Most admins a set may hold (as in cluster.json). */
export const MAX_ADMINS = 32;
export type AdminChange = PolicyChange | ApproverChange | FreezeChange | AdminSetChange;

/** A problem with an admin set (names unique, keys 32 bytes hex, 1 ≤ quorum ≤ size), or undefined. */
export function adminSetProblem(admins: readonly AdminKey[], quorum: number): string | undefined {
  if (admins.length < 1 || admins.length > MAX_ADMINS) return `an admin set has 1..${MAX_ADMINS} admins`;
  for (const a of admins) {
    if (typeof a.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/.test(a.name)) return `admin name ${JSON.stringify(a.name)} is not a valid name`;
    if (typeof a.publicKey !== 'string' || !/^[0-9a-f]{64}$/.test(a.publicKey)) return `admin ${a.name}: the public key must be 32 bytes of lowercase hex`;
  }
  if (new Set(admins.map((a) => a.name)).size !== admins.length) return 'an admin name appears twice';
  if (!Number.isSafeInteger(quorum) || quorum < 1 || quorum > admins.length) return `the quorum must be 1..${admins.length}`;
  return undefined;
}

export function adminChangeBytes(c: AdminChange): Uint8Array {
  if (c.type === 'policy') return enc('admin-change', { type: 'policy', keyId: c.keyId, policyHash: c.policyHash, seq: c.seq });
  if (c.type === 'freeze') return enc('admin-change', { type: 'freeze', scope: c.scope, frozen: c.frozen, reason: c.reason, seq: c.seq });
  if (c.type === 'admins') {
    const admins = [...c.admins].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((a) => ({ name: a.name, publicKey: a.publicKey }));
    return enc('admin-change', { type: 'admins', admins, quorum: c.quorum, seq: c.seq });
  }
  return enc('admin-change', { type: 'approver', name: c.name, publicKey: c.publicKey, roles: [...c.roles].sort(), seq: c.seq });
}

/** Names of the distinct admins whose valid signature is in `sigs` (unknown or bad ones ignored). */
export function adminSigners(c: AdminChange, sigs: readonly Signed[], admins: readonly AdminKey[]): string[] {
  const bytes = adminChangeBytes(c);
  const ok = new Set<string>();
  for (const s of sigs) {
    const a = admins.find((x) => x.name === s.by);
    if (a && verifyEd25519(a.publicKey, bytes, s.signature)) ok.add(a.name);
  }
  return [...ok];
}

// ---------- approvals ----------

/** The exact statement an approver signs for one signing request. */
export interface ApprovalStatement {
  readonly requestId: string;
  readonly keyId: string;
  /** Who submitted the request; they cannot approve it. */
  readonly initiator: string;
  /** 0x + 64 hex. */
  readonly digest: string;
  readonly summary: RequestSummary;
  readonly policyHash: string;
  readonly rule: string;
  /** ms since epoch; approvals do not count after it. */
  readonly expiresAt: number;
}

export function approvalBytes(s: ApprovalStatement): Uint8Array {
  return enc('approval', {
    requestId: s.requestId,
    keyId: s.keyId,
    initiator: s.initiator,
    digest: s.digest.toLowerCase(),
    summary: s.summary as unknown as Json,
    policyHash: s.policyHash,
    rule: s.rule,
    expiresAt: s.expiresAt,
  });
}

export interface Approver {
  readonly name: string;
  readonly publicKey: string;
  readonly roles: readonly string[];
}

export interface ApprovalCheck {
  /** Approvals that count, by approver name. */
  readonly valid: readonly string[];
  /** Roles still missing (role → count), empty when the quorum is met. */
  readonly missing: Readonly<Record<string, number>>;
  /** Why each approval that does not count was refused. */
  readonly refused: readonly { readonly by: string; readonly reason: string }[];
}

/**
 * Counts approvals toward a role quorum. An approver counts once, toward one role it holds
 * (assigned so that as many required roles as possible are covered); the initiator never
 * counts; signatures must verify over the statement; nothing counts at or after expiresAt.
 */
export function checkApprovals(
  s: ApprovalStatement,
  approvals: readonly Signed[],
  registry: readonly Approver[],
  required: Readonly<Record<string, number>>,
  now: number,
): ApprovalCheck {
  return countSignatures(approvalBytes(s), s.initiator, s.expiresAt, approvals, registry, required, now);
}

/** The statement an approver signs to reject a pending request (one rejection suffices). */
export function rejectBytes(c: { requestId: string; keyId: string; digest: string }): Uint8Array {
  return enc('reject', { requestId: c.requestId, keyId: c.keyId, digest: c.digest.toLowerCase() });
}

/** The statement a cancel-quorum member signs to stop a delayed request. */
export function cancelBytes(c: { requestId: string; keyId: string; digest: string }): Uint8Array {
  return enc('cancel', { requestId: c.requestId, keyId: c.keyId, digest: c.digest.toLowerCase() });
}

/** Counts cancellations toward the cancel quorum (anyone registered, the initiator included). */
export function checkCancellations(
  c: { requestId: string; keyId: string; digest: string; expiresAt: number },
  sigs: readonly Signed[],
  registry: readonly Approver[],
  required: Readonly<Record<string, number>>,
  now: number,
): ApprovalCheck {
  return countSignatures(cancelBytes(c), '', c.expiresAt, sigs, registry, required, now);
}

function countSignatures(
  bytes: Uint8Array,
  initiator: string,
  expiresAt: number,
  approvals: readonly Signed[],
  registry: readonly Approver[],
  required: Readonly<Record<string, number>>,
  now: number,
): ApprovalCheck {
  const s = { initiator, expiresAt };
  const refused: { by: string; reason: string }[] = [];
  const valid: Approver[] = [];
  for (const a of approvals) {
    const who = registry.find((r) => r.name === a.by);
    if (!who) refused.push({ by: a.by, reason: 'not a registered approver' });
    else if (a.by === s.initiator) refused.push({ by: a.by, reason: 'the initiator cannot approve their own request' });
    else if (valid.some((v) => v.name === a.by)) refused.push({ by: a.by, reason: 'already counted' });
    else if (now >= s.expiresAt) refused.push({ by: a.by, reason: 'the approval statement has expired' });
    else if (!verifyEd25519(who.publicKey, bytes, a.signature)) refused.push({ by: a.by, reason: 'signature does not verify over the statement' });
    else valid.push(who);
  }
  // assign approvers to roles: scarce roles first (small greedy; quorums are tiny)
  const need: Record<string, number> = { ...required };
  const roles = Object.keys(need).sort((x, y) => valid.filter((v) => v.roles.includes(x)).length - valid.filter((v) => v.roles.includes(y)).length);
  const used = new Set<string>();
  for (const role of roles) {
    for (const v of valid) {
      if (need[role]! <= 0) break;
      if (!used.has(v.name) && v.roles.includes(role)) {
        used.add(v.name);
        need[role]!--;
      }
    }
  }
  const missing: Record<string, number> = {};
  for (const [r, n] of Object.entries(need)) if (n > 0) missing[r] = n;
  return { valid: valid.map((v) => v.name), missing, refused };
}

/** Signs an admin change with an Ed25519 private key (PKCS#8 PEM, e.g. `<dir>/admin.key`). */
export function signAdminChange(c: AdminChange, privateKeyPem: string, by: string): Signed {
  const key = createPrivateKey(privateKeyPem);
  return { by, signature: Buffer.from(edSign(null, adminChangeBytes(c), key)).toString('hex') };
}

/** Signs an approval statement (hex from the API, or rebuilt) with an approver's private key. */
export function signStatement(statementHex: string, privateKeyPem: string, by: string): Signed {
  const key = createPrivateKey(privateKeyPem);
  return { by, signature: Buffer.from(edSign(null, Buffer.from(statementHex, 'hex'), key)).toString('hex') };
}
