/**
 * Wire schema and checked codecs (proto/): the committed generated code is current, no field can
 * arrive as a lossy 64-bit number, every message kind round-trips through the checked decoders
 * into plain, non-aliased Uint8Arrays, every limit rejects with a positive control beside it,
 * arbitrary bytes only ever produce a WireError or an in-limit value, and envelopeSigningBytes
 * binds every field in a fixed layout. SignStart.authorization (JSON, 0..MAX_AUTHORIZATION_BYTES)
 * and the admin bodies (AdminUpdate.record, 1..MAX_AUTHORIZATION_BYTES; AdminUpdateDone) are
 * covered like every other field, and so are presignatures: ProtocolKind.PRESIGN envelopes,
 * PresignStart (key id, session id, initiator ≠ responder), PresignDone and SignStart.presigned
 * (a boolean after decoding, absent → false).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  DIGEST_BYTES,
  KEY_ID_BYTES,
  MAX_AUTHORIZATION_BYTES,
  MAX_CONNECTED,
  MAX_FRAME_BYTES,
  MAX_NAME_CHARS,
  MAX_PARTIES,
  MAX_PAYLOAD_BYTES,
  MAX_PEER_ID_CHARS,
  MAX_ROUND,
  MAX_TEXT_CHARS,
  POINT_BYTES,
  ProtocolKind,
  SESSION_ID_BYTES,
  SIGNATURE_BYTES,
  WireError,
  WireErrorCode,
  decodeControlRequest,
  decodeControlResponse,
  decodeEnvelope,
  encodeControlRequest,
  encodeControlResponse,
  encodeEnvelope,
  envelopeSigningBytes,
  pb,
  type ControlRequest,
  type ControlResponse,
  type DkgDone,
  type DkgParty,
  type DkgStart,
  type Envelope,
  type Failure,
  type NodeStatus,
  type PresignStart,
  type Progress,
  type SignStart,
} from '../../proto/index.js';
import { PROTO_FILES, generate, root } from '../../scripts/gen-proto.js';
import { fcSeed, seedMsg } from '../protocol/support.js';

const PROTO_DIR = join(root, 'proto');
const U32_MAX = 0xffffffff;

// ---------- fixtures ----------

/** n bytes with a recognisable pattern, distinct per `seed`. */
const pat = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + 1) & 0xff);
const chars = (n: number, c = 'a'): string => c.repeat(n);
const peer = (i: number): string => `12D3KooWPeer${String(i).padStart(3, '0')}`;

const envelope = (over: Partial<Envelope> = {}): Envelope => ({
  sessionId: pat(SESSION_ID_BYTES, 1),
  protocol: ProtocolKind.SIGN,
  round: 3,
  from: 1,
  to: 2,
  payload: pat(1000, 2),
  signature: pat(SIGNATURE_BYTES, 3),
  ...over,
});

const parties = (n: number): DkgParty[] => Array.from({ length: n }, (_, i) => ({ index: i + 1, peerId: peer(i + 1) }));

const dkgStart = (over: Partial<DkgStart> = {}): DkgStart => ({
  sessionId: pat(SESSION_ID_BYTES, 4),
  threshold: 2,
  parties: parties(3),
  name: 'treasury key',
  ...over,
});

/** A small JSON document, as the coordinator puts in SignStart.authorization / AdminUpdate.record. */
const jsonDoc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const AUTHZ = jsonDoc({ requestId: '0b8e7a52-3c1d-4e6f-9a2b-5c4d3e2f1a0b', keyId: 'ab'.repeat(32), initiator: 'admin', approvals: [] });
const ADMIN_RECORD = jsonDoc({ change: { type: 'approver', name: 'alice', publicKey: 'cd'.repeat(32), roles: ['treasury'], seq: 1 }, signatures: [] });
/** Byte lengths at the authorization / admin-record limits, built once (they are ~96 KiB each). */
const AUTH_MAX = pat(MAX_AUTHORIZATION_BYTES, 15);
const AUTH_OVER = pat(MAX_AUTHORIZATION_BYTES + 1, 16);

const signStart = (over: Partial<SignStart> = {}): SignStart => ({
  keyId: pat(KEY_ID_BYTES, 5),
  sessionId: pat(SESSION_ID_BYTES, 6),
  digest: pat(DIGEST_BYTES, 7),
  initiator: 1,
  responder: 2,
  authorization: AUTHZ,
  presigned: false,
  ...over,
});

/** signStart() with `presigned` left out (it is optional when encoding; the decoder returns false). */
const signStartWithout = (over: Partial<SignStart> = {}): SignStart => {
  const { presigned: _, ...rest } = signStart(over);
  return rest;
};

const presignStart = (over: Partial<PresignStart> = {}): PresignStart => ({
  keyId: pat(KEY_ID_BYTES, 19),
  sessionId: pat(SESSION_ID_BYTES, 20),
  initiator: 1,
  responder: 2,
  ...over,
});

const nodeStatus = (over: Partial<NodeStatus> = {}): NodeStatus => ({
  index: 2,
  peerId: peer(2),
  keys: 5,
  sessions: 1,
  connected: [peer(1), peer(3)],
  version: '0.1.0',
  ...over,
});

const dkgDone = (over: Partial<DkgDone> = {}): DkgDone => ({
  keyId: pat(KEY_ID_BYTES, 8),
  publicKey: pat(POINT_BYTES, 9),
  publicShares: [pat(POINT_BYTES, 10), pat(POINT_BYTES, 11), pat(POINT_BYTES, 12)],
  index: 2,
  ...over,
});

const failure = (over: Partial<Failure> = {}): Failure => ({
  failureClass: 'ABORT',
  code: 'ERR_GAMMA_CHECK',
  culprit: 3,
  message: 'gamma check failed for party 3',
  round: 4,
  ...over,
});

const progress = (over: Partial<Progress> = {}): Progress => ({ round: 2, rounds: 5, ...over });

const PARTIAL = 133; // protocol/sign PARTIAL_BYTES; the decoder takes the expected length as a parameter

const encEnv = (over: Partial<Envelope> = {}) => encodeEnvelope(envelope(over));
const encReq = (r: ControlRequest) => encodeControlRequest(r);
const encRes = (r: ControlResponse) => encodeControlResponse(r);
/** Encodes raw (possibly out-of-schema) properties, bypassing the typed encoders. */
const rawEnv = (p: Record<string, unknown>) => pb.Envelope.encode(p as never).finish();
const rawReq = (p: Record<string, unknown>) => pb.ControlRequest.encode(p as never).finish();
const rawRes = (p: Record<string, unknown>) => pb.ControlResponse.encode(p as never).finish();

function varint(v: bigint): number[] {
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

/** `buf` followed by an unknown length-delimited field 15, so that the total is exactly `total` bytes. */
function padTo(buf: Uint8Array, total: number): Uint8Array {
  for (let len = total - buf.length - 2; len >= 0; len--) {
    const head = [(15 << 3) | 2, ...varint(BigInt(len))];
    if (buf.length + head.length + len === total) {
      const out = new Uint8Array(total);
      out.set(buf);
      out.set(head, buf.length);
      return out;
    }
  }
  throw new Error(`cannot pad ${buf.length} to ${total}`);
}

function expectWireError(f: () => unknown, code: WireErrorCode, what: string): WireError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, `${what}: expected WireError ${code}, nothing was thrown`).toBeDefined();
  expect(caught, `${what}: expected WireError ${code}, got ${String(caught)}`).toBeInstanceOf(WireError);
  const e = caught as WireError;
  expect(e.name).toBe('WireError');
  expect(e.code, `${what}: wrong code (${e.message})`).toBe(code);
  return e;
}

// ---------- independent limit checks (from the .proto comments and the constants) ----------

const isPlainBytes = (b: unknown): b is Uint8Array => b instanceof Uint8Array && b.constructor === Uint8Array;
const inRange = (n: unknown, min: number, max: number): boolean => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;
const isText = (s: unknown, min: number, max: number): boolean => typeof s === 'string' && s.length >= min && s.length <= max;
/** The envelope kinds envelope.proto documents (everything but PROTOCOL_UNSPECIFIED = 0). */
const KNOWN_KINDS: number[] = [1, 2, 3, 4]; // DKG, SIGN, HISTORY, PRESIGN

function envelopeWithinLimits(e: Envelope): boolean {
  return (
    isPlainBytes(e.sessionId) &&
    e.sessionId.length === SESSION_ID_BYTES &&
    KNOWN_KINDS.includes(e.protocol) &&
    inRange(e.round, 1, MAX_ROUND) &&
    inRange(e.from, 1, MAX_PARTIES) &&
    inRange(e.to, 1, MAX_PARTIES) &&
    isPlainBytes(e.payload) &&
    e.payload.length <= MAX_PAYLOAD_BYTES &&
    isPlainBytes(e.signature) &&
    e.signature.length === SIGNATURE_BYTES
  );
}

