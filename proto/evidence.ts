/**
 * Evidence bundles: everything needed to check one signing request offline — the request, its
 * decoded summary, the policy text and the rule that matched, the approvals with the approvers'
 * public keys, the node pair and session id, the signature, and the coordinator's signed audit
 * entries that cover them. verifyEvidence re-derives what it can (digest, statement, policy
 * hash, decision) instead of trusting the bundle's claims.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { approvalBytes, verifyEd25519 } from './governance.js';
import { checkEntry, type AuditEntry } from './audit.js';
import { decodeSignRequest } from './request.js';
import { evaluate, loadPolicy, policyHash } from './policy/policy.js';

export interface EvidenceBundle {
  readonly version: 1;
  readonly request: {
    readonly id: string;
    readonly keyId: string;
    readonly kind: string;
    readonly request: Record<string, unknown>;
    readonly digest: string;
    readonly summary: unknown;
    readonly initiator: string;
    readonly status: string;
    readonly policyHash?: string;
    readonly decision?: { readonly action: string; readonly rule: string | null };
    readonly expiresAt: string;
    readonly signature?: { readonly r: string; readonly s: string; readonly v: number; readonly yParity: number };
    readonly nodes?: readonly { readonly index: number; readonly peerId: string }[];
    readonly sessionId?: string;
    readonly createdAt: string;
  };
  readonly key: { readonly id: string; readonly publicKey: string; readonly address: string };
  readonly policy?: { readonly hash: string; readonly text: string };
  readonly approvals: readonly { readonly by: string; readonly signature: string; readonly at: string }[];
  readonly approvers: readonly { readonly name: string; readonly publicKey: string; readonly roles: readonly string[] }[];
  readonly coordinator: { readonly peerId: string; readonly publicKey: string };
  readonly auditEntries: readonly AuditEntry[];
}

export interface EvidenceResult {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly checked: readonly string[];
}

/**
 * The approver `name` as registered by the last `approver_set` audit entry before audit
 * sequence number `beforeSeq` (undefined if none): the key an approval given at that point
 * must verify under.
 */
export function approverAt(entries: readonly AuditEntry[], name: string, beforeSeq: number): { name: string; publicKey: string; roles: string[] } | undefined {
  let found: AuditEntry | undefined;
  for (const e of entries) if (e.type === 'approver_set' && e.data.name === name && e.seq < beforeSeq && (!found || e.seq > found.seq)) found = e;
  if (!found) return undefined;
  const roles = Array.isArray(found.data.roles) ? found.data.roles.map(String) : [];
  return { name, publicKey: String(found.data.publicKey), roles };
}

/** `coordinatorKey`: the coordinator public key to trust (from cluster.json); defaults to the bundle's. */
export function verifyEvidence(b: EvidenceBundle, coordinatorKey?: string): EvidenceResult {
  const problems: string[] = [];
  const checked: string[] = [];
  const r = b.request;
  const pub = coordinatorKey ?? b.coordinator.publicKey;
  if (coordinatorKey && coordinatorKey !== b.coordinator.publicKey) problems.push('the bundle names another coordinator key than the one given');
  for (const e of b.auditEntries) {
    const bad = checkEntry(e, pub);
    if (bad) problems.push(`audit entry ${e.seq}: ${bad}`);
  }
  checked.push(`${b.auditEntries.length} audit entries (hash and coordinator signature)`);
  const mine = b.auditEntries.filter((e) => e.data.requestId === r.id);
  let decoded;
  try {
    decoded = decodeSignRequest(r.request);
  } catch (e) {
    problems.push(`the request does not decode: ${(e as Error).message}`);
    return { ok: false, problems, checked };
  }
  if (decoded.digest !== r.digest) problems.push('the digest is not the digest of the request');
  checked.push('digest re-derived from the request');
  const created = mine.find((e) => e.type === 'request_created');
  if (!created) problems.push('no audit entry records the request');
  else if (created.data.digest !== decoded.digest || (created.data.policyHash ?? null) !== (r.policyHash ?? null)) problems.push('the request_created entry does not match the request');
  if (b.policy) {
    if (policyHash(b.policy.text) !== b.policy.hash || b.policy.hash !== r.policyHash) problems.push('the policy text does not hash to the request\'s policy hash');
    else {
      const p = loadPolicy(b.policy.text);
      const d = evaluate(p, decoded.summary, { now: Date.parse(r.createdAt) });
      const usesLimits = p.rules.some((x) => x.match.spendLimit || x.match.rateLimit);
      if (!usesLimits && d.rule !== (r.decision?.rule ?? null)) problems.push(`the policy gives rule ${d.rule} for this request, the bundle says ${r.decision?.rule}`);
      checked.push(usesLimits ? 'policy hash (decision not re-evaluated: the policy has history-dependent limits)' : `policy hash and decision (rule ${d.rule})`);
    }
  }
  if (r.decision?.action === 'require_approvals') {
    const stmt = approvalBytes({ requestId: r.id, keyId: r.keyId, initiator: r.initiator, digest: decoded.digest, summary: decoded.summary, policyHash: r.policyHash ?? '', rule: r.decision.rule ?? '', expiresAt: Date.parse(r.expiresAt) });
    for (const a of b.approvals) {
      const who = b.approvers.find((x) => x.name === a.by);
      if (!who || !verifyEd25519(who.publicKey, stmt, a.signature)) problems.push(`approval by ${a.by} does not verify over the request's statement`);
      const given = mine.find((e) => e.type === 'approval' && e.actor === a.by && e.data.signature === a.signature);
      if (!given) problems.push(`approval by ${a.by} is not in the audit entries`);
      else {
        const reg = approverAt(b.auditEntries, a.by, given.seq);
        if (!reg) problems.push(`no audit entry registers approver ${a.by} before the approval`);
        else if (who && reg.publicKey !== who.publicKey) problems.push(`the bundle's key for ${a.by} is not the one registered when the approval was given`);
      }
    }
    checked.push(`${b.approvals.length} approval signature(s) over the rebuilt statement, under the approver key registered at the time`);
  }
  if (r.signature) {
    const compact = Buffer.from(r.signature.r.slice(2).padStart(64, '0') + r.signature.s.slice(2).padStart(64, '0'), 'hex');
    if (!secp256k1.verify(compact, Buffer.from(decoded.digest.slice(2), 'hex'), Buffer.from(b.key.publicKey, 'hex'), { prehash: false })) problems.push('the ECDSA signature does not verify under the key');
    const signed = mine.find((e) => e.type === 'signed');
    if (!signed || signed.data.r !== r.signature.r || signed.data.s !== r.signature.s || signed.data.sessionId !== r.sessionId) problems.push('no audit entry records this signature, session and node pair');
    checked.push('ECDSA signature under the key, and its audit entry');
  }
  return { ok: problems.length === 0, problems, checked };
}
