/**
 * What a node does with hostile network input, over real libp2p on 127.0.0.1: peers not in the
 * cluster are refused by the gater; control requests are taken from the coordinator only; and
 * garbage, oversized, tampered, misattributed and replayed frames are dropped (counted by
 * reason) while the node keeps signing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { randomBytes, sign as edSign } from 'node:crypto';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { lpStream } from '@libp2p/utils';
import type { Libp2p } from 'libp2p';
import { startTestCluster, type TestCluster } from './harness.js';
import { CONTROL_PROTOCOL, MSG_PROTOCOL, createHost, frames, readFrame } from '../../proto/transport.js';
import { MAX_FRAME_BYTES, ProtocolKind, decodeControlResponse, encodeControlRequest, encodeEnvelope, envelopeSigningBytes, type Envelope } from '../../proto/index.js';
import { MAX_EARLY_SESSIONS_PER_PEER, type ClusterNode, type DropReason } from '../../node/src/node.js';
import type { KeyRecord } from '../../coordinator/src/store.js';

let c: TestCluster;
let key: KeyRecord;
const sent: Omit<Envelope, 'signature'>[] = [];

beforeAll(async () => {
  // node 2 records what it sends, so the test can replay a real message later
  c = await startTestCluster({ hooks: { 2: { outgoing: (e) => (sent.push(e), e) } } });
  key = await c.coordinator.createKey('network');
  await c.setPolicy(key.id);
});
afterAll(async () => {
  await c?.close();
});
// A signature is followed by presign refills in the background; tests that count a node's
// delivered and dropped messages start after they are done.
beforeEach(async () => {
  await c?.coordinator.presignsSettled();
});

const node = (i: number) => c.nodes[i - 1] as ClusterNode;
const dropped = (i: number, r: DropReason) => node(i).stats.dropped[r] ?? 0;

async function until(f: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends raw frame bytes from `from`'s libp2p host to node `to` on the message protocol. */
async function sendRaw(from: Libp2p, to: number, frame: Uint8Array): Promise<void> {
  const s = await from.dialProtocol(peerIdFromString(node(to).peerId), MSG_PROTOCOL);
  await lpStream(s).write(frame);
  await Promise.resolve(s.close()).catch(() => {});
}

function signedBy(n: ClusterNode, e: Omit<Envelope, 'signature'>): Uint8Array {
  const signature = new Uint8Array(edSign(null, envelopeSigningBytes(e), n.identity.signingKey));
  return encodeEnvelope({ ...e, signature });
}

async function signsWith(pair: [number, number]): Promise<void> {
  const r = await c.coordinator.signDigest(key.id, new Uint8Array(randomBytes(32)), { pair });
  expect(r.status, JSON.stringify(r.attempts)).toBe('signed');
}

