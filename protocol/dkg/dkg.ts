/**
 * Dealerless DKG for n parties and threshold t (@spec SPEC.md §3): Feldman VSS with
 * commit-then-reveal, Schnorr proofs of knowledge bound to the session and the prover, signed
 * broadcasts with an echo check of every broadcast round, a common chain code, and the pairwise
 * base-OT setup (VSOT, 128 per ordered pair) interleaved with the rounds.
 *
 * Rounds (every message: u32 |bcast| ‖ bcast ‖ sig(bcast) ‖ p2p):
 *   1  bcast nonce_i, com_i
 *   2  bcast C_i, cc_i, salt_i, PoKs, echo(1)       p2p f_i(j), VSOT v1 (i is VSOT sender toward j)
 *   3  bcast PoK(p(i)), conf_i, echo(2)             p2p VSOT v2 (i is VSOT receiver toward j)
 *   4  bcast echo(3)                                p2p VSOT v3
 *   5  —                                            p2p VSOT v4
 *   6  —                                            p2p VSOT v5
 *   7  bcast done_i = H(sid, pk, cc, X_1..X_n)                           → output KeyShare
 * Round 1's p2p part is the context hash, checked before anything else: parties given different
 * (sessionId, n, t) stop without blaming each other.
 * The full private key is never computed.
 */
import { Reader, concat, ctEqual, u32 } from '../core/bytes.js';
import { AUTH_SIG_BYTES, type Authenticator } from '../core/auth.js';
import { ErrorCode, abort, invalidArgs } from '../core/errors.js';
import { RoundMachine, type Message } from '../core/machine.js';
import { noblePrimitives, type Primitives } from '../core/primitives.js';
import type { Rng } from '../core/rng.js';
import { Transcript } from '../core/transcript.js';
import { Point, add, pointFromBytes, pointToBytes, polyEval, polyEvalPoints, randomScalar, scalarFromBytes, scalarToBytes } from '../math/ec.js';
import { mulG } from '../math/batch.js';
import * as vsot from '../ot/base.js';
import type { OteReceiverSetup, OteSenderSetup } from '../ot/extension.js';
import { KEYSHARE_VERSION, validateKeyShare, type KeyShare, type PairSetup } from '../keyshare/keyshare.js';
import { MAX_PARTIES, MIN_PARTIES } from '../params.js';
import { SCHNORR_PROOF_BYTES, schnorrProve, schnorrVerify } from '../zk/schnorr.js';

export interface DkgConfig {
  /** 32 bytes chosen by the caller (coordinator request); must be fresh. */
  readonly sessionId: Uint8Array;
  readonly n: number;
  readonly t: number;
  /** This party's index, 1..n. */
  readonly self: number;
  readonly rng: Rng;
  readonly auth: Authenticator;
  readonly primitives?: Primitives;
}

export const DKG_ROUNDS = [1, 2, 3, 4, 5, 6, 7] as const;

interface Bcast {
  body: Uint8Array;
  hash: Uint8Array;
  sig: Uint8Array;
}

export class Dkg extends RoundMachine<KeyShare> {
  private readonly tr: Transcript;
  private readonly ctx: Uint8Array;
  private readonly others: number[];
  private readonly rng: Rng;
  private readonly auth: Authenticator;
  // round-1 secrets
  private coeffs: bigint[] = [];
  private C: Uint8Array[] = [];
  private cc: Uint8Array = new Uint8Array(32);
  private salt: Uint8Array = new Uint8Array(32);
  // received state
  private readonly recvBcast = new Map<number, Map<number, Bcast>>(); // round → sender → bcast
  private readonly myBcast = new Map<number, Bcast>();
  private readonly nonces = new Map<number, Uint8Array>();
  private readonly coms = new Map<number, Uint8Array>();
  private sid: Uint8Array = new Uint8Array(32);
  private share = 0n;
  private A: Point[] = [];
  private ccAll: Uint8Array = new Uint8Array(32);
  private conf: Uint8Array = new Uint8Array(32);
  private done: Uint8Array = new Uint8Array(32);
  private result?: KeyShare;
  private readonly vsSend = new Map<number, vsot.VsotSenderState>();
  private readonly vsRecv = new Map<number, vsot.VsotReceiverState>();
  private readonly recvSetups = new Map<number, OteReceiverSetup>();
  private readonly sendSetups = new Map<number, OteSenderSetup>();

