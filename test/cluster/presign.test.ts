/**
 * Presignatures over the real cluster (protocol/SPEC.md §6.6): rounds 1–2 of signing run ahead
 * of requests, the coordinator keeps a pool per key and pair, a request binds one presignature
 * and runs round 3 only. Each is bound at most once, whatever happens to the request; a node
 * that restarted (and lost its presignatures) makes the coordinator sign without one.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from './harness.js';
import { Coordinator } from '../../coordinator/src/service.js';
import { opensslVerify } from '../helpers.js';
import type { KeyRecord, SignRequestRecord } from '../../coordinator/src/store.js';
import { PRESIGN_MAX_HELD, PRESIGN_TTL_MS } from '../../proto/transport.js';
import { PRESIGN_CONCURRENCY, PRESIGN_POOL_DEPTH, PRESIGN_REFILL_QUIET_MS } from '../../coordinator/src/presign-pool.js';
import { ProtocolKind, type ControlResponse, type Envelope } from '../../proto/index.js';

let c: TestCluster;
let key: KeyRecord;
/** Node 2's outgoing messages go through this while a test sets it (a cheating node 2). */
let tamper: ((e: Omit<Envelope, 'signature'>) => Omit<Envelope, 'signature'> | null) | undefined;

beforeAll(async () => {
  c = await startTestCluster({ roundTimeoutMs: 3_000, hooks: { 2: { outgoing: (e) => (tamper ? tamper(e) : e) } } });
  key = await c.coordinator.createKey('presign');
  await c.setPolicy(key.id);
});
afterAll(async () => {
  await c?.close();
});

const hexBytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/^0x/, ''), 'hex'));
const node = (i: number) => c.nodes[i - 1]!;
const code = (r: ControlResponse) => ('failure' in r ? r.failure.code : Object.keys(r)[0]);

function expectValid(recs: SignRequestRecord[]): void {
  for (const r of recs) expect(r.status, JSON.stringify(r.error ?? r.attempts)).toBe('signed');
  const ok = opensslVerify(recs.map((r) => ({ publicKey: hexBytes(key.publicKey), digest: hexBytes(r.digest), compact: Uint8Array.from([...hexBytes(r.signature!.r), ...hexBytes(r.signature!.s)]) })));
  expect(ok).toEqual(recs.map(() => true));
}

/** Runs one presign session on (I, R) directly, as the coordinator's refill does. */
async function presign(I: number, R: number): Promise<Uint8Array> {
  const sessionId = new Uint8Array(randomBytes(32));
  const req = { presign: { keyId: hexBytes(key.id), sessionId, initiator: I, responder: R } };
  const rs = await Promise.all([I, R].map((i) => c.coordinator.request(i, req)));
  expect(rs.map(code)).toEqual(['presign', 'presign']);
  return sessionId;
}

/** A presigned sign request straight to node i (no valid authorization: it is refused after the presignature check). */
function bind(i: number, sessionId: Uint8Array, I: number, R: number): Promise<ControlResponse> {
  const sign = { keyId: hexBytes(key.id), sessionId, digest: new Uint8Array(randomBytes(32)), initiator: I, responder: R, authorization: new Uint8Array(0), presigned: true };
  return c.coordinator.request(i, { sign });
}

