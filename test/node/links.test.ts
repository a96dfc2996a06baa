/**
 * PeerLinks (node/src/links.ts) over two real libp2p hosts: frames to one peer share one
 * stream and arrive in order; a link idle for LINK_IDLE_MS is replaced by a fresh stream; a
 * link whose stream the receiver closed is replaced and the frame still arrives.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import type { Libp2p } from 'libp2p';
import type { Stream } from '@libp2p/interface';
import { createHost, frames, readFrame } from '../../proto/transport.js';
import { LINK_IDLE_MS, PeerLinks } from '../../node/src/links.js';
import { freePortBlock } from '../cluster/harness.js';

const PROTO = '/tecdsa-cluster/test-links/1.0.0';
let a: Libp2p;
let b: Libp2p;
let bId: string;
const streams: Stream[] = [];
const got: string[] = [];

beforeAll(async () => {
  const ka = await generateKeyPair('Ed25519');
  const kb = await generateKeyPair('Ed25519');
  bId = peerIdFromPrivateKey(kb).toString();
  const port = await freePortBlock(1);
  b = await createHost({ privateKey: kb, listen: [`/ip4/127.0.0.1/tcp/${port}`], peers: [{ peerId: peerIdFromPrivateKey(ka).toString(), addrs: [] }] });
  a = await createHost({ privateKey: ka, listen: ['/ip4/127.0.0.1/tcp/0'], peers: [{ peerId: bId, addrs: [`/ip4/127.0.0.1/tcp/${port}`] }] });
  await b.handle(PROTO, async (s) => {
    streams.push(s);
    const lp = frames(s);
    try {
      for (;;) got.push(new TextDecoder().decode(await readFrame(lp, 30_000)));
    } catch {
      /* stream ended */
    }
  });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

const until = async (f: () => boolean) => {
  const end = Date.now() + 5_000;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};
const enc = (s: string) => new TextEncoder().encode(s);

test('frames share one stream and arrive in order; an idle link is replaced; a closed one is reopened', async () => {
  let now = 1_000_000;
  const links = new PeerLinks(a, PROTO, () => now);
  await Promise.all(['1', '2', '3', '4', '5'].map((x) => links.send(bId, enc(x), 5_000)));
  await until(() => got.length === 5);
  expect(got).toEqual(['1', '2', '3', '4', '5']);
  expect(streams.length).toBe(1);

  now += LINK_IDLE_MS - 1;
  await links.send(bId, enc('6'), 5_000);
  await until(() => got.length === 6);
  expect(streams.length).toBe(1); // still within the idle window

  now += LINK_IDLE_MS + 1;
  await links.send(bId, enc('7'), 5_000);
  await until(() => got.length === 7);
  expect(streams.length).toBe(2); // replaced

  streams[1]!.abort(new Error('receiver drops the stream'));
  await new Promise((r) => setTimeout(r, 50));
  await links.send(bId, enc('8'), 5_000);
  await until(() => got.length === 8);
  expect(got.slice(6)).toEqual(['7', '8']);
  expect(streams.length).toBe(3);
  links.close();
});
