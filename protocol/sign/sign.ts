/**
 * Two-party ECDSA signing on Lagrange-weighted Shamir shares: Asharov 2026/976 Protocol 6.2
 * over VOLE Variant II (@spec SPEC.md §6). Any two of the n parties sign; the initiator I and
 * the responder R run the protocol's three exchange rounds simultaneously (each party sends one
 * message per round and waits for the peer's), then each hands its partial result (u_i, w_i,
 * R_i, H(R)) to the combiner (`combine.ts`), which never needs a share.
 *
 *   round 1  both  ctx ‖ salt_i ‖ com_i ‖ ext_i    (ext_I: VOLE A, sender R; ext_R: VOLE B, sender I)
 *   round 2  both  vole_i                          (after the Δ-gated check of the peer's ext)
 *   round 3  both  R_i ‖ open_i ‖ γ_k ‖ γ_x ‖ Γ_k ‖ Γ_x   (after the check of the peer's vole)
 *
 * The message-independent work (everything up to u_i and v_i) is in `Preprocessing`; only
 * w_i = e·β_i + r·v_i needs the digest, so a later presigning mode can split there (§6.6).
 * The digest is nevertheless bound into the session context from the first message.
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

export interface SignConfig {
  readonly share: KeyShare;
  /** Index of the other signer. */
  readonly peer: number;
  /** True if this party is the initiator I (named first in the context; both parties send in every round). */
  readonly initiator: boolean;
  /** 32-byte message digest (e.g. keccak256 of an Ethereum payload). */
  readonly digest: Uint8Array;
  /** 32-byte session id chosen by the coordinator; never accepted twice per key. */
  readonly sessionId: Uint8Array;
  readonly rng: Rng;
  readonly guard: PairGuard;
  readonly replay: ReplayGuard;
  readonly primitives?: Primitives;
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

/** Round 1: ctx ‖ salt ‖ com ‖ ext. */
export const MSG1_BYTES = 96 + OTE_MSG_BYTES;
/** Round 2: the VOLE sender message. */
export const MSG2_BYTES = VOLE_MSG_BYTES;
/** Round 3: R_i ‖ open_i ‖ γ_k ‖ γ_x ‖ Γ_k ‖ Γ_x. */
export const MSG3_BYTES = 33 + 32 + 32 + 32 + 33 + 33;
/** Exchange rounds of one signing session (each party sends one message per round). */
export const SIGN_ROUNDS = [1, 2, 3] as const;

