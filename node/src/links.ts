/**
 * Long-lived outbound message streams, one per peer. Opening a yamux stream and negotiating the
 * protocol for every protocol message costs a few milliseconds per hop; a signature has four
 * hops. Frames on a link are written one at a time, in order. A link unused for
 * LINK_IDLE_MS is replaced rather than reused, so the receiver's idle timeout
 * (INBOUND_IDLE_MS, twice as long) can never close a stream the sender is about to write to.
 * A failed write is retried once on a fresh stream.
 */
import type { Libp2p } from 'libp2p';
import type { Stream } from '@libp2p/interface';
import type { LengthPrefixedStream } from '@libp2p/utils';
import { peerIdFromString } from '@libp2p/peer-id';
import { asError, frames } from '../../proto/transport.js';

export const LINK_IDLE_MS = 60_000;
export const INBOUND_IDLE_MS = 2 * LINK_IDLE_MS;

interface Link {
  stream: Stream;
  lp: LengthPrefixedStream<Stream>;
  lastUse: number;
  queue: Promise<void>;
}

export class PeerLinks {
  private readonly links = new Map<string, Link>();

  constructor(
    private readonly host: Libp2p,
    private readonly protocol: string,
    private readonly now: () => number = Date.now,
  ) {}

  private async open(peer: string, signal: AbortSignal): Promise<Link> {
    const stream = await this.host.dialProtocol(peerIdFromString(peer), this.protocol, { signal, negotiateFully: false });
    const link: Link = { stream, lp: frames(stream), lastUse: this.now(), queue: Promise.resolve() };
    this.links.set(peer, link);
    const drop = () => {
      if (this.links.get(peer) === link) this.links.delete(peer);
    };
    stream.addEventListener('close', drop, { once: true });
    return link;
  }

  private retire(peer: string, link: Link): void {
    if (this.links.get(peer) === link) this.links.delete(peer);
    Promise.resolve(link.stream.close()).catch(() => link.stream.abort(new Error('link retired')));
  }

  /** Writes one frame to `peer`, in order with earlier frames to the same peer. */
  async send(peer: string, frame: Uint8Array, timeoutMs: number): Promise<void> {
    const signal = AbortSignal.timeout(timeoutMs);
    let link = this.links.get(peer);
    if (link && (this.now() - link.lastUse > LINK_IDLE_MS || link.stream.status !== 'open')) {
      this.retire(peer, link);
      link = undefined;
    }
    for (let attempt = 0; ; attempt++) {
      link ??= await this.open(peer, signal);
      const l = link;
      const write = l.queue.then(() => l.lp.write(frame, { signal }));
      l.queue = write.catch(() => {});
      try {
        await write;
        l.lastUse = this.now();
        return;
      } catch (e) {
        this.retire(peer, l);
        link = undefined;
        if (attempt >= 1 || signal.aborted) throw asError(e);
      }
    }
  }

  close(): void {
    for (const [peer, l] of this.links) this.retire(peer, l);
  }
}
