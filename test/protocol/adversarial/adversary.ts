/**
 * Shared adversary machinery for the adversarial suite (test/protocol/adversarial/*.test.ts).
 *
 * DKG: the corrupted party is a *scripted* machine. Its messages are those of a recorded honest
 * run with the same seeds (so they are valid answers to the honest parties, whose RNGs are
 * seeded identically), except that
 *   - each echo it broadcasts is rebuilt from the broadcasts it actually received in this run
 *     (a consistent adversary does not trip the echo check by accident), and re-signed with its
 *     own key; and
 *   - the case's edit is applied (field tampering, re-signed or not, replays, equivocation, …).
 * The scripted party never checks anything, so it keeps going after its own tampering: the
 * honest parties have to find the fault themselves.
 *
 * Signing: the corrupted party is the honest `Signer` of `runSign`, with its outgoing message
 * rewritten by the simulator's intercept (every signing check fires on receipt, so a live
 * adversary is enough there).
 *
 * Where a case needs a value the protocol derives internally (the DKG commitment, the DKG
 * broadcast hash used by echoes, the signing nonce commitment), the formula is rebuilt here and
 * checked once against an honest run (`selfCheck*`): if an internal formula changes, the suite
 * fails loudly with "adversary helper out of date" instead of silently testing nothing.
 */
import { expect } from 'vitest';
import { concat, u32 } from '../../../protocol/core/bytes.js';
import { ErrorCode, isProtocolError, type FailureClass, type ProtocolError } from '../../../protocol/core/errors.js';
import { RoundMachine, type Message } from '../../../protocol/core/machine.js';
import { MemoryPairGuard } from '../../../protocol/core/guard.js';
import type { Rng } from '../../../protocol/core/rng.js';
import { Transcript } from '../../../protocol/core/transcript.js';
import { DKG_ROUNDS, createDkg, dkgContext } from '../../../protocol/dkg/dkg.js';
import { keyIdHex, weightedPublicShare, type KeyShare } from '../../../protocol/keyshare/keyshare.js';
import { G, pointFromBytes, pointToBytes, q } from '../../../protocol/math/ec.js';
import { OTE_MSG_BYTES } from '../../../protocol/ot/extension.js';
import { VOLE_MSG_BYTES } from '../../../protocol/vole/vole.js';
import { MSG1_BYTES, MSG2_BYTES, MSG3_BYTES, OPENING_BYTES, presignContext, signContext, type ContextInput } from '../../../protocol/sign/sign.js';
import { buildDkgPayload, seededRng, simulate, splitDkgPayload, testAuthenticators, type SimResult } from '../../../protocol/testing/index.js';
import type { Authenticator } from '../../../protocol/core/auth.js';
import { TEST_SEED, combineRun, nodePrimitives, runSign, type SignRun } from '../../helpers.js';

export { ErrorCode, TEST_SEED };
export const tr = new Transcript(nodePrimitives);

// =============================================================================================
// Byte-level mutations
// =============================================================================================

/** A field mutation: original field bytes → replacement (may change the length). */
export type Mut = (field: Uint8Array, ctx: MutCtx) => Uint8Array;
export interface MutCtx {
  /** The same byte range of the corresponding message of the older session. */
  readonly old: () => Uint8Array;
  /** The same byte range of the corresponding message of another pair's session (signing only). */
  readonly other: () => Uint8Array;
}

function bigBytes(v: bigint): Uint8Array {
  const b = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b;
}
export const Q_BYTES = bigBytes(q);
export const MAX_BYTES = new Uint8Array(32).fill(0xff);
/** 33 zero bytes: the SEC1 identity (0x00) padded to the field width. */
export const IDENTITY33 = new Uint8Array(33);
/** 02 ‖ x with x = 5: x³ + 7 is not a square mod p, so no point has this x (checked below). */
export const OFF_CURVE33 = (() => {
  const b = new Uint8Array(33);
  b[0] = 2;
  b[32] = 5;
  return b;
})();
export const G_BYTES = pointToBytes(G);

export const M = {
  /** Flips the lowest bit of the last byte (scalars, hashes, x-coordinates). */
  flip: ((f) => {
    const o = f.slice();
    o[o.length - 1]! ^= 1;
    return o;
  }) as Mut,
  /** Flips the lowest bit of the first byte: 02 ↔ 03, i.e. the negated point (always valid). */
  negate: ((f) => {
    const o = f.slice();
    o[0]! ^= 1;
    return o;
  }) as Mut,
  identity: (() => IDENTITY33.slice()) as Mut,
  offCurve: (() => OFF_CURVE33.slice()) as Mut,
  /** SEC1 prefix 0x05 (invalid) in front of the original x-coordinate. */
  badPrefix: ((f) => {
    const o = f.slice();
    o[0] = 5;
    return o;
  }) as Mut,
  generator: (() => G_BYTES.slice()) as Mut,
  scalarQ: (() => Q_BYTES.slice()) as Mut,
  scalarMax: (() => MAX_BYTES.slice()) as Mut,
  zero: ((f) => new Uint8Array(f.length)) as Mut,
  fromOld: ((_f, c) => c.old()) as Mut,
  fromOther: ((_f, c) => c.other()) as Mut,
  /** Swaps the first and second half of the field (e.g. two adjacent equal-size items). */
  swapHalves: ((f) => {
    const h = f.length / 2;
    return concat(f.subarray(h), f.subarray(0, h));
  }) as Mut,
  appendByte: ((f) => concat(f, new Uint8Array([0]))) as Mut,
  dropLastByte: ((f) => f.slice(0, f.length - 1)) as Mut,
  empty: (() => new Uint8Array(0)) as Mut,
} as const;