/** Signing context shared by both parties and the combiner. @spec SPEC.md §6.1 */
export function signContext(
  tr: Transcript,
  p: { keyId: Uint8Array; publicKey: Uint8Array; initiator: number; responder: number; XI: Uint8Array; XR: Uint8Array; digest: Uint8Array; sessionId: Uint8Array },
): Uint8Array {
  return tr.H('sign/ctx', p.keyId, p.publicKey, u32(p.initiator), u32(p.responder), p.XI, p.XR, p.digest, p.sessionId);
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

export class Signer extends RoundMachine<PartialSignature> {
  private readonly tr: Transcript;
  private readonly ks: KeyShare;
  private readonly I: number;
  private readonly R: number;
  private readonly ctx: Uint8Array;
  private readonly keyHex: string;
  private readonly xw: bigint; // x'_self = λ_self·p(self)
  private readonly XpeerTable: FixedBase; // comb for X'_peer = λ_peer·X_peer
  private readonly e: bigint;
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
  private beta = 0n;
  private r: readonly [bigint, bigint] = [0n, 0n];

  constructor(readonly cfg: SignConfig) {
    super(cfg.share.index);
    const ks = cfg.share;
    this.ks = ks;
    if (cfg.peer === ks.index || !ks.pairs.has(cfg.peer)) throw invalidArgs(`peer ${cfg.peer} is not another party of this key`);
    if (ks.t !== 2) throw invalidArgs('two-party signing needs a key with threshold t = 2');
    if (cfg.digest.length !== 32) throw invalidArgs('digest must be 32 bytes');
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
    this.ctx = signContext(this.tr, { keyId: ks.keyId, publicKey: ks.publicKey, initiator: this.I, responder: this.R, XI, XR, digest: cfg.digest, sessionId: cfg.sessionId });
    this.e = mod(bytesToNumberBE(cfg.digest));
  }

  protected rounds(): readonly number[] {
    return SIGN_ROUNDS;
  }
  protected senders(): readonly number[] {
    return [this.cfg.peer];
  }

  // ---- session binding (@spec SPEC.md §6.2) ----------------------------------------------
  private sidExt(sender: number, receiver: number, saltReceiver: Uint8Array): Uint8Array {
    return this.tr.H('ote/sid-ext', this.ctx, u32(sender), u32(receiver), saltReceiver);
  }
  private sidDir(sender: number, receiver: number): Uint8Array {
    const sI = this.cfg.initiator ? this.saltSelf : this.saltPeer;
    const sR = this.cfg.initiator ? this.saltPeer : this.saltSelf;
    return this.tr.H('sign/dir', this.ctx, u32(sender), u32(receiver), sI, sR);
  }
  private commit(i: number, salt: Uint8Array, Rb: Uint8Array, open: Uint8Array): Uint8Array {
    return this.tr.H('sign/com', this.ctx, u32(i), salt, Rb, open);
  }
  /**
   * The first message of each party carries its context hash, compared before any check that
   * could ban: two honest signers given different requests (digest, session id, pair) stop with
   * ERR_WRONG_SESSION and blame nobody, instead of failing the extension check.
   */
  private checkContext(peerCtx: Uint8Array): void {
    if (!ctEqual(peerCtx, this.ctx)) {
      throw abort(ErrorCode.WRONG_SESSION, `party ${this.cfg.peer} signs a different request (digest, session id or signer pair)`);
    }
  }

  private checkBan(): void {
    if (this.cfg.guard.isBanned(this.keyHex, this.cfg.peer)) {
      throw abort(ErrorCode.PEER_BANNED, `pairwise setup with party ${this.cfg.peer} is banned for this key`, { culprit: this.cfg.peer });
    }
  }
  private fresh(): Uint8Array {
    this.k = randomScalar(this.cfg.rng);
    this.Rself = mulG(this.k);
    this.open = this.cfg.rng(32);
    this.saltSelf = this.cfg.rng(32);
    return this.commit(this.self, this.saltSelf, pointToBytes(this.Rself), this.open);
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
  private voleReceiverFinish(voleMsg: Uint8Array): void {
    const peer = this.cfg.peer;
    const ext = this.ext!;
    const sidExt = this.sidExt(peer, this.self, this.saltSelf);
    const otxHash = this.tr.H('ote/transcript', sidExt, ext.msg);
    const sidDir = this.sidDir(peer, this.self);
    const S = receiverPads(this.tr, this.tr.H('ote/pad-sid', sidDir, otxHash), ext.V);
    const out = voleReceive(this.tr, sidDir, otxHash, S, ext.x, voleMsg, peer);
    wipe(S);
    wipe(...ext.V, ext.x);
    this.beta = out.beta;
    this.r = out.r;
  }

  /** γ/Γ corrections and the opening of R_self. */
  private openingMsg(): Uint8Array {
    const gk = sub(this.k, this.alpha[0]);
    const gx = sub(this.xw, this.alpha[1]);
    // Γ_k, Γ_x normalised together: one field inversion instead of two
    const [Gk, Gx] = normalizeZ(Point, [mulG(this.t[0]), mulG(this.t[1])]) as [Point, Point];
    return concat(pointToBytes(this.Rself), this.open, scalarToBytes(gk), scalarToBytes(gx), pointToBytes(Gk), pointToBytes(Gx));
  }

  /**
   * Checks the peer's round-3 message R_j ‖ open ‖ γ_k ‖ γ_x ‖ Γ_k ‖ Γ_x: its opening and both
   * Γ equations (@spec SPEC.md §6.3), then computes u_i and v_i. Both equations are always
   * evaluated; one failure is ABORT_BAN of the peer.
   */
  private finishPreprocessing(b: Uint8Array): Preprocessing {
    const peer = this.cfg.peer;
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
    if (!ctEqual(this.commit(peer, this.saltPeer, Rb, open), this.comPeer)) {
      throw bad(ErrorCode.COMMITMENT, 'peer nonce commitment does not open');
    }
    const ck = add(mul(gk, this.beta), this.r[0]);
    const cx = add(mul(gx, this.beta), this.r[1]);
    // c_k·G = β·R' − Γ_k and c_x·G = β·X' − Γ_x (X' has a cached comb table; β is secret)
    if (this.beta === 0n) throw abort(ErrorCode.DEGENERATE, 'β = 0 (probability 2^-256); sign again');
    const okK = mulCT(Rp, this.beta).equals(mulG(ck).add(Gk));
    const okX = this.XpeerTable.mul(this.beta).equals(mulG(cx).add(Gx));
    if (!(okK && okX)) {
      throw abortBan(ErrorCode.GAMMA_CHECK, 'Γ check failed: peer corrections inconsistent with its VOLE inputs', { culprit: peer });
    }
    const R = this.Rself.add(Rp);
    if (R.is0()) throw abort(ErrorCode.DEGENERATE, 'R is the identity');
    const u = add(add(mul(this.k, this.beta), this.t[0]), ck);
    const v = add(add(mul(this.xw, this.beta), this.t[1]), cx);
    return { k: this.k, beta: this.beta, u, v, R };
  }

  /** The message-dependent step: w_i = e·β_i + r·v_i. @spec SPEC.md §6.5 */
  private online(p: Preprocessing): PartialSignature {
    const rx = mod(p.R.toAffine().x);
    if (rx === 0n) throw abort(ErrorCode.DEGENERATE, 'r = 0');
    const w = add(mul(this.e, p.beta), mul(rx, p.v));
    return { index: this.self, u: p.u, w, Ri: pointToBytes(this.Rself), hR: nonceBinding(this.tr, this.ctx, p.R) };
  }

  // ---- rounds (@spec SPEC.md §6.3) ------------------------------------------------------------
  /** Round 1: nonce commitment and this party's extension message (as VOLE receiver). */
  protected begin(): Message[] {
    this.checkBan();
    const com = this.fresh();
    const ext = this.extMsg(this.cfg.peer);
    return [{ from: this.self, to: this.cfg.peer, round: 1, payload: concat(this.ctx, this.saltSelf, com, ext) }];
  }

  protected process(round: number, msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    this.checkBan();
    const peer = this.cfg.peer;
    const b = msgs.get(peer)!;
    const expect = [0, MSG1_BYTES, MSG2_BYTES, MSG3_BYTES][round]!;
    if (b.length !== expect) throw abort(ErrorCode.BAD_LENGTH, `message ${round} has ${b.length} bytes, expected ${expect}`, { culprit: peer, round });
    switch (round) {
      case 1: {
        // peer's ctx ‖ salt ‖ com ‖ ext: context first, then the extension check under the Δ gate
        const rd = new Reader(b, (m) => abort(ErrorCode.BAD_LENGTH, m, { culprit: peer, round }));
        this.checkContext(rd.take(32, 'context'));
        this.saltPeer = rd.take(32, 'salt').slice();
        this.comPeer = rd.take(32, 'commitment').slice();
        const vole = this.voleSenderMsg(rd.take(OTE_MSG_BYTES, 'extension'));
        return [{ from: this.self, to: peer, round: 2, payload: vole }];
      }
      case 2: {
        // the peer's VOLE message: receiver check (ABORT_BAN) before this party opens anything
        this.voleReceiverFinish(b);
        return [{ from: this.self, to: peer, round: 3, payload: this.openingMsg() }];
      }
      default: {
        const pre = this.finishPreprocessing(b);
        this.output = this.online(pre);
        this.erase();
        return [];
      }
    }
  }

  private erase(): void {
    this.k = 0n;
    this.beta = 0n;
    this.alpha = [0n, 0n];
    this.t = [0n, 0n];
    this.r = [0n, 0n];
    wipe(this.open);
  }

  protected override onAbort(err: ProtocolError): void {
    if (err.failure === 'ABORT_BAN' && err.culprit !== undefined) this.cfg.guard.ban(this.keyHex, err.culprit, err);
    this.erase();
  }
}

export function createSigner(cfg: SignConfig): Signer {
  return new Signer(cfg);
}

export function encodePartial(p: PartialSignature): Uint8Array {
  return concat(u32(p.index), scalarToBytes(p.u), scalarToBytes(p.w), p.Ri, p.hR);
}

