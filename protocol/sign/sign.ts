/**
 * Two-party ECDSA signing on Lagrange-weighted Shamir shares: Asharov 2026/976 Protocol 6.2
 * over VOLE Variant II (@spec SPEC.md §6). Any two of the n parties sign; the initiator I and
 * the responder R run the protocol's three exchange rounds simultaneously (each party sends one
 * message per round and waits for the peer's), then each hands its partial result (u_i, w_i,
 * R_i, H(R)) to the combiner (`combine.ts`), which never needs a share.
 *
 *   round 1  both  pctx ‖ salt_i ‖ com_i ‖ ext_i   (ext_I: VOLE A, sender R; ext_R: VOLE B, sender I)
 *   round 2  both  vole_i                          (after the Δ-gated check of the peer's ext)
 *   round 3  both  ctx ‖ R_i ‖ open_i ‖ γ_k ‖ γ_x ‖ Γ_k ‖ Γ_x   (after the check of the peer's vole)
 *
 * Rounds 1 and 2 do not depend on the digest and reveal nothing about R (R_i is only committed):
 * they are the `Presigner`, whose output is a single-use `Presignature` (a half-finished
 * session, SPEC §6.6). The `OnlineSigner` binds a digest to one presignature and runs round 3,
 * whose context hash carries the digest and is compared before anything else. `Signer` chains
 * the two for a session that knows its digest from the start.
 */
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { Reader, concat, ctEqual, toHex, u32, wipe } from '../core/bytes.js';
import { ErrorCode, ProtocolError, abort, abortBan, invalidArgs, reject } from '../core/errors.js';
import type { PairGuard } from '../core/guard.js';
import { RoundMachine, type Message } from '../core/machine.js';
import { noblePrimitives, type Primitives } from '../core/primitives.js';
import type { Rng } from '../core/rng.js';
import { Transcript } from '../core/transcript.js';
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { Point, add, lagrangeAtZero, mod, mul, pointFromBytes, pointToBytes, randomScalar, scalarFromBytes, scalarToBytes, sub } from '../math/ec.js';
import { OTE_MSG_BYTES, oteReceive, oteSenderCheck, receiverPads, senderPads, type OteReceiverOutput } from '../ot/extension.js';
import { VOLE_MSG_BYTES, voleReceive, voleSend } from '../vole/vole.js';
import { keyIdHex, weightedPublicShare, type KeyShare } from '../keyshare/keyshare.js';
import { FixedBase, mulCT, mulG } from '../math/batch.js';

export interface ReplayGuard {
  /** Returns false when this (key, session id) was already used; records it otherwise. */
  claim(key: string): boolean;
}

export interface PresignConfig {
  readonly share: KeyShare;
  /** Index of the other signer. */
  readonly peer: number;
  /** True if this party is the initiator I (named first in the context; both parties send in every round). */
  readonly initiator: boolean;
  /** 32-byte session id chosen by the coordinator; never accepted twice per key. */
  readonly sessionId: Uint8Array;
  readonly rng: Rng;
  readonly guard: PairGuard;
  readonly replay: ReplayGuard;
  readonly primitives?: Primitives;
}

export interface SignConfig extends PresignConfig {
  /** 32-byte message digest (e.g. keccak256 of an Ethereum payload). */
  readonly digest: Uint8Array;
}

export interface OnlineConfig {
  /** Consumed by the constructor: a presignature binds to one digest, once. */
  readonly presignature: Presignature;
  /** 32-byte message digest (e.g. keccak256 of an Ethereum payload). */
  readonly digest: Uint8Array;
  readonly guard: PairGuard;
}

/** What each signer hands to the combiner. */
export interface PartialSignature {
  readonly index: number;
  readonly u: bigint;
  readonly w: bigint;
  /** This party's nonce point R_i (33 bytes). */
  readonly Ri: Uint8Array;
  /** H("sign/R"; ctx, R): the nonce this party signed with. */
  readonly hR: Uint8Array;
}
export const PARTIAL_BYTES = 4 + 32 + 32 + 33 + 32;