  constructor(readonly cfg: DkgConfig) {
    super(cfg.self);
    const { n, t, self, sessionId } = cfg;
    if (!Number.isInteger(n) || n < MIN_PARTIES || n > MAX_PARTIES) throw invalidArgs(`n must be in [${MIN_PARTIES}, ${MAX_PARTIES}]`);
    if (!Number.isInteger(t) || t < 2 || t > n) throw invalidArgs('t must be in [2, n]');
    if (!Number.isInteger(self) || self < 1 || self > n) throw invalidArgs('self must be in [1, n]');
    if (sessionId.length !== 32) throw invalidArgs('sessionId must be 32 bytes');
    this.tr = new Transcript(cfg.primitives ?? noblePrimitives);
    this.rng = cfg.rng;
    this.auth = cfg.auth;
    this.ctx = dkgContext(this.tr, sessionId, n, t);
    this.others = [];
    for (let j = 1; j <= n; j++) if (j !== self) this.others.push(j);
  }

  protected rounds(): readonly number[] {
    return DKG_ROUNDS;
  }
  protected senders(): readonly number[] {
    return this.others;
  }

  // ---- message framing -------------------------------------------------------------------
  private sigData(round: number, from: number, hash: Uint8Array): Uint8Array {
    return this.tr.H('dkg/bcast-sig', this.ctx, u32(round), u32(from), hash);
  }
  // dkgBroadcastSigData(tr, ctx, round, from, bcast) === sigData(round, from, H('dkg/bcast', bcast))
  private emit(round: number, bcast: Uint8Array, p2p: (j: number) => Uint8Array): Message[] {
    const hash = this.tr.H('dkg/bcast', bcast);
    const sig = this.auth.sign(this.sigData(round, this.self, hash));
    this.myBcast.set(round, { body: bcast, hash, sig });
    return this.others.map((j) => ({ from: this.self, to: j, round, payload: concat(u32(bcast.length), bcast, sig, p2p(j)) }));
  }
  private split(round: number, from: number, payload: Uint8Array): { bcast: Uint8Array; p2p: Uint8Array } {
    const err = (m: string) => abort(ErrorCode.BAD_LENGTH, `round ${round} from ${from}: ${m}`, { culprit: from, round });
    const r = new Reader(payload, err);
    const len = r.u32('bcast length');
    const bcast = r.take(len, 'bcast');
    const sig = r.take(AUTH_SIG_BYTES, 'signature');
    const p2p = payload.subarray(4 + len + AUTH_SIG_BYTES);
    const hash = this.tr.H('dkg/bcast', bcast);
    if (round === 1) {
      if (p2p.length !== 32) throw abort(ErrorCode.BAD_LENGTH, `round 1 from ${from}: context field has ${p2p.length} bytes`, { culprit: from, round });
      if (!ctEqual(p2p, this.ctx)) {
        throw abort(ErrorCode.WRONG_SESSION, `round 1: party ${from} runs a DKG with a different context (session id, n or t)`, { round });
      }
    }
    if (!this.auth.verify(from, this.sigData(round, from, hash), sig)) {
      throw abort(ErrorCode.BAD_SIGNATURE, `round ${round}: bad broadcast signature from ${from}`, { culprit: from, round });
    }
    let m = this.recvBcast.get(round);
    if (!m) this.recvBcast.set(round, (m = new Map()));
    m.set(from, { body: bcast, hash, sig });
    return { bcast, p2p };
  }

