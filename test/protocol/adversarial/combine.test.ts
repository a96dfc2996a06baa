/**
 * Adversarial combiner: honest signing sessions, then one party's partial signature
 * (u, w, R_i, H(R)) is tampered with before it reaches the combiner, either as an object or on
 * its wire encoding (encodePartial / decodePartial). No signature may come out; nonce tampering
 * (R_i, H(R)) must be pinned on the party that sent the bad partial (ERR_NONCE_MISMATCH, or
 * ERR_BAD_POINT for an undecodable R_i); a bad (u, w) is not attributable (ERR_SIGNATURE_INVALID,
 * no culprit); malformed encodings name the sender.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { isProtocolError, type ProtocolError } from '../../../protocol/core/errors.js';
import type { KeyShare } from '../../../protocol/keyshare/keyshare.js';
import { q } from '../../../protocol/math/ec.js';
import { combine, decodePartial, type CombineRequest, type Signature } from '../../../protocol/sign/combine.js';
import { encodePartial, type PartialSignature } from '../../../protocol/sign/sign.js';
import { dkgKeys, nodePrimitives } from '../../helpers.js';
import { ErrorCode as E, M, Q_BYTES, MAX_BYTES, TEST_SEED, abortE, expectError, recordSign, type Expect } from './adversary.js';

const PAIRS: [number, number][] = [
  [1, 2],
  [3, 1],
];

let keys: KeyShare[];
beforeAll(() => {
  keys = dkgKeys(3);
});

interface Ctx {
  /** The tampered party's honest partial, its peer's, and its partial from the older session. */
  readonly mine: PartialSignature;
  readonly peer: PartialSignature;
  readonly old: PartialSignature;
}
/** The tampered party's partial as an object, or its wire encoding (decoded by the combiner's side). */
type Tampered = PartialSignature | { readonly encoded: Uint8Array };
interface CCase {
  readonly name: string;
  readonly tamper: (c: Ctx) => Tampered | null;
  /** P = the party whose partial is tampered with. */
  readonly expect: (P: number) => Expect;
}

const bytes = (b: Uint8Array, mut: (f: Uint8Array) => Uint8Array) => mut(b.slice());
const flip = (f: Uint8Array) => M.flip(f, null!);
const neg = (x: bigint) => (x === 0n ? 0n : q - x);
/** Offsets inside encodePartial: u32 index ‖ u ‖ w ‖ R_i ‖ H(R). */
const ENC = { index: 0, u: 4, w: 36, Ri: 68, hR: 101, len: 133 };
const encEdit = (off: number, len: number, mut: (f: Uint8Array) => Uint8Array) => (c: Ctx): Tampered => {
  const e = encodePartial(c.mine);
  return { encoded: new Uint8Array([...e.subarray(0, off), ...mut(e.slice(off, off + len)), ...e.subarray(off + len)]) };
};

const nonce = (code: E) => (P: number) => abortE(code, P);
/**
 * R_i tampering leaves both parties' H(R) in agreement with each other (each honest party hashed
 * the R it really used) and both wrong for R_I + R_R: from the partials alone the combiner cannot
 * tell whose R_i is false. Naming the sender or nobody is acceptable; naming the honest peer is not.
 */
const nonceR = (P: number): Expect => [abortE(E.NONCE_MISMATCH, P), abortE(E.NONCE_MISMATCH, null)];
const notAttributable = () => abortE(E.SIGNATURE_INVALID, null);

