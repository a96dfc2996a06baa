/**
 * Honest DKG runs (@spec SPEC.md §3): agreement on the public output, shares that interpolate
 * to the public key (computed here, in the test only), consistent pairwise OT setups, session
 * separation, message reordering, and argument validation.
 */
import { describe, expect, test } from 'vitest';
import { TEST_SEED, combineRun, nodePrimitives, orderedPairs, runSign } from '../helpers.js';
import { ErrorCode } from '../../protocol/core/errors.js';
import type { Message } from '../../protocol/core/machine.js';
import { createDkg, type Dkg } from '../../protocol/dkg/dkg.js';
import { serializeKeyShare, type KeyShare } from '../../protocol/keyshare/keyshare.js';
import { G, Point, q } from '../../protocol/math/ec.js';
import { BASE_OT_COUNT, MAX_PARTIES, MIN_PARTIES } from '../../protocol/params.js';
import { createSigner } from '../../protocol/sign/sign.js';
import { MemoryPairGuard } from '../../protocol/core/guard.js';
import { seededRng, simulate, testAuthenticators } from '../../protocol/testing/index.js';
import { bitAt, expectProtocolError, hex, interpolateSecretForTest, seedMsg } from './support.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';

interface DkgRun {
  keys: KeyShare[];
  sessionId: Uint8Array;
  /** (to, from, round) in delivery order. */
  deliveries: [number, number, number][];
  machines: Dkg[];
}

/**
 * Runs an honest DKG. `label` seeds the parties' RNGs and identities; `sessionId` overrides the
 * session id (else derived from the label); `shuffle` names a delivery-order seed.
 */
const dkgMemo = new Map<string, DkgRun>();
function runDkg(n: number, t: number, label: string, opts: { sessionId?: Uint8Array; shuffle?: string } = {}): DkgRun {
  const memoKey = `${n}/${t}/${label}/${opts.sessionId ? hex(opts.sessionId) : ''}/${opts.shuffle ?? ''}`;
  const hit = dkgMemo.get(memoKey);
  if (hit) return hit;
  const run = runDkgUncached(n, t, label, opts);
  dkgMemo.set(memoKey, run);
  return run;
}
function runDkgUncached(n: number, t: number, label: string, opts: { sessionId?: Uint8Array; shuffle?: string }): DkgRun {
  const base = `${TEST_SEED}/dkg.test/${label}`;
  const auth = testAuthenticators(n, base);
  const sessionId = opts.sessionId ?? seededRng(`${base}/sid`)(32);
  const deliveries: [number, number, number][] = [];
  const machines = Array.from({ length: n }, (_, i) => {
    const m = createDkg({ sessionId, n, t, self: i + 1, rng: seededRng(`${base}/${i + 1}`), auth: auth[i]!, primitives: nodePrimitives });
    const orig = m.receive.bind(m);
    m.receive = (msg: Message) => {
      deliveries.push([msg.to, msg.from, msg.round]);
      return orig(msg);
    };
    return m;
  });
  const sim = simulate(machines, opts.shuffle ? { shuffle: seededRng(`${base}/order/${opts.shuffle}`) } : {});
  const what = seedMsg(`DKG ${label} n=${n} t=${t}`);
  expect([...sim.errors.entries()].map(([p, e]) => `${p}: ${e.code} ${e.message}`), what).toEqual([]);
  expect([...sim.rejects.values()].flat().map((e) => e.message), what).toEqual([]);
  expect(sim.outputs.size, what).toBe(n);
  for (const m of machines) expect(m.status, what).toBe('done');
  return { keys: Array.from({ length: n }, (_, i) => sim.outputs.get(i + 1)!), sessionId, deliveries, machines };
}

/** All k-subsets of 1..n. */
function subsets(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, acc: number[]) => {
    if (acc.length === k) return void out.push(acc.slice());
    for (let i = start; i <= n; i++) rec(i + 1, [...acc, i]);
  };
  rec(1, []);
  return out;
}