function dkgStartWithinLimits(d: DkgStart): boolean {
  const n = d.parties.length;
  return (
    isPlainBytes(d.sessionId) &&
    d.sessionId.length === SESSION_ID_BYTES &&
    n >= 2 &&
    n <= MAX_PARTIES &&
    d.parties.every((p) => inRange(p.index, 1, n) && isText(p.peerId, 1, MAX_PEER_ID_CHARS)) &&
    new Set(d.parties.map((p) => p.index)).size === n &&
    new Set(d.parties.map((p) => p.peerId)).size === n &&
    inRange(d.threshold, 2, n) &&
    isText(d.name, 0, MAX_NAME_CHARS)
  );
}

function signStartWithinLimits(s: SignStart): boolean {
  return (
    [s.keyId, s.sessionId, s.digest].every((b) => isPlainBytes(b) && b.length === 32) &&
    inRange(s.initiator, 1, MAX_PARTIES) &&
    inRange(s.responder, 1, MAX_PARTIES) &&
    s.initiator !== s.responder &&
    isPlainBytes(s.authorization) &&
    s.authorization.length <= MAX_AUTHORIZATION_BYTES &&
    typeof s.presigned === 'boolean'
  );
}

function presignStartWithinLimits(s: PresignStart): boolean {
  return (
    Object.keys(s).length === 4 &&
    [s.keyId, s.sessionId].every((b) => isPlainBytes(b) && b.length === 32) &&
    inRange(s.initiator, 1, MAX_PARTIES) &&
    inRange(s.responder, 1, MAX_PARTIES) &&
    s.initiator !== s.responder
  );
}

const adminRecordWithinLimits = (r: { record: Uint8Array }): boolean =>
  Object.keys(r).length === 1 && isPlainBytes(r.record) && r.record.length >= 1 && r.record.length <= MAX_AUTHORIZATION_BYTES;

function requestWithinLimits(r: ControlRequest): boolean {
  const keys = Object.keys(r);
  if (keys.length !== 1) return false;
  if ('status' in r) return Object.keys(r.status).length === 0;
  if ('dkg' in r) return dkgStartWithinLimits(r.dkg);
  if ('sign' in r) return signStartWithinLimits(r.sign);
  if ('presign' in r) return presignStartWithinLimits(r.presign);
  if ('admin' in r) return adminRecordWithinLimits(r.admin);
  return false;
}

function responseWithinLimits(r: ControlResponse, expectOpts: { parties?: number; partialBytes?: number } = {}): boolean {
  if (Object.keys(r).length !== 1) return false;
  if ('status' in r) {
    const s = r.status;
    return (
      inRange(s.index, 1, MAX_PARTIES) &&
      isText(s.peerId, 1, MAX_PEER_ID_CHARS) &&
      inRange(s.keys, 0, U32_MAX) &&
      inRange(s.sessions, 0, U32_MAX) &&
      s.connected.length <= MAX_CONNECTED &&
      s.connected.every((c) => isText(c, 1, MAX_PEER_ID_CHARS)) &&
      isText(s.version, 0, MAX_NAME_CHARS)
    );
  }
  if ('dkg' in r) {
    const d = r.dkg;
    const n = d.publicShares.length;
    return (
      isPlainBytes(d.keyId) &&
      d.keyId.length === KEY_ID_BYTES &&
      isPlainBytes(d.publicKey) &&
      d.publicKey.length === POINT_BYTES &&
      n >= 2 &&
      n <= MAX_PARTIES &&
      (expectOpts.parties === undefined || n === expectOpts.parties) &&
      d.publicShares.every((s) => isPlainBytes(s) && s.length === POINT_BYTES) &&
      inRange(d.index, 1, n)
    );
  }
  if ('sign' in r) {
    const p = r.sign.partial;
    return isPlainBytes(p) && (expectOpts.partialBytes === undefined ? p.length >= 1 && p.length <= 1024 : p.length === expectOpts.partialBytes);
  }
  if ('failure' in r) {
    const f = r.failure;
    return (
      isText(f.failureClass, 1, 16) &&
      isText(f.code, 1, 64) &&
      inRange(f.culprit, 0, MAX_PARTIES) &&
      isText(f.message, 0, MAX_TEXT_CHARS) &&
      inRange(f.round, 0, MAX_ROUND)
    );
  }
  if ('progress' in r) return inRange(r.progress.round, 0, MAX_ROUND) && inRange(r.progress.rounds, 1, MAX_ROUND);
  if ('presign' in r) return Object.keys(r.presign).length === 0;
  if ('admin' in r) return Object.keys(r.admin).length === 0;
  return false;
}

// ---------- .proto parsing ----------

const stripComments = (src: string): string => src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '');
const SIXTY_FOUR_BIT = /\b(?:u?int64|sint64|s?fixed64)\b/;

/** Lines (comments removed) that mention a 64-bit integer type anywhere: fields, map keys/values, options. */
function find64BitLines(src: string): string[] {
  return stripComments(src)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => SIXTY_FOUR_BIT.test(l));
}

interface ProtoField {
  message: string;
  type: string;
  name: string;
  number: number;
  repeated: boolean;
}

/** Scalar/message fields of every message (oneof members included), by a small brace-tracking parser. */
function parseFields(src: string): ProtoField[] {
  const out: ProtoField[] = [];
  const stack: { kind: string; name: string }[] = [];
  const tokens = stripComments(src).split(/(?<=[{};])|(?=})/);
  for (const raw of tokens) {
    const t = raw.trim();
    if (!t) continue;
    const open = /^(message|oneof|enum|service)\s+(\w+)\s*\{$/.exec(t);
    if (open) {
      stack.push({ kind: open[1]!, name: open[2]! });
      continue;
    }
    if (t === '}') {
      stack.pop();
      continue;
    }
    const msg = [...stack].reverse().find((s) => s.kind === 'message');
    if (!msg || stack.at(-1)?.kind === 'enum') continue;
    const f = /^(repeated\s+|optional\s+)?([\w.]+|map\s*<[^>]+>)\s+(\w+)\s*=\s*(\d+)\s*(?:\[[^\]]*\])?\s*;$/.exec(t);
    if (f) out.push({ message: msg.name, type: f[2]!, name: f[3]!, number: Number(f[4]), repeated: !!f[1]?.startsWith('repeated') });
  }
  return out;
}

const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const protoSources = (): Map<string, string> => new Map(PROTO_FILES.map((f) => [f, readFileSync(join(PROTO_DIR, f), 'utf8')]));

// =====================================================================================

