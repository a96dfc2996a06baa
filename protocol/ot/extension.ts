/**
 * SoftSpokenOT with k = 1 (IKNP shape) and a Fiat–Shamir GF(2^128) consistency check,
 * producing sender-random OTs whose pads are random-oracle outputs (@spec SPEC.md §4).
 *
 * Roles: the extension *receiver* ("Bob") is the VOLE receiver and holds both base-OT seeds of
 * every row; the extension *sender* ("Alice") is the VOLE sender and holds Δ (128 bits) and the
 * seed s^{Δ_i}_i of every row.
 */
import { ctEqual, getBit } from '../core/bytes.js';
import { ErrorCode, abort, abortBan } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { encode, type Transcript } from '../core/transcript.js';
import { BASE_OT_COUNT, LAMBDA_C, OTE_CHUNKS, OTE_ROW_BYTES, OTE_WIDTH, PAD_SCALARS, VOLE_M } from '../params.js';
import { gfFromBytes, gfMulXInPlace } from './gf128.js';

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

/**
 * Row PRG: t_i = SHAKE128(enc("ote/prg"; seed_i, sid_ext, u32(i)), OTE_ROW_BYTES). The encoding
 * is built once per extension and only the seed and i are rewritten per row (same bytes as
 * `encode`; the transcript known-answer test pins the bytes).
 */
class RowPrg {
  private readonly buf: Uint8Array;
  private readonly dv: DataView;
  private readonly seedOff: number;
  constructor(private readonly tr: Transcript, sidExt: Uint8Array) {
    this.buf = encode('ote/prg', [new Uint8Array(SEED_BYTES), sidExt, new Uint8Array(4)]);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    this.seedOff = this.buf.length - 4 - 4 - sidExt.length - 4 - SEED_BYTES;
  }
  row(seed: Uint8Array, i: number): Uint8Array {
    if (seed.length !== SEED_BYTES) throw new RangeError('base-OT seed must be 32 bytes');
    this.buf.set(seed, this.seedOff);
    this.dv.setUint32(this.buf.length - 4, i, false);
    return this.tr.prims.shake128(this.buf, OTE_ROW_BYTES);
  }
  wipe(): void {
    this.buf.fill(0, this.seedOff, this.seedOff + SEED_BYTES);
  }
}
const SEED_BYTES = 32;

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

/**
 * compress(row) = Σ_{c: row_c = 1} P_c, XORed into out[off..off+16). Branch-free: every column
 * costs the same masked XOR whatever the (secret) row bits are.
 */
function compressInto(P: Uint32Array, row: Uint8Array, out: Uint8Array, off: number): void {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let by = 0, o = 0; by < OTE_ROW_BYTES; by++) {
    const v = row[by]!;
    for (let bit = 0; bit < 8; bit++, o += 4) {
      const m = -((v >>> bit) & 1);
      a0 ^= P[o]! & m;
      a1 ^= P[o + 1]! & m;
      a2 ^= P[o + 2]! & m;
      a3 ^= P[o + 3]! & m;
    }
  }
  const w = [a0, a1, a2, a3];
  for (let k = 0; k < 16; k++) out[off + k]! ^= (w[k >> 2]! >>> (8 * (k & 3))) & 0xff;
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
  const prg = new RowPrg(tr, sidExt);
  for (let i = 0; i < BASE_OT_COUNT; i++) {
    const t0 = prg.row(setup.seeds0[i]!, i);
    const t1 = prg.row(setup.seeds1[i]!, i);
    const o = i * OTE_ROW_BYTES;
    for (let b = 0; b < OTE_ROW_BYTES; b++) msg[o + b] = t0[b]! ^ t1[b]! ^ x[b]!;
    t1.fill(0);
    V.push(t0);
  }
  prg.wipe();
  const uAll = msg.subarray(0, BASE_OT_COUNT * OTE_ROW_BYTES);
  const P = challenge(tr, sidExt, uAll);
  const tt = new Uint8Array(16 * BASE_OT_COUNT);
  for (let i = 0; i < BASE_OT_COUNT; i++) compressInto(P, V[i]!, tt, 16 * i);
  compressInto(P, x, msg, uAll.length);
  msg.set(tr.H('ote/t-tilde', sidExt, tt), uAll.length + 16);
  tt.fill(0);
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
  const prg = new RowPrg(tr, sidExt);
  for (let i = 0; i < BASE_OT_COUNT; i++) {
    const mask = -getBit(setup.delta, i) & 0xff;
    const w = prg.row(setup.seeds[i]!, i);
    const o = i * OTE_ROW_BYTES;
    for (let b = 0; b < OTE_ROW_BYTES; b++) w[b]! ^= uAll[o + b]! & mask;
    W.push(w);
    // t̃_i = compress(w_i) ⊕ Δ_i·x̃
    compressInto(P, w, tt, 16 * i);
    for (let b = 0; b < 16; b++) tt[16 * i + b]! ^= xt[b]! & mask;
  }
  prg.wipe();
  const h = tr.H('ote/t-tilde', sidExt, tt);
  tt.fill(0);
  if (!ctEqual(h, ht)) {
    throw abortBan(ErrorCode.OTE_CHECK, 'OT-extension consistency check failed', { culprit });
  }
  return W;
}

