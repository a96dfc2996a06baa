/**
 * Reusable control streams from the coordinator to the nodes, one request at a time per stream.
 * Opening a yamux stream and negotiating the control protocol took ~6 ms here, most of the time
 * between the coordinator asking two nodes to sign and their starting; a stream that has carried
 * a whole request (its final answer read) goes back to the pool and carries the next one. A
 * stream idle for more than CONTROL_POOL_IDLE_MS is closed rather than reused, so the node's
 * idle timeout (CONTROL_IDLE_MS, twice as long; both in proto/transport.ts) never closes a
 * stream the coordinator is about to write to. At most CONTROL_POOL_MAX idle streams are kept
 * per node.
 */
import type { Libp2p } from 'libp2p';
import type { Stream } from '@libp2p/interface';
import type { LengthPrefixedStream } from '@libp2p/utils';
import { peerIdFromString } from '@libp2p/peer-id';
import { CONTROL_POOL_IDLE_MS, frames } from '../../proto/transport.js';

export const CONTROL_POOL_MAX = 4;

export interface ControlChannel {
  readonly stream: Stream;
  readonly lp: LengthPrefixedStream<Stream>;
  /** True when the stream already carried an earlier request. */
  readonly reused: boolean;
  lastUse: number;
}

export class ControlStreams {
  private readonly idle = new Map<string, ControlChannel[]>();
  private closed = false;

  constructor(
    private readonly host: Libp2p,
    private readonly protocol: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** An open idle stream to `peer` (most recently used first), or a new one. */
  async take(peer: string, signal: AbortSignal): Promise<ControlChannel> {
    const list = this.idle.get(peer) ?? [];
    while (list.length > 0) {
      const ch = list.pop()!;
      if (ch.stream.status === 'open' && this.now() - ch.lastUse <= CONTROL_POOL_IDLE_MS) return { ...ch, reused: true };
      this.discard(ch);
    }
    const stream = await this.host.dialProtocol(peerIdFromString(peer), this.protocol, { signal, negotiateFully: false });
    return { stream, lp: frames(stream), reused: false, lastUse: this.now() };
  }

  /** Returns a stream whose request is complete (final answer read) to the pool. */
  give(peer: string, ch: ControlChannel): void {
    const list = this.idle.get(peer) ?? [];
    if (this.closed || ch.stream.status !== 'open' || list.length >= CONTROL_POOL_MAX) {
      void Promise.resolve(ch.stream.close()).catch(() => ch.stream.abort(new Error('control stream not kept')));
      return;
    }
    ch.lastUse = this.now();
    list.push(ch);
    this.idle.set(peer, list);
  }

  /** Drops a stream that failed or whose state is unknown. */
  discard(ch: ControlChannel, why: Error = new Error('control stream discarded')): void {
    ch.stream.abort(why);
  }

  /** Number of idle streams kept for `peer` (for tests). */
  idleCount(peer: string): number {
    return this.idle.get(peer)?.length ?? 0;
  }

  close(): void {
    this.closed = true;
    for (const list of this.idle.values()) for (const ch of list) void Promise.resolve(ch.stream.close()).catch(() => {});
    this.idle.clear();
  }
}