describe('generated code', () => {
  test('PROTO_FILES lists exactly the .proto files in proto/', () => {
    const onDisk = readdirSync(PROTO_DIR).filter((f) => f.endsWith('.proto'));
    expect([...PROTO_FILES].sort()).toEqual(onDisk.sort());
  });

  test('proto/gen/wire.js and wire.d.ts are byte-for-byte what scripts/gen-proto.ts generates now', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wire-gen-'));
    try {
      generate(join(dir, 'wire.js'));
      for (const f of ['wire.js', 'wire.d.ts']) {
        const fresh = readFileSync(join(dir, f));
        const committed = readFileSync(join(PROTO_DIR, 'gen', f));
        expect(committed.equals(fresh), `proto/gen/${f} is stale: run \`npm run gen:proto\` and commit the result`).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('no lossy numbers', () => {
  test('the 64-bit detector flags 64-bit fields and ignores 32-bit ones and comments (control)', () => {
    for (const line of ['uint64 x = 1;', 'int64 x = 1;', 'sint64 x = 1;', 'fixed64 x = 1;', 'sfixed64 x = 1;', 'repeated uint64 xs = 2;', 'map<string, fixed64> m = 3;', '  optional int64 y=4 ;']) {
      expect(find64BitLines(`message M {\n  ${line}\n}`), line).toHaveLength(1);
    }
    for (const line of ['uint32 x = 1;', 'int32 x = 1;', 'fixed32 x = 1;', 'bytes uint64_le = 1;', '// uint64 x = 1;', '/* int64 y = 2; */', 'string x = 1; // was int64']) {
      expect(find64BitLines(`message M {\n  ${line}\n}`), line).toEqual([]);
    }
  });

  test('no .proto file declares a 64-bit integer anywhere', () => {
    for (const [file, src] of protoSources()) expect(find64BitLines(src), file).toEqual([]);
  });

  test('the generated code never reads or writes a 64-bit varint or fixed64', () => {
    const js = readFileSync(join(PROTO_DIR, 'gen', 'wire.js'), 'utf8');
    expect(js).not.toMatch(/\.(?:u?int64|sint64|s?fixed64)\(/);
  });

  test('the field parser finds the schema (control): Envelope, SignStart, PresignStart/PresignDone and the control oneofs have their documented fields', () => {
    const fields = parseFields(protoSources().get('envelope.proto')!);
    expect(fields.map((f) => `${f.type} ${f.name}=${f.number}`)).toEqual([
      'bytes session_id=1',
      'ProtocolKind protocol=2',
      'uint32 round=3',
      'uint32 from=4',
      'uint32 to=5',
      'bytes payload=6',
      'bytes signature=7',
    ]);
    const sign = parseFields(protoSources().get('sign.proto')!);
    expect(sign.filter((f) => f.message === 'SignStart').map((f) => `${f.type} ${f.name}=${f.number}`)).toEqual([
      'bytes key_id=1',
      'bytes session_id=2',
      'bytes digest=3',
      'uint32 initiator=4',
      'uint32 responder=5',
      'bytes authorization=6',
      'bool presigned=7',
    ]);
    expect(sign.filter((f) => f.message === 'PresignStart').map((f) => `${f.type} ${f.name}=${f.number}`)).toEqual([
      'bytes key_id=1',
      'bytes session_id=2',
      'uint32 initiator=3',
      'uint32 responder=4',
    ]);
    expect(/\bmessage\s+PresignDone\s*\{\s*\}/.test(stripComments(protoSources().get('sign.proto')!)), 'PresignDone is declared and empty').toBe(true);
    const control = parseFields(protoSources().get('control.proto')!);
    expect(control.filter((f) => f.message === 'AdminUpdate').map((f) => `${f.type} ${f.name}=${f.number}`)).toEqual(['bytes record=1']);
    expect(control.filter((f) => f.message === 'AdminUpdateDone')).toEqual([]);
    expect(control.filter((f) => f.message === 'ControlRequest').map((f) => `${f.type} ${f.name}=${f.number}`)).toEqual([
      'StatusRequest status=1',
      'DkgStart dkg=2',
      'SignStart sign=3',
      'AdminUpdate admin=4',
      'PresignStart presign=5',
    ]);
    expect(control.filter((f) => f.message === 'ControlResponse').map((f) => `${f.type} ${f.name}=${f.number}`)).toEqual([
      'NodeStatus status=1',
      'DkgDone dkg=2',
      'SignDone sign=3',
      'Failure failure=4',
      'Progress progress=5',
      'AdminUpdateDone admin=6',
      'PresignDone presign=7',
    ]);
    expect(parseFields('message M { oneof b { Foo foo = 1; } repeated uint64 x = 2; map<string, int64> m = 3; }').map((f) => f.type)).toEqual([
      'Foo',
      'uint64',
      'map<string, int64>',
    ]);
  });

  test('ProtocolKind: envelope.proto and the generated enum hold exactly PROTOCOL_UNSPECIFIED 0, DKG 1, SIGN 2, HISTORY 3, PRESIGN 4', () => {
    const body = /\benum\s+ProtocolKind\s*\{([^}]*)\}/.exec(stripComments(protoSources().get('envelope.proto')!))?.[1];
    expect(body, 'enum ProtocolKind found').toBeDefined();
    const want = ['PROTOCOL_UNSPECIFIED=0', 'DKG=1', 'SIGN=2', 'HISTORY=3', 'PRESIGN=4'];
    expect([...body!.matchAll(/(\w+)\s*=\s*(\d+)\s*;/g)].map(([, n, v]) => `${n}=${v}`)).toEqual(want);
    expect(Object.entries(ProtocolKind).map(([n, v]) => `${n}=${v}`)).toEqual(want);
    // The independent checker's list of accepted kinds is the enum without PROTOCOL_UNSPECIFIED.
    expect(KNOWN_KINDS).toEqual([ProtocolKind.DKG, ProtocolKind.SIGN, ProtocolKind.HISTORY, ProtocolKind.PRESIGN]);
  });

  test('every uint32 field, given any varint up to 2^64-1, decodes to a JS number in 0..2^32-1 (its low 32 bits)', () => {
    const fields = [...protoSources().values()].flatMap(parseFields).filter((f) => f.type === 'uint32');
    expect(fields.map((f) => `${f.message}.${f.name}`).sort()).toEqual(
      [
        'DkgDone.index',
        'DkgParty.index',
        'DkgStart.threshold',
        'Envelope.from',
        'Envelope.round',
        'Envelope.to',
        'Failure.culprit',
        'Failure.round',
        'NodeStatus.index',
        'NodeStatus.keys',
        'NodeStatus.sessions',
        'PresignStart.initiator',
        'PresignStart.responder',
        'Progress.round',
        'Progress.rounds',
        'SignStart.initiator',
        'SignStart.responder',
      ].sort(),
    );
    const types = pb as unknown as Record<string, { decode(b: Uint8Array): Record<string, unknown> }>;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (f, v) => {
        const buf = Uint8Array.from([...varint(BigInt(f.number << 3)), ...varint(v)]);
        const got = types[f.message]!.decode(buf)[camel(f.name)];
        expect(typeof got, `${f.message}.${f.name}`).toBe('number');
        expect(got).toBe(Number(v & 0xffffffffn));
        expect(got as number).toBeLessThanOrEqual(U32_MAX);
      }),
      { numRuns: 300, seed: fcSeed('wire/uint32') },
    );
  });

  test('a uint32 at 2^32-1 survives the checked decoder as a number; a 10-byte varint there is truncated, never a Long', () => {
    const r = decodeControlResponse(encRes({ status: nodeStatus({ keys: U32_MAX, sessions: U32_MAX }) }));
    expect(r).toEqual({ status: nodeStatus({ keys: U32_MAX, sessions: U32_MAX }) });
    // NodeStatus{index=1 (field 1), keys=2^64-1 (field 3), peer_id (field 2)} inside ControlResponse.status (field 1).
    const inner = Uint8Array.from([0x08, 1, 0x18, ...varint(2n ** 64n - 1n), 0x12, 1, 0x70]);
    const r2 = decodeControlResponse(Uint8Array.from([0x0a, inner.length, ...inner]));
    expect('status' in r2 && r2.status.keys).toBe(U32_MAX);
  });

  test('SignStart.presigned, given any varint up to 2^64-1, leaves the checked decoder as a boolean: false for 0, true otherwise', () => {
    /** ControlRequest.sign (field 3) holding signStart() without field 7, followed by `tail`. */
    const withTail = (tail: number[]): Uint8Array => {
      const inner = [...pb.SignStart.encode(signStartWithout()).finish(), ...tail];
      return Uint8Array.from([0x1a, ...varint(BigInt(inner.length)), ...inner]);
    };
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(0n, 1n, 2n, 2n ** 32n, 2n ** 63n, 2n ** 64n - 1n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })), (v) => {
        const got = decodeControlRequest(withTail([(7 << 3) | 0, ...varint(v)]));
        expect(got).toEqual({ sign: signStart({ presigned: v !== 0n }) });
        expect('sign' in got && typeof got.sign.presigned).toBe('boolean');
      }),
      { numRuns: 300, seed: fcSeed('wire/presigned-bool') },
    );
    // Field 7 with another wire type is skipped as an unknown field: it never turns presigned on.
    expect(decodeControlRequest(withTail([(7 << 3) | 2, 1, 1]))).toEqual({ sign: signStart({ presigned: false }) });
    expect(decodeControlRequest(withTail([(7 << 3) | 5, 1, 0, 0, 0]))).toEqual({ sign: signStart({ presigned: false }) });
  });
});

// =====================================================================================