function splice(buf: Uint8Array, off: number, len: number, repl: Uint8Array): Uint8Array {
  return concat(buf.subarray(0, off), repl, buf.subarray(off + len));
}

// =============================================================================================
// Expectations and checks
// =============================================================================================

export interface AbortExpect {
  readonly failure: FailureClass;
  readonly codes: readonly ErrorCode[];
  /** The party that must be named; `null` = the error must name nobody. */
  readonly culprit: number | null;
}
/** Any one of the listed outcomes is accepted (used where a random bit decides, e.g. x-flip → off-curve or valid). */
export type Expect = AbortExpect | readonly AbortExpect[];

export const abortE = (code: ErrorCode | ErrorCode[], culprit: number | null): AbortExpect => ({
  failure: 'ABORT',
  codes: Array.isArray(code) ? code : [code],
  culprit,
});
export const banE = (code: ErrorCode, culprit: number): AbortExpect => ({ failure: 'ABORT_BAN', codes: [code], culprit });

export function describeErr(e: ProtocolError | undefined): string {
  if (!e) return 'no error';
  return `${e.failure} ${e.code} culprit=${e.culprit ?? '-'} round=${e.round ?? '-'} (${e.message})`;
}

/** Checks one honest party's error against the expectation; `where` goes into every message. */
export function expectError(err: ProtocolError | undefined, exp: Expect, where: string): void {
  const options = Array.isArray(exp) ? (exp as readonly AbortExpect[]) : [exp as AbortExpect];
  const want = options.map((o) => `${o.failure} ${o.codes.join('|')} culprit=${o.culprit ?? '-'}`).join(' or ');
  const msg = `${where}: expected ${want}, got ${describeErr(err)} [TEST_SEED=${TEST_SEED}]`;
  expect(err, msg).toBeDefined();
  const ok = options.some(
    (o) => err!.failure === o.failure && o.codes.includes(err!.code) && (o.culprit === null ? err!.culprit === undefined : err!.culprit === o.culprit),
  );
  expect(ok, msg).toBe(true);
}

// =============================================================================================
// DKG: recorded honest worlds
// =============================================================================================

export const DKG_T = 2;
const ECHO_ENTRY = 32 + 64;

export interface DkgWorld {
  readonly n: number;
  readonly t: number;
  readonly tag: string;
  readonly sessionId: Uint8Array;
  readonly seeds: readonly string[];
  readonly ctx: Uint8Array;
  /** payload by `${from}>${to}@${round}` */
  readonly msgs: Map<string, Uint8Array>;
  readonly outputs: Map<number, KeyShare>;
  /** RNG calls made by each party by the time it emitted each round. */
  readonly rngAtEmit: Map<number, Map<number, number>>;
}

const authCache = new Map<number, Authenticator[]>();
/** The long-term identities: one key per party index, the same for every session (as in a real cluster). */
export function dkgAuth(n: number): Authenticator[] {
  let a = authCache.get(n);
  if (!a) authCache.set(n, (a = testAuthenticators(n, `adversarial/${TEST_SEED}`)));
  return a;
}

function partySeed(n: number, tag: string, i: number): string {
  return `adversarial/dkg/${TEST_SEED}/n${n}/${tag}/p${i}`;
}

/** RNG that follows `seed` for the first `at` calls, then an independent stream. */
function forkRng(seed: string, at: number): Rng {
  const a = seededRng(seed);
  const b = seededRng(`${seed}/fork@${at}`);
  let i = 0;
  return (len) => (i++ < at ? a(len) : b(len));
}

/**
 * Runs an honest DKG among all n parties and records every message. `upTo`: messages of that
 * round and later are recorded but not delivered (cheap partial worlds). `fork`: party `party`'s
 * RNG diverges after `at` calls (an alternative, equally valid continuation of that party).
 */