/** Round 1: pctx ‖ salt ‖ com ‖ ext. */
export const MSG1_BYTES = 96 + OTE_MSG_BYTES;
/** Round 2: the VOLE sender message. */
export const MSG2_BYTES = VOLE_MSG_BYTES;
/** Round 3: the opening R_i ‖ open_i ‖ γ_k ‖ γ_x ‖ Γ_k ‖ Γ_x. */
export const OPENING_BYTES = 33 + 32 + 32 + 32 + 33 + 33;
/** Round 3: ctx ‖ opening. */
export const MSG3_BYTES = 32 + OPENING_BYTES;
/** Exchange rounds of one signing session (each party sends one message per round). */
export const SIGN_ROUNDS = [1, 2, 3] as const;
/** The rounds of a presigning session (digest-free) and of the online step that binds a digest. */
export const PRESIGN_ROUNDS = [1, 2] as const;
export const ONLINE_ROUNDS = [3] as const;

export interface ContextInput {
  keyId: Uint8Array;
  publicKey: Uint8Array;
  initiator: number;
  responder: number;
  XI: Uint8Array;
  XR: Uint8Array;
  sessionId: Uint8Array;
}

/** Digest-free context of rounds 1–2 (everything a presignature is bound to). @spec SPEC.md §6.1 */
export function presignContext(tr: Transcript, p: ContextInput): Uint8Array {
  return tr.H('sign/pctx', p.keyId, p.publicKey, u32(p.initiator), u32(p.responder), p.XI, p.XR, p.sessionId);
}

/** Signing context shared by both parties and the combiner: the presign context and the digest. @spec SPEC.md §6.1 */
export function signContext(tr: Transcript, p: ContextInput & { digest: Uint8Array }): Uint8Array {
  return digestContext(tr, presignContext(tr, p), p.digest);
}

function digestContext(tr: Transcript, pctx: Uint8Array, digest: Uint8Array): Uint8Array {
  return tr.H('sign/ctx', pctx, digest);
}

export function nonceBinding(tr: Transcript, ctx: Uint8Array, R: Point): Uint8Array {
  return tr.H('sign/R', ctx, pointToBytes(R));
}

/** Message-independent values of one signer. @spec SPEC.md §6.4 */
interface Preprocessing {
  k: bigint;
  beta: bigint;
  /** u_i = k_i·β_i + t_k + c_k and v_i = x'_i·β_i + t_x + c_x. */
  u: bigint;
  v: bigint;
  R: Point;
}

/** Per (key share, signing pair) values that do not change between sessions; cached in memory. */
interface PairContext {
  xw: bigint;
  /** Comb table for X' (used with the secret β once per signature). */
  XpeerTable: FixedBase;
  XselfBytes: Uint8Array;
  XpeerBytes: Uint8Array;
}
/** Comb window for the peer's weighted share X' (cached per key pair, used once per signature). */
const PEER_COMB_WINDOW = 8;
const pairCache = new WeakMap<KeyShare, Map<string, PairContext>>();

function pairContext(ks: KeyShare, I: number, R: number): PairContext {
  let m = pairCache.get(ks);
  if (!m) pairCache.set(ks, (m = new Map()));
  const key = `${I}/${R}`;
  let pc = m.get(key);
  if (!pc) {
    const set = [I, R];
    const peer = I === ks.index ? R : I;
    const xw = mul(lagrangeAtZero(ks.index, set), ks.share);
    const Xpeer = weightedPublicShare(ks, peer, set);
    pc = { xw, XpeerTable: new FixedBase(Xpeer, PEER_COMB_WINDOW), XselfBytes: pointToBytes(mulG(xw)), XpeerBytes: pointToBytes(Xpeer) };
    m.set(key, pc);
  }
  return pc;
}

/**
 * What rounds 1–2 leave behind (@spec SPEC.md §6.6): this party's nonce and its opening, the
 * peer's salt and commitment, both VOLE results and the round-3 opening, all bound to the
 * digest-free context `pctx`. Held only in memory, by `Presignature`.
 */