describe('the coordinator keeps presignatures ready and signs with them', () => {
  test('after the DKG every pair is filled to the pool depth; requests bind presignatures, run round 3 only, and the pair is refilled', async () => {
    await c.coordinator.presignsSettled();
    expect(c.coordinator.presigns.sizes(key.id, Date.now())).toEqual({ '1/2': PRESIGN_POOL_DEPTH, '1/3': PRESIGN_POOL_DEPTH, '2/3': PRESIGN_POOL_DEPTH });
    for (const i of [1, 2, 3]) expect(node(i).presignatureCount(key.id)).toBe(2 * PRESIGN_POOL_DEPTH);
    const used = [node(1).stats.presignUsed, node(2).stats.presignUsed, node(3).stats.presignUsed];
    const recs: SignRequestRecord[] = [];
    for (let k = 0; k < 4; k++) {
      recs.push(await c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)), { first: [1, 2] }));
      await c.coordinator.presignsSettled();
    }
    expectValid(recs);
    expect([1, 2, 3].map((i) => node(i).stats.presignUsed - used[i - 1]!)).toEqual([4, 4, 0]);
    expect(c.coordinator.presigns.sizes(key.id, Date.now())['1/2']).toBe(PRESIGN_POOL_DEPTH);
    // the coordinator's and each node's audit log say which sessions were bound to a presignature
    const coord = (await c.coordinator.auditEntries()).filter((e) => e.type === 'signing_session' && recs.some((r) => r.id === e.data.requestId));
    expect(coord.map((e) => e.data.presigned)).toEqual([true, true, true, true]);
    expect(recs.every((r) => r.attempts.length === 1 && r.attempts[0]!.presigned === true)).toBe(true);
    for (const i of [1, 2]) {
      const mine = (await node(i).auditEntries()).filter((e) => e.type === 'sign_session' && recs.some((r) => r.id === e.data.requestId));
      expect(mine.map((e) => e.data.presigned)).toEqual([true, true, true, true]);
      expect(mine.map((e) => e.data.sessionId)).toEqual(recs.map((r) => r.sessionId));
    }
    // a presignature's session id never comes back as another request's
    expect(new Set(recs.map((r) => r.sessionId)).size).toBe(recs.length);
  });

  test(`presign sessions run only in the gaps: none starts while a request is signing or within PRESIGN_REFILL_QUIET_MS (${PRESIGN_REFILL_QUIET_MS} ms) of one`, async () => {
    const co = c.coordinator;
    const orig = co.request.bind(co);
    const presignAt: number[] = [];
    const signing: [number, number][] = [];
    const spy = vi.spyOn(co, 'request').mockImplementation(async (...args: Parameters<typeof co.request>) => {
      const t = performance.now();
      if ('presign' in args[1]) presignAt.push(t);
      const r = await orig(...args);
      if ('sign' in args[1]) signing.push([t, performance.now()]);
      return r;
    });
    try {
      // two waves of concurrent requests over every pair, then the refills
      for (let wave = 0; wave < 2; wave++) {
        const recs = await Promise.all(Array.from({ length: 6 }, () => co.signDigest(key.id, new Uint8Array(randomBytes(32)))));
        expectValid(recs);
      }
      await co.presignsSettled();
    } finally {
      spy.mockRestore();
    }
    expect(presignAt.length).toBeGreaterThan(0);
    for (const t of presignAt) {
      for (const [s, e] of signing) expect(t < s || t >= e + PRESIGN_REFILL_QUIET_MS - 1, `presign at ${t.toFixed(1)} beside signing ${s.toFixed(1)}–${e.toFixed(1)}`).toBe(true);
    }
  });

  test('concurrent requests drain the pool and fall back to full sessions; every signature verifies', async () => {
    const recs = await Promise.all(Array.from({ length: 8 }, () => c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)))));
    await c.coordinator.presignsSettled();
    expectValid(recs);
    expect(recs.every((r) => r.attempts.length === 1)).toBe(true);
  });
});

describe('upkeep', () => {
  test('maintainPresigns tops up every pair ever filled (expired presignatures are replaced)', async () => {
    await c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)), { pair: [3, 1] });
    await c.coordinator.presignsSettled();
    expect(c.coordinator.presigns.sizes(key.id, Date.now())['1/3']).toBe(PRESIGN_POOL_DEPTH);
    // as if they had expired at the coordinator
    while (c.coordinator.presigns.take(key.id, [3, 1], Date.now()));
    expect(c.coordinator.presigns.sizes(key.id, Date.now())['1/3']).toBeUndefined();
    const made = node(3).stats.presigned;
    await c.coordinator.maintainPresigns();
    await c.coordinator.presignsSettled();
    expect(c.coordinator.presigns.sizes(key.id, Date.now())['1/3']).toBe(PRESIGN_POOL_DEPTH);
    expect(node(3).stats.presigned - made).toBe(PRESIGN_POOL_DEPTH);
    expect(c.coordinator.presigns.maintained().some((m) => m.keyId === key.id && m.pair[0] === 3 && m.pair[1] === 1)).toBe(true);
  });
});

describe('coordinator restart', () => {
  test('a restarted coordinator fills every pair of every key again (its pool starts empty; the nodes keep theirs until they expire)', async () => {
    await c.coordinator.presignsSettled();
    await c.coordinator.stop();
    c.coordinator = await Coordinator.start({ dir: join(c.dir, 'coordinator') });
    await vi.waitFor(() => expect(c.coordinator.presigns.maintained().length).toBeGreaterThanOrEqual(3));
    await c.coordinator.presignsSettled();
    expect(c.coordinator.presigns.sizes(key.id, Date.now())).toEqual({ '1/2': PRESIGN_POOL_DEPTH, '1/3': PRESIGN_POOL_DEPTH, '2/3': PRESIGN_POOL_DEPTH });
    const r = await c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)));
    expectValid([r]);
    expect(r.attempts.map((a) => a.presigned)).toEqual([true]);
    await c.coordinator.presignsSettled();
  });
});

