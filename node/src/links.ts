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
  /** One link (or the promise of one being opened) per peer; concurrent senders share it. */
  private readonly links = new Map<string, Promise<Link>>();

  constructor(
    private readonly host: Libp2p,
    private readonly protocol: string,
    private readonly now: () => number = Date.now,
  ) {}

  private link(peer: string, signal: AbortSignal): Promise<Link> {
    let p = this.links.get(peer);
    if (!p) {
      p = this.host.dialProtocol(peerIdFromString(peer), this.protocol, { signal, negotiateFully: false }).then((stream) => {
        const link: Link = { stream, lp: frames(stream), lastUse: this.now(), queue: Promise.resolve() };
        stream.addEventListener('close', () => this.forget(peer, p!), { once: true });
        return link;
      });
      this.links.set(peer, p);
      p.catch(() => this.forget(peer, p!));
    }
    return p;
  }

  private forget(peer: string, p: Promise<Link>): void {
    if (this.links.get(peer) === p) this.links.delete(peer);
  }

  private retire(peer: string, p: Promise<Link>, link: Link): void {
    this.forget(peer, p);
    Promise.resolve(link.stream.close()).catch(() => link.stream.abort(new Error('link retired')));
  }

  /** Writes one frame to `peer`, in order with earlier frames to the same peer. */
  async send(peer: string, frame: Uint8Array, timeoutMs: number): Promise<void> {
    const signal = AbortSignal.timeout(timeoutMs);
    for (let attempt = 0; ; attempt++) {
      if (attempt > 2) throw new Error(`no usable message stream to ${peer}`);
      const p = this.link(peer, signal);
      let l: Link;
      try {
        l = await p;
      } catch (e) {
        if (attempt >= 1 || signal.aborted) throw asError(e);
        continue;
      }
      if (l.stream.status !== 'open' || this.now() - l.lastUse > LINK_IDLE_MS) {
        this.retire(peer, p, l);
        continue;
      }
      l.lastUse = this.now();
      const write = l.queue.then(() => l.lp.write(frame, { signal }));
      l.queue = write.catch(() => {});
      try {
        await write;
        return;
      } catch (e) {
        this.retire(peer, p, l);
        if (attempt >= 1 || signal.aborted) throw asError(e);
      }
    }
  }

  close(): void {
    for (const [peer, p] of this.links) void p.then((l) => this.retire(peer, p, l), () => {});
  }
}