  /** echo(r): for every k ≠ self in order, H(bcast_k) ‖ sig_k as received. */
  private echoOf(round: number): Uint8Array {
    const parts: Uint8Array[] = [];
    const m = this.recvBcast.get(round)!;
    for (let k = 1; k <= this.cfg.n; k++) {
      if (k === this.self) continue;
      const b = m.get(k)!;
      parts.push(b.hash, b.sig);
    }
    return concat(...parts);
  }
  private echoBytes(): number {
    return (this.cfg.n - 1) * (32 + AUTH_SIG_BYTES);
  }
  /** Checks j's echo of round `round` against this party's copies; names the culprit. */
  private checkEcho(round: number, j: number, echo: Uint8Array): void {
    if (echo.length !== this.echoBytes()) throw abort(ErrorCode.BAD_LENGTH, `echo length from ${j}`, { culprit: j, round: round + 1 });
    const mine = this.recvBcast.get(round)!;
    let off = 0;
    for (let k = 1; k <= this.cfg.n; k++) {
      if (k === j) continue;
      const h = echo.subarray(off, off + 32);
      const sig = echo.subarray(off + 32, off + 32 + AUTH_SIG_BYTES);
      off += 32 + AUTH_SIG_BYTES;
      const copy = k === this.self ? this.myBcast.get(round)! : mine.get(k)!;
      if (ctEqual(h, copy.hash)) continue;
      if (k !== this.self && this.auth.verify(k, this.sigData(round, k, h), sig)) {
        throw abort(ErrorCode.EQUIVOCATION, `party ${k} sent different round-${round} broadcasts to ${this.self} and ${j}`, { culprit: k, round });
      }
      throw abort(ErrorCode.ECHO, `party ${j} echoed a round-${round} broadcast of ${k} that ${k} did not sign`, { culprit: j, round: round + 1 });
    }
  }

  private vsotCtx(alice: number, bob: number): Uint8Array {
    return this.tr.H('vsot/ctx', this.sid, u32(alice), u32(bob));
  }

  // ---- rounds ------------------------------------------------------------------------------
  protected begin(): Message[] {
    const { t } = this.cfg;
    this.coeffs = Array.from({ length: t }, () => randomScalar(this.rng));
    this.C = this.coeffs.map((a) => pointToBytes(mulG(a)));
    this.cc = this.rng(32);
    this.salt = this.rng(32);
    const nonce = this.rng(32);
    this.nonces.set(this.self, nonce);
    const com = this.commitment(this.self, concat(...this.C), this.cc, this.salt);
    this.coms.set(this.self, com);
    return this.emit(1, concat(nonce, com), () => this.ctx);
  }

  private commitment(i: number, C: Uint8Array, cc: Uint8Array, salt: Uint8Array): Uint8Array {
    return this.tr.H('dkg/com', this.ctx, u32(i), C, cc, salt);
  }

  protected process(round: number, msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    switch (round) {
      case 1: return this.round1(msgs);
      case 2: return this.round2(msgs);
      case 3: return this.round3(msgs);
      case 4: return this.round4(msgs);
      case 5: return this.round5(msgs);
      case 6: return this.round6(msgs);
      default: return this.round7(msgs);
    }
  }

  private round1(msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    for (const j of this.others) {
      const { bcast } = this.split(1, j, msgs.get(j)!); // the p2p part (ctx) is checked in split()
      if (bcast.length !== 64) throw abort(ErrorCode.BAD_LENGTH, `round 1 from ${j}: bad length`, { culprit: j, round: 1 });
      this.nonces.set(j, bcast.slice(0, 32));
      this.coms.set(j, bcast.slice(32, 64));
    }
    const ns: Uint8Array[] = [];
    for (let k = 1; k <= this.cfg.n; k++) ns.push(this.nonces.get(k)!);
    this.sid = this.tr.H('dkg/sid', this.ctx, ...ns);
    const proofs = this.coeffs.map((a, k) => schnorrProve(this.tr, this.pokBind(this.self, 'coef', k), a, mulG(a), this.rng));
    const bcast = concat(...this.C, this.cc, this.salt, ...proofs, this.echoOf(1));
    return this.emit(2, bcast, (j) => {
      const st = vsot.vsotSenderStart(this.tr, this.vsotCtx(j, this.self), this.rng);
      this.vsSend.set(j, st.state);
      return concat(scalarToBytes(polyEval(this.coeffs, BigInt(j))), st.msg);
    });
  }