interface PresignState {
  readonly tr: Transcript;
  readonly pctx: Uint8Array;
  readonly xw: bigint;
  readonly XpeerTable: FixedBase;
  k: bigint;
  readonly Rself: Point;
  readonly saltPeer: Uint8Array;
  readonly comPeer: Uint8Array;
  beta: bigint;
  r: readonly [bigint, bigint];
  t: readonly [bigint, bigint];
  /** R_i ‖ open_i ‖ γ_k ‖ γ_x ‖ Γ_k ‖ Γ_x (depends on neither the digest nor anything of the peer's nonce). */
  readonly opening: Uint8Array;
}

const presignStates = new WeakMap<Presignature, PresignState>();

function wipeState(st: PresignState): void {
  st.k = 0n;
  st.beta = 0n;
  st.r = [0n, 0n];
  st.t = [0n, 0n];
  wipe(st.opening);
}

/**
 * A half-finished signing session after rounds 1 and 2 (@spec SPEC.md §6.6). It binds to one
 * digest, once: the first `OnlineSigner` built on it takes its secrets, and any later attempt
 * is refused (ERR_PRESIGNATURE_USED). Nothing of it can be serialised; a restart loses it.
 */
export class Presignature {
  constructor(
    /** Hex key id. */
    readonly keyId: string,
    readonly sessionId: Uint8Array,
    readonly self: number,
    readonly peer: number,
    readonly initiator: boolean,
    /** The key share it was made with; a presignature is useless with any other. */
    readonly share: KeyShare,
    state: PresignState,
  ) {
    presignStates.set(this, state);
  }
  get used(): boolean {
    return !presignStates.has(this);
  }
  /** Erases it without use. */
  discard(): void {
    const st = presignStates.get(this);
    presignStates.delete(this);
    if (st) wipeState(st);
  }
}

function takeState(p: Presignature): PresignState {
  const st = presignStates.get(p);
  if (!st) throw reject(ErrorCode.PRESIGNATURE_USED, 'this presignature was already bound to a digest or discarded');
  presignStates.delete(p);
  return st;
}

function checkBan(guard: PairGuard, keyHex: string, peer: number): void {
  if (guard.isBanned(keyHex, peer)) {
    throw abort(ErrorCode.PEER_BANNED, `pairwise setup with party ${peer} is banned for this key`, { culprit: peer });
  }
}

function checkLength(round: number, b: Uint8Array, peer: number): void {
  const expect = [0, MSG1_BYTES, MSG2_BYTES, MSG3_BYTES][round]!;
  if (b.length !== expect) throw abort(ErrorCode.BAD_LENGTH, `message ${round} has ${b.length} bytes, expected ${expect}`, { culprit: peer, round });
}

/** Rounds 1 and 2 (@spec SPEC.md §6.3): digest-free; the output is a single-use `Presignature`. */
export class Presigner extends RoundMachine<Presignature> {
  private readonly tr: Transcript;
  private readonly ks: KeyShare;
  private readonly I: number;
  private readonly R: number;
  private readonly pctx: Uint8Array;
  private readonly keyHex: string;
  private readonly xw: bigint; // x'_self = λ_self·p(self)
  private readonly XpeerTable: FixedBase; // comb for X'_peer = λ_peer·X_peer
  // per-session secrets
  private k = 0n;
  private Rself!: Point;
  private open: Uint8Array = new Uint8Array(32);
  private saltSelf: Uint8Array = new Uint8Array(32);
  private saltPeer: Uint8Array = new Uint8Array(32);
  private comPeer: Uint8Array = new Uint8Array(32);
  private ext?: OteReceiverOutput; // as VOLE receiver
  private alpha: readonly [bigint, bigint] = [0n, 0n];
  private t: readonly [bigint, bigint] = [0n, 0n];