const cases: CCase[] = [
  // H(R)
  { name: 'H(R): bit flip', tamper: (c) => ({ ...c.mine, hR: bytes(c.mine.hR, flip) }), expect: nonce(E.NONCE_MISMATCH) },
  { name: 'H(R): zero', tamper: (c) => ({ ...c.mine, hR: new Uint8Array(32) }), expect: nonce(E.NONCE_MISMATCH) },
  { name: 'H(R): older session value', tamper: (c) => ({ ...c.mine, hR: c.old.hR }), expect: nonce(E.NONCE_MISMATCH) },
  // R_i
  { name: 'R_i: negated point', tamper: (c) => ({ ...c.mine, Ri: M.negate(c.mine.Ri, null!) }), expect: nonceR },
  { name: 'R_i: generator G', tamper: (c) => ({ ...c.mine, Ri: M.generator(c.mine.Ri, null!) }), expect: nonceR },
  { name: 'R_i: older session value', tamper: (c) => ({ ...c.mine, Ri: c.old.Ri }), expect: nonceR },
  { name: 'R_i and H(R): both from the older session', tamper: (c) => ({ ...c.mine, Ri: c.old.Ri, hR: c.old.hR }), expect: nonceR },
  { name: 'R_i: identity', tamper: (c) => ({ ...c.mine, Ri: M.identity(c.mine.Ri, null!) }), expect: nonce(E.BAD_POINT) },
  { name: 'R_i: off-curve x', tamper: (c) => ({ ...c.mine, Ri: M.offCurve(c.mine.Ri, null!) }), expect: nonce(E.BAD_POINT) },
  { name: 'R_i: invalid SEC1 prefix', tamper: (c) => ({ ...c.mine, Ri: M.badPrefix(c.mine.Ri, null!) }), expect: nonce(E.BAD_POINT) },
  { name: 'R_i: wrong length (32 bytes)', tamper: (c) => ({ ...c.mine, Ri: c.mine.Ri.slice(0, 32) }), expect: nonce(E.BAD_POINT) },
  { name: 'whole partial: older session (replay)', tamper: (c) => c.old, expect: nonceR },
  // u, w: not attributable
  { name: 'u: + 1', tamper: (c) => ({ ...c.mine, u: (c.mine.u + 1n) % q }), expect: notAttributable },
  { name: 'u: zero', tamper: (c) => ({ ...c.mine, u: 0n }), expect: notAttributable },
  { name: 'u: older session value', tamper: (c) => ({ ...c.mine, u: c.old.u }), expect: notAttributable },
  { name: "u: −(peer's u), so Σu = 0", tamper: (c) => ({ ...c.mine, u: neg(c.peer.u) }), expect: notAttributable },
  { name: 'w: + 1', tamper: (c) => ({ ...c.mine, w: (c.mine.w + 1n) % q }), expect: notAttributable },
  { name: 'w: zero', tamper: (c) => ({ ...c.mine, w: 0n }), expect: notAttributable },
  { name: 'w: older session value', tamper: (c) => ({ ...c.mine, w: c.old.w }), expect: notAttributable },
  { name: "w: −(peer's w), so s = 0", tamper: (c) => ({ ...c.mine, w: neg(c.peer.w) }), expect: notAttributable },
  { name: 'u and w: both doubled', tamper: (c) => ({ ...c.mine, u: (2n * c.mine.u) % q, w: (2n * c.mine.w) % q }), expect: notAttributable },
  // wire encoding
  { name: 'encoded u: = q', tamper: encEdit(ENC.u, 32, () => Q_BYTES.slice()), expect: nonce(E.SCALAR_RANGE) },
  { name: 'encoded w: = 2^256 − 1', tamper: encEdit(ENC.w, 32, () => MAX_BYTES.slice()), expect: nonce(E.SCALAR_RANGE) },
  { name: 'encoded: one byte too long', tamper: encEdit(ENC.len, 0, () => new Uint8Array(1)), expect: nonce(E.BAD_LENGTH) },
  { name: 'encoded: one byte too short', tamper: encEdit(ENC.len - 1, 1, () => new Uint8Array(0)), expect: nonce(E.BAD_LENGTH) },
  { name: 'encoded: empty', tamper: encEdit(0, ENC.len, () => new Uint8Array(0)), expect: nonce(E.BAD_LENGTH) },
  {
    name: "encoded index: claims the peer's index",
    tamper: (c) => encEdit(ENC.index, 4, () => new Uint8Array([0, 0, 0, c.peer.index]))(c),
    expect: nonce(E.UNEXPECTED_MESSAGE),
  },
  { name: 'encoded u: bit flip', tamper: encEdit(ENC.u, 32, flip), expect: notAttributable },
  { name: 'encoded w: bit flip', tamper: encEdit(ENC.w, 32, flip), expect: notAttributable },
  { name: 'encoded R_i: negated point', tamper: encEdit(ENC.Ri, 33, (f) => M.negate(f, null!)), expect: nonceR },
  { name: 'encoded R_i: identity', tamper: encEdit(ENC.Ri, 33, () => new Uint8Array(33)), expect: nonce(E.BAD_POINT) },
  { name: 'encoded H(R): bit flip', tamper: encEdit(ENC.hR, 32, flip), expect: nonce(E.NONCE_MISMATCH) },
  // missing partial
  { name: 'missing: only the peer partial reaches the combiner', tamper: () => null, expect: () => ({ failure: 'BUG', codes: [E.INVALID_ARGUMENTS], culprit: null }) },
];

function request(I: number, R: number, digest: Uint8Array, sessionId: Uint8Array): CombineRequest {
  const k = keys[0]!;
  return { keyId: k.keyId, publicKey: k.publicKey, publicShares: k.publicShares, initiator: I, responder: R, digest, sessionId, primitives: nodePrimitives };
}

for (const [I, R] of PAIRS) {
  describe(`combiner I=${I} R=${R}`, () => {
    it('control: honest partials combine to a signature that verifies', () => {
      const run = recordSign(keys, 'cur', I, R).run;
      const sig = combine(request(I, R, run.digest, run.sessionId), [...run.sim.outputs.values()]);
      expect(secp256k1.verify(sig.compact, run.digest, keys[0]!.publicKey, { prehash: false }), `[TEST_SEED=${TEST_SEED}]`).toBe(true);
    });
    const rows = cases.flatMap((c) => [I, R].map((P) => ({ ...c, P, label: `${P === I ? 'I' : 'R'}=${P} ${c.name}` })));
    it.each(rows)('$label', (c) => {
      const cur = recordSign(keys, 'cur', I, R).run;
      const old = recordSign(keys, 'old', I, R).run;
      const peerIdx = c.P === I ? R : I;
      const ctx: Ctx = { mine: cur.sim.outputs.get(c.P)!, peer: cur.sim.outputs.get(peerIdx)!, old: old.sim.outputs.get(c.P)! };
      const t = c.tamper(ctx);
      let sig: Signature | undefined;
      let err: ProtocolError | undefined;
      try {
        const mine = t === null ? [] : 'encoded' in t ? [decodePartial(t.encoded, c.P)] : [t];
        const parts = c.P === I ? [...mine, ctx.peer] : [ctx.peer, ...mine];
        sig = combine(request(I, R, cur.digest, cur.sessionId), parts);
      } catch (e) {
        if (!isProtocolError(e)) throw e;
        err = e;
      }
      const where = `combiner I=${I} R=${R}, partial of ${c.P}: ${c.name}`;
      expect(sig, `${where}: a signature was produced [TEST_SEED=${TEST_SEED}]`).toBeUndefined();
      expectError(err, c.expect(c.P), where);
    });
  });
}