/**
 * Transposes the first m columns of a 128-row matrix: column j as 16 bytes (bit i = row i).
 * Works on 8×8 bit blocks (8 rows × one byte of columns) with the shift-and-mask transpose of
 * Hacker's Delight §7-3, so it has no branch on the (secret) bits.
 */
export function transposeColumns(rows: readonly Uint8Array[]): Uint8Array {
  if (rows.length !== BASE_OT_COUNT) throw new RangeError(`expected ${BASE_OT_COUNT} rows`);
  const out = new Uint8Array(VOLE_M * 16);
  const colBytes = VOLE_M / 8;
  for (let g = 0; g < BASE_OT_COUNT / 8; g++) {
    const r0 = rows[8 * g]!, r1 = rows[8 * g + 1]!, r2 = rows[8 * g + 2]!, r3 = rows[8 * g + 3]!;
    const r4 = rows[8 * g + 4]!, r5 = rows[8 * g + 5]!, r6 = rows[8 * g + 6]!, r7 = rows[8 * g + 7]!;
    for (let by = 0; by < colBytes; by++) {
      // rows in reverse order, so that output byte 7 − b holds column 8·by + b with row r at bit r
      let x = (r7[by]! << 24) | (r6[by]! << 16) | (r5[by]! << 8) | r4[by]!;
      let y = (r3[by]! << 24) | (r2[by]! << 16) | (r1[by]! << 8) | r0[by]!;
      let t = (x ^ (x >>> 7)) & 0x00aa00aa;
      x = x ^ t ^ (t << 7);
      t = (y ^ (y >>> 7)) & 0x00aa00aa;
      y = y ^ t ^ (t << 7);
      t = (x ^ (x >>> 14)) & 0x0000cccc;
      x = x ^ t ^ (t << 14);
      t = (y ^ (y >>> 14)) & 0x0000cccc;
      y = y ^ t ^ (t << 14);
      t = (x & 0xf0f0f0f0) | ((y >>> 4) & 0x0f0f0f0f);
      y = ((x << 4) & 0xf0f0f0f0) | (y & 0x0f0f0f0f);
      x = t;
      const o = 8 * by * 16 + g;
      out[o + 7 * 16] = x >>> 24;
      out[o + 6 * 16] = (x >>> 16) & 0xff;
      out[o + 5 * 16] = (x >>> 8) & 0xff;
      out[o + 4 * 16] = x & 0xff;
      out[o + 3 * 16] = y >>> 24;
      out[o + 2 * 16] = (y >>> 16) & 0xff;
      out[o + 1 * 16] = (y >>> 8) & 0xff;
      out[o] = y & 0xff;
    }
  }
  return out;
}

/**
 * Pad hasher: RO_pad(sid_pad, j, column) → (ℓ+ρ) 32-byte blocks of SHAKE128 (@spec SPEC.md §4.4).
 * Every pad's encoding starts with the same bytes (label, part count, sid_pad, the length of j),
 * absorbed once; each call hashes only j ‖ u32(16) ‖ column.
 */
class PadHasher {
  private readonly suffix: Uint8Array;
  private readonly dv: DataView;
  private readonly hash: (suffix: Uint8Array, out: Uint8Array, off: number, outLen: number) => void;
  constructor(tr: Transcript, sidPad: Uint8Array) {
    const enc = encode('ote/pad', [sidPad, new Uint8Array(4), new Uint8Array(16)]);
    const split = enc.length - 16 - 4 - 4; // start of the j field
    this.hash = tr.prims.shake128Prefixed(enc.subarray(0, split));
    this.suffix = enc.slice(split);
    this.dv = new DataView(this.suffix.buffer, this.suffix.byteOffset, this.suffix.length);
  }
  /** Writes the PAD_BYTES raw output for OT j at out[outOff..]; the scalars are narrow() of its blocks. */
  pad(j: number, col: Uint8Array, colOff: number, out: Uint8Array, outOff: number, xorDelta?: Uint8Array): void {
    const b = this.suffix;
    this.dv.setUint32(0, j, false);
    for (let k = 0; k < 16; k++) b[8 + k] = col[colOff + k]! ^ (xorDelta ? xorDelta[k]! : 0);
    this.hash(b, out, outOff, PAD_BYTES);
  }
  wipe(): void {
    this.suffix.fill(0);
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
  ph.wipe();
  return { T0, T1 };
}

/** Receiver pads S_j = RO(ψ_j) = T^{w_j}_j as raw bytes, same layout as the sender's. */
export function receiverPads(tr: Transcript, sidPad: Uint8Array, V: readonly Uint8Array[]): Uint8Array {
  const Psi = transposeColumns(V);
  const ph = new PadHasher(tr, sidPad);
  const S = new Uint8Array(VOLE_M * PAD_BYTES);
  for (let j = 0; j < VOLE_M; j++) ph.pad(j, Psi, 16 * j, S, PAD_BYTES * j);
  Psi.fill(0);
  ph.wipe();
  return S;
}