  constructor(readonly cfg: PresignConfig) {
    super(cfg.share.index);
    const ks = cfg.share;
    this.ks = ks;
    if (cfg.peer === ks.index || !ks.pairs.has(cfg.peer)) throw invalidArgs(`peer ${cfg.peer} is not another party of this key`);
    if (ks.t !== 2) throw invalidArgs('two-party signing needs a key with threshold t = 2');
    if (cfg.sessionId.length !== 32) throw invalidArgs('sessionId must be 32 bytes');
    this.tr = new Transcript(cfg.primitives ?? noblePrimitives);
    this.I = cfg.initiator ? ks.index : cfg.peer;
    this.R = cfg.initiator ? cfg.peer : ks.index;
    this.keyHex = keyIdHex(ks);
    if (!cfg.replay.claim(`${this.keyHex}/${toHex(cfg.sessionId)}`)) {
      throw reject(ErrorCode.SESSION_REPLAY, 'signing session id already used for this key');
    }
    const pc = pairContext(ks, this.I, this.R);
    this.xw = pc.xw;
    this.XpeerTable = pc.XpeerTable;
    const XI = this.I === ks.index ? pc.XselfBytes : pc.XpeerBytes;
    const XR = this.R === ks.index ? pc.XselfBytes : pc.XpeerBytes;
    this.pctx = presignContext(this.tr, { keyId: ks.keyId, publicKey: ks.publicKey, initiator: this.I, responder: this.R, XI, XR, sessionId: cfg.sessionId });
  }

  protected rounds(): readonly number[] {
    return PRESIGN_ROUNDS;
  }
  protected senders(): readonly number[] {
    return [this.cfg.peer];
  }

  // ---- session binding (@spec SPEC.md §6.2) ----------------------------------------------
  private sidExt(sender: number, receiver: number, saltReceiver: Uint8Array): Uint8Array {
    return this.tr.H('ote/sid-ext', this.pctx, u32(sender), u32(receiver), saltReceiver);
  }
  private sidDir(sender: number, receiver: number): Uint8Array {
    const sI = this.cfg.initiator ? this.saltSelf : this.saltPeer;
    const sR = this.cfg.initiator ? this.saltPeer : this.saltSelf;
    return this.tr.H('sign/dir', this.pctx, u32(sender), u32(receiver), sI, sR);
  }
  /**
   * The first message of each party carries its context hash, compared before any check that
   * could ban: two honest signers given different sessions (session id, key, pair) stop with
   * ERR_WRONG_SESSION and blame nobody, instead of failing the extension check.
   */
  private checkContext(peerCtx: Uint8Array): void {
    if (!ctEqual(peerCtx, this.pctx)) {
      throw abort(ErrorCode.WRONG_SESSION, `party ${this.cfg.peer} runs a different session (session id, key or signer pair)`);
    }
  }

  private fresh(): Uint8Array {
    this.k = randomScalar(this.cfg.rng);
    this.Rself = mulG(this.k);
    this.open = this.cfg.rng(32);
    this.saltSelf = this.cfg.rng(32);
    return commitNonce(this.tr, this.pctx, this.self, this.saltSelf, pointToBytes(this.Rself), this.open);
  }

  /** VOLE receiver's first step: the extension message. */
  private extMsg(sender: number): Uint8Array {
    const setup = this.ks.pairs.get(this.cfg.peer)!.receiver;
    this.ext = oteReceive(this.tr, setup, this.sidExt(sender, this.self, this.saltSelf), this.cfg.rng);
    return this.ext.msg;
  }

  /** VOLE sender: extension check under the per-Δ gate, then the VOLE message. */
  private voleSenderMsg(otx: Uint8Array): Uint8Array {
    const peer = this.cfg.peer;
    const setup = this.ks.pairs.get(peer)!.sender;
    const sidExt = this.sidExt(this.self, peer, this.saltPeer);
    const W = this.cfg.guard.withDelta(this.keyHex, peer, () => oteSenderCheck(this.tr, setup, sidExt, otx, peer));
    const otxHash = this.tr.H('ote/transcript', sidExt, otx);
    const sidDir = this.sidDir(this.self, peer);
    const { T0, T1 } = senderPads(this.tr, this.tr.H('ote/pad-sid', sidDir, otxHash), W, setup.delta);
    wipe(...W);
    const out = voleSend(this.tr, sidDir, otxHash, T0, T1, this.cfg.rng);
    wipe(T0, T1);
    this.alpha = out.alpha;
    this.t = out.t;
    return out.msg;
  }

