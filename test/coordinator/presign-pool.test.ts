/**
 * The coordinator's book of presignatures (coordinator/src/presign-pool.ts) and its config field
 * `presignDepth` (coordinator/src/config.ts). Pure unit tests with explicit times, no libp2p:
 * take (oldest first, either pair order, single use, the PRESIGN_USABLE_MS boundary, keys and
 * pairs kept apart), has, missing, forgetNode, startFill/endFill, sizes, a fast-check property
 * over random put/take/forgetNode/missing sequences against a model, the relations between the
 * named constants, and loadCoordinatorConfig's presignDepth (default, bounds, messages).
 */
import { afterEach, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { PRESIGN_POOL_DEPTH, PRESIGN_POOL_DEPTH_MAX, PRESIGN_USABLE_MS, PresignPool, type PoolEntry } from '../../coordinator/src/presign-pool.js';
import { COORDINATOR_CONFIG_FILE, loadCoordinatorConfig } from '../../coordinator/src/config.js';
import { PRESIGN_MAX_HELD, PRESIGN_TTL_MARGIN_MS, PRESIGN_TTL_MS } from '../../proto/transport.js';
import { ConfigError } from '../../proto/cluster.js';
import { MAX_PARTIES } from '../../protocol/params.js';

const KEY_A = 'aa'.repeat(32);
const KEY_B = 'bb'.repeat(32);
const T0 = Date.parse('2026-06-01T00:00:00.000Z');

/** A 32-byte session id whose first four bytes are `n` (readable in failure output). */
function sid(n: number): Uint8Array {
  const b = new Uint8Array(32);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}
const sidNum = (e: PoolEntry | undefined) => (e ? new DataView(e.sessionId.buffer, e.sessionId.byteOffset).getUint32(0) : undefined);
const entry = (n: number, pair: readonly [number, number], at: number): PoolEntry => ({ sessionId: sid(n), pair, at });

describe('take', () => {
  test('returns the oldest entry first, for the pair in either order, with its ordered pair', () => {
    const pool = new PresignPool(PRESIGN_POOL_DEPTH);
    pool.put(KEY_A, entry(1, [1, 2], T0));
    pool.put(KEY_A, entry(2, [2, 1], T0 + 10));
    pool.put(KEY_A, entry(3, [1, 2], T0 + 20));
    const now = T0 + 30;
    const a = pool.take(KEY_A, [2, 1], now);
    expect(sidNum(a)).toBe(1);
    expect(a!.pair).toEqual([1, 2]);
    const b = pool.take(KEY_A, [1, 2], now);
    expect(sidNum(b)).toBe(2);
    // the entry keeps the order its session ran in, whatever order the caller asked with
    expect(b!.pair).toEqual([2, 1]);
    expect(b!.at).toBe(T0 + 10);
    expect(sidNum(pool.take(KEY_A, [2, 1], now))).toBe(3);
    expect(pool.take(KEY_A, [1, 2], now)).toBeUndefined();
  });

  test('never hands out an entry twice (and has() turns false once all are taken)', () => {
    const pool = new PresignPool(4);
    for (let i = 1; i <= 4; i++) pool.put(KEY_A, entry(i, [3, 5], T0));
    const now = T0 + 1;
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      expect(pool.has(KEY_A, [5, 3], now)).toBe(true);
      const pair: [number, number] = i % 2 ? [5, 3] : [3, 5];
      seen.push(sidNum(pool.take(KEY_A, pair, now))!);
    }
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(pool.has(KEY_A, [3, 5], now)).toBe(false);
    expect(pool.take(KEY_A, [3, 5], now)).toBeUndefined();
    expect(pool.take(KEY_A, [5, 3], now)).toBeUndefined();
    expect(pool.sizes(KEY_A, now)).toEqual({});
  });

  test('boundary: age PRESIGN_USABLE_MS − 1 is usable, age PRESIGN_USABLE_MS is not', () => {
    const pool = new PresignPool(PRESIGN_POOL_DEPTH);
    pool.put(KEY_A, entry(1, [1, 2], T0));
    expect(pool.has(KEY_A, [1, 2], T0 + PRESIGN_USABLE_MS - 1)).toBe(true);
    expect(sidNum(pool.take(KEY_A, [1, 2], T0 + PRESIGN_USABLE_MS - 1))).toBe(1);

    const other = new PresignPool(PRESIGN_POOL_DEPTH);
    other.put(KEY_A, entry(2, [1, 2], T0));
    expect(other.has(KEY_A, [1, 2], T0 + PRESIGN_USABLE_MS)).toBe(false);
    expect(other.take(KEY_A, [1, 2], T0 + PRESIGN_USABLE_MS)).toBeUndefined();
    // dropped, not merely skipped: asking again with an earlier clock does not bring it back
    expect(other.take(KEY_A, [1, 2], T0)).toBeUndefined();
    expect(other.sizes(KEY_A, T0)).toEqual({});
  });

  test('skips and drops expired entries in front of a usable one', () => {
    const pool = new PresignPool(PRESIGN_POOL_DEPTH);
    pool.put(KEY_A, entry(1, [1, 2], T0));
    pool.put(KEY_A, entry(2, [2, 1], T0 + 500));
    pool.put(KEY_A, entry(3, [1, 2], T0 + 1_000));
    // 1 is exactly PRESIGN_USABLE_MS + 500 old, 2 exactly PRESIGN_USABLE_MS, 3 is 500 ms younger
    const now = T0 + PRESIGN_USABLE_MS + 500;
    expect(sidNum(pool.take(KEY_A, [1, 2], now))).toBe(3);
    // 1 and 2 are gone even for a clock at which they would still be usable
    expect(pool.sizes(KEY_A, T0 + 1_000)).toEqual({});
    expect(pool.take(KEY_A, [1, 2], T0 + 1_000)).toBeUndefined();
  });

  test('keeps keys and pairs apart', () => {
    const pool = new PresignPool(PRESIGN_POOL_DEPTH);
    pool.put(KEY_A, entry(1, [1, 2], T0));
    pool.put(KEY_A, entry(2, [1, 3], T0));
    pool.put(KEY_B, entry(3, [2, 1], T0));
    const now = T0 + 1;
    expect(pool.take(KEY_B, [1, 3], now)).toBeUndefined();
    expect(pool.take(KEY_A, [2, 3], now)).toBeUndefined();
    expect(pool.take(KEY_A, [3, 2], now)).toBeUndefined();
    expect(pool.has(KEY_B, [3, 1], now)).toBe(false);
    expect(sidNum(pool.take(KEY_B, [1, 2], now))).toBe(3);
    expect(pool.take(KEY_B, [1, 2], now)).toBeUndefined();
    expect(sidNum(pool.take(KEY_A, [3, 1], now))).toBe(2);
    expect(sidNum(pool.take(KEY_A, [2, 1], now))).toBe(1);
    expect(pool.take(KEY_A, [1, 2], now)).toBeUndefined();
  });
});