describe('load', () => {
  test(`refills of many pairs run at most PRESIGN_CONCURRENCY (${PRESIGN_CONCURRENCY}) presign sessions at once`, async () => {
    const co = c.coordinator;
    await co.presignsSettled();
    // every pair of the key needs refills at the same time (as after an upkeep with many keys)
    for (const p of [[1, 2], [2, 3], [1, 3]] as const) {
      while (co.presigns.take(key.id, p, Date.now()));
      expect(co.presigns.maintained().some((m) => m.keyId === key.id && Math.min(...m.pair) === p[0] && Math.max(...m.pair) === p[1]), `pair ${p} is maintained`).toBe(true);
    }
    const orig = co.request.bind(co);
    const open = new Map<string, number>();
    let most = 0;
    let sessions = 0;
    const spy = vi.spyOn(co, 'request').mockImplementation(async (...args: Parameters<typeof co.request>) => {
      const req = args[1];
      if (!('presign' in req)) return orig(...args);
      const sid = Buffer.from(req.presign.sessionId).toString('hex');
      if (!open.has(sid)) sessions++;
      open.set(sid, (open.get(sid) ?? 0) + 1);
      most = Math.max(most, open.size);
      try {
        return await orig(...args);
      } finally {
        const n = open.get(sid)! - 1;
        if (n === 0) open.delete(sid);
        else open.set(sid, n);
      }
    });
    try {
      await co.maintainPresigns();
      await co.presignsSettled();
    } finally {
      spy.mockRestore();
    }
    expect(sessions).toBe(3 * PRESIGN_POOL_DEPTH);
    expect(most).toBeLessThanOrEqual(PRESIGN_CONCURRENCY);
    expect(most).toBeGreaterThan(0);
    expect(co.presigns.sizes(key.id, Date.now())).toEqual({ '1/2': PRESIGN_POOL_DEPTH, '2/3': PRESIGN_POOL_DEPTH, '1/3': PRESIGN_POOL_DEPTH });
  });
});

describe('a presignature is bound at most once', () => {
  test('a request naming a presignature takes it first: refused for another reason, it is still gone', async () => {
    const sid = await presign(1, 2);
    const before = node(1).presignatureCount(key.id);
    // no valid authorization: refused by the node's own checks, after the presignature was taken
    const r1 = await bind(1, sid, 1, 2);
    expect(code(r1)).not.toBe('sign');
    expect(code(r1)).not.toBe('ERR_PRESIGNATURE_UNKNOWN');
    expect(node(1).presignatureCount(key.id)).toBe(before - 1);
    expect(code(await bind(1, sid, 1, 2))).toBe('ERR_PRESIGNATURE_UNKNOWN');
    // node 2 still holds its half; binding it there once works the same way
    expect(code(await bind(2, sid, 1, 2))).not.toBe('ERR_PRESIGNATURE_UNKNOWN');
    expect(code(await bind(2, sid, 1, 2))).toBe('ERR_PRESIGNATURE_UNKNOWN');
  });

  test('a presignature named with the pair in the other order, or under an unknown id, is refused (and discarded)', async () => {
    const sid = await presign(1, 2);
    const before = node(1).presignatureCount(key.id);
    expect(code(await bind(1, sid, 2, 1))).toBe('ERR_PRESIGNATURE_UNKNOWN');
    expect(node(1).presignatureCount(key.id)).toBe(before - 1);
    expect(code(await bind(1, sid, 1, 2))).toBe('ERR_PRESIGNATURE_UNKNOWN');
    expect(code(await bind(1, new Uint8Array(randomBytes(32)), 1, 2))).toBe('ERR_PRESIGNATURE_UNKNOWN');
  });

  test('a presign session id is claimed durably: the same id is refused for a second presign session', async () => {
    const sid = await presign(2, 3);
    const req = { presign: { keyId: hexBytes(key.id), sessionId: sid, initiator: 2, responder: 3 } };
    const rs = await Promise.all([2, 3].map((i) => c.coordinator.request(i, req)));
    expect(rs.map(code)).toEqual(['ERR_SESSION_REPLAY', 'ERR_SESSION_REPLAY']);
  });

  test('a node discards presignatures older than PRESIGN_TTL_MS unused', async () => {
    await presign(1, 3);
    const held = node(3).presignatureCount(key.id);
    expect(held).toBeGreaterThan(0);
    const dropped = node(3).stats.presignDropped;
    const now = Date.now();
    const spy = vi.spyOn(Date, 'now').mockReturnValue(now + PRESIGN_TTL_MS);
    try {
      expect(node(3).presignatureCount(key.id)).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(node(3).stats.presignDropped - dropped).toBe(held);
  });

  test(`a node holds at most PRESIGN_MAX_HELD (${PRESIGN_MAX_HELD}) presignatures per key`, async () => {
    const have = node(1).presignatureCount(key.id);
    const want = PRESIGN_MAX_HELD - have;
    for (let k = 0; k < want; k += 8) await Promise.all(Array.from({ length: Math.min(8, want - k) }, () => presign(1, 3)));
    expect(node(1).presignatureCount(key.id)).toBe(PRESIGN_MAX_HELD);
    const sessionId = new Uint8Array(randomBytes(32));
    const r = await c.coordinator.request(1, { presign: { keyId: hexBytes(key.id), sessionId, initiator: 1, responder: 3 } });
    expect(code(r)).toBe('ERR_PRESIGN_FULL');
  });
});

describe('restarts', () => {
  test('a restarted node has no presignatures; the coordinator forgets its own on disconnect and signs without one', async () => {
    await c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)), { pair: [2, 3] });
    await c.coordinator.presignsSettled();
    expect(c.coordinator.presigns.sizes(key.id, Date.now())['2/3']).toBe(PRESIGN_POOL_DEPTH);
    await c.stopNode(3);
    await c.startNode(3);
    expect(node(3).presignatureCount(key.id)).toBe(0);
    await vi.waitFor(() => expect(c.coordinator.presigns.sizes(key.id, Date.now())['2/3']).toBeUndefined());
    const r = await c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)), { pair: [2, 3] });
    expectValid([r]);
    expect(r.attempts).toHaveLength(1);
    await c.coordinator.presignsSettled();
  });

  test('a presignature the coordinator still lists but a node lost: ERR_PRESIGNATURE_UNKNOWN, then the same pair signs in full', async () => {
    // node 2 holds its half, node 3 never had it (as after a restart the coordinator did not see)
    const sid = await presign(2, 3);
    expect(code(await bind(3, sid, 2, 3))).not.toBe('ERR_PRESIGNATURE_UNKNOWN'); // node 3's half is now gone
    // the stale entry must be the one taken: the pair's other entries are dropped first
    await c.coordinator.presignsSettled();
    while (c.coordinator.presigns.take(key.id, [2, 3], Date.now()));
    c.coordinator.presigns.put(key.id, { sessionId: sid, pair: [2, 3], at: Date.now() });
    const r = await c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)), { pair: [2, 3] });
    expectValid([r]);
    expect(r.attempts).toHaveLength(2);
    expect(r.attempts[0]).toMatchObject({ nodes: [2, 3], sessionId: Buffer.from(sid).toString('hex'), error: { code: 'ERR_PRESIGNATURE_UNKNOWN' } });
    expect(r.attempts[1]!.sessionId).not.toBe(Buffer.from(sid).toString('hex'));
    await c.coordinator.presignsSettled();
  });
});