export function recordDkg(n: number, tag: string, opts: { upTo?: number; fork?: { party: number; at: number } } = {}): DkgWorld {
  const sessionId = seededRng(`adversarial/dkg/${TEST_SEED}/n${n}/${tag}/sid`)(32);
  const auth = dkgAuth(n);
  const seeds = Array.from({ length: n }, (_, i) => partySeed(n, tag, i + 1));
  const calls = new Map<number, number>();
  const rngAtEmit = new Map<number, Map<number, number>>();
  const machines = seeds.map((seed, i) => {
    const p = i + 1;
    const base = opts.fork?.party === p ? forkRng(seed, opts.fork.at) : seededRng(seed);
    calls.set(p, 0);
    rngAtEmit.set(p, new Map());
    const rng: Rng = (len) => {
      calls.set(p, calls.get(p)! + 1);
      return base(len);
    };
    return createDkg({ sessionId, n, t: DKG_T, self: p, rng, auth: auth[i]!, primitives: nodePrimitives });
  });
  const msgs = new Map<string, Uint8Array>();
  const res = simulate(machines, {
    intercept: (m) => {
      msgs.set(`${m.from}>${m.to}@${m.round}`, m.payload);
      const em = rngAtEmit.get(m.from)!;
      if (!em.has(m.round)) em.set(m.round, calls.get(m.from)!);
      return opts.upTo !== undefined && m.round >= opts.upTo ? null : m;
    },
  });
  if (res.errors.size > 0) throw new Error(`honest DKG world ${tag} failed: ${[...res.errors.values()].map((e) => describeErr(e)).join('; ')}`);
  if (opts.upTo === undefined && res.outputs.size !== n) throw new Error(`honest DKG world ${tag} did not finish`);
  return { n, t: DKG_T, tag, sessionId, seeds, ctx: dkgContext(tr, sessionId, n, DKG_T), msgs, outputs: res.outputs, rngAtEmit };
}

export function worldMsg(w: DkgWorld, from: number, to: number, round: number): Uint8Array {
  const p = w.msgs.get(`${from}>${to}@${round}`);
  if (!p) throw new Error(`world ${w.tag}: no message ${from}>${to}@${round}`);
  return p;
}

/** An alternative, validly signed round-`round` broadcast of `party` (different randomness from that round on). */
export function alternativeBroadcast(main: DkgWorld, party: number, round: number, to: number): Uint8Array {
  const at = round === 1 ? 0 : main.rngAtEmit.get(party)!.get(round - 1)!;
  const alt = recordDkg(main.n, main.tag, { upTo: round, fork: { party, at } });
  for (let r = 1; r < round; r++) {
    for (let j = 1; j <= main.n; j++) {
      if (j === party) continue;
      const a = worldMsg(alt, party, j, r);
      const b = worldMsg(main, party, j, r);
      if (Buffer.compare(a, b) !== 0) throw new Error(`adversary helper out of date: fork of party ${party} changed round ${r}`);
    }
  }
  const bcast = splitDkgPayload(worldMsg(alt, party, to, round)).bcast;
  if (Buffer.compare(bcast, splitDkgPayload(worldMsg(main, party, to, round)).bcast) === 0) {
    throw new Error(`adversary helper out of date: forked round-${round} broadcast of ${party} is identical`);
  }
  return bcast;
}

// ---- internal formulas rebuilt for consistent adversaries (checked by selfCheckDkg) ----------
export const dkgBcastHash = (bcast: Uint8Array): Uint8Array => tr.H('dkg/bcast', bcast);
export const dkgCommit = (w: DkgWorld, i: number, C: Uint8Array, cc: Uint8Array, salt: Uint8Array): Uint8Array =>
  tr.H('dkg/com', w.ctx, u32(i), C, cc, salt);

/** DKG field layout for t = 2 (header comment of protocol/dkg/dkg.ts). */
export function dkgLayout(n: number) {
  const t = DKG_T;
  const echo = (n - 1) * ECHO_ENTRY;
  const r2 = { C0: 0, C1: 33, cc: 33 * t, salt: 33 * t + 32, T0: 33 * t + 64, z0: 33 * t + 64 + 33, T1: 33 * t + 64 + 65, z1: 33 * t + 64 + 65 + 33, echo: 33 * t + 64 + 65 * t };
  const r3 = { T: 0, z: 33, conf: 65, echo: 97 };
  return {
    echo,
    /** Offset of the echo entry for party k inside an echo sent by `sender`. */
    echoEntry: (sender: number, k: number) => (k < sender ? k - 1 : k - 2) * ECHO_ENTRY,
    bcastLen: { 1: 64, 2: r2.echo + echo, 3: r3.echo + echo, 4: echo, 5: 0, 6: 0, 7: 32 } as Record<number, number>,
    p2pLen: { 1: 32, 2: 32 + 33 + 65, 3: 128 * 33, 4: 128 * 32, 5: 128 * 32, 6: 128 * 64, 7: 0 } as Record<number, number>,
    r1: { nonce: 0, com: 32 },
    r2,
    r2p: { share: 0, B: 32, T: 65, z: 98 },
    r3,
  };
}