  /** VOLE receiver's second step: pads, check (ABORT_BAN of the sender), β and r. */
  private voleReceiverFinish(voleMsg: Uint8Array): { beta: bigint; r: readonly [bigint, bigint] } {
    const peer = this.cfg.peer;
    const ext = this.ext!;
    const sidExt = this.sidExt(peer, this.self, this.saltSelf);
    const otxHash = this.tr.H('ote/transcript', sidExt, ext.msg);
    const sidDir = this.sidDir(peer, this.self);
    const S = receiverPads(this.tr, this.tr.H('ote/pad-sid', sidDir, otxHash), ext.V);
    const out = voleReceive(this.tr, sidDir, otxHash, S, ext.x, voleMsg, peer);
    wipe(S);
    wipe(...ext.V, ext.x);
    return out;
  }

  /** γ/Γ corrections and the opening of R_self (sent in round 3, once a digest is bound). */
  private openingMsg(): Uint8Array {
    const gk = sub(this.k, this.alpha[0]);
    const gx = sub(this.xw, this.alpha[1]);
    // Γ_k, Γ_x normalised together: one field inversion instead of two
    const [Gk, Gx] = normalizeZ(Point, [mulG(this.t[0]), mulG(this.t[1])]) as [Point, Point];
    return concat(pointToBytes(this.Rself), this.open, scalarToBytes(gk), scalarToBytes(gx), pointToBytes(Gk), pointToBytes(Gx));
  }

  // ---- rounds (@spec SPEC.md §6.3) ------------------------------------------------------------
  /** Round 1: nonce commitment and this party's extension message (as VOLE receiver). */
  protected begin(): Message[] {
    checkBan(this.cfg.guard, this.keyHex, this.cfg.peer);
    const com = this.fresh();
    const ext = this.extMsg(this.cfg.peer);
    return [{ from: this.self, to: this.cfg.peer, round: 1, payload: concat(this.pctx, this.saltSelf, com, ext) }];
  }

  protected process(round: number, msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    const peer = this.cfg.peer;
    checkBan(this.cfg.guard, this.keyHex, peer);
    const b = msgs.get(peer)!;
    checkLength(round, b, peer);
    if (round === 1) {
      // peer's pctx ‖ salt ‖ com ‖ ext: context first, then the extension check under the Δ gate
      const rd = new Reader(b, (m) => abort(ErrorCode.BAD_LENGTH, m, { culprit: peer, round }));
      this.checkContext(rd.take(32, 'context'));
      this.saltPeer = rd.take(32, 'salt').slice();
      this.comPeer = rd.take(32, 'commitment').slice();
      const vole = this.voleSenderMsg(rd.take(OTE_MSG_BYTES, 'extension'));
      return [{ from: this.self, to: peer, round: 2, payload: vole }];
    }
    // the peer's VOLE message: receiver check (ABORT_BAN) before this party prepares any opening
    const { beta, r } = this.voleReceiverFinish(b);
    const state: PresignState = {
      tr: this.tr,
      pctx: this.pctx,
      xw: this.xw,
      XpeerTable: this.XpeerTable,
      k: this.k,
      Rself: this.Rself,
      saltPeer: this.saltPeer,
      comPeer: this.comPeer,
      beta,
      r,
      t: this.t,
      opening: this.openingMsg(),
    };
    this.output = new Presignature(this.keyHex, this.cfg.sessionId, this.self, peer, this.cfg.initiator, this.ks, state);
    // the secrets now live in the presignature only
    this.k = 0n;
    this.alpha = [0n, 0n];
    this.t = [0n, 0n];
    wipe(this.open);
    return [];
  }

  protected override onAbort(err: ProtocolError): void {
    if (err.failure === 'ABORT_BAN' && err.culprit !== undefined) this.cfg.guard.ban(this.keyHex, err.culprit, err);
    this.k = 0n;
    this.alpha = [0n, 0n];
    this.t = [0n, 0n];
    wipe(this.open);
  }
}

