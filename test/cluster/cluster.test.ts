/**
 * The cluster over real TCP on 127.0.0.1 (libp2p: Noise + Yamux) with real LevelDB in temp
 * directories: DKG through the coordinator, a signature by every ordered pair verified by
 * OpenSSL and viem, restart of every node, a stopped node, a node failing mid-session, many
 * concurrent sessions.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHash, randomBytes, verify as nodeVerify } from 'node:crypto';
import { recoverAddress } from 'viem';
import { startTestCluster, type TestCluster } from './harness.js';
import { opensslVerify, orderedPairs, publicKeyPem } from '../helpers.js';
import type { KeyRecord, SignRequestRecord } from '../../coordinator/src/store.js';
import { ProtocolKind } from '../../proto/index.js';

let c: TestCluster;
let key: KeyRecord;

beforeAll(async () => {
  c = await startTestCluster({ roundTimeoutMs: 3_000 });
  key = await c.coordinator.createKey('integration');
  await c.setPolicy(key.id);
});
afterAll(async () => {
  await c?.close();
});

const hexBytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/^0x/, ''), 'hex'));
const digestOf = (r: SignRequestRecord) => hexBytes(r.digest);

async function verifyAll(recs: SignRequestRecord[]): Promise<void> {
  for (const r of recs) expect(r.status, JSON.stringify(r.error ?? r.attempts)).toBe('signed');
  const ok = opensslVerify(
    recs.map((r) => ({ publicKey: hexBytes(key.publicKey), digest: digestOf(r), compact: Uint8Array.from([...hexBytes(r.signature!.r), ...hexBytes(r.signature!.s)]) })),
  );
  expect(ok).toEqual(recs.map(() => true));
  for (const r of recs) {
    const s = r.signature!;
    expect(s.v).toBe(27 + s.yParity);
    expect(BigInt(s.s) <= 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n).toBe(true);
    const addr = await recoverAddress({ hash: r.digest as `0x${string}`, signature: { r: s.r as `0x${string}`, s: s.s as `0x${string}`, yParity: s.yParity } });
    expect(addr).toBe(key.address);
  }
}

describe('DKG across three node processes’ worth of hosts', () => {
  test('every node holds a share of the same key; the coordinator knows only public data', async () => {
    expect(key.publicKey).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(key.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(key.parties.map((p) => p.peerId)).toEqual(c.info.cluster.nodes.map((n) => n.peerId));
    for (const n of c.nodes) {
      const ks = await n!.listKeys();
      expect(ks.map((k) => [k.keyId, k.publicKey, k.index])).toEqual([[key.id, key.publicKey, n!.index]]);
    }
    expect(Object.keys(key).sort()).toEqual(['address', 'bannedPairs', 'createdAt', 'id', 'name', 'parties', 'publicKey', 'publicShares', 'threshold']);
  });
});

describe('signing', () => {
  test('every ordered pair signs; node:crypto and OpenSSL verify, viem recovers the address', async () => {
    const recs: SignRequestRecord[] = [];
    const pem = publicKeyPem(hexBytes(key.publicKey));
    for (const [I, R] of orderedPairs(3)) {
      // digest = SHA-256(message), so node:crypto's ECDSA-with-SHA-256 verification applies
      const message = randomBytes(100);
      const digest = new Uint8Array(createHash('sha256').update(message).digest());
      const r = await c.coordinator.signDigest(key.id, digest, { pair: [I, R] });
      expect(r.nodes?.map((n) => n.index)).toEqual([I, R]);
      const sig = Buffer.from(r.signature!.r.slice(2) + r.signature!.s.slice(2), 'hex');
      expect(nodeVerify('sha256', message, { key: pem, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
      // control: the same signature does not verify another message
      expect(nodeVerify('sha256', randomBytes(100), { key: pem, dsaEncoding: 'ieee-p1363' }, sig)).toBe(false);
      recs.push(r);
    }
    await verifyAll(recs);
  });

  test('16 concurrent requests all sign', async () => {
    const recs = await Promise.all(Array.from({ length: 16 }, () => c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)))));
    await verifyAll(recs);
    expect(new Set(recs.map((r) => r.sessionId)).size).toBe(16);
  });

  test('a node that stops answering mid-session is blamed after the round timeout and the coordinator retries with another pair', async () => {
    await c.stopNode(1);
    // node 1 sends its first signing message, then goes silent (rounds 1–2 are PRESIGN, round 3 SIGN)
    await c.startNode(1, { outgoing: (e) => ((e.protocol === ProtocolKind.PRESIGN && e.round > 1) || e.protocol === ProtocolKind.SIGN ? null : e) });
    try {
      const r = await c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)), { first: [1, 2] });
      await verifyAll([r]);
      expect(r.attempts.length).toBe(2);
      expect(r.attempts[0]!.nodes).toEqual([1, 2]);
      expect(r.attempts[0]!.error).toMatchObject({ code: 'ERR_TIMEOUT', culprit: 1 });
      expect(r.nodes!.map((n) => n.index).sort()).toEqual([2, 3]);
    } finally {
      await c.stopNode(1);
      await c.startNode(1, {});
    }
  });

  test('control streams are reused across requests; one the node has closed is replaced without failing the request', async () => {
    const peer = c.nodes[0]!.peerId;
    await c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)), { pair: [1, 2] });
    await c.coordinator.presignsSettled();
    const opened = c.nodes[0]!.stats.controlStreams;
    const recs: SignRequestRecord[] = [];
    // (each request is followed by a presign refill on the same pair: waited for, so that the
    // next request finds the stream idle rather than opening a second one beside the refill's)
    for (let i = 0; i < 5; i++) {
      await c.coordinator.presignsSettled();
      recs.push(await c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)), { pair: [1, 2] }));
    }
    await c.coordinator.presignsSettled();
    expect(c.nodes[0]!.stats.controlStreams, 'five sequential requests reuse one stream').toBe(opened);
    expect(c.coordinator.control.idleCount(peer)).toBeGreaterThan(0);
    // the node closes its side: the coordinator's pooled stream is stale; the next request must still sign
    c.nodes[0]!.closeControlStreams();
    recs.push(await c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)), { pair: [1, 2] }));
    expect(recs.map((r) => r.status), JSON.stringify(recs.at(-1))).toEqual(Array(6).fill('signed'));
    expect(recs.every((r) => r.attempts.length === 1), 'no request needed a second pair').toBe(true);
    expect(c.nodes[0]!.stats.controlStreams, 'a fresh stream replaced the closed one').toBe(opened + 1);
    await verifyAll(recs);
  });

  test('restart every node: the stored (encrypted) shares sign again', async () => {
    for (const i of [1, 2, 3]) await c.stopNode(i);
    for (const i of [1, 2, 3]) await c.startNode(i, {});
    const recs: SignRequestRecord[] = [];
    for (const [I, R] of [[1, 2], [2, 3], [3, 1]] as const) recs.push(await c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)), { pair: [I, R] }));
    await verifyAll(recs);
  });

  test('one node stopped: a request over HTTP is signed by the other pair; health shows it', async () => {
    await c.stopNode(2);
    try {
      const h = await c.app.inject({ method: 'GET', url: '/health', headers: { authorization: `Bearer ${c.token}` } });
      expect(h.statusCode).toBe(200);
      expect(h.json().status).toBe('degraded');
      expect(h.json().nodes.map((n: { index: number; reachable: boolean }) => [n.index, n.reachable])).toEqual([[1, true], [2, false], [3, true]]);
      const digest = `0x${randomBytes(32).toString('hex')}`;
      const res = await c.app.inject({ method: 'POST', url: '/v1/sign-requests', headers: { authorization: `Bearer ${c.token}` }, payload: { keyId: key.id, kind: 'digest', digest } });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.status).toBe('signed');
      expect(body.nodes.map((n: { index: number }) => n.index).sort()).toEqual([1, 3]);
      const got = await c.app.inject({ method: 'GET', url: `/v1/sign-requests/${body.id}`, headers: { authorization: `Bearer ${c.token}` } });
      expect(got.json()).toEqual(body);
      await verifyAll([(await c.coordinator.getSignRequest(body.id))!]);
    } finally {
      await c.startNode(2, {});
    }
  });

  test('two nodes stopped: the request fails with a clear error, not a hang', async () => {
    await c.stopNode(2);
    await c.stopNode(3);
    try {
      const res = await c.app.inject({ method: 'POST', url: '/v1/sign-requests', headers: { authorization: `Bearer ${c.token}` }, payload: { keyId: key.id, kind: 'digest', digest: `0x${'11'.repeat(32)}` } });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('ERR_SIGNING_FAILED');
    } finally {
      await c.startNode(2, {});
      await c.startNode(3, {});
    }
  });
});