/** Fails loudly if the formulas or layouts this helper relies on no longer match the protocol. */
export function selfCheckDkg(w: DkgWorld): void {
  const L = dkgLayout(w.n);
  const fail = (m: string) => {
    throw new Error(`adversary helper out of date: ${m}`);
  };
  for (let i = 1; i <= w.n; i++) {
    for (let j = 1; j <= w.n; j++) {
      if (i === j) continue;
      for (const r of DKG_ROUNDS) {
        const p = splitDkgPayload(worldMsg(w, i, j, r));
        if (p.bcast.length !== L.bcastLen[r] || p.p2p.length !== L.p2pLen[r]) fail(`DKG round ${r} layout (${p.bcast.length}/${p.p2p.length})`);
      }
      const b1 = splitDkgPayload(worldMsg(w, i, j, 1)).bcast;
      const b2 = splitDkgPayload(worldMsg(w, i, j, 2)).bcast;
      const com = dkgCommit(w, i, b2.subarray(0, 33 * DKG_T), b2.subarray(L.r2.cc, L.r2.cc + 32), b2.subarray(L.r2.salt, L.r2.salt + 32));
      if (Buffer.compare(com, b1.subarray(32, 64)) !== 0) fail('DKG commitment formula');
      for (const r of [2, 3, 4]) {
        const b = splitDkgPayload(worldMsg(w, i, j, r)).bcast;
        const echo = b.subarray(b.length - L.echo);
        const parts: Uint8Array[] = [];
        for (let k = 1; k <= w.n; k++) {
          if (k === i) continue;
          const pk = splitDkgPayload(worldMsg(w, k, i, r - 1));
          parts.push(dkgBcastHash(pk.bcast), pk.sig);
        }
        if (Buffer.compare(concat(...parts), echo) !== 0) fail(`DKG echo formula (round ${r})`);
      }
    }
  }
  if (pointFromBytes(OFF_CURVE33) || pointFromBytes(IDENTITY33)) fail('OFF_CURVE33 / IDENTITY33 decode as points');
}

// =============================================================================================
// DKG: scripted corrupted party
// =============================================================================================

/** One outgoing message of the corrupted party, as parts; edits return a new one (or null: drop). */
export interface AdvMsg {
  readonly round: number;
  readonly to: number;
  readonly bcast: Uint8Array;
  readonly sig: Uint8Array;
  readonly p2p: Uint8Array;
  /** Sign `bcast` again with the corrupted party's key before sending. */
  readonly resign: boolean;
  /** Send these bytes verbatim instead of the framed parts. */
  readonly raw?: Uint8Array;
}

export interface DkgEnv {
  readonly n: number;
  readonly adv: number;
  readonly world: DkgWorld;
  readonly old: DkgWorld;
  /** Broadcast/signature/p2p that the corrupted party actually received (this run). */
  received(round: number, from: number): { bcast: Uint8Array; sig: Uint8Array; p2p: Uint8Array };
  /** The same message (adv → to, round) in another recorded world. */
  recorded(w: DkgWorld, round: number, to: number): { bcast: Uint8Array; sig: Uint8Array; p2p: Uint8Array };
  /** Lazily computed extra worlds (e.g. forks), cached per suite. */
  extra(key: string, make: () => Uint8Array): Uint8Array;
}

export type DkgEdit = (m: AdvMsg, env: DkgEnv) => AdvMsg | null;

class ScriptedDkgParty extends RoundMachine<'done'> {
  private readonly others: number[] = [];
  readonly got = new Map<number, ReadonlyMap<number, Uint8Array>>();
  constructor(
    self: number,
    n: number,
    private readonly emitRound: (round: number, got: ReadonlyMap<number, ReadonlyMap<number, Uint8Array>>) => Message[],
  ) {
    super(self);
    for (let j = 1; j <= n; j++) if (j !== self) this.others.push(j);
  }
  protected rounds(): readonly number[] {
    return DKG_ROUNDS;
  }
  protected senders(): readonly number[] {
    return this.others;
  }
  protected begin(): Message[] {
    return this.emitRound(1, this.got);
  }
  protected process(round: number, msgs: ReadonlyMap<number, Uint8Array>): Message[] {
    this.got.set(round, new Map(msgs));
    if (round === DKG_ROUNDS[DKG_ROUNDS.length - 1]) {
      this.output = 'done';
      return [];
    }
    return this.emitRound(round + 1, this.got);
  }
}

export interface DkgScenario {
  readonly world: DkgWorld;
  readonly old: DkgWorld;
  readonly adv: number;
  readonly edit?: DkgEdit;
  readonly extraCache?: Map<string, Uint8Array>;
}

export interface DkgOutcome {
  readonly res: SimResult<KeyShare>;
  readonly honest: number[];
  /** Error of the scripted party itself (a harness failure if set). */
  readonly scriptError?: ProtocolError;
}