  private pokBind(prover: number, purpose: string, index: number): Uint8Array[] {
    return [this.sid, u32(prover), new TextEncoder().encode(purpose), u32(index)];
  }

  private round2(msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    const { t, n } = this.cfg;
    const bcastLen = 33 * t + 64 + SCHNORR_PROOF_BYTES * t + this.echoBytes();
    const Aall: Point[][] = [];
    const ccs = new Map<number, Uint8Array>([[this.self, this.cc]]);
    let share = polyEval(this.coeffs, BigInt(this.self));
    for (const j of this.others) {
      const { bcast, p2p } = this.split(2, j, msgs.get(j)!);
      if (bcast.length !== bcastLen) throw abort(ErrorCode.BAD_LENGTH, `round 2 broadcast from ${j}: ${bcast.length} bytes, expected ${bcastLen}`, { culprit: j, round: 2 });
      if (p2p.length !== 32 + vsot.VSOT_MSG1_BYTES) throw abort(ErrorCode.BAD_LENGTH, `round 2 p2p from ${j}: bad length`, { culprit: j, round: 2 });
      this.checkEcho(1, j, bcast.subarray(bcast.length - this.echoBytes()));
    }
    for (const j of this.others) {
      const { body: bcast } = this.recvBcast.get(2)!.get(j)!;
      const p2p = msgs.get(j)!.subarray(4 + bcast.length + AUTH_SIG_BYTES);
      const Cb = bcast.subarray(0, 33 * t);
      const cc = bcast.subarray(33 * t, 33 * t + 32);
      const salt = bcast.subarray(33 * t + 32, 33 * t + 64);
      if (!ctEqual(this.commitment(j, Cb, cc, salt), this.coms.get(j)!)) {
        throw abort(ErrorCode.COMMITMENT, `round 2: commitment of ${j} does not open`, { culprit: j, round: 2 });
      }
      const Cj: Point[] = [];
      for (let k = 0; k < t; k++) {
        const P = pointFromBytes(Cb.subarray(33 * k, 33 * k + 33));
        if (!P) throw abort(ErrorCode.BAD_POINT, `round 2: Feldman commitment ${k} of ${j} is not a valid point`, { culprit: j, round: 2 });
        const proof = bcast.subarray(33 * t + 64 + SCHNORR_PROOF_BYTES * k, 33 * t + 64 + SCHNORR_PROOF_BYTES * (k + 1));
        if (!schnorrVerify(this.tr, this.pokBind(j, 'coef', k), P, proof)) {
          throw abort(ErrorCode.PROOF, `round 2: proof of knowledge for coefficient ${k} of ${j} failed`, { culprit: j, round: 2 });
        }
        Cj.push(P);
      }
      const s = scalarFromBytes(p2p, 0);
      if (s === undefined) throw abort(ErrorCode.SCALAR_RANGE, `round 2: share from ${j} ≥ q`, { culprit: j, round: 2 });
      if (!mulG(s).equals(polyEvalPoints(Cj, BigInt(this.self)))) {
        throw abort(ErrorCode.FELDMAN, `round 2: share from ${j} fails the Feldman check`, { culprit: j, round: 2 });
      }
      share = add(share, s);
      Aall.push(Cj);
      ccs.set(j, cc.slice());
    }
    // Aggregate commitment A_k = Σ_j A_{j,k}
    const own = this.C.map((b) => pointFromBytes(b)!);
    this.A = own.map((P, k) => Aall.reduce((acc, Cj) => acc.add(Cj[k]!), P));
    if (this.A[0]!.is0()) throw abort(ErrorCode.DEGENERATE, 'public key is the identity');
    this.share = share;
    if (!mulG(share).equals(polyEvalPoints(this.A, BigInt(this.self)))) throw abort(ErrorCode.DEGENERATE, 'own share inconsistent');
    const ccList: Uint8Array[] = [];
    for (let k = 1; k <= n; k++) ccList.push(ccs.get(k)!);
    this.ccAll = this.tr.H('dkg/chaincode', this.sid, ...ccList);
    const pkb = pointToBytes(this.A[0]!);
    this.conf = this.tr.H('dkg/confirm', this.sid, pkb, this.ccAll, ...this.A.map(pointToBytes));
    const Xi = mulG(share);
    const proof = schnorrProve(this.tr, [...this.pokBind(this.self, 'share', 0), this.tr.H('dkg/pk-cc', pkb, this.ccAll)], share, Xi, this.rng);
    this.coeffs.fill(0n);
    const bcast = concat(proof, this.conf, this.echoOf(2));
    return this.emit(3, bcast, (j) => {
      const p2p = msgs.get(j)!.subarray(4 + this.recvBcast.get(2)!.get(j)!.body.length + AUTH_SIG_BYTES);
      const r = vsot.vsotReceiverStep(this.tr, this.vsotCtx(this.self, j), p2p.subarray(32), this.rng, j);
      this.vsRecv.set(j, r.state);
      return r.msg;
    });
  }

