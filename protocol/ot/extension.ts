/**
 * SoftSpokenOT with k = 1 (IKNP shape) and a Fiat–Shamir GF(2^128) consistency check,
 * producing sender-random OTs whose pads are random-oracle outputs (@spec SPEC.md §4).
 *
 * Roles: the extension *receiver* ("Bob") is the VOLE receiver and holds both base-OT seeds of
 * every row; the extension *sender* ("Alice") is the VOLE sender and holds Δ (128 bits) and the
 * seed s^{Δ_i}_i of every row.
 */
import { ctEqual, getBit, u32, xorInto } from '../core/bytes.js';
import { ErrorCode, abort, abortBan } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { encode, type Transcript } from '../core/transcript.js';
import { BASE_OT_COUNT, LAMBDA_C, OTE_CHUNKS, OTE_ROW_BYTES, OTE_WIDTH, PAD_SCALARS, VOLE_M } from '../params.js';
import { gfFromBytes, gfMulXInPlace, gfToBytes } from './gf128.js';

export const PAD_BYTES = 32 * PAD_SCALARS;
export const OTE_MSG_BYTES = BASE_OT_COUNT * OTE_ROW_BYTES + 16 + 32;

/** Extension receiver's pairwise setup: both seeds of each of the λ_c base OTs. */
export interface OteReceiverSetup {
  readonly seeds0: readonly Uint8Array[];
  readonly seeds1: readonly Uint8Array[];
}
/** Extension sender's pairwise setup: Δ (16 bytes) and s^{Δ_i}_i for each row i. */
export interface OteSenderSetup {
  readonly delta: Uint8Array;
  readonly seeds: readonly Uint8Array[];
}

function prgRow(tr: Transcript, seed: Uint8Array, sidExt: Uint8Array, i: number): Uint8Array {
  return tr.prims.shake128(encode('ote/prg', [seed, sidExt, u32(i)]), OTE_ROW_BYTES);
}

/** Column weights P_c (4 words each) of the check: χ_{c>>7}·X^{c&127} for c < m, X^{c-m} for the mask columns. */
function columnWeights(chi: Uint8Array): Uint32Array {
  const P = new Uint32Array(OTE_WIDTH * 4);
  for (let k = 0; k < OTE_CHUNKS; k++) {
    const a = gfFromBytes(chi, 16 * k);
    for (let e = 0; e < LAMBDA_C; e++) {
      const c = k * LAMBDA_C + e;
      if (c >= VOLE_M) break;
      P.set(a, 4 * c);
      gfMulXInPlace(a);
    }
  }
  const a = Uint32Array.of(1, 0, 0, 0);
  for (let e = 0; e < LAMBDA_C; e++) {
    P.set(a, 4 * (VOLE_M + e));
    gfMulXInPlace(a);
  }
  return P;
}

/** compress(row) = Σ_{c: row_c = 1} P_c. */
function compress(P: Uint32Array, row: Uint8Array): Uint8Array {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let by = 0; by < OTE_ROW_BYTES; by++) {
    const v = row[by]!;
    if (v === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      if ((v >>> bit) & 1) {
        const o = 4 * (8 * by + bit);
        a0 ^= P[o]!;
        a1 ^= P[o + 1]!;
        a2 ^= P[o + 2]!;
        a3 ^= P[o + 3]!;
      }
    }
  }
  return gfToBytes(Uint32Array.of(a0, a1, a2, a3));
}

function challenge(tr: Transcript, sidExt: Uint8Array, u: Uint8Array): Uint32Array {
  return columnWeights(tr.XOF('ote/chi', 16 * OTE_CHUNKS, sidExt, u));
}

export interface OteReceiverOutput {
  readonly msg: Uint8Array;
  /** Rows V_i = t⁰_i (128 × OTE_ROW_BYTES). */
  readonly V: Uint8Array[];
  /** Choice bits x (OTE_WIDTH bits); the first m are the VOLE receiver's bits w. */
  readonly x: Uint8Array;
}

/** Extension receiver: one message (u ‖ x̃ ‖ H(t̃)). @spec SPEC.md §4.1 */
export function oteReceive(tr: Transcript, setup: OteReceiverSetup, sidExt: Uint8Array, rng: Rng): OteReceiverOutput {
  const x = rng(OTE_ROW_BYTES);
  const msg = new Uint8Array(OTE_MSG_BYTES);
  const V: Uint8Array[] = [];
  for (let i = 0; i < BASE_OT_COUNT; i++) {
    const t0 = prgRow(tr, setup.seeds0[i]!, sidExt, i);
    const t1 = prgRow(tr, setup.seeds1[i]!, sidExt, i);
    const u = msg.subarray(i * OTE_ROW_BYTES, (i + 1) * OTE_ROW_BYTES);
    u.set(t0);
    xorInto(u, t1);
    xorInto(u, x);
    V.push(t0);
  }
  const uAll = msg.subarray(0, BASE_OT_COUNT * OTE_ROW_BYTES);
  const P = challenge(tr, sidExt, uAll);
  const tt = new Uint8Array(16 * BASE_OT_COUNT);
  for (let i = 0; i < BASE_OT_COUNT; i++) tt.set(compress(P, V[i]!), 16 * i);
  msg.set(compress(P, x), uAll.length);
  msg.set(tr.H('ote/t-tilde', sidExt, tt), uAll.length + 16);
  return { msg, V, x };
}