/** Runs the honest parties of `world` against the scripted corrupted party `adv`. */
export function runDkgScenario(s: DkgScenario): DkgOutcome {
  const { world, old, adv } = s;
  const { n } = world;
  const auth = dkgAuth(n);
  const L = dkgLayout(n);
  const honest: number[] = [];
  for (let i = 1; i <= n; i++) if (i !== adv) honest.push(i);
  const extraCache = s.extraCache ?? new Map<string, Uint8Array>();
  let got: ReadonlyMap<number, ReadonlyMap<number, Uint8Array>> = new Map();
  const env: DkgEnv = {
    n,
    adv,
    world,
    old,
    received: (round, from) => {
      const p = got.get(round)?.get(from);
      if (!p) throw new Error(`scripted party has no round-${round} message from ${from}`);
      return splitDkgPayload(p);
    },
    recorded: (w, round, to) => splitDkgPayload(worldMsg(w, adv, to, round)),
    extra: (key, make) => {
      let v = extraCache.get(key);
      if (!v) extraCache.set(key, (v = make()));
      return v;
    },
  };
  const sign = (round: number, bcast: Uint8Array, p2p: Uint8Array) =>
    buildDkgPayload({ bcast, sig: new Uint8Array(64), p2p }, { auth: auth[adv - 1]!, sessionId: world.sessionId, n, t: world.t, round, from: adv });
  const emitRound = (round: number, g: ReadonlyMap<number, ReadonlyMap<number, Uint8Array>>): Message[] => {
    got = g;
    const out: Message[] = [];
    for (const to of honest) {
      const base = splitDkgPayload(worldMsg(world, adv, to, round));
      let bcast = base.bcast;
      let sig = base.sig;
      if (round >= 2 && round <= 4) {
        // Echo of round − 1 as actually received in this run, then a fresh signature.
        const parts: Uint8Array[] = [];
        for (let k = 1; k <= n; k++) {
          if (k === adv) continue;
          const pk = splitDkgPayload(g.get(round - 1)!.get(k)!);
          parts.push(dkgBcastHash(pk.bcast), pk.sig);
        }
        bcast = concat(bcast.subarray(0, bcast.length - L.echo), ...parts);
        sig = splitDkgPayload(sign(round, bcast, base.p2p)).sig;
      }
      let m: AdvMsg | null = { round, to, bcast, sig, p2p: base.p2p, resign: false };
      if (s.edit) m = s.edit(m, env);
      if (!m) continue;
      const payload = m.raw ?? (m.resign ? sign(round, m.bcast, m.p2p) : buildDkgPayload({ bcast: m.bcast, sig: m.sig, p2p: m.p2p }));
      out.push({ from: adv, to, round, payload });
    }
    return out;
  };
  const machines = world.seeds.map((seed, i) =>
    i + 1 === adv
      ? (new ScriptedDkgParty(adv, n, emitRound) as unknown as RoundMachine<KeyShare>)
      : createDkg({ sessionId: world.sessionId, n, t: world.t, self: i + 1, rng: seededRng(seed), auth: auth[i]!, primitives: nodePrimitives }),
  );
  const res = simulate(machines);
  return { res, honest, scriptError: res.errors.get(adv) };
}

// ---- edit builders -----------------------------------------------------------------------------
interface EditOpts {
  /** Only the message to this party (default: every honest recipient). */
  readonly to?: number;
  /** Keep the original signature (default: the corrupted party re-signs the tampered broadcast). */
  readonly noResign?: boolean;
}

const fieldCtx = (env: DkgEnv, m: AdvMsg, part: 'bcast' | 'p2p', off: number, len: number): MutCtx => ({
  old: () => env.recorded(env.old, m.round, m.to)[part].slice(off, off + len),
  other: () => {
    throw new Error('no other-pair session in the DKG');
  },
});

/** Mutates bcast[off, off+len) of the round-`round` message(s). */
export function bcastField(round: number, off: number, len: number, mut: Mut, o: EditOpts = {}): DkgEdit {
  return (m, env) => {
    if (m.round !== round || (o.to !== undefined && m.to !== o.to)) return m;
    const f = mut(m.bcast.slice(off, off + len), fieldCtx(env, m, 'bcast', off, len));
    return { ...m, bcast: splice(m.bcast, off, len, f), resign: !o.noResign };
  };
}
/** Mutates p2p[off, off+len) of the round-`round` message(s). */
export function p2pField(round: number, off: number, len: number, mut: Mut, o: EditOpts = {}): DkgEdit {
  return (m, env) => {
    if (m.round !== round || (o.to !== undefined && m.to !== o.to)) return m;
    const f = mut(m.p2p.slice(off, off + len), fieldCtx(env, m, 'p2p', off, len));
    return { ...m, p2p: splice(m.p2p, off, len, f) };
  };
}
/** Replaces the message with arbitrary parts / bytes. */
export function whole(round: number, f: (m: AdvMsg, env: DkgEnv) => Partial<AdvMsg>, o: EditOpts = {}): DkgEdit {
  return (m, env) => {
    if (m.round !== round || (o.to !== undefined && m.to !== o.to)) return m;
    return { ...m, ...f(m, env) };
  };
}
export function compose(...edits: DkgEdit[]): DkgEdit {
  return (m, env) => edits.reduce<AdvMsg | null>((acc, e) => (acc ? e(acc, env) : null), m);
}
/**
 * A round-2 broadcast edit applied by an adversary that *committed to the tampered values* in
 * round 1: the round-1 commitment is recomputed over the tampered C, cc, salt, so the
 * commitment check passes and the deeper checks are reached.
 */
