/**
 * JSON documents carried inside protobuf bytes fields, with strict parsing:
 *  - Authorization (SignStart.authorization): everything a node needs to decide for itself
 *    whether to join a signing session.
 *  - AdminRecord (AdminUpdate.record): an admin-signed policy or approver change.
 *  - Announcement (AdminUpdate.record `{announce: …}`): a delayed request, with the request
 *    body itself, so every node decodes and witnesses what is waiting to be signed.
 */
import { MAX_ADMINS, adminSetProblem, type AdminChange, type Signed } from './governance.js';
import { MAX_AUTHORIZATION_BYTES } from './index.js';

export class DocumentError extends Error {
  override readonly name = 'DocumentError';
  readonly code = 'ERR_BAD_DOCUMENT';
}

export interface Authorization {
  readonly requestId: string;
  readonly keyId: string;
  readonly initiator: string;
  readonly expiresAt: number;
  /** The request body as submitted (kind and its fields). */
  readonly request: Record<string, unknown>;
  /** Hash of the policy the coordinator evaluated; the node must hold the same one. */
  readonly policyHash: string;
  readonly approvals: readonly Signed[];
}

/**
 * A delayed request as the coordinator announces it to every node when it is made: the same
 * fields as the Authorization the node later gets, minus the approvals. The node decodes
 * `request` itself and starts its cooling-off clock only if that yields `digest`.
 */
export interface Announcement {
  readonly requestId: string;
  readonly keyId: string;
  readonly initiator: string;
  /** 0x + 64 lowercase hex: the digest the coordinator says `request` decodes to. */
  readonly digest: string;
  readonly request: Record<string, unknown>;
  readonly policyHash: string;
  readonly expiresAt: number;
}

export interface AdminRecord {
  readonly change: AdminChange;
  readonly signatures: readonly Signed[];
  /** For policy changes: the YAML text whose SHA-256 is change.policyHash. */
  readonly policyText?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (m: string): never => {
  throw new DocumentError(m);
};
const str = (o: Obj, k: string, re: RegExp, what: string): string => {
  const v = o[k];
  return typeof v === 'string' && re.test(v) ? v : bad(`${k} must be ${what}`);
};
const int = (o: Obj, k: string, min: number, max: number): number => {
  const v = o[k];
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? v : bad(`${k} must be an integer ${min}..${max}`);
};

export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
const HEX32 = /^[0-9a-f]{64}$/;
const SIG = /^[0-9a-f]{128}$/;

function parseJson(b: Uint8Array): Obj {
  if (b.length === 0 || b.length > MAX_AUTHORIZATION_BYTES) bad(`document of ${b.length} bytes`);
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b));
  } catch (e) {
    bad(`not UTF-8 JSON: ${(e as Error).message}`);
  }
  return isObj(v) ? v : bad('must be a JSON object');
}

function signed(v: unknown, what: string): Signed[] {
  if (!Array.isArray(v) || v.length > 64) bad(`${what} must be a list of at most 64 signatures`);
  return (v as unknown[]).map((s) => {
    if (!isObj(s)) bad(`${what} entries must be objects`);
    const o = s as Obj;
    return { by: str(o, 'by', NAME_RE, 'a name'), signature: str(o, 'signature', SIG, '64 bytes of lowercase hex') };
  });
}

export const encodeDocument = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));

export function parseAuthorization(b: Uint8Array): Authorization {
  const o = parseJson(b);
  const request = o.request;
  if (!isObj(request)) bad('request must be an object');
  return {
    requestId: str(o, 'requestId', /^[0-9a-f-]{36}$/, 'a UUID'),
    keyId: str(o, 'keyId', HEX32, 'a key id'),
    initiator: str(o, 'initiator', NAME_RE, 'a name'),
    expiresAt: int(o, 'expiresAt', 0, 8.64e15),
    request: request as Obj,
    policyHash: str(o, 'policyHash', HEX32, 'a SHA-256 hex'),
    approvals: signed(o.approvals, 'approvals'),
  };
}