describe('take with a chosen order', () => {
  test('ordered: the first entry whose session ran in that order, skipping (and keeping) the other order', () => {
    const pool = new PresignPool(4);
    pool.put(KEY_A, entry(1, [2, 1], T0));
    pool.put(KEY_A, entry(2, [1, 2], T0 + 10));
    pool.put(KEY_A, entry(3, [1, 2], T0 + 20));
    expect(sidNum(pool.take(KEY_A, [1, 2], T0 + 30, true))).toBe(2);
    expect(sidNum(pool.take(KEY_A, [2, 1], T0 + 30, true))).toBe(1);
    expect(pool.take(KEY_A, [2, 1], T0 + 30, true)).toBeUndefined();
    expect(sidNum(pool.take(KEY_A, [2, 1], T0 + 30))).toBe(3);
    expect(pool.take(KEY_A, [1, 2], T0 + 30)).toBeUndefined();
  });
});

describe('has', () => {
  test('does not consume and does not count expired entries', () => {
    const pool = new PresignPool(PRESIGN_POOL_DEPTH);
    expect(pool.has(KEY_A, [1, 2], T0)).toBe(false);
    pool.put(KEY_A, entry(1, [1, 2], T0));
    expect(pool.has(KEY_A, [2, 1], T0 + 5)).toBe(true);
    expect(pool.has(KEY_A, [2, 1], T0 + 5)).toBe(true);
    expect(pool.has(KEY_A, [1, 2], T0 + PRESIGN_USABLE_MS)).toBe(false);
    expect(sidNum(pool.take(KEY_A, [1, 2], T0 + 5))).toBe(1);
  });
});

