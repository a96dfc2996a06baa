/**
 * Typed wire codecs with limits. protobufjs decodes whatever is well-formed; these functions then
 * check every field (exact lengths, ranges, counts, string sizes) and copy byte fields into plain
 * Uint8Arrays (protobufjs hands out Node Buffers whose `slice` shares memory). Anything out of
 * bounds throws a WireError; callers drop the frame. The schemas have no 64-bit integer fields,
 * so no value can arrive as a lossy number (test/proto/wire.test.ts asserts it).
 */
import { tecdsa } from './gen/wire.js';

export const pb = tecdsa.v1;
export const ProtocolKind = pb.ProtocolKind;
export type ProtocolKind = tecdsa.v1.ProtocolKind;

/** Largest frame accepted on any stream (the biggest protocol payload is ~86.5 KB). */
export const MAX_FRAME_BYTES = 256 * 1024;
export const MAX_PAYLOAD_BYTES = 192 * 1024;
export const SESSION_ID_BYTES = 32;
export const KEY_ID_BYTES = 32;
export const DIGEST_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const POINT_BYTES = 33;
export const MAX_PARTIES = 16;
export const MAX_ROUND = 16;
export const MAX_PEER_ID_CHARS = 128;
export const MAX_NAME_CHARS = 128;
export const MAX_TEXT_CHARS = 1024;
export const MAX_CONNECTED = 64;
/** Largest authorization / admin-update JSON (a policy text is at most MAX_POLICY_BYTES of it). */
export const MAX_AUTHORIZATION_BYTES = 96 * 1024;

export const WireErrorCode = {
  DECODE: 'ERR_WIRE_DECODE',
  LIMIT: 'ERR_WIRE_LIMIT',
} as const;
export type WireErrorCode = (typeof WireErrorCode)[keyof typeof WireErrorCode];