/** Every check an honest DKG output must pass. */
function checkHonestOutput(keys: KeyShare[], n: number, t: number, label: string): void {
  const what = (s: string) => seedMsg(`DKG ${label} n=${n} t=${t}: ${s}`);
  const k0 = keys[0]!;
  // agreement on the public output
  keys.forEach((ks, i) => {
    expect(ks.index, what('index')).toBe(i + 1);
    expect([ks.n, ks.t, ks.version], what('n, t, version')).toEqual([n, t, 1]);
    expect(hex(ks.publicKey), what(`publicKey of ${i + 1}`)).toBe(hex(k0.publicKey));
    expect(ks.publicShares.map(hex), what(`publicShares of ${i + 1}`)).toEqual(k0.publicShares.map(hex));
    expect(hex(ks.chainCode), what(`chainCode of ${i + 1}`)).toBe(hex(k0.chainCode));
    expect(hex(ks.keyId), what(`keyId of ${i + 1}`)).toBe(hex(k0.keyId));
  });
  expect(k0.keyId.length).toBe(32);
  expect(k0.chainCode.length).toBe(32);
  expect(k0.publicShares.length).toBe(n);
  expect(hex(k0.chainCode), what('chain code is not the key id')).not.toBe(hex(k0.keyId));
  // each share matches its public share; shares are distinct and in range
  for (const ks of keys) {
    expect(ks.share > 0n && ks.share < q, what(`share ${ks.index} in range`)).toBe(true);
    expect(hex(G.multiply(ks.share).toBytes(true)), what(`X_${ks.index} = share·G`)).toBe(hex(k0.publicShares[ks.index - 1]!));
  }
  expect(new Set(keys.map((k) => k.share)).size, what('distinct shares')).toBe(n);
  // any t shares interpolate to the secret key (computed in this test only); t−1 shares do not
  const pk = Point.fromBytes(k0.publicKey);
  for (const set of subsets(n, t)) {
    const x = interpolateSecretForTest(set.map((i) => keys[i - 1]!));
    expect(G.multiply(x).equals(pk), what(`shares ${set} interpolate to the public key`)).toBe(true);
  }
  for (const set of subsets(n, t - 1)) {
    const x = interpolateSecretForTest(set.map((i) => keys[i - 1]!));
    expect(G.multiply(x).equals(pk), what(`t−1 shares ${set} must not give the key`)).toBe(false);
  }
  // noble agrees that the interpolated secret's public key is this key
  const x = interpolateSecretForTest(keys.slice(0, t));
  expect(hex(secp256k1.getPublicKey(be(x), true)), what('noble getPublicKey(secret)')).toBe(hex(k0.publicKey));
  // pairwise OT setups: alice's Δ selects bob's seeds bit by bit
  const deltas = new Set<string>();
  for (const [a, b] of orderedPairs(n)) {
    const alice = keys[a - 1]!.pairs.get(b)!.sender;
    const bob = keys[b - 1]!.pairs.get(a)!.receiver;
    const w = what(`pair ${a}→${b}`);
    expect(alice.delta.length, w).toBe(BASE_OT_COUNT / 8);
    expect(alice.seeds.length, w).toBe(BASE_OT_COUNT);
    let ones = 0;
    for (let i = 0; i < BASE_OT_COUNT; i++) {
      const bit = (alice.delta[i >> 3]! >> (i & 7)) & 1;
      expect(bit).toBe(bitAt(alice.delta, i));
      ones += bit;
      const chosen = bit ? bob.seeds1[i]! : bob.seeds0[i]!;
      const other = bit ? bob.seeds0[i]! : bob.seeds1[i]!;
      if (hex(alice.seeds[i]!) !== hex(chosen)) expect.fail(what(`pair ${a}→${b} row ${i}: Δ bit ${bit} does not select bob's seed`));
      if (hex(alice.seeds[i]!) === hex(other)) expect.fail(what(`pair ${a}→${b} row ${i}: alice also knows the other seed`));
    }
    expect(ones > 0 && ones < BASE_OT_COUNT, what(`pair ${a}→${b}: Δ is neither all-zero nor all-one`)).toBe(true);
    deltas.add(hex(alice.delta));
    // every party holds a setup toward every other party, and none toward itself
    expect([...keys[a - 1]!.pairs.keys()].sort(), w).toEqual(orderedPairs(n).filter(([x]) => x === a).map(([, y]) => y).sort());
  }
  expect(deltas.size, what('every ordered pair has its own Δ')).toBe(n * (n - 1));
}

function be(x: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(x.toString(16).padStart(64, '0'), 'hex'));
}

/** One signature on the new key (t = 2), verified by noble. */
function signOnce(keys: KeyShare[], I: number, R: number, label: string): void {
  const run = runSign(keys, I, R, { rng: seededRng(`${TEST_SEED}/dkg.test/sign/${label}`) });
  expect(run.sim.outputs.size, seedMsg(`sign with DKG ${label} key, I=${I} R=${R}`)).toBe(2);
  const sig = combineRun(keys, I, R, run);
  expect(secp256k1.verify(sig.compact, run.digest, keys[0]!.publicKey, { prehash: false, lowS: true }), seedMsg(`verify ${label}`)).toBe(true);
}

describe('honest DKG', () => {
  test.each([2, 3, 5])('n = %i, t = 2: agreement, interpolation, pairwise setups, signable', (n) => {
    const { keys } = runDkg(n, 2, `honest-${n}`);
    checkHonestOutput(keys, n, 2, `honest-${n}`);
    signOnce(keys, n, 1, `honest-${n}`);
  });

  test('n = 4, t = 3: agreement, interpolation over every 3-subset, two shares are not enough', () => {
    const { keys } = runDkg(4, 3, 'honest-4-3');
    checkHonestOutput(keys, 4, 3, 'honest-4-3');
    // two-party signing needs t = 2
    const rng = seededRng(`${TEST_SEED}/dkg.test/t3-sign`);
    expectProtocolError(
      () => createSigner({ share: keys[0]!, peer: 2, initiator: true, digest: rng(32), sessionId: rng(32), rng, guard: new MemoryPairGuard(), replay: { claim: () => true } }),
      ErrorCode.INVALID_ARGUMENTS,
      'signing with a t = 3 share',
    );
  });
});