export function recommitted(edit2: DkgEdit): DkgEdit {
  return (m, env) => {
    if (m.round === 2) return edit2(m, env);
    if (m.round !== 1) return m;
    const rec = env.recorded(env.world, 2, m.to);
    const t2 = edit2({ round: 2, to: m.to, bcast: rec.bcast, sig: rec.sig, p2p: rec.p2p, resign: true }, env)!;
    const L = dkgLayout(env.n);
    const com = dkgCommit(env.world, env.adv, t2.bcast.subarray(0, 33 * DKG_T), t2.bcast.subarray(L.r2.cc, L.r2.cc + 32), t2.bcast.subarray(L.r2.salt, L.r2.salt + 32));
    return { ...m, bcast: splice(m.bcast, L.r1.com, 32, com), resign: true };
  };
}

// ---- outcome checks ----------------------------------------------------------------------------
export interface DkgAbortSpec {
  readonly expect: Expect;
  /** Honest parties that must abort (default: all honest parties). The others must not output. */
  readonly detectors?: readonly number[];
}

export function checkDkgAbort(o: DkgOutcome, spec: DkgAbortSpec, adv: number, where: string): void {
  const tag = `${where} [TEST_SEED=${TEST_SEED}]`;
  expect(o.scriptError, `${tag}: scripted adversary failed: ${describeErr(o.scriptError)}`).toBeUndefined();
  const detectors = spec.detectors ?? o.honest;
  for (const d of detectors) expectError(o.res.errors.get(d), spec.expect, `${where}: party ${d}`);
  const summary = o.honest.map((h) => `party ${h}: ${o.res.outputs.has(h) ? 'OUTPUT' : describeErr(o.res.errors.get(h))}`).join('; ');
  for (const h of o.honest) expect(o.res.outputs.has(h), `${tag}: honest party ${h} produced a key share (${summary})`).toBe(false);
  for (const h of o.honest) {
    if (detectors.includes(h)) continue;
    const e = o.res.errors.get(h);
    if (e) expect(e.failure !== 'BUG' && e.culprit === adv, `${tag}: non-detecting party ${h} blamed wrongly: ${describeErr(e)}`).toBe(true);
  }
}

export function checkDkgCompletes(o: DkgOutcome, world: DkgWorld, where: string): void {
  const tag = `${where} [TEST_SEED=${TEST_SEED}]`;
  expect(o.scriptError, `${tag}: scripted adversary failed: ${describeErr(o.scriptError)}`).toBeUndefined();
  for (const h of o.honest) {
    expect(o.res.errors.get(h), `${tag}: party ${h}: ${describeErr(o.res.errors.get(h))}`).toBeUndefined();
    const ks = o.res.outputs.get(h);
    expect(ks, `${tag}: party ${h} has no key share`).toBeDefined();
    const ref = world.outputs.get(h)!;
    expect(Buffer.from(ks!.publicKey).toString('hex'), tag).toBe(Buffer.from(ref.publicKey).toString('hex'));
    expect(Buffer.from(ks!.keyId).toString('hex'), tag).toBe(Buffer.from(ref.keyId).toString('hex'));
    expect(ks!.share, tag).toBe(ref.share);
  }
}

// =============================================================================================
// Signing
// =============================================================================================

/** Byte offsets of the signing messages (header comment of protocol/sign/sign.ts); both parties send each round. */
export const SIGN = (() => {
  const ROWS = 128;
  const ROW = 110;
  const ote = (base: number) => ({ base, u: base, xt: base + ROWS * ROW, ht: base + ROWS * ROW + 16, len: ROWS * ROW + 48, row: ROW, rows: ROWS });
  const VQ = 752 * 3 * 32;
  const vole = (base: number) => ({ base, Q: base, hu: base + VQ, v: base + VQ + 32, len: VQ + 64, qLen: VQ });
  const opening = (base: number) => ({ base, R: base, open: base + 33, gk: base + 65, gx: base + 97, Gk: base + 129, Gx: base + 162, len: 195 });
  return {
    /** pctx ‖ salt ‖ com ‖ ext: `ctx` is the digest-free presign context. */
    1: { ctx: 0, salt: 32, com: 64, ext: ote(96), len: 96 + ROWS * ROW + 48 },
    2: { vole: vole(0), len: VQ + 64 },
    /** ctx ‖ opening: `ctx` is the signing context (presign context and digest). */
    3: { ctx: 0, opening: opening(32), len: 32 + 195 },
  } as const;
})();