/**
 * Round 3 (@spec SPEC.md §6.3): binds a digest to one presignature (taking it: it cannot be
 * bound again), sends ctx ‖ opening, and on the peer's round 3 compares ctx first (a different
 * digest is ERR_WRONG_SESSION without culprit or ban), then checks the opening and both Γ
 * equations and outputs the partial.
 */
export class OnlineSigner extends RoundMachine<PartialSignature> {
  private readonly st: PresignState;
  private readonly ctx: Uint8Array;
  private readonly e: bigint;
  private readonly keyHex: string;
  readonly peer: number;

  constructor(readonly cfg: OnlineConfig) {
    const p = cfg.presignature;
    super(p.self);
    if (cfg.digest.length !== 32) throw invalidArgs('digest must be 32 bytes');
    this.st = takeState(p);
    this.peer = p.peer;
    this.keyHex = p.keyId;
    this.ctx = digestContext(this.st.tr, this.st.pctx, cfg.digest);
    this.e = mod(bytesToNumberBE(cfg.digest));
  }

  protected rounds(): readonly number[] {
    return ONLINE_ROUNDS;
  }
  protected senders(): readonly number[] {
    return [this.peer];
  }

  protected begin(): Message[] {
    checkBan(this.cfg.guard, this.keyHex, this.peer);
    return [{ from: this.self, to: this.peer, round: 3, payload: concat(this.ctx, this.st.opening) }];
  }

  protected process(round: number, msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    const peer = this.peer;
    checkBan(this.cfg.guard, this.keyHex, peer);
    const b = msgs.get(peer)!;
    checkLength(round, b, peer);
    if (!ctEqual(b.subarray(0, 32), this.ctx)) {
      throw abort(ErrorCode.WRONG_SESSION, `party ${peer} binds this presignature to a different request (digest)`);
    }
    const pre = this.finishPreprocessing(b.subarray(32));
    this.output = this.online(pre);
    wipeState(this.st);
    return [];
  }

  /**
   * Checks the peer's opening R_j ‖ open ‖ γ_k ‖ γ_x ‖ Γ_k ‖ Γ_x: the commitment and both Γ
   * equations (@spec SPEC.md §6.3), then computes u_i and v_i. Both equations are always
   * evaluated; one failure is ABORT_BAN of the peer.
   */
  private finishPreprocessing(b: Uint8Array): Preprocessing {
    const peer = this.peer;
    const st = this.st;
    const bad = (code: ErrorCode, m: string) => abort(code, m, { culprit: peer });
    const Rb = b.subarray(0, 33);
    const Rp = pointFromBytes(Rb);
    if (!Rp) throw bad(ErrorCode.BAD_POINT, 'peer nonce point R is invalid');
    const open = b.subarray(33, 65);
    const gk = scalarFromBytes(b, 65);
    const gx = scalarFromBytes(b, 97);
    if (gk === undefined || gx === undefined) throw bad(ErrorCode.SCALAR_RANGE, 'peer correction γ ≥ q');
    const Gk = pointFromBytes(b.subarray(129, 162));
    const Gx = pointFromBytes(b.subarray(162, 195));
    if (!Gk || !Gx) throw bad(ErrorCode.BAD_POINT, 'peer Γ is not a valid point');
    if (!ctEqual(commitNonce(st.tr, st.pctx, peer, st.saltPeer, Rb, open), st.comPeer)) {
      throw bad(ErrorCode.COMMITMENT, 'peer nonce commitment does not open');
    }
    const ck = add(mul(gk, st.beta), st.r[0]);
    const cx = add(mul(gx, st.beta), st.r[1]);
    // c_k·G = β·R' − Γ_k and c_x·G = β·X' − Γ_x (X' has a cached comb table; β is secret)
    if (st.beta === 0n) throw abort(ErrorCode.DEGENERATE, 'β = 0 (probability 2^-256); sign again');
    const okK = mulCT(Rp, st.beta).equals(mulG(ck).add(Gk));
    const okX = st.XpeerTable.mul(st.beta).equals(mulG(cx).add(Gx));
    if (!(okK && okX)) {
      throw abortBan(ErrorCode.GAMMA_CHECK, 'Γ check failed: peer corrections inconsistent with its VOLE inputs', { culprit: peer });
    }
    const R = st.Rself.add(Rp);
    if (R.is0()) throw abort(ErrorCode.DEGENERATE, 'R is the identity');
    const u = add(add(mul(st.k, st.beta), st.t[0]), ck);
    const v = add(add(mul(st.xw, st.beta), st.t[1]), cx);
    return { k: st.k, beta: st.beta, u, v, R };
  }