describe('missing', () => {
  test('depth − usable entries of the pair (either order), never negative', () => {
    const pool = new PresignPool(3);
    expect(pool.missing(KEY_A, [1, 2], T0)).toBe(3);
    pool.put(KEY_A, entry(1, [2, 1], T0));
    expect(pool.missing(KEY_A, [1, 2], T0)).toBe(2);
    expect(pool.missing(KEY_A, [2, 1], T0)).toBe(2);
    // other pairs and keys do not count
    pool.put(KEY_A, entry(2, [1, 3], T0));
    pool.put(KEY_B, entry(3, [1, 2], T0));
    expect(pool.missing(KEY_A, [1, 2], T0)).toBe(2);
    expect(pool.missing(KEY_B, [1, 2], T0)).toBe(2);
    for (let i = 10; i < 15; i++) pool.put(KEY_A, entry(i, [1, 2], T0));
    expect(pool.missing(KEY_A, [1, 2], T0)).toBe(0);
    // missing() does not remove usable entries
    expect(pool.sizes(KEY_A, T0)).toEqual({ '1/2': 6, '1/3': 1 });
  });

  test('drops expired entries (they count as missing, and are gone afterwards)', () => {
    const pool = new PresignPool(3);
    pool.put(KEY_A, entry(1, [1, 2], T0));
    pool.put(KEY_A, entry(2, [1, 2], T0 + 1_000));
    pool.put(KEY_A, entry(3, [1, 2], T0 + 2_000));
    expect(pool.missing(KEY_A, [1, 2], T0 + 2_000)).toBe(0);
    // at T0 + USABLE + 1000, entries 1 (age USABLE + 1000) and 2 (age USABLE) are expired
    expect(pool.missing(KEY_A, [2, 1], T0 + PRESIGN_USABLE_MS + 1_000)).toBe(2);
    // gone: an earlier clock does not see them any more
    expect(pool.sizes(KEY_A, T0 + 2_000)).toEqual({ '1/2': 1 });
    expect(sidNum(pool.take(KEY_A, [1, 2], T0 + 2_000))).toBe(3);
    expect(pool.take(KEY_A, [1, 2], T0 + 2_000)).toBeUndefined();
  });

  test('depth 0: always 0', () => {
    const pool = new PresignPool(0);
    expect(pool.missing(KEY_A, [1, 2], T0)).toBe(0);
    pool.put(KEY_A, entry(1, [1, 2], T0));
    expect(pool.missing(KEY_A, [1, 2], T0)).toBe(0);
    expect(pool.missing(KEY_A, [1, 2], T0 + PRESIGN_USABLE_MS)).toBe(0);
    expect(pool.missing(KEY_B, [4, 7], T0)).toBe(0);
  });
});