export function selfCheckSignLayout(): void {
  const fail = (m: string) => {
    throw new Error(`adversary helper out of date: ${m}`);
  };
  if (SIGN[1].ext.len !== OTE_MSG_BYTES) fail('OTE message length');
  if (SIGN[2].vole.len !== VOLE_MSG_BYTES) fail('VOLE message length');
  if (SIGN[3].opening.len !== OPENING_BYTES || SIGN[3].opening.base + SIGN[3].opening.len !== SIGN[3].len) fail('round-3 opening length');
  if (SIGN[1].len !== MSG1_BYTES || SIGN[2].len !== MSG2_BYTES || SIGN[3].len !== MSG3_BYTES) fail('signing message lengths');
}

/** Seeds of the recorded signing sessions: `cur` is the one under attack, `old` an earlier one. */
export function signRng(tag: string, I: number, R: number): Rng {
  return seededRng(`adversarial/sign/${TEST_SEED}/${tag}/${I}/${R}`);
}

export interface RecordedSign {
  readonly run: SignRun;
  /** Every message, keyed `${from}:${round}`. */
  readonly msgs: Map<string, Uint8Array>;
}
/** The round-`round` message `party` sent in a recorded session. */
export function sentBy(rec: RecordedSign, party: number, round: number): Uint8Array {
  const m = rec.msgs.get(`${party}:${round}`);
  if (!m) throw new Error(`adversary helper: no round-${round} message from party ${party} recorded`);
  return m;
}
const signCache = new Map<string, RecordedSign>();
/** An honest signing session (memoised), with both parties' messages of every round. */
export function recordSign(keys: KeyShare[], tag: string, I: number, R: number): RecordedSign {
  const k = `${keys[0]!.n}/${tag}/${I}/${R}`;
  let r = signCache.get(k);
  if (!r) {
    const msgs = new Map<string, Uint8Array>();
    const run = runSign(keys, I, R, { rng: signRng(tag, I, R), sim: { intercept: (m) => (msgs.set(`${m.from}:${m.round}`, m.payload), m) } });
    if (run.sim.errors.size > 0 || run.sim.outputs.size !== 2) throw new Error(`honest signing ${k} failed`);
    combineRun(keys, I, R, run);
    signCache.set(k, (r = { run, msgs }));
  }
  return r;
}

/** The public inputs of both signing contexts for the pair (I, R), as the combiner has them. */
export function contextInput(keys: KeyShare[], I: number, R: number, sessionId: Uint8Array): ContextInput {
  const ks = keys[0]!;
  const set = [I, R];
  return {
    keyId: ks.keyId,
    publicKey: ks.publicKey,
    initiator: I,
    responder: R,
    XI: pointToBytes(weightedPublicShare(ks, I, set)),
    XR: pointToBytes(weightedPublicShare(ks, R, set)),
    sessionId,
  };
}
/** The digest-free context of rounds 1–2 (the round-1 context field; the nonce commitment is bound to it). */
export function signPctx(keys: KeyShare[], I: number, R: number, sessionId: Uint8Array): Uint8Array {
  return presignContext(tr, contextInput(keys, I, R, sessionId));
}
/** The signing context: the presign context and the digest (the round-3 context field). */
export function signCtx(keys: KeyShare[], I: number, R: number, digest: Uint8Array, sessionId: Uint8Array): Uint8Array {
  return signContext(tr, { ...contextInput(keys, I, R, sessionId), digest });
}
export const signCommit = (pctx: Uint8Array, i: number, salt: Uint8Array, Rb: Uint8Array, open: Uint8Array): Uint8Array =>
  tr.H('sign/com', pctx, u32(i), salt, Rb, open);

export function selfCheckSign(keys: KeyShare[], rec: RecordedSign, I: number, R: number): void {
  const fail = (m: string) => {
    throw new Error(`adversary helper out of date: ${m}`);
  };
  const pctx = signPctx(keys, I, R, rec.run.sessionId);
  const ctx = signCtx(keys, I, R, rec.run.digest, rec.run.sessionId);
  if (Buffer.compare(pctx, ctx) === 0) fail('presign and signing contexts coincide');
  const L = SIGN[1];
  const o = SIGN[3].opening;
  for (const party of [I, R]) {
    const a = sentBy(rec, party, 1);
    const b = sentBy(rec, party, 3);
    if (Buffer.compare(pctx, a.subarray(L.ctx, L.ctx + 32)) !== 0) fail('round-1 presign context');
    if (Buffer.compare(ctx, b.subarray(SIGN[3].ctx, SIGN[3].ctx + 32)) !== 0) fail('round-3 signing context');
    const com = signCommit(pctx, party, a.subarray(L.salt, L.salt + 32), b.subarray(o.R, o.R + 33), b.subarray(o.open, o.open + 32));
    if (Buffer.compare(com, a.subarray(L.com, L.com + 32)) !== 0) fail('signing commitment formula');
  }
}