/** Every Uint8Array reachable from `v`, with its path. */
function byteFields(v: unknown, path = '$'): [string, Uint8Array][] {
  if (v instanceof Uint8Array) return [[path, v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => byteFields(x, `${path}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => byteFields(x, `${path}.${k}`));
  return [];
}

/**
 * Decodes `encoded` from both a Uint8Array and a Node Buffer (protobufjs slices Buffers without
 * copying), checks the result, then overwrites the input and checks nothing decoded changed.
 */
function roundTrip<T>(encoded: Uint8Array, dec: (b: Uint8Array) => T, want: T): void {
  for (const input of [Uint8Array.from(encoded), Buffer.from(encoded)]) {
    const got = dec(input);
    expect(got).toEqual(want);
    const fields = byteFields(got);
    for (const [path, b] of fields) {
      expect(b.constructor, `${path} must be a plain Uint8Array`).toBe(Uint8Array);
      expect(Buffer.isBuffer(b), path).toBe(false);
    }
    const before = fields.map(([, b]) => Uint8Array.from(b));
    input.fill(0xa5);
    fields.forEach(([path, b], i) => expect(b, `${path} aliases the input buffer`).toEqual(before[i]));
  }
}

describe('round trips through the checked decoders', () => {
  test('envelope, DKG, SIGN, HISTORY and PRESIGN, typical and extreme values', () => {
    for (const e of [
      envelope(),
      envelope({ protocol: ProtocolKind.DKG, round: 1, from: 2, to: 1, payload: new Uint8Array(0) }),
      envelope({ protocol: ProtocolKind.HISTORY, round: 1, from: 3, to: 1, payload: pat(200, 5) }),
      envelope({ protocol: ProtocolKind.PRESIGN, round: 1, from: 1, to: 2 }),
      envelope({ protocol: ProtocolKind.PRESIGN, round: 2, from: 2, to: 1, payload: new Uint8Array(0) }),
      envelope({ protocol: ProtocolKind.PRESIGN, round: MAX_ROUND, from: MAX_PARTIES, to: 1, payload: pat(MAX_PAYLOAD_BYTES, 6) }),
      envelope({ round: MAX_ROUND, from: MAX_PARTIES, to: MAX_PARTIES, payload: pat(MAX_PAYLOAD_BYTES, 4) }),
    ]) {
      roundTrip(encodeEnvelope(e), decodeEnvelope, e);
    }
  });

  test('control request: status, dkg (16 parties, given out of order, returned sorted), sign', () => {
    roundTrip(encReq({ status: {} }), decodeControlRequest, { status: {} });
    roundTrip(encReq({ dkg: dkgStart() }), decodeControlRequest, { dkg: dkgStart() });
    const many = parties(MAX_PARTIES);
    const shuffled = [...many.slice(9), ...many.slice(0, 9)].reverse();
    const big = dkgStart({ threshold: MAX_PARTIES, parties: shuffled, name: chars(MAX_NAME_CHARS) });
    roundTrip(encReq({ dkg: big }), decodeControlRequest, { dkg: { ...big, parties: many } });
    roundTrip(encReq({ dkg: dkgStart({ name: '' }) }), decodeControlRequest, { dkg: dkgStart({ name: '' }) });
    roundTrip(encReq({ sign: signStart() }), decodeControlRequest, { sign: signStart() });
    roundTrip(encReq({ sign: signStart({ initiator: MAX_PARTIES, responder: 1 }) }), decodeControlRequest, {
      sign: signStart({ initiator: MAX_PARTIES, responder: 1 }),
    });
  });

  test('control request presign: typical, extreme indexes in both orders, nothing but its four fields', () => {
    for (const p of [
      presignStart(),
      presignStart({ initiator: 2, responder: 1 }),
      presignStart({ initiator: MAX_PARTIES, responder: 1 }),
      presignStart({ initiator: 1, responder: MAX_PARTIES }),
      presignStart({ keyId: new Uint8Array(KEY_ID_BYTES).fill(0xff), sessionId: new Uint8Array(SESSION_ID_BYTES) }),
    ]) {
      roundTrip(encReq({ presign: p }), decodeControlRequest, { presign: p });
    }
    const got = decodeControlRequest(encReq({ presign: presignStart() }));
    expect(Object.keys(got)).toEqual(['presign']);
    expect('presign' in got && Object.keys(got.presign).sort()).toEqual(['initiator', 'keyId', 'responder', 'sessionId']);
  });

  test('sign presigned: true and false round-trip; absent encodes like false and decodes as false', () => {
    for (const presigned of [true, false]) {
      roundTrip(encReq({ sign: signStart({ presigned }) }), decodeControlRequest, { sign: signStart({ presigned }) });
      roundTrip(encReq({ sign: signStart({ presigned, authorization: new Uint8Array(0) }) }), decodeControlRequest, {
        sign: signStart({ presigned, authorization: new Uint8Array(0) }),
      });
    }
    const absent = signStartWithout();
    expect('presigned' in absent).toBe(false);
    roundTrip(encReq({ sign: absent }), decodeControlRequest, { sign: signStart({ presigned: false }) });
    roundTrip(rawReq({ sign: absent }), decodeControlRequest, { sign: signStart({ presigned: false }) });
    // proto3 writes no default: false and absent are the same bytes; true adds field 7 (tag 0x38, value 1).
    const off = encReq({ sign: signStart({ presigned: false }) });
    expect(encReq({ sign: absent })).toEqual(off);
    const inner = (v: SignStart) => Buffer.from(pb.SignStart.encode(v).finish()).toString('hex');
    expect(inner(signStart({ presigned: true }))).toBe(`${inner(absent)}3801`);
  });

  test('sign authorization: empty, a JSON document, exactly MAX_AUTHORIZATION_BYTES; absent on the wire decodes as empty', () => {
    for (const authorization of [new Uint8Array(0), AUTHZ, pat(1, 17), AUTH_MAX]) {
      roundTrip(encReq({ sign: signStart({ authorization }) }), decodeControlRequest, { sign: signStart({ authorization }) });
    }
    const { authorization: _, ...without } = signStart();
    const got = decodeControlRequest(rawReq({ sign: without }));
    expect(got).toEqual({ sign: signStart({ authorization: new Uint8Array(0) }) });
    expect('sign' in got && got.sign.authorization.constructor).toBe(Uint8Array);
    // The document's bytes arrive unchanged (nodes parse them as JSON themselves).
    const back = decodeControlRequest(encReq({ sign: signStart() }));
    expect('sign' in back && JSON.parse(new TextDecoder().decode(back.sign.authorization))).toEqual(JSON.parse(new TextDecoder().decode(AUTHZ)));
  });

  test('control request admin: a one-byte record, a JSON document, exactly MAX_AUTHORIZATION_BYTES', () => {
    for (const record of [pat(1, 18), ADMIN_RECORD, AUTH_MAX]) {
      roundTrip(encReq({ admin: { record } }), decodeControlRequest, { admin: { record } });
    }
  });

  test('control response: status, dkg, sign, failure, progress, presign, admin', () => {
    const cases: [ControlResponse, { parties?: number; partialBytes?: number }][] = [
      [{ status: nodeStatus() }, {}],
      [{ status: nodeStatus({ keys: 0, sessions: 0, connected: [], version: '' }) }, {}],
      [{ dkg: dkgDone() }, { parties: 3 }],
      [{ dkg: dkgDone() }, {}],
      [{ sign: { partial: pat(PARTIAL, 13) } }, { partialBytes: PARTIAL }],
      [{ sign: { partial: pat(PARTIAL, 13) } }, {}],
      [{ failure: failure() }, {}],
      [{ failure: failure({ culprit: 0, round: 0, message: '' }) }, {}],
      [{ progress: progress() }, {}],
      [{ progress: progress({ round: 0, rounds: 1 }) }, {}],
      [{ presign: {} }, {}],
      [{ presign: {} }, { parties: 3, partialBytes: PARTIAL }],
      [{ admin: {} }, {}],
      [{ admin: {} }, { parties: 3, partialBytes: PARTIAL }],
    ];
    for (const [r, opts] of cases) roundTrip(encRes(r), (b) => decodeControlResponse(b, opts), r);
  });

  test('a later oneof member replaces an earlier one (last one wins, as in protobuf)', () => {
    const both = Uint8Array.from([...encReq({ status: {} }), ...encReq({ sign: signStart() })]);
    expect(decodeControlRequest(both)).toEqual({ sign: signStart() });
    const both2 = Uint8Array.from([...encReq({ sign: signStart() }), ...encReq({ status: {} })]);
    expect(decodeControlRequest(both2)).toEqual({ status: {} });
    const both3 = Uint8Array.from([...encReq({ sign: signStart() }), ...encReq({ admin: { record: ADMIN_RECORD } })]);
    expect(decodeControlRequest(both3)).toEqual({ admin: { record: ADMIN_RECORD } });
    const both4 = Uint8Array.from([...encRes({ admin: {} }), ...encRes({ progress: progress() })]);
    expect(decodeControlResponse(both4)).toEqual({ progress: progress() });
    const both5 = Uint8Array.from([...encReq({ sign: signStart({ presigned: true }) }), ...encReq({ presign: presignStart() })]);
    expect(decodeControlRequest(both5)).toEqual({ presign: presignStart() });
    const both6 = Uint8Array.from([...encReq({ presign: presignStart() }), ...encReq({ sign: signStart({ presigned: true }) })]);
    expect(decodeControlRequest(both6)).toEqual({ sign: signStart({ presigned: true }) });
    const both7 = Uint8Array.from([...encRes({ progress: progress() }), ...encRes({ presign: {} })]);
    expect(decodeControlResponse(both7)).toEqual({ presign: {} });
    const both8 = Uint8Array.from([...encRes({ presign: {} }), ...encRes({ failure: failure() })]);
    expect(decodeControlResponse(both8)).toEqual({ failure: failure() });
  });

  test('unknown fields are skipped (forward compatibility)', () => {
    const buf = padTo(encEnv(), encEnv().length + 40);
    expect(decodeEnvelope(buf)).toEqual(envelope());
  });
});

// =====================================================================================

interface LimitCase {
  name: string;
  ok: (() => unknown)[];
  bad: (() => unknown)[];
  code?: WireErrorCode;
}

const LIMIT = WireErrorCode.LIMIT;
const env = (over: Partial<Envelope>) => () => decodeEnvelope(encEnv(over));
const envRaw = (p: Record<string, unknown>) => () => decodeEnvelope(rawEnv({ ...envelope(), ...p }));
const dkgReq = (over: Partial<DkgStart>) => () => decodeControlRequest(encReq({ dkg: dkgStart(over) }));
const signReq = (over: Partial<SignStart>) => () => decodeControlRequest(encReq({ sign: signStart(over) }));
const presignReq = (over: Partial<PresignStart>) => () => decodeControlRequest(encReq({ presign: presignStart(over) }));
const adminReq = (record: Uint8Array) => () => decodeControlRequest(encReq({ admin: { record } }));
const res = (r: ControlResponse, opts: { parties?: number; partialBytes?: number } = {}) => () => decodeControlResponse(encRes(r), opts);
const shares = (n: number) => Array.from({ length: n }, (_, i) => pat(POINT_BYTES, 20 + i));

const LIMIT_CASES: LimitCase[] = [
  // envelope
  { name: 'envelope sessionId 31 / 33 bytes', ok: [env({ sessionId: pat(32) })], bad: [env({ sessionId: pat(31) }), env({ sessionId: pat(33) }), env({ sessionId: new Uint8Array(0) })] },
  { name: 'envelope signature 63 / 65 bytes', ok: [env({ signature: pat(64) })], bad: [env({ signature: pat(63) }), env({ signature: pat(65) }), env({ signature: new Uint8Array(0) })] },
  { name: 'envelope payload over MAX_PAYLOAD_BYTES', ok: [env({ payload: pat(MAX_PAYLOAD_BYTES) })], bad: [env({ payload: pat(MAX_PAYLOAD_BYTES + 1) })] },
  {
    name: 'envelope frame over MAX_FRAME_BYTES (padding is an unknown field, payload small)',
    ok: [() => decodeEnvelope(padTo(encEnv(), MAX_FRAME_BYTES))],
    bad: [() => decodeEnvelope(padTo(encEnv(), MAX_FRAME_BYTES + 1)), () => decodeEnvelope(new Uint8Array(MAX_FRAME_BYTES + 1))],
  },
  { name: 'envelope round 0 / MAX_ROUND+1', ok: [env({ round: 1 }), env({ round: MAX_ROUND })], bad: [env({ round: 0 }), env({ round: MAX_ROUND + 1 }), env({ round: U32_MAX })] },
  { name: 'envelope from 0 / 17', ok: [env({ from: 1 }), env({ from: MAX_PARTIES })], bad: [env({ from: 0 }), env({ from: MAX_PARTIES + 1 })] },
  { name: 'envelope to 0 / 17', ok: [env({ to: 1 }), env({ to: MAX_PARTIES })], bad: [env({ to: 0 }), env({ to: MAX_PARTIES + 1 })] },
  {
    name: 'envelope protocol unknown (5, 7, -1) or PROTOCOL_UNSPECIFIED; DKG, SIGN, HISTORY and PRESIGN accepted',
    ok: [env({ protocol: ProtocolKind.DKG }), env({ protocol: ProtocolKind.SIGN }), env({ protocol: ProtocolKind.HISTORY }), env({ protocol: ProtocolKind.PRESIGN }), envRaw({ protocol: 4 })],
    bad: [envRaw({ protocol: 5 }), envRaw({ protocol: 7 }), envRaw({ protocol: -1 }), env({ protocol: ProtocolKind.PROTOCOL_UNSPECIFIED })],
  },
  {
    name: 'envelope PRESIGN keeps every other envelope limit',
    ok: [env({ protocol: ProtocolKind.PRESIGN, round: 1 }), env({ protocol: ProtocolKind.PRESIGN, round: MAX_ROUND, from: MAX_PARTIES })],
    bad: [
      env({ protocol: ProtocolKind.PRESIGN, round: 0 }),
      env({ protocol: ProtocolKind.PRESIGN, round: MAX_ROUND + 1 }),
      env({ protocol: ProtocolKind.PRESIGN, from: 0 }),
      env({ protocol: ProtocolKind.PRESIGN, to: MAX_PARTIES + 1 }),
      env({ protocol: ProtocolKind.PRESIGN, sessionId: pat(31) }),
      env({ protocol: ProtocolKind.PRESIGN, signature: pat(63) }),
      env({ protocol: ProtocolKind.PRESIGN, payload: pat(MAX_PAYLOAD_BYTES + 1) }),
    ],
  },
  // dkg start
  { name: 'dkg parties 1 / 17 entries', ok: [dkgReq({ parties: parties(2) }), dkgReq({ parties: parties(MAX_PARTIES) })], bad: [dkgReq({ parties: parties(1) }), dkgReq({ parties: parties(MAX_PARTIES + 1) }), dkgReq({ parties: [] })] },
  {
    name: 'dkg duplicate party index / index outside 1..n',
    ok: [dkgReq({ parties: [{ index: 2, peerId: 'a' }, { index: 1, peerId: 'b' }] })],
    bad: [dkgReq({ parties: [{ index: 1, peerId: 'a' }, { index: 1, peerId: 'b' }] }), dkgReq({ parties: [{ index: 1, peerId: 'a' }, { index: 3, peerId: 'b' }] }), dkgReq({ parties: [{ index: 0, peerId: 'a' }, { index: 1, peerId: 'b' }] })],
  },
  {
    name: 'dkg duplicate peer id / empty peer id',
    ok: [dkgReq({ parties: [{ index: 1, peerId: 'a' }, { index: 2, peerId: 'b' }] })],
    bad: [dkgReq({ parties: [{ index: 1, peerId: 'a' }, { index: 2, peerId: 'a' }] }), dkgReq({ parties: [{ index: 1, peerId: 'a' }, { index: 2, peerId: '' }] })],
  },
  { name: 'dkg threshold 1 / > n', ok: [dkgReq({ threshold: 2 }), dkgReq({ threshold: 3 })], bad: [dkgReq({ threshold: 1 }), dkgReq({ threshold: 0 }), dkgReq({ threshold: 4 })] },
  { name: 'dkg name over MAX_NAME_CHARS', ok: [dkgReq({ name: chars(MAX_NAME_CHARS) })], bad: [dkgReq({ name: chars(MAX_NAME_CHARS + 1) })] },
  {
    name: 'dkg peer id over MAX_PEER_ID_CHARS',
    ok: [dkgReq({ parties: [{ index: 1, peerId: chars(MAX_PEER_ID_CHARS) }, { index: 2, peerId: 'b' }] })],
    bad: [dkgReq({ parties: [{ index: 1, peerId: chars(MAX_PEER_ID_CHARS + 1) }, { index: 2, peerId: 'b' }] })],
  },
  { name: 'dkg sessionId 31 / 33 bytes', ok: [dkgReq({ sessionId: pat(32) })], bad: [dkgReq({ sessionId: pat(31) }), dkgReq({ sessionId: pat(33) })] },
  // sign start
  { name: 'sign digest 31 / 33 bytes', ok: [signReq({ digest: pat(32) })], bad: [signReq({ digest: pat(31) }), signReq({ digest: pat(33) })] },
  { name: 'sign keyId / sessionId 31 bytes', ok: [signReq({ keyId: pat(32), sessionId: pat(32, 2) })], bad: [signReq({ keyId: pat(31) }), signReq({ sessionId: pat(31) }), signReq({ sessionId: pat(33) })] },
  { name: 'sign initiator == responder', ok: [signReq({ initiator: 1, responder: 2 }), signReq({ initiator: 2, responder: 1 })], bad: [signReq({ initiator: 2, responder: 2 })] },
  {
    name: 'sign initiator / responder 0 / 17',
    ok: [signReq({ initiator: MAX_PARTIES, responder: 1 })],
    bad: [signReq({ initiator: 0 }), signReq({ responder: 0 }), signReq({ initiator: MAX_PARTIES + 1 }), signReq({ responder: MAX_PARTIES + 1 })],
  },
  {
    name: 'sign authorization over MAX_AUTHORIZATION_BYTES (empty and exactly the limit are fine)',
    ok: [signReq({ authorization: new Uint8Array(0) }), signReq({ authorization: pat(1) }), signReq({ authorization: AUTH_MAX })],
    bad: [signReq({ authorization: AUTH_OVER })],
  },
  {
    name: 'sign presigned true still checks every other field (digest included)',
    ok: [signReq({ presigned: true }), signReq({ presigned: true, authorization: new Uint8Array(0) })],
    bad: [
      signReq({ presigned: true, digest: pat(31) }),
      signReq({ presigned: true, digest: new Uint8Array(0) }),
      signReq({ presigned: true, keyId: pat(33) }),
      signReq({ presigned: true, sessionId: pat(31) }),
      signReq({ presigned: true, initiator: 2, responder: 2 }),
      signReq({ presigned: true, responder: MAX_PARTIES + 1 }),
      signReq({ presigned: true, authorization: AUTH_OVER }),
    ],
  },
  // presign start
  {
    name: 'presign keyId / sessionId 31 / 33 / 0 bytes',
    ok: [presignReq({ keyId: pat(32), sessionId: pat(32, 2) })],
    bad: [
      presignReq({ keyId: pat(31) }),
      presignReq({ keyId: pat(33) }),
      presignReq({ keyId: new Uint8Array(0) }),
      presignReq({ sessionId: pat(31) }),
      presignReq({ sessionId: pat(33) }),
      presignReq({ sessionId: new Uint8Array(0) }),
    ],
  },
  { name: 'presign initiator == responder', ok: [presignReq({ initiator: 1, responder: 2 }), presignReq({ initiator: 2, responder: 1 })], bad: [presignReq({ initiator: 2, responder: 2 }), presignReq({ initiator: MAX_PARTIES, responder: MAX_PARTIES })] },
  {
    name: 'presign initiator / responder 0 / 17 / 2^32-1',
    ok: [presignReq({ initiator: MAX_PARTIES, responder: 1 }), presignReq({ initiator: 1, responder: MAX_PARTIES })],
    bad: [
      presignReq({ initiator: 0 }),
      presignReq({ responder: 0 }),
      presignReq({ initiator: MAX_PARTIES + 1 }),
      presignReq({ responder: MAX_PARTIES + 1 }),
      presignReq({ initiator: U32_MAX }),
    ],
  },
  {
    name: 'presign with every field absent (an empty PresignStart)',
    ok: [() => decodeControlRequest(rawReq({ presign: presignStart() }))],
    bad: [() => decodeControlRequest(rawReq({ presign: {} })), () => decodeControlRequest(rawReq({ presign: { keyId: pat(32), sessionId: pat(32, 2) } }))],
  },
  // admin update
  {
    name: 'admin record empty / over MAX_AUTHORIZATION_BYTES',
    ok: [adminReq(pat(1)), adminReq(ADMIN_RECORD), adminReq(AUTH_MAX)],
    bad: [adminReq(new Uint8Array(0)), () => decodeControlRequest(rawReq({ admin: {} })), adminReq(AUTH_OVER)],
  },
  // control request/response framing
  { name: 'control request with no body', ok: [() => decodeControlRequest(encReq({ status: {} })), presignReq({})], bad: [() => decodeControlRequest(rawReq({})), () => decodeControlRequest(new Uint8Array(0))] },
  {
    name: 'control request frame over MAX_FRAME_BYTES',
    ok: [() => decodeControlRequest(padTo(encReq({ status: {} }), MAX_FRAME_BYTES))],
    bad: [() => decodeControlRequest(padTo(encReq({ status: {} }), MAX_FRAME_BYTES + 1))],
  },
  { name: 'control response with no body', ok: [res({ progress: progress() }), res({ presign: {} }), res({ admin: {} })], bad: [() => decodeControlResponse(rawRes({})), () => decodeControlResponse(new Uint8Array(0))] },
  {
    name: 'control response frame over MAX_FRAME_BYTES',
    ok: [() => decodeControlResponse(padTo(encRes({ progress: progress() }), MAX_FRAME_BYTES))],
    bad: [() => decodeControlResponse(padTo(encRes({ progress: progress() }), MAX_FRAME_BYTES + 1))],
  },
  // dkg done
  {
    name: 'dkg public share of wrong length',
    ok: [res({ dkg: dkgDone({ publicShares: shares(3) }) })],
    bad: [res({ dkg: dkgDone({ publicShares: [...shares(2), pat(32)] }) }), res({ dkg: dkgDone({ publicShares: [...shares(2), pat(34)] }) })],
  },
  {
    name: 'dkg public share count vs expect.parties, and outside 2..16',
    ok: [res({ dkg: dkgDone() }, { parties: 3 }), res({ dkg: dkgDone({ publicShares: shares(MAX_PARTIES) }) }, { parties: MAX_PARTIES })],
    bad: [
      res({ dkg: dkgDone() }, { parties: 4 }),
      res({ dkg: dkgDone() }, { parties: 2 }),
      res({ dkg: dkgDone({ publicShares: shares(1), index: 1 }) }),
      res({ dkg: dkgDone({ publicShares: shares(MAX_PARTIES + 1) }) }),
    ],
  },
  { name: 'dkg public key / key id of wrong length', ok: [res({ dkg: dkgDone() })], bad: [res({ dkg: dkgDone({ publicKey: pat(32) }) }), res({ dkg: dkgDone({ publicKey: pat(65) }) }), res({ dkg: dkgDone({ keyId: pat(31) }) })] },
  { name: 'dkg done index outside 1..n', ok: [res({ dkg: dkgDone({ index: 3 }) })], bad: [res({ dkg: dkgDone({ index: 0 }) }), res({ dkg: dkgDone({ index: 4 }) })] },
  // sign done
  {
    name: 'sign partial of wrong length with expect.partialBytes',
    ok: [res({ sign: { partial: pat(PARTIAL) } }, { partialBytes: PARTIAL })],
    bad: [res({ sign: { partial: pat(PARTIAL - 1) } }, { partialBytes: PARTIAL }), res({ sign: { partial: pat(PARTIAL + 1) } }, { partialBytes: PARTIAL })],
  },
  { name: 'sign partial empty / over 1024 bytes without expect', ok: [res({ sign: { partial: pat(1) } }), res({ sign: { partial: pat(1024) } })], bad: [res({ sign: { partial: new Uint8Array(0) } }), res({ sign: { partial: pat(1025) } })] },
  // failure
  { name: 'failure culprit 17', ok: [res({ failure: failure({ culprit: 0 }) }), res({ failure: failure({ culprit: MAX_PARTIES }) })], bad: [res({ failure: failure({ culprit: MAX_PARTIES + 1 }) })] },
  {
    name: 'failure texts: class 1..16, code 1..64, message up to MAX_TEXT_CHARS',
    ok: [res({ failure: failure({ failureClass: chars(16), code: chars(64), message: chars(MAX_TEXT_CHARS) }) })],
    bad: [
      res({ failure: failure({ failureClass: '' }) }),
      res({ failure: failure({ failureClass: chars(17) }) }),
      res({ failure: failure({ code: '' }) }),
      res({ failure: failure({ code: chars(65) }) }),
      res({ failure: failure({ message: chars(MAX_TEXT_CHARS + 1) }) }),
    ],
  },
  { name: 'failure round MAX_ROUND+1', ok: [res({ failure: failure({ round: MAX_ROUND }) })], bad: [res({ failure: failure({ round: MAX_ROUND + 1 }) })] },
  // progress
  {
    name: 'progress round / rounds outside 0..16 / 1..16',
    ok: [res({ progress: progress({ round: MAX_ROUND, rounds: MAX_ROUND }) })],
    bad: [res({ progress: progress({ round: MAX_ROUND + 1 }) }), res({ progress: progress({ rounds: 0 }) }), res({ progress: progress({ rounds: MAX_ROUND + 1 }) })],
  },
  // status
  { name: 'status index 0 / 17', ok: [res({ status: nodeStatus({ index: 1 }) }), res({ status: nodeStatus({ index: MAX_PARTIES }) })], bad: [res({ status: nodeStatus({ index: 0 }) }), res({ status: nodeStatus({ index: MAX_PARTIES + 1 }) })] },
  {
    name: 'status peer id / version / connected entries over their limits',
    ok: [res({ status: nodeStatus({ peerId: chars(MAX_PEER_ID_CHARS), version: chars(MAX_NAME_CHARS), connected: Array.from({ length: MAX_CONNECTED }, (_, i) => peer(i)) }) })],
    bad: [
      res({ status: nodeStatus({ peerId: chars(MAX_PEER_ID_CHARS + 1) }) }),
      res({ status: nodeStatus({ peerId: '' }) }),
      res({ status: nodeStatus({ version: chars(MAX_NAME_CHARS + 1) }) }),
      res({ status: nodeStatus({ connected: Array.from({ length: MAX_CONNECTED + 1 }, (_, i) => peer(i)) }) }),
      res({ status: nodeStatus({ connected: [chars(MAX_PEER_ID_CHARS + 1)] }) }),
      res({ status: nodeStatus({ connected: [''] }) }),
    ],
  },
  // malformed bytes
  {
    name: 'malformed envelope: truncated, invalid wire type, overlong length',
    code: WireErrorCode.DECODE,
    ok: [() => decodeEnvelope(encEnv())],
    bad: [
      () => decodeEnvelope(encEnv().subarray(0, encEnv().length - 1)),
      () => decodeEnvelope(Uint8Array.from([0x0f, 0x00])),
      () => decodeEnvelope(Uint8Array.from([0x0a, 0x7f, 1, 2, 3])),
    ],
  },
  {
    name: 'malformed control request / response: truncated nested message',
    code: WireErrorCode.DECODE,
    ok: [() => decodeControlRequest(encReq({ sign: signStart() })), presignReq({}), () => decodeControlResponse(encRes({ failure: failure() }))],
    bad: [
      () => decodeControlRequest(encReq({ sign: signStart() }).subarray(0, 50)),
      () => decodeControlRequest(encReq({ presign: presignStart() }).subarray(0, 40)),
      () => decodeControlResponse(encRes({ failure: failure() }).subarray(0, 10)),
    ],
  },
];

describe('limits (each with a positive control)', () => {
  test.each(LIMIT_CASES)('$name', ({ ok, bad, code = LIMIT, name }) => {
    ok.forEach((f, i) => expect(f, `${name}: control ${i} must decode`).not.toThrow());
    bad.forEach((f, i) => expectWireError(f, code, `${name}: case ${i}`));
  });

  test('the frame check fires before decoding (message names the frame)', () => {
    expect(expectWireError(() => decodeEnvelope(padTo(encEnv(), MAX_FRAME_BYTES + 1)), LIMIT, 'frame').message).toMatch(/frame/);
  });
});

// =====================================================================================

type Decoder = { name: string; decode: (b: Uint8Array) => unknown; ok: (v: unknown) => boolean; seeds: Uint8Array[] };

const DECODERS: Decoder[] = [
  {
    name: 'decodeEnvelope',
    decode: decodeEnvelope,
    ok: (v) => envelopeWithinLimits(v as Envelope),
    seeds: [
      encEnv(),
      encEnv({ protocol: ProtocolKind.DKG, payload: pat(10) }),
      encEnv({ protocol: ProtocolKind.HISTORY, round: 1, payload: pat(20) }),
      encEnv({ protocol: ProtocolKind.PRESIGN, round: 2, payload: pat(30) }),
    ],
  },
  {
    name: 'decodeControlRequest',
    decode: decodeControlRequest,
    ok: (v) => requestWithinLimits(v as ControlRequest),
    seeds: [
      encReq({ status: {} }),
      encReq({ dkg: dkgStart() }),
      encReq({ sign: signStart() }),
      encReq({ sign: signStart({ authorization: new Uint8Array(0) }) }),
      encReq({ sign: signStart({ presigned: true, authorization: new Uint8Array(0) }) }),
      encReq({ presign: presignStart() }),
      encReq({ admin: { record: ADMIN_RECORD } }),
      encReq({ admin: { record: pat(1) } }),
    ],
  },
  ...[{}, { parties: 3 }, { partialBytes: PARTIAL }].map(
    (opts): Decoder => ({
      name: `decodeControlResponse(${JSON.stringify(opts)})`,
      decode: (b) => decodeControlResponse(b, opts),
      ok: (v) => responseWithinLimits(v as ControlResponse, opts),
      seeds: [
        encRes({ status: nodeStatus() }),
        encRes({ dkg: dkgDone() }),
        encRes({ sign: { partial: pat(PARTIAL) } }),
        encRes({ failure: failure() }),
        encRes({ progress: progress() }),
        encRes({ presign: {} }),
        encRes({ admin: {} }),
      ],
    }),
  ),
];

function checkGarbage(d: Decoder, buf: Uint8Array): 'accepted' | 'rejected' {
  let out: unknown;
  try {
    out = d.decode(buf);
  } catch (e) {
    expect(e, `${d.name} threw a non-WireError on ${Buffer.from(buf).toString('hex')}: ${String(e)}`).toBeInstanceOf(WireError);
    expect([WireErrorCode.DECODE, WireErrorCode.LIMIT]).toContain((e as WireError).code);
    return 'rejected';
  }
  expect(d.ok(out), seedMsg(`${d.name} accepted an out-of-limit value from ${Buffer.from(buf).toString('hex')}`)).toBe(true);
  return 'accepted';
}

/** A valid encoding with a few random byte overwrites, insertions, deletions or a truncation. */
const mutated = (seeds: Uint8Array[]) =>
  fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.constantFrom('set', 'insert', 'delete', 'truncate'), fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
    )
    .map(([seed, edits]) => {
      const b = [...seed];
      for (const [op, at, v] of edits) {
        const i = b.length === 0 ? 0 : at % b.length;
        if (op === 'set') b[i] = v;
        else if (op === 'insert') b.splice(i, 0, v);
        else if (op === 'delete') b.splice(i, 1);
        else b.length = i;
      }
      return Uint8Array.from(b);
    });

describe('garbage never escapes as anything but WireError', () => {
  test.each(DECODERS)('$name: random bytes', (d) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (buf) => {
        checkGarbage(d, buf);
      }),
      { numRuns: 300, seed: fcSeed(`wire/garbage/${d.name}`) },
    );
  });

  test.each(DECODERS)('$name: mutated valid encodings', (d) => {
    let accepted = 0;
    fc.assert(
      fc.property(mutated(d.seeds), (buf) => {
        if (checkGarbage(d, buf) === 'accepted') accepted++;
      }),
      { numRuns: 300, seed: fcSeed(`wire/mutated/${d.name}`) },
    );
    expect(accepted, 'the mutations should leave some frames decodable, or the acceptance path goes unchecked').toBeGreaterThan(0);
  });

  test('envelope fields drawn around every limit: the checked decoder accepts exactly the in-limit ones', () => {
    const len = (n: number) => fc.oneof(fc.constantFrom(0, n - 1, n, n + 1), fc.nat({ max: n + 2 }));
    const arb = fc.record({
      sessionId: len(SESSION_ID_BYTES).map((n) => pat(n)),
      // -1..5: PROTOCOL_UNSPECIFIED, every known kind (PRESIGN = 4 included) and the first unknown one.
      protocol: fc.integer({ min: -1, max: 5 }),
      round: fc.oneof(fc.integer({ min: 0, max: MAX_ROUND + 1 }), fc.constant(U32_MAX)),
      from: fc.integer({ min: 0, max: MAX_PARTIES + 1 }),
      to: fc.integer({ min: 0, max: MAX_PARTIES + 1 }),
      payload: fc.constantFrom(0, 1, 500, MAX_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES + 1).map((n) => pat(n)),
      signature: len(SIGNATURE_BYTES).map((n) => pat(n)),
    });
    fc.assert(
      fc.property(arb, (e) => {
        const want = envelopeWithinLimits(e as Envelope);
        const buf = rawEnv(e);
        if (want) expect(decodeEnvelope(buf)).toEqual(e);
        else expectWireError(() => decodeEnvelope(buf), LIMIT, JSON.stringify({ ...e, payload: e.payload.length }));
      }),
      { numRuns: 300, seed: fcSeed('wire/envelope-limits') },
    );
  });

  test('envelope kinds drawn from -1..2^32-1 with every other field valid: exactly the four known kinds are accepted', () => {
    const kind = fc.oneof(fc.integer({ min: -1, max: 8 }), fc.integer({ min: 0, max: U32_MAX }), fc.constant(-(2 ** 31)));
    let known = 0;
    fc.assert(
      fc.property(kind, (protocol) => {
        const buf = rawEnv({ ...envelope(), protocol });
        if (KNOWN_KINDS.includes(protocol)) {
          known++;
          expect(decodeEnvelope(buf)).toEqual(envelope({ protocol }));
        } else expectWireError(() => decodeEnvelope(buf), LIMIT, `protocol ${protocol}`);
      }),
      { numRuns: 300, seed: fcSeed('wire/envelope-kinds') },
    );
    expect(known, 'some known kinds were drawn').toBeGreaterThan(0);
  });

  test('sign, presign, dkg start and admin fields drawn around every limit: accepted exactly when in limits', () => {
    const b = (n: number) => fc.constantFrom(n - 1, n, n + 1).map((k) => pat(k));
    // The two ~96 KiB documents are drawn less often: comparing them dominates the run time.
    const doc = fc.oneof({ arbitrary: fc.constantFrom(new Uint8Array(0), pat(1), AUTHZ), weight: 4 }, { arbitrary: fc.constantFrom(AUTH_MAX, AUTH_OVER), weight: 1 });
    const sign = fc.record(
      {
        keyId: b(32),
        sessionId: b(32),
        digest: b(32),
        initiator: fc.integer({ min: 0, max: 17 }),
        responder: fc.integer({ min: 0, max: 17 }),
        authorization: doc,
        presigned: fc.boolean(),
      },
      // presigned is sometimes absent, as from a coordinator that does not set it.
      { requiredKeys: ['keyId', 'sessionId', 'digest', 'initiator', 'responder', 'authorization'] },
    );
    const presign = fc.record({
      keyId: b(32),
      sessionId: b(32),
      initiator: fc.integer({ min: 0, max: 17 }),
      responder: fc.integer({ min: 0, max: 17 }),
    });
    const admin = fc.record({ record: doc });
    const dkg = fc.record({
      sessionId: b(32),
      threshold: fc.integer({ min: 0, max: 18 }),
      parties: fc.array(fc.record({ index: fc.integer({ min: 0, max: 18 }), peerId: fc.constantFrom('', 'a', 'b', 'c', chars(128), chars(129)) }), { maxLength: 18 }),
      name: fc.constantFrom('', 'x', chars(128), chars(129)),
    });
    const req = fc.oneof(
      sign.map((s) => ({ sign: s })),
      presign.map((p) => ({ presign: p })),
      dkg.map((d) => ({ dkg: d })),
      admin.map((a) => ({ admin: a })),
    );
    fc.assert(
      fc.property(req, (r) => {
        const buf = rawReq(r);
        // What the decoder returns when it accepts: presigned always a boolean (absent → false), parties sorted.
        const out: ControlRequest =
          'sign' in r
            ? { sign: { ...r.sign, presigned: r.sign.presigned === true } }
            : 'dkg' in r
              ? { dkg: { ...r.dkg, parties: [...r.dkg.parties].sort((x, y) => x.index - y.index) } }
              : r;
        if (requestWithinLimits(out)) {
          expect(decodeControlRequest(buf)).toEqual(out);
        } else {
          const what = JSON.stringify(r, (_, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v));
          expectWireError(() => decodeControlRequest(buf), LIMIT, what);
        }
      }),
      { numRuns: 300, seed: fcSeed('wire/request-limits') },
    );
  });
});

// =====================================================================================

describe('envelopeSigningBytes', () => {
  const DOMAIN = new TextEncoder().encode('tecdsa-cluster/v1/envelope');

  test('layout: domain, 32-byte session id, protocol byte, round/from/to/payload length as u32 BE, payload', () => {
    const e = envelope({ protocol: ProtocolKind.DKG, round: 0x0b, from: 0x0102, to: 0x0a0b0c0d, payload: pat(300, 9) });
    const s = envelopeSigningBytes(e);
    expect(s.constructor).toBe(Uint8Array);
    expect(s.length).toBe(DOMAIN.length + 32 + 1 + 16 + 300);
    let o = 0;
    expect(s.subarray(o, (o += DOMAIN.length))).toEqual(DOMAIN);
    expect(s.subarray(o, (o += 32))).toEqual(e.sessionId);
    expect(s[o++]).toBe(ProtocolKind.DKG);
    const dv = new DataView(s.buffer, s.byteOffset, s.byteLength);
    for (const v of [0x0b, 0x0102, 0x0a0b0c0d, 300]) {
      expect(dv.getUint32(o, false)).toBe(v);
      o += 4;
    }
    expect(s.subarray(o)).toEqual(e.payload);
    expect(Buffer.from(s.subarray(DOMAIN.length + 33, DOMAIN.length + 49)).toString('hex')).toBe('0000000b000001020a0b0c0d0000012c');
  });

  test('the protocol byte is the ProtocolKind number: 1 DKG, 2 SIGN, 3 HISTORY, 4 PRESIGN; nothing else moves', () => {
    const ref = envelopeSigningBytes(envelope());
    for (const [protocol, byte] of [
      [ProtocolKind.DKG, 1],
      [ProtocolKind.SIGN, 2],
      [ProtocolKind.HISTORY, 3],
      [ProtocolKind.PRESIGN, 4],
    ] as const) {
      const s = envelopeSigningBytes(envelope({ protocol }));
      expect(s.length).toBe(ref.length);
      expect(s[DOMAIN.length + 32], `protocol ${protocol}`).toBe(byte);
      expect([...s].filter((b, i) => b !== ref[i]).length, 'only the protocol byte may differ').toBeLessThanOrEqual(1);
      expect(envelopeSigningBytes(decodeEnvelope(encEnv({ protocol })))).toEqual(s);
    }
  });

  test('equal for equal input (separately built), and independent of the signature', () => {
    const a = envelopeSigningBytes(envelope());
    expect(envelopeSigningBytes(envelope())).toEqual(a);
    expect(envelopeSigningBytes(envelope({ signature: pat(64, 99) }))).toEqual(a);
    expect(envelopeSigningBytes(decodeEnvelope(encEnv()))).toEqual(a);
  });

  test('changes when any single field changes', () => {
    const base = envelope({ payload: pat(40, 3) });
    const ref = Buffer.from(envelopeSigningBytes(base)).toString('hex');
    const variants: [string, Envelope][] = [];
    for (let i = 0; i < 32; i++) {
      const sid = Uint8Array.from(base.sessionId);
      sid[i]! ^= 1;
      variants.push([`sessionId[${i}]`, { ...base, sessionId: sid }]);
    }
    for (let i = 0; i < base.payload.length; i++) {
      const p = Uint8Array.from(base.payload);
      p[i]! ^= 0x80;
      variants.push([`payload[${i}]`, { ...base, payload: p }]);
    }
    variants.push(
      ['protocol', { ...base, protocol: ProtocolKind.DKG }],
      // PRESIGN rounds 1-2 and SIGN round 3 share the session id: the kind alone must separate them.
      ['protocol PRESIGN', { ...base, protocol: ProtocolKind.PRESIGN }],
      ['protocol HISTORY', { ...base, protocol: ProtocolKind.HISTORY }],
      ['protocol PRESIGN, round 1', { ...base, protocol: ProtocolKind.PRESIGN, round: 1 }],
      ['round', { ...base, round: base.round + 1 }],
      ['from', { ...base, from: base.from + 1 }],
      ['to', { ...base, to: base.to + 1 }],
      ['payload shorter', { ...base, payload: base.payload.subarray(0, 39) }],
      ['payload longer (zero byte appended)', { ...base, payload: Uint8Array.from([...base.payload, 0]) }],
      ['payload empty', { ...base, payload: new Uint8Array(0) }],
      ['from/to swapped', { ...base, from: base.to, to: base.from }],
    );
    const seen = new Set([ref]);
    for (const [what, v] of variants) {
      const h = Buffer.from(envelopeSigningBytes(v)).toString('hex');
      expect(h, `changing ${what} must change the signing bytes`).not.toBe(ref);
      seen.add(h);
    }
    expect(seen.size, 'all variants distinct from each other too').toBe(variants.length + 1);
  });

  test('injective over random envelopes: different field tuples never give equal bytes, and the length field is bound', () => {
    const arb = fc.record({
      sessionId: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      protocol: fc.constantFrom(ProtocolKind.DKG, ProtocolKind.SIGN, ProtocolKind.HISTORY, ProtocolKind.PRESIGN),
      round: fc.integer({ min: 1, max: MAX_ROUND }),
      from: fc.integer({ min: 1, max: MAX_PARTIES }),
      to: fc.integer({ min: 1, max: MAX_PARTIES }),
      payload: fc.uint8Array({ maxLength: 8 }),
    });
    fc.assert(
      fc.property(fc.tuple(arb, arb, fc.boolean()), ([a, other, copy]) => {
        const b = copy ? { ...a, sessionId: Uint8Array.from(a.sessionId), payload: Uint8Array.from(a.payload) } : other;
        const sa = envelopeSigningBytes(a);
        const sb = envelopeSigningBytes(b);
        const same =
          Buffer.from(a.sessionId).equals(Buffer.from(b.sessionId)) &&
          a.protocol === b.protocol &&
          a.round === b.round &&
          a.from === b.from &&
          a.to === b.to &&
          Buffer.from(a.payload).equals(Buffer.from(b.payload));
        expect(Buffer.from(sa).equals(Buffer.from(sb))).toBe(same);
        // The declared length always equals the bytes that follow it.
        const dv = new DataView(sa.buffer, sa.byteOffset, sa.byteLength);
        expect(dv.getUint32(DOMAIN.length + 33 + 12, false)).toBe(sa.length - (DOMAIN.length + 33 + 16));
      }),
      { numRuns: 300, seed: fcSeed('wire/signing-bytes') },
    );
  });

  test('rejects a session id that is not 32 bytes', () => {
    expectWireError(() => envelopeSigningBytes(envelope({ sessionId: pat(31) })), LIMIT, 'sid 31');
    expectWireError(() => envelopeSigningBytes(envelope({ sessionId: pat(33) })), LIMIT, 'sid 33');
  });
});