  private round3(msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    const bcastLen = SCHNORR_PROOF_BYTES + 32 + this.echoBytes();
    const pkb = pointToBytes(this.A[0]!);
    const bindExtra = this.tr.H('dkg/pk-cc', pkb, this.ccAll);
    for (const j of this.others) {
      const { bcast, p2p } = this.split(3, j, msgs.get(j)!);
      if (bcast.length !== bcastLen) throw abort(ErrorCode.BAD_LENGTH, `round 3 broadcast from ${j}: bad length`, { culprit: j, round: 3 });
      if (p2p.length !== vsot.VSOT_MSG2_BYTES) throw abort(ErrorCode.BAD_LENGTH, `round 3 p2p from ${j}: bad length`, { culprit: j, round: 3 });
      this.checkEcho(2, j, bcast.subarray(bcast.length - this.echoBytes()));
    }
    const out = new Map<number, Uint8Array>();
    for (const j of this.others) {
      const { body: bcast } = this.recvBcast.get(3)!.get(j)!;
      if (!ctEqual(bcast.subarray(SCHNORR_PROOF_BYTES, SCHNORR_PROOF_BYTES + 32), this.conf)) {
        throw abort(ErrorCode.CONFIRMATION, `round 3: party ${j} confirmed a different key or chain code`, { culprit: j, round: 3 });
      }
      const Xj = polyEvalPoints(this.A, BigInt(j));
      if (!schnorrVerify(this.tr, [...this.pokBind(j, 'share', 0), bindExtra], Xj, bcast.subarray(0, SCHNORR_PROOF_BYTES))) {
        throw abort(ErrorCode.PROOF, `round 3: proof of knowledge of the share of ${j} failed`, { culprit: j, round: 3 });
      }
      const p2p = msgs.get(j)!.subarray(4 + bcast.length + AUTH_SIG_BYTES);
      out.set(j, vsot.vsotSenderStep(this.tr, this.vsotCtx(j, this.self), this.vsSend.get(j)!, p2p, j));
    }
    return this.emit(4, this.echoOf(3), (j) => out.get(j)!);
  }