export interface SignEnv {
  readonly keys: KeyShare[];
  readonly I: number;
  readonly R: number;
  readonly adv: number;
  /** This very session, run honestly (same seeds): the corrupted party's untampered messages. */
  readonly cur: RecordedSign;
  readonly old: RecordedSign;
  /** A session of the corrupted party with the third party (same role). */
  readonly other: () => RecordedSign;
}
/** Returns the payload to deliver instead (null: drop). Called for every message of the corrupted party. */
export type SignEdit = (round: number, payload: Uint8Array, env: SignEnv) => Uint8Array | null;

export function sfield(round: number, off: number, len: number, mut: Mut): SignEdit {
  return (r, p, env) => {
    if (r !== round) return p;
    const f = mut(p.slice(off, off + len), {
      old: () => sentBy(env.old, env.adv, round).slice(off, off + len),
      other: () => sentBy(env.other(), env.adv, round).slice(off, off + len),
    });
    return splice(p, off, len, f);
  };
}
export function swhole(round: number, f: (p: Uint8Array, env: SignEnv) => Uint8Array | null): SignEdit {
  return (r, p, env) => (r === round ? f(p, env) : p);
}
/**
 * The corrupted party opens a different nonce point R′ = mut(R_i) *and* committed to it in its
 * round-1 message (commitment recomputed), so the commitment opens and the Γ check is reached.
 */
export function recommittedNonce(mut: Mut): SignEdit {
  return (round, p, env) => {
    const o = SIGN[3].opening;
    const honestOpen = sentBy(env.cur, env.adv, 3);
    const ctxM: MutCtx = { old: () => sentBy(env.old, env.adv, 3).slice(o.R, o.R + 33), other: () => sentBy(env.other(), env.adv, 3).slice(o.R, o.R + 33) };
    const Rp = mut(honestOpen.slice(o.R, o.R + 33), ctxM);
    if (round === 1) {
      const pctx = signPctx(env.keys, env.I, env.R, env.cur.run.sessionId);
      const L = SIGN[1];
      return splice(p, L.com, 32, signCommit(pctx, env.adv, p.subarray(L.salt, L.salt + 32), Rp, honestOpen.subarray(o.open, o.open + 32)));
    }
    if (round === 3) return splice(p, o.R, 33, Rp);
    return p;
  };
}

export interface SignOutcome {
  readonly run: SignRun;
  readonly guard: MemoryPairGuard;
  readonly honest: number;
}

/** The attacked session: same seeds as `cur`; the corrupted party's messages go through `edit`. */
export function runSignScenario(keys: KeyShare[], I: number, R: number, adv: number, edit: SignEdit, env: SignEnv, guard = new MemoryPairGuard(), tag = 'cur'): SignOutcome {
  const run = runSign(keys, I, R, {
    rng: signRng(tag, I, R),
    guard,
    sim: {
      intercept: (m) => {
        if (m.from !== adv) return m;
        const p = edit(m.round, m.payload, env);
        return p === null ? null : { ...m, payload: p };
      },
    },
  });
  return { run, guard, honest: adv === I ? R : I };
}

/** No signature: at most one partial exists, or combining the partials that exist fails. */
export function expectNoSignature(keys: KeyShare[], I: number, R: number, run: SignRun, where: string): void {
  const tag = `${where} [TEST_SEED=${TEST_SEED}]`;
  let sig: unknown;
  let threw: unknown;
  try {
    sig = combineRun(keys, I, R, run);
  } catch (e) {
    threw = e;
  }
  expect(sig, `${tag}: a signature was produced from ${run.sim.outputs.size} partials`).toBeUndefined();
  expect(threw === undefined || isProtocolError(threw), `${tag}: combiner threw a non-protocol error ${String(threw)}`).toBe(true);
}

export function checkSignAbort(keys: KeyShare[], o: SignOutcome, exp: Expect, adv: number, where: string): void {
  const { run, honest, guard } = o;
  const tag = `${where} [TEST_SEED=${TEST_SEED}]`;
  const err = run.sim.errors.get(honest);
  expectError(err, exp, `${where}: honest party ${honest}`);
  expect(run.sim.outputs.has(honest), `${tag}: honest party ${honest} output a partial signature`).toBe(false);
  const kh = keyIdHex(keys[0]!);
  expect(guard.isBanned(kh, adv), `${tag}: ban of party ${adv} recorded = ${guard.isBanned(kh, adv)}, error ${describeErr(err)}`).toBe(err?.failure === 'ABORT_BAN');
  expectNoSignature(keys, run.signers[0].self, run.signers[1].self, run, where);
}