/**
 * The `announce` member of a notice. An announcement without the request (the shape before
 * nodes witnessed delayed requests: `{requestId, digest}` only) is refused: a node must not
 * start a clock for a digest it cannot tie to a request it decoded itself.
 */
export function parseAnnouncement(v: unknown): Announcement {
  if (!isObj(v)) bad('announce must be an object');
  const o = v as Obj;
  if (o.request === undefined) bad('announce must carry the request (requestId, keyId, initiator, digest, request, policyHash, expiresAt); a bare digest starts no cooling-off clock');
  if (!isObj(o.request)) bad('announce.request must be an object');
  return {
    requestId: str(o, 'requestId', /^[0-9a-f-]{36}$/, 'a UUID'),
    keyId: str(o, 'keyId', HEX32, 'a key id'),
    initiator: str(o, 'initiator', NAME_RE, 'a name'),
    digest: str(o, 'digest', /^0x[0-9a-f]{64}$/, '0x and 64 lowercase hex'),
    request: o.request as Obj,
    policyHash: str(o, 'policyHash', HEX32, 'a SHA-256 hex'),
    expiresAt: int(o, 'expiresAt', 0, 8.64e15),
  };
}

export function parseAdminRecord(b: Uint8Array): AdminRecord {
  const o = parseJson(b);
  const c = o.change;
  if (!isObj(c)) bad('change must be an object');
  const ch = c as Obj;
  let change: AdminChange;
  if (ch.type === 'policy') {
    change = { type: 'policy', keyId: str(ch, 'keyId', HEX32, 'a key id'), policyHash: str(ch, 'policyHash', HEX32, 'a SHA-256 hex'), seq: int(ch, 'seq', 1, 2 ** 52) };
  } else if (ch.type === 'approver') {
    const roles = ch.roles;
    if (!Array.isArray(roles) || roles.length > 16 || roles.some((r) => typeof r !== 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(r))) bad('roles must be up to 16 role names');
    change = {
      type: 'approver',
      name: str(ch, 'name', NAME_RE, 'a name'),
      publicKey: str(ch, 'publicKey', /^([0-9a-f]{64})?$/, '32 bytes of lowercase hex (or empty to remove)'),
      roles: [...new Set(roles as string[])],
      seq: int(ch, 'seq', 1, 2 ** 52),
    };
  } else if (ch.type === 'freeze') {
    if (typeof ch.frozen !== 'boolean') bad('frozen must be true or false');
    const reason = ch.reason ?? '';
    if (typeof reason !== 'string' || reason.length > 512) bad('reason must be a string of at most 512 characters');
    change = { type: 'freeze', scope: str(ch, 'scope', /^([0-9a-f]{64}|\*)$/, "a key id or '*'"), frozen: ch.frozen as boolean, reason: reason as string, seq: int(ch, 'seq', 1, 2 ** 52) };
  } else if (ch.type === 'admins') {
    const list = ch.admins;
    if (!Array.isArray(list) || list.length > MAX_ADMINS) bad(`admins must be a list of at most ${MAX_ADMINS} admins`);
    const admins = (list as unknown[]).map((a) => {
      if (!isObj(a)) return bad('each admin is { name, publicKey }');
      const o = a as Obj;
      return { name: str(o, 'name', NAME_RE, 'a name'), publicKey: str(o, 'publicKey', /^[0-9a-f]{64}$/, '32 bytes of lowercase hex') };
    });
    change = { type: 'admins', admins, quorum: int(ch, 'quorum', 1, MAX_ADMINS), seq: int(ch, 'seq', 1, 2 ** 52) };
    const problem = adminSetProblem(admins, change.quorum);
    if (problem) bad(problem);
  } else {
    return bad('change.type must be policy, approver, freeze or admins');
  }
  const policyText = o.policyText;
  if (change.type === 'policy' && typeof policyText !== 'string') bad('a policy change carries policyText');
  return { change, signatures: signed(o.signatures, 'signatures'), ...(typeof policyText === 'string' ? { policyText } : {}) };
}