describe('forgetNode', () => {
  test('removes exactly the entries whose pair includes the node, across keys', () => {
    const pool = new PresignPool(PRESIGN_POOL_DEPTH);
    pool.put(KEY_A, entry(1, [1, 2], T0));
    pool.put(KEY_A, entry(2, [3, 2], T0));
    pool.put(KEY_A, entry(3, [1, 3], T0));
    pool.put(KEY_A, entry(4, [3, 4], T0));
    pool.put(KEY_A, entry(5, [2, 4], T0));
    pool.put(KEY_B, entry(6, [2, 1], T0));
    pool.put(KEY_B, entry(7, [4, 5], T0));
    pool.put(KEY_B, entry(8, [5, 4], T0));
    const now = T0 + 1;
    pool.forgetNode(2);
    expect(pool.sizes(KEY_A, now)).toEqual({ '1/3': 1, '3/4': 1 });
    expect(pool.sizes(KEY_B, now)).toEqual({ '4/5': 2 });
    expect(pool.take(KEY_A, [1, 2], now)).toBeUndefined();
    expect(pool.take(KEY_A, [2, 3], now)).toBeUndefined();
    expect(pool.take(KEY_A, [2, 4], now)).toBeUndefined();
    expect(pool.take(KEY_B, [1, 2], now)).toBeUndefined();
    expect(sidNum(pool.take(KEY_A, [3, 1], now))).toBe(3);
    expect(sidNum(pool.take(KEY_A, [4, 3], now))).toBe(4);
    expect(sidNum(pool.take(KEY_B, [4, 5], now))).toBe(7);
    expect(sidNum(pool.take(KEY_B, [4, 5], now))).toBe(8);
  });

  test('a node in no pair changes nothing; the pool still takes entries put afterwards', () => {
    const pool = new PresignPool(PRESIGN_POOL_DEPTH);
    pool.put(KEY_A, entry(1, [1, 2], T0));
    pool.forgetNode(9);
    expect(pool.sizes(KEY_A, T0)).toEqual({ '1/2': 1 });
    pool.forgetNode(1);
    pool.put(KEY_A, entry(2, [2, 1], T0));
    expect(sidNum(pool.take(KEY_A, [1, 2], T0))).toBe(2);
  });
});

describe('maintained / drop', () => {
  test('every pair a fill started for is maintained (once per unordered pair, in the order of its latest fill) until dropped', () => {
    const pool = new PresignPool(PRESIGN_POOL_DEPTH);
    expect(pool.maintained()).toEqual([]);
    pool.put(KEY_A, entry(1, [1, 2], T0)); // a put alone does not make a pair maintained
    expect(pool.maintained()).toEqual([]);
    pool.startFill(KEY_A, [1, 2]);
    pool.endFill(KEY_A, [1, 2]);
    pool.startFill(KEY_B, [3, 1]);
    pool.startFill(KEY_A, [2, 1]); // a later fill of the same pair in the other order
    const m = pool.maintained().map((x) => `${x.keyId.slice(0, 2)}:${x.pair.join(',')}`).sort();
    expect(m).toEqual(['aa:2,1', 'bb:3,1']);
    pool.drop(KEY_A, [1, 2]);
    expect(pool.maintained().map((x) => x.keyId)).toEqual([KEY_B]);
    // dropping also forgets the pair's ready entries
    expect(pool.take(KEY_A, [1, 2], T0 + 1)).toBeUndefined();
  });
});

describe('startFill / endFill', () => {
  test('exclusive per key and unordered pair until endFill', () => {
    const pool = new PresignPool(PRESIGN_POOL_DEPTH);
    expect(pool.startFill(KEY_A, [1, 2])).toBe(true);
    expect(pool.startFill(KEY_A, [1, 2])).toBe(false);
    expect(pool.startFill(KEY_A, [2, 1])).toBe(false);
    // other pairs and other keys are independent
    expect(pool.startFill(KEY_A, [1, 3])).toBe(true);
    expect(pool.startFill(KEY_B, [1, 2])).toBe(true);
    // ending another fill does not release this one
    pool.endFill(KEY_A, [1, 3]);
    pool.endFill(KEY_B, [2, 1]);
    expect(pool.startFill(KEY_A, [2, 1])).toBe(false);
    // ending it in the other order does
    pool.endFill(KEY_A, [2, 1]);
    expect(pool.startFill(KEY_A, [2, 1])).toBe(true);
    expect(pool.startFill(KEY_A, [1, 2])).toBe(false);
    expect(pool.startFill(KEY_A, [3, 1])).toBe(true);
    expect(pool.startFill(KEY_B, [1, 2])).toBe(true);
  });
});