describe('cheating in a presign session', () => {
  test('a peer that tampers with its round-1 extension in a presign session is banned, and the honest node records it in its audit log', async () => {
    const k2 = await c.coordinator.createKey('presign-ban');
    const keyId = hexBytes(k2.id);
    tamper = (e) => {
      if (e.protocol !== ProtocolKind.PRESIGN || e.round !== 1 || e.to !== 1) return e;
      const payload = e.payload.slice();
      payload[96 + 5]! ^= 1; // a byte of the extension message (after pctx ‖ salt ‖ com)
      return { ...e, payload };
    };
    const sessionId = new Uint8Array(randomBytes(32));
    let rs: ControlResponse[];
    try {
      rs = await Promise.all([1, 2].map((i) => c.coordinator.request(i, { presign: { keyId, sessionId, initiator: 1, responder: 2 } })));
    } finally {
      tamper = undefined;
    }
    expect(rs[0]).toMatchObject({ failure: { failureClass: 'ABORT_BAN', code: 'ERR_OTE_CHECK', culprit: 2 } });
    const entry = (await node(1).auditEntries()).find((e) => e.type === 'presign_failed' && e.data.sessionId === Buffer.from(sessionId).toString('hex'));
    expect(entry?.data).toMatchObject({ keyId: k2.id, failureClass: 'ABORT_BAN', code: 'ERR_OTE_CHECK', culprit: 2, initiator: 1, responder: 2 });
    // the ban holds for later presign sessions of the pair under that key, not for other pairs
    const again = await c.coordinator.request(1, { presign: { keyId, sessionId: new Uint8Array(randomBytes(32)), initiator: 1, responder: 2 } });
    expect(code(again)).toBe('ERR_PEER_BANNED');
    const other = new Uint8Array(randomBytes(32));
    const ok = await Promise.all([2, 3].map((i) => c.coordinator.request(i, { presign: { keyId, sessionId: other, initiator: 2, responder: 3 } })));
    expect(ok.map(code)).toEqual(['presign', 'presign']);
  });
});
