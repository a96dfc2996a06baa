/**
 * The libp2p stack shared by nodes and the coordinator (TCP + Noise + Yamux, allow-list gater)
 * and length-prefixed framing with a size limit and an abort-signal timeout on every read.
 * Protocols:
 *   MSG_PROTOCOL      node -> node, a long-lived stream per peer carrying signed Envelopes
 *   CONTROL_PROTOCOL  coordinator -> node, one ControlRequest, then Progress* and one final response
 */
import './polyfill.js';
import { createLibp2p, type Libp2p } from 'libp2p';
import { tcp } from '@libp2p/tcp';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils';
import { KEEP_ALIVE, type PeerId, type PrivateKey, type Stream } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { MAX_FRAME_BYTES } from './index.js';

export const MSG_PROTOCOL = '/tecdsa-cluster/msg/1.0.0';
export const CONTROL_PROTOCOL = '/tecdsa-cluster/control/1.0.0';
/** Concurrent streams per connection and protocol. */
export const MAX_INBOUND_STREAMS = 512;

export interface KnownPeer {
  readonly peerId: string;
  readonly addrs: readonly string[];
}

export interface HostOptions {
  readonly privateKey: PrivateKey;
  readonly listen: readonly string[];
  /** Every peer allowed to connect either way; all others are refused by the gater. */
  readonly peers: readonly KnownPeer[];
  /** Peers to keep connected (redialled when they drop). */
  readonly keepAlive?: readonly string[];
}

export async function createHost(o: HostOptions): Promise<Libp2p> {
  const allowed = new Set(o.peers.map((p) => p.peerId));
  const deny = (p: PeerId) => !allowed.has(p.toString());
  const node = await createLibp2p({
    privateKey: o.privateKey,
    addresses: { listen: [...o.listen] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: {
      denyDialPeer: deny,
      denyInboundEncryptedConnection: deny,
      denyOutboundEncryptedConnection: deny,
      denyInboundUpgradedConnection: deny,
      denyOutboundUpgradedConnection: deny,
      denyDialMultiaddr: () => false,
    },
    connectionMonitor: { enabled: false },
    start: false,
  });
  const keep = new Set(o.keepAlive ?? []);
  for (const p of o.peers) {
    await node.peerStore.merge(peerIdFromString(p.peerId), {
      multiaddrs: p.addrs.map((a) => multiaddr(a)),
      ...(keep.has(p.peerId) ? { tags: { [KEEP_ALIVE]: { value: 1 } } } : {}),
    });
  }
  await node.start();
  return node;
}

/**
 * Control streams are reused by the coordinator for its next request (coordinator/src/control-streams.ts)
 * while idle for at most CONTROL_POOL_IDLE_MS; a node waits CONTROL_IDLE_MS (twice as long) for
 * the next request on one, so it never closes a stream the coordinator is about to write to.
 */
export const CONTROL_POOL_IDLE_MS = 30_000;
export const CONTROL_IDLE_MS = 2 * CONTROL_POOL_IDLE_MS;
/**
 * Presignatures (rounds 1–2 of signing run ahead of a request, protocol/SPEC.md §6.6): a node
 * keeps one in memory at most this long, and at most PRESIGN_MAX_HELD per key; the coordinator
 * hands one out only while it is younger than PRESIGN_TTL_MS − PRESIGN_TTL_MARGIN_MS.
 */
export const PRESIGN_TTL_MS = 10 * 60_000;
export const PRESIGN_TTL_MARGIN_MS = 60_000;
export const PRESIGN_MAX_HELD = 64;

export function frames(stream: Stream): LengthPrefixedStream<Stream> {
  return lpStream(stream, { maxDataLength: MAX_FRAME_BYTES });
}

/** libp2p sometimes rejects with a StreamCloseEvent instead of an Error; normalise. */
export function asError(e: unknown): Error {
  if (e instanceof Error) return e;
  const t = (e as { type?: string } | null)?.type;
  return new Error(`stream failed${t ? ` (${t})` : ''}`);
}

/** Reads one frame, failing after `timeoutMs`. */
export async function readFrame(lp: LengthPrefixedStream<Stream>, timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array> {
  const s = signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  try {
    return (await lp.read({ signal: s })).subarray();
  } catch (e) {
    throw asError(e);
  }
}