describe('session separation and message order', () => {
  test('two DKGs with different session ids (and fresh randomness) give unrelated keys', () => {
    const a = runDkg(2, 2, 'honest-2').keys;
    const b = runDkg(2, 2, 'sep-b').keys;
    const w = seedMsg('honest-2 vs sep-b');
    expect(hex(a[0]!.keyId), w).not.toBe(hex(b[0]!.keyId));
    expect(hex(a[0]!.publicKey), w).not.toBe(hex(b[0]!.publicKey));
    expect(hex(a[0]!.chainCode), w).not.toBe(hex(b[0]!.chainCode));
    expect(a[0]!.share, w).not.toBe(b[0]!.share);
  });

  test('same party randomness, different session id: key id, chain code and every OT seed differ', () => {
    const a = runDkg(2, 2, 'honest-2').keys;
    const sid = seededRng(`${TEST_SEED}/dkg.test/other-sid`)(32);
    const b = runDkg(2, 2, 'honest-2', { sessionId: sid }).keys;
    const w = seedMsg('same rng, other session id');
    expect(hex(a[0]!.keyId), w).not.toBe(hex(b[0]!.keyId));
    expect(hex(a[0]!.chainCode), w).not.toBe(hex(b[0]!.chainCode));
    for (const [x, y] of orderedPairs(2)) {
      const sa = a[x - 1]!.pairs.get(y)!;
      const sb = b[x - 1]!.pairs.get(y)!;
      const seedsA = new Set([...sa.receiver.seeds0, ...sa.receiver.seeds1, ...sa.sender.seeds].map(hex));
      for (const s of [...sb.receiver.seeds0, ...sb.receiver.seeds1, ...sb.sender.seeds]) {
        if (seedsA.has(hex(s))) expect.fail(seedMsg(`pair ${x}→${y}: an OT seed survived a change of session id`));
      }
    }
  });

  test('shuffled delivery (n = 3) gives a valid key, identical to the in-order run with the same randomness', () => {
    const fifo = runDkg(3, 2, 'order');
    const shuf = runDkg(3, 2, 'order', { shuffle: 'a' });
    checkHonestOutput(shuf.keys, 3, 2, 'order/shuffled');
    // the shuffle really reordered: some party got a later-round message before finishing a round
    expect(shuf.deliveries, seedMsg('delivery order changed')).not.toEqual(fifo.deliveries);
    const early = [1, 2, 3].some((p) => {
      const rounds = shuf.deliveries.filter(([to]) => to === p).map(([, , r]) => r);
      return rounds.some((r, i) => i > 0 && r < rounds[i - 1]!);
    });
    expect(early, seedMsg('some message arrived ahead of its round')).toBe(true);
    for (let i = 0; i < 3; i++) {
      expect(hex(serializeKeyShare(shuf.keys[i]!)), seedMsg(`party ${i + 1}: order-independent output`)).toBe(hex(serializeKeyShare(fifo.keys[i]!)));
    }
  });
});

describe('argument validation', () => {
  const base = (over: Partial<{ n: number; t: number; self: number; sessionId: Uint8Array }>) => {
    const rng = seededRng(`${TEST_SEED}/dkg.test/args`);
    const auth = testAuthenticators(1, 'args')[0]!;
    return () => createDkg({ sessionId: over.sessionId ?? rng(32), n: over.n ?? 3, t: over.t ?? 2, self: over.self ?? 1, rng, auth });
  };
  test.each([
    ['n = 1', { n: 1, t: 1 }],
    ['n = 1, t = 2', { n: 1, t: 2 }],
    [`n = ${MAX_PARTIES + 1}`, { n: MAX_PARTIES + 1 }],
    ['n = 0', { n: 0 }],
    ['n = 2.5', { n: 2.5 }],
    ['t = 1', { n: 3, t: 1 }],
    ['t = 0', { n: 3, t: 0 }],
    ['t > n', { n: 3, t: 4 }],
    ['self = 0', { self: 0 }],
    ['self > n', { n: 3, self: 4 }],
    ['31-byte session id', { sessionId: new Uint8Array(31) }],
  ] as const)('%s is rejected with ERR_INVALID_ARGUMENTS', (name, over) => {
    expectProtocolError(base(over), ErrorCode.INVALID_ARGUMENTS, name);
  });

  test('the boundary values are accepted (construction only)', () => {
    expect(MIN_PARTIES).toBe(2);
    expect(base({ n: MIN_PARTIES, t: 2 })).not.toThrow();
    expect(base({ n: MAX_PARTIES, t: 2, self: MAX_PARTIES })).not.toThrow();
    expect(base({ n: 5, t: 5 })).not.toThrow();
  });
});