describe('connection gater', () => {
  test('a peer id not in the cluster cannot open a stream to a node; a listed one can', async () => {
    const n1 = c.info.cluster.nodes[0]!;
    const stranger = await createHost({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'], peers: [n1] });
    try {
      const before = node(1).stats.delivered + Object.values(node(1).stats.dropped).reduce((a, b) => a + b, 0);
      await expect(
        (async () => {
          const s = await stranger.dialProtocol(multiaddr(`${n1.addrs[0]}/p2p/${n1.peerId}`), CONTROL_PROTOCOL, { signal: AbortSignal.timeout(3_000) });
          const lp = frames(s);
          await lp.write(encodeControlRequest({ status: {} }));
          return readFrame(lp, 3_000);
        })(),
      ).rejects.toThrow();
      const after = node(1).stats.delivered + Object.values(node(1).stats.dropped).reduce((a, b) => a + b, 0);
      expect(after).toBe(before); // the handler never ran
      expect(node(1).host.getConnections(stranger.peerId).length).toBe(0);
    } finally {
      await stranger.stop();
    }
    // positive control: the coordinator (listed) gets an answer from the same node
    const r = await c.coordinator.request(1, { status: {} });
    expect('status' in r && r.status.peerId).toBe(n1.peerId);
  });

  test('our own dial to an unlisted peer is refused before any socket opens', async () => {
    const other = peerIdFromString((await createHostlessPeer()).toString());
    await expect(node(1).host.dial(multiaddr(`/ip4/127.0.0.1/tcp/9/p2p/${other.toString()}`))).rejects.toThrow(/gater|denied/i);
  });

  test('control requests from a node (not the coordinator) are refused', async () => {
    const before = dropped(1, 'unauthorized');
    const s = await node(2).host.dialProtocol(peerIdFromString(node(1).peerId), CONTROL_PROTOCOL);
    const lp = frames(s);
    await lp.write(encodeControlRequest({ status: {} })).catch(() => {});
    await expect(readFrame(lp, 3_000).then((b) => decodeControlResponse(b))).rejects.toThrow();
    await until(() => dropped(1, 'unauthorized') === before + 1);
  });
});

async function createHostlessPeer() {
  const { peerIdFromPrivateKey } = await import('@libp2p/peer-id');
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'));
}

describe('frames from a listed peer', () => {
  const sid = () => new Uint8Array(randomBytes(32));
  const base = (): Omit<Envelope, 'signature'> => ({ sessionId: sid(), protocol: ProtocolKind.SIGN, round: 1, from: 2, to: 1, payload: new Uint8Array(100) });

  test('garbage is dropped', async () => {
    const before = dropped(1, 'garbage');
    await sendRaw(node(2).host, 1, new Uint8Array(randomBytes(300)).fill(0xff, 0, 1));
    await until(() => dropped(1, 'garbage') === before + 1);
  });

  test('a frame over the size limit is dropped unread', async () => {
    const before = dropped(1, 'oversized');
    await sendRaw(node(2).host, 1, new Uint8Array(MAX_FRAME_BYTES + 1)).catch(() => {});
    await until(() => dropped(1, 'oversized') === before + 1);
  });

  test('a tampered payload fails the signature check', async () => {
    const before = dropped(1, 'bad_signature');
    const e = base();
    const f = signedBy(node(2), e);
    f[f.length - 70]! ^= 1; // inside the payload (the signature is the last 66 bytes)
    await sendRaw(node(2).host, 1, f);
    await until(() => dropped(1, 'bad_signature') === before + 1);
  });

  test('a message claiming another sender than the connection it came over is dropped', async () => {
    const before = dropped(1, 'wrong_sender');
    await sendRaw(node(2).host, 1, signedBy(node(3), { ...base(), from: 3 }));
    await until(() => dropped(1, 'wrong_sender') === before + 1);
  });

  test('a message for another party is dropped', async () => {
    const before = dropped(1, 'not_for_us');
    await sendRaw(node(2).host, 1, signedBy(node(2), { ...base(), to: 3 }));
    await until(() => dropped(1, 'not_for_us') === before + 1);
  });

  test('a replayed message of a finished session is dropped', async () => {
    sent.length = 0;
    await signsWith([2, 1]);
    const old = sent.find((e) => e.protocol === ProtocolKind.SIGN && e.to === 1);
    expect(old).toBeDefined();
    const before = dropped(1, 'finished');
    await sendRaw(node(2).host, 1, signedBy(node(2), old!));
    await until(() => dropped(1, 'finished') === before + 1);
  });

  test('a bad frame on a long-lived stream is dropped and the next frame on the same stream is still read', async () => {
    const g = dropped(1, 'garbage');
    const d = node(1).stats.delivered;
    const s = await node(2).host.dialProtocol(peerIdFromString(node(1).peerId), MSG_PROTOCOL);
    const lp = lpStream(s);
    await lp.write(new Uint8Array([0xff, 0xff, 0xff]));
    await lp.write(signedBy(node(2), base()));
    await until(() => dropped(1, 'garbage') === g + 1 && node(1).stats.delivered === d + 1);
    await Promise.resolve(s.close()).catch(() => {});
  });

  test('early messages are buffered within bounds: one peer cannot take every slot', async () => {
    const o = dropped(1, 'early_overflow');
    const link2 = lpStream(await node(2).host.dialProtocol(peerIdFromString(node(1).peerId), MSG_PROTOCOL));
    // one more distinct session than a peer may open (earlier tests may already hold a slot or two)
    const d2 = node(1).stats.delivered;
    for (let i = 0; i <= MAX_EARLY_SESSIONS_PER_PEER; i++) await link2.write(signedBy(node(2), base()));
    await until(() => node(1).stats.delivered + dropped(1, 'early_overflow') - o === d2 + MAX_EARLY_SESSIONS_PER_PEER + 1);
    const over = dropped(1, 'early_overflow') - o;
    expect(over).toBeGreaterThanOrEqual(1);
    expect(over).toBeLessThanOrEqual(3);
    // another peer's early message is still buffered (delivered, not dropped)
    const d = node(1).stats.delivered;
    const link3 = lpStream(await node(3).host.dialProtocol(peerIdFromString(node(1).peerId), MSG_PROTOCOL));
    await link3.write(signedBy(node(3), { ...base(), from: 3 }));
    await until(() => node(1).stats.delivered === d + 1);
    expect(dropped(1, 'early_overflow')).toBe(o + over);
  });

  test('after all of that every pair with node 1 still signs', async () => {
    await signsWith([1, 2]);
    await signsWith([3, 1]);
  });
});
