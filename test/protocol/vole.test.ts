/**
 * VOLE (Asharov Variant II) in isolation over random extension setups: the correlation
 * t_c + r_c = α_c·β holds, and a tampered sender message fails the receiver's check (ABORT_BAN).
 */
import { describe, expect, it } from 'vitest';
import { Transcript } from '../../protocol/core/transcript.js';
import { getBit } from '../../protocol/core/bytes.js';
import { add, mul } from '../../protocol/math/ec.js';
import { oteReceive, oteSenderCheck, receiverPads, senderPads, transposeColumns } from '../../protocol/ot/extension.js';
import { VOLE_MSG_BYTES, voleReceive, voleSend } from '../../protocol/vole/vole.js';
import { BASE_OT_COUNT, OTE_ROW_BYTES, VOLE_M } from '../../protocol/params.js';
import { seededRng } from '../../protocol/testing/index.js';
import { TEST_SEED, nodePrimitives } from '../helpers.js';
import { ErrorCode } from '../../protocol/core/errors.js';
import { expectProtocolError } from './support.js';

const tr = new Transcript(nodePrimitives);

function setup(seed: string) {
  const rng = seededRng(`vole/${TEST_SEED}/${seed}`);
  const seeds0 = Array.from({ length: BASE_OT_COUNT }, () => rng(32));
  const seeds1 = Array.from({ length: BASE_OT_COUNT }, () => rng(32));
  const delta = rng(16);
  const seeds = seeds0.map((s, i) => (getBit(delta, i) ? seeds1[i]! : s));
  return { rng, receiver: { seeds0, seeds1 }, sender: { delta, seeds } };
}

function run(seed: string, tamper?: (msg: Uint8Array) => void) {
  const { rng, receiver, sender } = setup(seed);
  const sidExt = rng(32);
  const sidDir = rng(32);
  const ext = oteReceive(tr, receiver, sidExt, rng);
  const W = oteSenderCheck(tr, sender, sidExt, ext.msg, 2);
  const otxHash = tr.H('ote/transcript', sidExt, ext.msg);
  const sidPad = tr.H('ote/pad-sid', sidDir, otxHash);
  const { T0, T1 } = senderPads(tr, sidPad, W, sender.delta);
  const S = receiverPads(tr, sidPad, ext.V);
  const snd = voleSend(tr, sidDir, otxHash, T0, T1, rng);
  const msg = snd.msg.slice();
  tamper?.(msg);
  return { snd, rcv: () => voleReceive(tr, sidDir, otxHash, S, ext.x, msg, 1) };
}

describe('VOLE Variant II', () => {
  it('t_c + r_c = α_c·β for both inputs (several sessions)', () => {
    for (let i = 0; i < 6; i++) {
      const { snd, rcv } = run(`ok${i}`);
      const r = rcv();
      expect(snd.msg.length).toBe(VOLE_MSG_BYTES);
      for (const c of [0, 1]) expect(add(snd.t[c]!, r.r[c]!), `session ${i}, c ${c}, seed ${TEST_SEED}`).toBe(mul(snd.alpha[c]!, r.beta));
    }
  });
  it('a changed Q entry, H_u or v fails the receiver check with ABORT_BAN of the sender', () => {
    for (const [name, off] of [['Q[0][0]', 31], ['Q[400][2]', 32 * (3 * 400 + 2) + 5], ['H_u', VOLE_MSG_BYTES - 64], ['v', VOLE_MSG_BYTES - 1]] as const) {
      const { rcv } = run(`bad-${name}`, (m) => (m[off]! ^= 1));
      const e = expectProtocolError(rcv, ErrorCode.VOLE_CHECK, name);
      expect(e.failure).toBe('ABORT_BAN');
      expect(e.culprit).toBe(1);
    }
  });
  it('a Q entry ≥ q is rejected, never reduced', () => {
    const { rcv } = run('range', (m) => m.fill(0xff, 32 * 7, 32 * 8));
    expect(expectProtocolError(rcv, ErrorCode.SCALAR_RANGE, 'Q ≥ q').culprit).toBe(1);
  });
});

describe('column transpose of the extension matrix (branch-free 8×8 blocks)', () => {
  it('column j, bit i equals row i, bit j for every j < m and i < 128, on random and structured rows', () => {
    const rng = seededRng(`${TEST_SEED}/vole.test/transpose`);
    const cases: Uint8Array[][] = [
      Array.from({ length: BASE_OT_COUNT }, () => rng(OTE_ROW_BYTES)),
      Array.from({ length: BASE_OT_COUNT }, () => new Uint8Array(OTE_ROW_BYTES).fill(0xff)),
      Array.from({ length: BASE_OT_COUNT }, (_, i) => new Uint8Array(OTE_ROW_BYTES).map((_, b) => (i * 37 + b * 11) & 0xff)),
      Array.from({ length: BASE_OT_COUNT }, (_, i) => new Uint8Array(OTE_ROW_BYTES).map((_, b) => (b === i % OTE_ROW_BYTES ? 1 << (i & 7) : 0))),
    ];
    for (const rows of cases) {
      const out = transposeColumns(rows);
      expect(out.length).toBe(VOLE_M * 16);
      let mismatches = 0;
      for (let j = 0; j < VOLE_M; j++) for (let i = 0; i < BASE_OT_COUNT; i++) if (getBit(rows[i]!, j) !== getBit(out.subarray(16 * j, 16 * j + 16), i)) mismatches++;
      expect(mismatches).toBe(0);
    }
    expect(() => transposeColumns([])).toThrow(RangeError);
  });
});