/**
 * Extension sender: recomputes W and runs the consistency check. A failure is ABORT_BAN of
 * the receiver: pass/fail depends on bits of Δ. The caller must hold the per-Δ gate
 * (@spec SPEC.md §4.3). Returns the rows W_i = V_i ⊕ Δ_i·x.
 */
export function oteSenderCheck(
  tr: Transcript,
  setup: OteSenderSetup,
  sidExt: Uint8Array,
  msg: Uint8Array,
  culprit: number,
): Uint8Array[] {
  if (msg.length !== OTE_MSG_BYTES) {
    throw abort(ErrorCode.BAD_LENGTH, `OT-extension message has ${msg.length} bytes, expected ${OTE_MSG_BYTES}`, { culprit });
  }
  const uLen = BASE_OT_COUNT * OTE_ROW_BYTES;
  const uAll = msg.subarray(0, uLen);
  const xt = msg.subarray(uLen, uLen + 16);
  const ht = msg.subarray(uLen + 16);
  const P = challenge(tr, sidExt, uAll);
  const W: Uint8Array[] = [];
  const tt = new Uint8Array(16 * BASE_OT_COUNT);
  for (let i = 0; i < BASE_OT_COUNT; i++) {
    const di = getBit(setup.delta, i);
    const w = prgRow(tr, setup.seeds[i]!, sidExt, i);
    const u = uAll.subarray(i * OTE_ROW_BYTES, (i + 1) * OTE_ROW_BYTES);
    const mask = -di & 0xff;
    for (let b = 0; b < OTE_ROW_BYTES; b++) w[b]! ^= u[b]! & mask;
    W.push(w);
    const c = compress(P, w);
    for (let b = 0; b < 16; b++) c[b]! ^= xt[b]! & mask;
    tt.set(c, 16 * i);
  }
  if (!ctEqual(tr.H('ote/t-tilde', sidExt, tt), ht)) {
    throw abortBan(ErrorCode.OTE_CHECK, 'OT-extension consistency check failed', { culprit });
  }
  return W;
}

/** Transposes the first m columns of a 128-row matrix: column j as 16 bytes (bit i = row i). */
export function transposeColumns(rows: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(VOLE_M * 16);
  const colBytes = VOLE_M / 8;
  for (let i = 0; i < BASE_OT_COUNT; i++) {
    const row = rows[i]!;
    const ib = i >> 3;
    const im = 1 << (i & 7);
    for (let by = 0; by < colBytes; by++) {
      const v = row[by]!;
      if (v === 0) continue;
      for (let bit = 0; bit < 8; bit++) if ((v >>> bit) & 1) out[((by << 3) | bit) * 16 + ib]! |= im;
    }
  }
  return out;
}

/** Pad hasher: RO_pad(sid_pad, j, column) → (ℓ+ρ) 32-byte blocks of SHAKE128 (@spec SPEC.md §4.4). */
class PadHasher {
  private readonly buf: Uint8Array;
  private readonly dv: DataView;
  private readonly jOff: number;
  private readonly colOff: number;
  constructor(private readonly tr: Transcript, sidPad: Uint8Array) {
    this.buf = encode('ote/pad', [sidPad, new Uint8Array(4), new Uint8Array(16)]);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    this.colOff = this.buf.length - 16;
    this.jOff = this.colOff - 4 - 4;
  }
  /** Writes the PAD_BYTES raw output for OT j at out[outOff..]; the scalars are narrow() of its blocks. */
  pad(j: number, col: Uint8Array, colOff: number, out: Uint8Array, outOff: number, xorDelta?: Uint8Array): void {
    const b = this.buf;
    this.dv.setUint32(this.jOff, j, false);
    for (let k = 0; k < 16; k++) b[this.colOff + k] = col[colOff + k]! ^ (xorDelta ? xorDelta[k]! : 0);
    out.set(this.tr.prims.shake128(b, PAD_BYTES), outOff);
  }
}

/**
 * Sender pads T⁰_j = RO(ζ_j), T¹_j = RO(ζ_j ⊕ Δ) as raw bytes (m × (ℓ+ρ) blocks of 32 bytes;
 * each block's scalar is narrow(block)).
 */
export function senderPads(tr: Transcript, sidPad: Uint8Array, W: readonly Uint8Array[], delta: Uint8Array) {
  const Z = transposeColumns(W);
  const ph = new PadHasher(tr, sidPad);
  const T0 = new Uint8Array(VOLE_M * PAD_BYTES);
  const T1 = new Uint8Array(VOLE_M * PAD_BYTES);
  for (let j = 0; j < VOLE_M; j++) {
    ph.pad(j, Z, 16 * j, T0, PAD_BYTES * j);
    ph.pad(j, Z, 16 * j, T1, PAD_BYTES * j, delta);
  }
  Z.fill(0);
  return { T0, T1 };
}

/** Receiver pads S_j = RO(ψ_j) = T^{w_j}_j as raw bytes, same layout as the sender's. */
export function receiverPads(tr: Transcript, sidPad: Uint8Array, V: readonly Uint8Array[]): Uint8Array {
  const Psi = transposeColumns(V);
  const ph = new PadHasher(tr, sidPad);
  const S = new Uint8Array(VOLE_M * PAD_BYTES);
  for (let j = 0; j < VOLE_M; j++) ph.pad(j, Psi, 16 * j, S, PAD_BYTES * j);
  Psi.fill(0);
  return S;
}