describe('sizes', () => {
  test('usable entries per "min/max" pair of one key only; empty and expired pairs absent', () => {
    const pool = new PresignPool(PRESIGN_POOL_DEPTH);
    pool.put(KEY_A, entry(1, [2, 1], T0));
    pool.put(KEY_A, entry(2, [1, 2], T0 + 1_000));
    pool.put(KEY_A, entry(3, [3, 10], T0));
    pool.put(KEY_A, entry(4, [4, 5], T0 + 1_000));
    pool.put(KEY_B, entry(5, [1, 2], T0));
    // a key id that extends another one must not leak into it
    pool.put(`${KEY_A}0`, entry(6, [1, 2], T0));
    expect(pool.sizes(KEY_A, T0 + 1_000)).toEqual({ '1/2': 2, '3/10': 1, '4/5': 1 });
    expect(pool.sizes(KEY_B, T0 + 1_000)).toEqual({ '1/2': 1 });
    expect(pool.sizes('cc'.repeat(32), T0)).toEqual({});
    // at T0 + USABLE, the entries put at T0 are expired
    expect(pool.sizes(KEY_A, T0 + PRESIGN_USABLE_MS)).toEqual({ '1/2': 1, '4/5': 1 });
    pool.take(KEY_A, [4, 5], T0 + 1_000);
    expect(pool.sizes(KEY_A, T0 + 1_000)).toEqual({ '1/2': 2, '3/10': 1 });
  });
});