  /** The message-dependent step: w_i = e·β_i + r·v_i. @spec SPEC.md §6.5 */
  private online(p: Preprocessing): PartialSignature {
    const rx = mod(p.R.toAffine().x);
    if (rx === 0n) throw abort(ErrorCode.DEGENERATE, 'r = 0');
    const w = add(mul(this.e, p.beta), mul(rx, p.v));
    return { index: this.self, u: p.u, w, Ri: pointToBytes(this.st.Rself), hR: nonceBinding(this.st.tr, this.ctx, p.R) };
  }

  protected override onAbort(err: ProtocolError): void {
    if (err.failure === 'ABORT_BAN' && err.culprit !== undefined) this.cfg.guard.ban(this.keyHex, err.culprit, err);
    wipeState(this.st);
  }
}

/**
 * A whole session whose digest is known from the start: a `Presigner` for rounds 1–2, then an
 * `OnlineSigner` on its presignature for round 3 (the node runs the two as separate sessions so
 * that rounds 1–2 can also run ahead of a request, §6.6; the values are the same).
 */
export class Signer extends RoundMachine<PartialSignature> {
  private readonly pre: Presigner;
  private on?: OnlineSigner;

  constructor(readonly cfg: SignConfig) {
    super(cfg.share.index);
    if (cfg.digest.length !== 32) throw invalidArgs('digest must be 32 bytes');
    this.pre = new Presigner(cfg);
  }

  protected rounds(): readonly number[] {
    return SIGN_ROUNDS;
  }
  protected senders(): readonly number[] {
    return [this.cfg.peer];
  }
  protected begin(): Message[] {
    return this.pre.start();
  }
  protected process(round: number, msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    const msg: Message = { from: this.cfg.peer, to: this.self, round, payload: msgs.get(this.cfg.peer)! };
    if (round !== 3) {
      const out = this.pre.receive(msg);
      if (this.pre.status !== 'done') return out;
      this.on = new OnlineSigner({ presignature: this.pre.output!, digest: this.cfg.digest, guard: this.cfg.guard });
      return [...out, ...this.on.start()];
    }
    const out = this.on!.receive(msg);
    if (this.on!.status === 'done') this.output = this.on!.output;
    return out;
  }
  protected override onAbort(err: ProtocolError): void {
    // an inner machine that failed has recorded any ban and erased its secrets; one still
    // running (this session was abandoned from outside) is abandoned too
    this.pre.abandon(err.message);
    this.on?.abandon(err.message);
    this.pre.output?.discard();
  }
}

export function createSigner(cfg: SignConfig): Signer {
  return new Signer(cfg);
}
export function createPresigner(cfg: PresignConfig): Presigner {
  return new Presigner(cfg);
}
export function createOnlineSigner(cfg: OnlineConfig): OnlineSigner {
  return new OnlineSigner(cfg);
}

function commitNonce(tr: Transcript, pctx: Uint8Array, i: number, salt: Uint8Array, Rb: Uint8Array, open: Uint8Array): Uint8Array {
  return tr.H('sign/com', pctx, u32(i), salt, Rb, open);
}

export function encodePartial(p: PartialSignature): Uint8Array {
  return concat(u32(p.index), scalarToBytes(p.u), scalarToBytes(p.w), p.Ri, p.hR);
}

