/**
 * KeyShare: the versioned, serialisable output of the DKG (@spec SPEC.md §3.6).
 * `validateKeyShare` is the only way from untrusted bytes to a usable share.
 */
import { Reader, concat, toHex, u32 } from '../core/bytes.js';
import { ErrorCode, ProtocolError } from '../core/errors.js';
import type { OteReceiverSetup, OteSenderSetup } from '../ot/extension.js';
import { lagrangeAt, lagrangeAtZero, pointFromBytes, scalarFromBytes, scalarToBytes, type Point, Point as P } from '../math/ec.js';
import { mulG } from '../math/batch.js';
import { BASE_OT_COUNT, MAX_PARTIES, MIN_PARTIES } from '../params.js';

export const KEYSHARE_VERSION = 1;
const MAGIC = new TextEncoder().encode('TKS1');

export interface PairSetup {
  /** This party is the extension sender (Δ-holder, VOLE sender) toward the peer. */
  readonly sender: OteSenderSetup;
  /** This party is the extension receiver (VOLE receiver) toward the peer. */
  readonly receiver: OteReceiverSetup;
}

export interface KeyShare {
  readonly version: typeof KEYSHARE_VERSION;
  /** 32-byte key id (the DKG session id). */
  readonly keyId: Uint8Array;
  readonly n: number;
  readonly t: number;
  /** This party's index (Shamir x-coordinate), 1..n. */
  readonly index: number;
  /** Shamir share p(index). Secret. */
  readonly share: bigint;
  /** Group public key, 33 bytes compressed. */
  readonly publicKey: Uint8Array;
  /** X_1..X_n, 33 bytes each (public shares). */
  readonly publicShares: readonly Uint8Array[];
  readonly chainCode: Uint8Array;
  /** Pairwise OT setups by peer index. */
  readonly pairs: ReadonlyMap<number, PairSetup>;
}

const bad = (msg: string) => new ProtocolError('ABORT', ErrorCode.KEYSHARE_INVALID, `invalid key share: ${msg}`);

export function keyIdHex(ks: Pick<KeyShare, 'keyId'>): string {
  return toHex(ks.keyId);
}

/** Checks every invariant of a key share; throws ERR_KEYSHARE_INVALID. */
export function validateKeyShare(ks: KeyShare): KeyShare {
  if (ks.version !== KEYSHARE_VERSION) throw bad(`version ${ks.version}`);
  if (!Number.isInteger(ks.n) || ks.n < MIN_PARTIES || ks.n > MAX_PARTIES) throw bad(`n = ${ks.n}`);
  if (!Number.isInteger(ks.t) || ks.t < 2 || ks.t > ks.n) throw bad(`t = ${ks.t}`);
  if (!Number.isInteger(ks.index) || ks.index < 1 || ks.index > ks.n) throw bad(`index = ${ks.index}`);
  if (ks.keyId.length !== 32 || ks.chainCode.length !== 32) throw bad('key id / chain code length');
  const pk = pointFromBytes(ks.publicKey);
  if (!pk) throw bad('public key');
  if (ks.publicShares.length !== ks.n) throw bad('public share count');
  const X = ks.publicShares.map((b, i) => {
    const p = pointFromBytes(b);
    if (!p) throw bad(`public share ${i + 1}`);
    return p;
  });
  if (ks.share <= 0n || !mulG(ks.share).equals(X[ks.index - 1]!)) throw bad('share does not match its public share');
  // All public shares must lie on one polynomial of degree t − 1 whose value at 0 is pk:
  // interpolate from X_1..X_t at 0 and at every other index.
  const base = range(1, ks.t);
  const at = (x: bigint) => {
    let acc = P.ZERO;
    for (const i of base) acc = acc.add(X[i - 1]!.multiplyUnsafe(lagrangeAt(i, base, x)));
    return acc;
  };
  if (!at(0n).equals(pk)) throw bad('public shares do not interpolate to the public key');
  for (let j = ks.t + 1; j <= ks.n; j++) {
    if (!at(BigInt(j)).equals(X[j - 1]!)) throw bad(`public share ${j} is not on the sharing polynomial`);
  }
  for (let j = 1; j <= ks.n; j++) {
    if (j === ks.index) continue;
    const p = ks.pairs.get(j);
    if (!p) throw bad(`missing pairwise setup with ${j}`);
    if (p.sender.delta.length !== BASE_OT_COUNT / 8 || p.sender.seeds.length !== BASE_OT_COUNT) throw bad(`sender setup ${j}`);
    if (p.receiver.seeds0.length !== BASE_OT_COUNT || p.receiver.seeds1.length !== BASE_OT_COUNT) throw bad(`receiver setup ${j}`);
    for (const s of [...p.sender.seeds, ...p.receiver.seeds0, ...p.receiver.seeds1]) if (s.length !== 32) throw bad('seed length');
  }
  if (ks.pairs.size !== ks.n - 1) throw bad('pairwise setup count');
  return ks;
}