export class WireError extends Error {
  override readonly name = 'WireError';
  constructor(
    readonly code: WireErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const limit = (msg: string) => new WireError(WireErrorCode.LIMIT, msg);

function decode<T>(f: () => T, what: string): T {
  try {
    return f();
  } catch (e) {
    throw new WireError(WireErrorCode.DECODE, `malformed ${what}: ${(e as Error).message}`);
  }
}

function bytes(v: Uint8Array | null | undefined, field: string, len: { exact?: number; max?: number; min?: number }): Uint8Array {
  const b = v ?? new Uint8Array(0);
  if (len.exact !== undefined && b.length !== len.exact) throw limit(`${field}: ${b.length} bytes, expected ${len.exact}`);
  if (len.max !== undefined && b.length > len.max) throw limit(`${field}: ${b.length} bytes, at most ${len.max}`);
  if (len.min !== undefined && b.length < len.min) throw limit(`${field}: ${b.length} bytes, at least ${len.min}`);
  return new Uint8Array(b);
}

function int(v: number | null | undefined, field: string, min: number, max: number): number {
  const n = v ?? 0;
  if (!Number.isInteger(n) || n < min || n > max) throw limit(`${field}: ${n} outside ${min}..${max}`);
  return n;
}

function text(v: string | null | undefined, field: string, max: number, min = 0): string {
  const s = v ?? '';
  if (s.length > max || s.length < min) throw limit(`${field}: ${s.length} characters, allowed ${min}..${max}`);
  return s;
}

// ---------- envelope ----------

export interface Envelope {
  sessionId: Uint8Array;
  protocol: ProtocolKind;
  round: number;
  from: number;
  to: number;
  payload: Uint8Array;
  signature: Uint8Array;
}

const ENVELOPE_DOMAIN = new TextEncoder().encode('tecdsa-cluster/v1/envelope');

/** The bytes a sender signs: every envelope field except the signature, fixed layout. */
export function envelopeSigningBytes(e: Omit<Envelope, 'signature'>): Uint8Array {
  const out = new Uint8Array(ENVELOPE_DOMAIN.length + 32 + 1 + 4 * 4 + e.payload.length);
  const dv = new DataView(out.buffer);
  let o = 0;
  out.set(ENVELOPE_DOMAIN, o);
  o += ENVELOPE_DOMAIN.length;
  if (e.sessionId.length !== SESSION_ID_BYTES) throw limit('sessionId must be 32 bytes');
  out.set(e.sessionId, o);
  o += 32;
  out[o++] = e.protocol;
  for (const v of [e.round, e.from, e.to, e.payload.length]) {
    dv.setUint32(o, v);
    o += 4;
  }
  out.set(e.payload, o);
  return out;
}

export function encodeEnvelope(e: Envelope): Uint8Array {
  return pb.Envelope.encode(e).finish();
}

export function decodeEnvelope(buf: Uint8Array): Envelope {
  if (buf.length > MAX_FRAME_BYTES) throw limit(`frame of ${buf.length} bytes`);
  const m = decode(() => pb.Envelope.decode(buf), 'envelope');
  const protocol = m.protocol;
  if (protocol !== ProtocolKind.DKG && protocol !== ProtocolKind.SIGN && protocol !== ProtocolKind.HISTORY && protocol !== ProtocolKind.PRESIGN) throw limit(`unknown protocol ${protocol}`);
  return {
    sessionId: bytes(m.sessionId, 'sessionId', { exact: SESSION_ID_BYTES }),
    protocol,
    round: int(m.round, 'round', 1, MAX_ROUND),
    from: int(m.from, 'from', 1, MAX_PARTIES),
    to: int(m.to, 'to', 1, MAX_PARTIES),
    payload: bytes(m.payload, 'payload', { max: MAX_PAYLOAD_BYTES }),
    signature: bytes(m.signature, 'signature', { exact: SIGNATURE_BYTES }),
  };
}

// ---------- control ----------

export interface DkgParty {
  index: number;
  peerId: string;
}
export interface DkgStart {
  sessionId: Uint8Array;
  threshold: number;
  parties: DkgParty[];
  name: string;
}
export interface DkgDone {
  keyId: Uint8Array;
  publicKey: Uint8Array;
  publicShares: Uint8Array[];
  index: number;
}
export interface SignStart {
  keyId: Uint8Array;
  sessionId: Uint8Array;
  digest: Uint8Array;
  initiator: number;
  responder: number;
  /** JSON, see proto/authorization.ts; empty means none. */
  authorization: Uint8Array;
  /** The session id names a presignature the node holds: only round 3 runs (absent: false). */
  presigned?: boolean;
}
export interface PresignStart {
  keyId: Uint8Array;
  sessionId: Uint8Array;
  initiator: number;
  responder: number;
}
export interface SignDone {
  partial: Uint8Array;
}
export interface NodeStatus {
  index: number;
  peerId: string;
  keys: number;
  sessions: number;
  connected: string[];
  version: string;
}
export interface Failure {
  failureClass: string;
  code: string;
  /** 0 = not attributable. */
  culprit: number;
  message: string;
  round: number;
}
export interface Progress {
  round: number;
  rounds: number;
}

export type ControlRequest = { status: Record<string, never> } | { dkg: DkgStart } | { sign: SignStart } | { presign: PresignStart } | { admin: { record: Uint8Array } };
export type ControlResponse =
  | { status: NodeStatus }
  | { dkg: DkgDone }
  | { sign: SignDone }
  | { failure: Failure }
  | { progress: Progress }
  | { presign: Record<string, never> }
  | { admin: Record<string, never> };

export function encodeControlRequest(r: ControlRequest): Uint8Array {
  return pb.ControlRequest.encode(r).finish();
}
export function encodeControlResponse(r: ControlResponse): Uint8Array {
  return pb.ControlResponse.encode(r).finish();
}

function checkDkgStart(m: tecdsa.v1.DkgStart.$Properties): DkgStart {
  const parties = m.parties ?? [];
  if (parties.length < 2 || parties.length > MAX_PARTIES) throw limit(`dkg parties: ${parties.length}, allowed 2..${MAX_PARTIES}`);
  const out = parties.map((p, i) => ({
    index: int(p.index, `parties[${i}].index`, 1, parties.length),
    peerId: text(p.peerId, `parties[${i}].peerId`, MAX_PEER_ID_CHARS, 1),
  }));
  if (new Set(out.map((p) => p.index)).size !== out.length) throw limit('dkg parties: duplicate index');
  if (new Set(out.map((p) => p.peerId)).size !== out.length) throw limit('dkg parties: duplicate peer id');
  return {
    sessionId: bytes(m.sessionId, 'sessionId', { exact: SESSION_ID_BYTES }),
    threshold: int(m.threshold, 'threshold', 2, out.length),
    parties: out.sort((a, b) => a.index - b.index),
    name: text(m.name, 'name', MAX_NAME_CHARS),
  };
}

function checkSignStart(m: tecdsa.v1.SignStart.$Properties): SignStart {
  const s = {
    keyId: bytes(m.keyId, 'keyId', { exact: KEY_ID_BYTES }),
    sessionId: bytes(m.sessionId, 'sessionId', { exact: SESSION_ID_BYTES }),
    digest: bytes(m.digest, 'digest', { exact: DIGEST_BYTES }),
    initiator: int(m.initiator, 'initiator', 1, MAX_PARTIES),
    responder: int(m.responder, 'responder', 1, MAX_PARTIES),
    authorization: bytes(m.authorization, 'authorization', { max: MAX_AUTHORIZATION_BYTES }),
    presigned: m.presigned === true,
  };
  if (s.initiator === s.responder) throw limit('initiator and responder are the same party');
  return s;
}

function checkPresignStart(m: tecdsa.v1.PresignStart.$Properties): PresignStart {
  const s = {
    keyId: bytes(m.keyId, 'keyId', { exact: KEY_ID_BYTES }),
    sessionId: bytes(m.sessionId, 'sessionId', { exact: SESSION_ID_BYTES }),
    initiator: int(m.initiator, 'initiator', 1, MAX_PARTIES),
    responder: int(m.responder, 'responder', 1, MAX_PARTIES),
  };
  if (s.initiator === s.responder) throw limit('initiator and responder are the same party');
  return s;
}

export function decodeControlRequest(buf: Uint8Array): ControlRequest {
  if (buf.length > MAX_FRAME_BYTES) throw limit(`frame of ${buf.length} bytes`);
  const m = decode(() => pb.ControlRequest.decode(buf), 'control request');
  if (m.status) return { status: {} };
  if (m.dkg) return { dkg: checkDkgStart(m.dkg) };
  if (m.sign) return { sign: checkSignStart(m.sign) };
  if (m.presign) return { presign: checkPresignStart(m.presign) };
  if (m.admin) return { admin: { record: bytes(m.admin.record, 'admin.record', { min: 1, max: MAX_AUTHORIZATION_BYTES }) } };
  throw limit('control request has no body');
}

export function decodeControlResponse(buf: Uint8Array, expect: { parties?: number; partialBytes?: number } = {}): ControlResponse {
  if (buf.length > MAX_FRAME_BYTES) throw limit(`frame of ${buf.length} bytes`);
  const m = decode(() => pb.ControlResponse.decode(buf), 'control response');
  if (m.status) {
    const c = m.status.connected ?? [];
    if (c.length > MAX_CONNECTED) throw limit(`status.connected: ${c.length} entries`);
    return {
      status: {
        index: int(m.status.index, 'status.index', 1, MAX_PARTIES),
        peerId: text(m.status.peerId, 'status.peerId', MAX_PEER_ID_CHARS, 1),
        keys: int(m.status.keys, 'status.keys', 0, 0xffffffff),
        sessions: int(m.status.sessions, 'status.sessions', 0, 0xffffffff),
        connected: c.map((p, i) => text(p, `status.connected[${i}]`, MAX_PEER_ID_CHARS, 1)),
        version: text(m.status.version, 'status.version', MAX_NAME_CHARS),
      },
    };
  }
  if (m.dkg) {
    const shares = m.dkg.publicShares ?? [];
    const n = expect.parties;
    if (shares.length < 2 || shares.length > MAX_PARTIES || (n !== undefined && shares.length !== n)) {
      throw limit(`dkg.publicShares: ${shares.length} entries`);
    }
    return {
      dkg: {
        keyId: bytes(m.dkg.keyId, 'dkg.keyId', { exact: KEY_ID_BYTES }),
        publicKey: bytes(m.dkg.publicKey, 'dkg.publicKey', { exact: POINT_BYTES }),
        publicShares: shares.map((s, i) => bytes(s, `dkg.publicShares[${i}]`, { exact: POINT_BYTES })),
        index: int(m.dkg.index, 'dkg.index', 1, shares.length),
      },
    };
  }
  if (m.sign) {
    const p = expect.partialBytes;
    return { sign: { partial: bytes(m.sign.partial, 'sign.partial', p === undefined ? { min: 1, max: 1024 } : { exact: p }) } };
  }
  if (m.failure) {
    return {
      failure: {
        failureClass: text(m.failure.failureClass, 'failure.failureClass', 16, 1),
        code: text(m.failure.code, 'failure.code', 64, 1),
        culprit: int(m.failure.culprit, 'failure.culprit', 0, MAX_PARTIES),
        message: text(m.failure.message, 'failure.message', MAX_TEXT_CHARS),
        round: int(m.failure.round, 'failure.round', 0, MAX_ROUND),
      },
    };
  }
  if (m.progress) {
    return {
      progress: { round: int(m.progress.round, 'progress.round', 0, MAX_ROUND), rounds: int(m.progress.rounds, 'progress.rounds', 1, MAX_ROUND) },
    };
  }
  if (m.presign) return { presign: {} };
  if (m.admin) return { admin: {} };
  throw limit('control response has no body');
}