  private round4(msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    const out = new Map<number, Uint8Array>();
    for (const j of this.others) {
      const { bcast, p2p } = this.split(4, j, msgs.get(j)!);
      this.checkEcho(3, j, bcast);
      out.set(j, vsot.vsotReceiverResp(this.tr, this.vsotCtx(this.self, j), this.vsRecv.get(j)!, p2p, j));
    }
    return this.emit(5, new Uint8Array(0), (j) => out.get(j)!);
  }

  private round5(msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    const out = new Map<number, Uint8Array>();
    for (const j of this.others) {
      const { bcast, p2p } = this.split(5, j, msgs.get(j)!);
      if (bcast.length !== 0) throw abort(ErrorCode.BAD_LENGTH, `round 5 from ${j}: unexpected broadcast`, { culprit: j, round: 5 });
      const r = vsot.vsotSenderVerify(this.tr, this.vsotCtx(j, this.self), this.vsSend.get(j)!, p2p, j);
      this.recvSetups.set(j, r.setup);
      out.set(j, r.msg);
    }
    return this.emit(6, new Uint8Array(0), (j) => out.get(j)!);
  }

  private round6(msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    for (const j of this.others) {
      const { bcast, p2p } = this.split(6, j, msgs.get(j)!);
      if (bcast.length !== 0) throw abort(ErrorCode.BAD_LENGTH, `round 6 from ${j}: unexpected broadcast`, { culprit: j, round: 6 });
      this.sendSetups.set(j, vsot.vsotReceiverFinish(this.tr, this.vsotCtx(this.self, j), this.vsRecv.get(j)!, p2p, j));
    }
    const pairs = new Map<number, PairSetup>();
    for (const j of this.others) pairs.set(j, { sender: this.sendSetups.get(j)!, receiver: this.recvSetups.get(j)! });
    const publicShares: Uint8Array[] = [];
    for (let l = 1; l <= this.cfg.n; l++) publicShares.push(pointToBytes(polyEvalPoints(this.A, BigInt(l))));
    this.result = validateKeyShare({
      version: KEYSHARE_VERSION,
      keyId: this.sid,
      n: this.cfg.n,
      t: this.cfg.t,
      index: this.self,
      share: this.share,
      publicKey: pointToBytes(this.A[0]!),
      publicShares,
      chainCode: this.ccAll,
      pairs,
    });
    this.done = this.tr.H('dkg/done', this.sid, this.result.publicKey, this.ccAll, ...publicShares);
    return this.emit(7, this.done, () => new Uint8Array(0));
  }

  /** Every party confirms the same public output after finishing all its base-OT checks. */
  private round7(msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    for (const j of this.others) {
      const { bcast, p2p } = this.split(7, j, msgs.get(j)!);
      if (bcast.length !== 32 || p2p.length !== 0) throw abort(ErrorCode.BAD_LENGTH, `round 7 from ${j}: bad length`, { culprit: j, round: 7 });
      if (!ctEqual(bcast, this.done)) throw abort(ErrorCode.CONFIRMATION, `round 7: party ${j} finished with a different public output`, { culprit: j, round: 7 });
    }
    this.output = this.result;
    return [];
  }

  protected override onAbort(): void {
    this.coeffs.fill(0n);
    this.share = 0n;
    this.result = undefined;
  }
}

/** The DKG context hash and the bytes a party signs for its round-`round` broadcast (also used by adversary tests). */
export function dkgContext(tr: Transcript, sessionId: Uint8Array, n: number, t: number): Uint8Array {
  return tr.H('dkg/ctx', sessionId, u32(n), u32(t));
}
export function dkgBroadcastSigData(tr: Transcript, ctx: Uint8Array, round: number, from: number, bcast: Uint8Array): Uint8Array {
  return tr.H('dkg/bcast-sig', ctx, u32(round), u32(from), tr.H('dkg/bcast', bcast));
}

export function createDkg(cfg: DkgConfig): Dkg {
  return new Dkg(cfg);
}