function range(a: number, b: number): number[] {
  const r: number[] = [];
  for (let i = a; i <= b; i++) r.push(i);
  return r;
}

/** The peer's public share weighted for the signing pair: λ_j·X_j. */
export function weightedPublicShare(ks: KeyShare, j: number, set: readonly number[]): Point {
  return pointFromBytes(ks.publicShares[j - 1]!)!.multiplyUnsafe(lagrangeAtZero(j, set));
}

export function serializeKeyShare(ks: KeyShare): Uint8Array {
  const parts: Uint8Array[] = [MAGIC, Uint8Array.of(ks.version), u32(ks.n), u32(ks.t), u32(ks.index), ks.keyId, scalarToBytes(ks.share), ks.publicKey, ks.chainCode];
  for (const X of ks.publicShares) parts.push(X);
  for (let j = 1; j <= ks.n; j++) {
    if (j === ks.index) continue;
    const p = ks.pairs.get(j)!;
    parts.push(u32(j), p.sender.delta, ...p.sender.seeds, ...p.receiver.seeds0, ...p.receiver.seeds1);
  }
  return concat(...parts);
}

export function deserializeKeyShare(input: Uint8Array): KeyShare {
  // A plain view: on a Node Buffer `slice` would share memory with the caller's bytes, and a
  // caller that zeroes its plaintext afterwards would wipe the share's seeds.
  const b = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const r = new Reader(b, (m) => bad(m));
  const magic = r.take(4, 'magic');
  if (!magic.every((x, i) => x === MAGIC[i])) throw bad('magic');
  const version = r.take(1, 'version')[0]!;
  if (version !== KEYSHARE_VERSION) throw bad(`unsupported version ${version}`);
  const n = r.u32('n');
  const t = r.u32('t');
  const index = r.u32('index');
  if (n < MIN_PARTIES || n > MAX_PARTIES) throw bad(`n = ${n}`);
  const keyId = r.take(32, 'keyId').slice();
  const share = scalarFromBytes(r.take(32, 'share'));
  if (share === undefined) throw bad('share ≥ q');
  const publicKey = r.take(33, 'publicKey').slice();
  const chainCode = r.take(32, 'chainCode').slice();
  const publicShares: Uint8Array[] = [];
  for (let i = 0; i < n; i++) publicShares.push(r.take(33, 'publicShare').slice());
  const pairs = new Map<number, PairSetup>();
  for (let k = 0; k < n - 1; k++) {
    const j = r.u32('peer');
    const delta = r.take(16, 'delta').slice();
    const seeds = Array.from({ length: BASE_OT_COUNT }, () => r.take(32, 'seed').slice());
    const seeds0 = Array.from({ length: BASE_OT_COUNT }, () => r.take(32, 'seed0').slice());
    const seeds1 = Array.from({ length: BASE_OT_COUNT }, () => r.take(32, 'seed1').slice());
    if (pairs.has(j)) throw bad(`duplicate peer ${j}`);
    pairs.set(j, { sender: { delta, seeds }, receiver: { seeds0, seeds1 } });
  }
  r.end('key share');
  return validateKeyShare({ version: KEYSHARE_VERSION, keyId, n, t, index, share, publicKey, publicShares, chainCode, pairs });
}