describe('property: random put / take / forgetNode / missing sequences', () => {
  type Op =
    | { op: 'put'; key: number; pair: [number, number]; age: number; dt: number }
    | { op: 'take'; key: number; pair: [number, number]; dt: number }
    | { op: 'forget'; node: number; dt: number }
    | { op: 'missing'; key: number; pair: [number, number]; dt: number };
  const KEYS = [KEY_A, KEY_B];
  const NODES = 4;
  const pairArb = fc
    .tuple(fc.integer({ min: 1, max: NODES }), fc.integer({ min: 1, max: NODES - 1 }))
    .map(([a, d]) => [a, ((a - 1 + d) % NODES) + 1] as [number, number]);
  const dtArb = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: PRESIGN_USABLE_MS / 2 }));
  // an age at put near the boundary often; some entries are put already expired
  const ageArb = fc.oneof(
    fc.integer({ min: 0, max: PRESIGN_USABLE_MS + 1_000 }),
    fc.integer({ min: PRESIGN_USABLE_MS - 2, max: PRESIGN_USABLE_MS + 1 }),
    fc.constant(0),
  );
  const keyArb = fc.integer({ min: 0, max: KEYS.length - 1 });
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('put' as const), key: keyArb, pair: pairArb, age: ageArb, dt: dtArb }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('take' as const), key: keyArb, pair: pairArb, dt: dtArb }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('forget' as const), node: fc.integer({ min: 1, max: NODES + 1 }), dt: dtArb }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('missing' as const), key: keyArb, pair: pairArb, dt: dtArb }) },
  );
  const unordered = ([a, b]: readonly [number, number]) => `${Math.min(a, b)}/${Math.max(a, b)}`;

  test('no session id is taken twice; every taken entry was put, not forgotten, and usable when taken', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.array(opArb, { maxLength: 80 }), (depth, ops) => {
        const pool = new PresignPool(depth);
        /** Every entry ever put, by session number, with the key it was put under. */
        const put = new Map<number, { key: string; e: PoolEntry }>();
        /** The model: entries put and neither taken nor forgotten (expired ones included). */
        const live = new Map<number, { key: string; e: PoolEntry }>();
        const taken = new Set<number>();
        let now = T0;
        let next = 1;
        const usable = (e: PoolEntry) => now - e.at < PRESIGN_USABLE_MS;
        const modelSizes = (key: string) => {
          const out: Record<string, number> = {};
          for (const { key: k, e } of live.values()) if (k === key && usable(e)) out[unordered(e.pair)] = (out[unordered(e.pair)] ?? 0) + 1;
          return out;
        };
        for (const o of ops) {
          now += o.dt;
          if (o.op === 'put') {
            const e = entry(next, o.pair, now - o.age);
            put.set(next, { key: KEYS[o.key]!, e });
            live.set(next, { key: KEYS[o.key]!, e });
            next++;
            pool.put(KEYS[o.key]!, e);
          } else if (o.op === 'take') {
            const key = KEYS[o.key]!;
            const r = pool.take(key, o.pair, now);
            const candidates = [...live.entries()].filter(([, v]) => v.key === key && unordered(v.e.pair) === unordered(o.pair) && usable(v.e));
            if (r === undefined) {
              expect(candidates.map(([n]) => n), 'take found nothing although the model has usable entries').toEqual([]);
            } else {
              const n = sidNum(r)!;
              expect(taken.has(n), `session ${n} taken twice`).toBe(false);
              taken.add(n);
              const orig = put.get(n);
              expect(orig, `session ${n} was never put`).toBeDefined();
              expect(r).toBe(orig!.e);
              expect(orig!.key).toBe(key);
              expect(unordered(r.pair)).toBe(unordered(o.pair));
              expect(live.has(n), `session ${n} had been forgotten`).toBe(true);
              expect(now - r.at, `session ${n} taken at age ${now - r.at}`).toBeLessThan(PRESIGN_USABLE_MS);
              live.delete(n);
            }
          } else if (o.op === 'forget') {
            pool.forgetNode(o.node);
            for (const [n, v] of live) if (v.e.pair.includes(o.node)) live.delete(n);
          } else {
            const key = KEYS[o.key]!;
            const have = [...live.values()].filter((v) => v.key === key && unordered(v.e.pair) === unordered(o.pair) && usable(v.e)).length;
            expect(pool.missing(key, o.pair, now)).toBe(Math.max(0, depth - have));
          }
          for (const key of KEYS) expect(pool.sizes(key, now)).toEqual(modelSizes(key));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('relations between the named constants', () => {
  test('PRESIGN_USABLE_MS = PRESIGN_TTL_MS − PRESIGN_TTL_MARGIN_MS, with 0 < PRESIGN_USABLE_MS < PRESIGN_TTL_MS', () => {
    expect(PRESIGN_USABLE_MS).toBe(PRESIGN_TTL_MS - PRESIGN_TTL_MARGIN_MS);
    expect(PRESIGN_TTL_MARGIN_MS).toBeGreaterThan(0);
    expect(PRESIGN_USABLE_MS).toBeGreaterThan(0);
    expect(PRESIGN_USABLE_MS).toBeLessThan(PRESIGN_TTL_MS);
  });

  test('PRESIGN_POOL_DEPTH is an integer within 0..PRESIGN_POOL_DEPTH_MAX', () => {
    expect(Number.isSafeInteger(PRESIGN_POOL_DEPTH)).toBe(true);
    expect(Number.isSafeInteger(PRESIGN_POOL_DEPTH_MAX)).toBe(true);
    expect(PRESIGN_POOL_DEPTH).toBeGreaterThanOrEqual(0);
    expect(PRESIGN_POOL_DEPTH).toBeLessThanOrEqual(PRESIGN_POOL_DEPTH_MAX);
  });

  /*
   * What the code guarantees about PRESIGN_MAX_HELD (the cap a node puts on presignatures it
   * holds per key, node.ts: ERR_PRESIGN_FULL): one pair filled to PRESIGN_POOL_DEPTH_MAX fits,
   * and the default depth fits for every pair a node of a MAX_PARTIES key can be in
   * (2 × 15 = 30 ≤ 64). It does NOT guarantee the maximum for every pair:
   * PRESIGN_POOL_DEPTH_MAX × (MAX_PARTIES − 1) = 16 × 15 = 240 > 64. Nothing breaks when the cap
   * is hit: the node refuses the presign session, the coordinator's refill of that pair logs
   * presign_failed and stops, and requests for that pair run all three rounds. (Neither bound is
   * a worst case either: a node also holds presignatures the coordinator no longer hands out,
   * expired there but inside the node's PRESIGN_TTL_MARGIN_MS, or orphaned by forgetNode or a
   * coordinator restart, until PRESIGN_TTL_MS.)
   */
  test('PRESIGN_POOL_DEPTH_MAX ≤ PRESIGN_MAX_HELD (one pair at the largest depth fits on a node)', () => {
    expect(PRESIGN_POOL_DEPTH_MAX).toBeLessThanOrEqual(PRESIGN_MAX_HELD);
  });
  test('PRESIGN_POOL_DEPTH × (MAX_PARTIES − 1) ≤ PRESIGN_MAX_HELD (the default depth fits for all pairs of a node)', () => {
    expect(PRESIGN_POOL_DEPTH * (MAX_PARTIES - 1)).toBeLessThanOrEqual(PRESIGN_MAX_HELD);
  });
});

describe('coordinator config: presignDepth', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  let clusterJson: string | undefined;
  async function cluster(): Promise<string> {
    if (clusterJson) return clusterJson;
    const id = async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString();
    clusterJson = JSON.stringify({
      version: 1,
      threshold: 2,
      nodes: [
        { index: 1, name: 'n1', peerId: await id(), addrs: ['/ip4/127.0.0.1/tcp/4001'] },
        { index: 2, name: 'n2', peerId: await id(), addrs: ['/ip4/127.0.0.1/tcp/4002'] },
      ],
      coordinator: { peerId: await id(), addrs: ['/ip4/127.0.0.1/tcp/4000'] },
    });
    return clusterJson;
  }

  /** A coordinator directory whose config.json has `presignDepth` set to `depth` (absent when omitted). */
  async function configDir(depth?: unknown): Promise<string> {
    const d = mkdtempSync(join(tmpdir(), 'tecdsa-coord-config-'));
    dirs.push(d);
    writeFileSync(join(d, 'cluster.json'), await cluster());
    const cfg: Record<string, unknown> = {
      version: 1,
      identityFile: 'identity.key',
      dataDir: 'data',
      listen: ['/ip4/127.0.0.1/tcp/4000'],
      http: { host: '127.0.0.1', port: 8080 },
      adminTokenFile: 'admin.token',
      cluster: 'cluster.json',
    };
    if (depth !== undefined) cfg.presignDepth = depth;
    writeFileSync(join(d, COORDINATOR_CONFIG_FILE), JSON.stringify(cfg));
    return d;
  }

  function refusal(dir: string): ConfigError {
    try {
      loadCoordinatorConfig(dir);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return e as ConfigError;
    }
    throw new Error('loadCoordinatorConfig accepted the config');
  }

  test('absent: the default PRESIGN_POOL_DEPTH', async () => {
    const c = loadCoordinatorConfig(await configDir());
    expect(c.presignDepth).toBe(PRESIGN_POOL_DEPTH);
    // the rest of the config loads as written (the fixture itself is valid)
    expect(c.clusterConfig.nodes.length).toBe(2);
  });

  test.each([0, 1, 3, PRESIGN_POOL_DEPTH_MAX])('accepts %i', async (depth) => {
    expect(loadCoordinatorConfig(await configDir(depth)).presignDepth).toBe(depth);
  });

  test.each([-1, PRESIGN_POOL_DEPTH_MAX + 1, 1_000_000])('refuses %i out of range, naming the field and the range', async (depth) => {
    const dir = await configDir(depth);
    const e = refusal(dir);
    expect(e.code).toBe('ERR_CONFIG');
    expect(e.message).toBe(`${join(dir, COORDINATOR_CONFIG_FILE)}.presignDepth must be 0..${PRESIGN_POOL_DEPTH_MAX}`);
  });

  test.each([[1.5], ['2'], [null], [true], [[2]]] as [unknown][])('refuses %j as not an integer', async (depth) => {
    const dir = await configDir(depth);
    const e = refusal(dir);
    expect(e.message).toBe(`${join(dir, COORDINATOR_CONFIG_FILE)}.presignDepth must be an integer`);
  });
});
