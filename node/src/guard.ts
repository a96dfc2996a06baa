/**
 * Durable pairwise-setup guard (protocol/core/guard.ts, @spec SPEC.md §6.5) backed by NodeStore.
 *
 * Guarantees
 *  - `withDelta` is MemoryPairGuard's (inherited): one check at a time per (key, peer)
 *    (re-entry is a BUG), the ban is tested inside the section before the check, and an
 *    ABORT_BAN error with a culprit bans the culprit inside the section.
 *  - `ban` updates the in-memory set synchronously, so every later check in this process sees
 *    it at once, and starts the store write. `flush()` waits for every write started so far and
 *    rejects if one failed; the session runner awaits it before reporting an abort, so a
 *    reported ban has been persisted and survives a restart (build the next guard from
 *    `store.listBans()`).
 */
import { ErrorCode, ProtocolError } from '../../protocol/core/errors.js';
import { MemoryPairGuard } from '../../protocol/core/guard.js';
import type { BanRecord, NodeStore } from './store.js';

export class DurablePairGuard extends MemoryPairGuard {
  private readonly pending = new Set<Promise<void>>();
  private failures: unknown[] = [];

  constructor(
    private readonly store: NodeStore,
    bans: readonly Pick<BanRecord, 'keyId' | 'peer'>[],
    private readonly now: () => number,
  ) {
    super();
    for (const b of bans) this.markBanned(b.keyId, b.peer, new ProtocolError('ABORT_BAN', ErrorCode.PEER_BANNED, 'banned before this start', { culprit: b.peer }));
  }

  /** Bans in memory at once (the next check sees it) and starts the durable write. */
  override ban(keyId: string, peer: number, reason: ProtocolError): void {
    this.markBanned(keyId, peer, reason);
    let write: Promise<void>;
    try {
      write = this.store.ban(keyId, peer, { code: reason.code, message: reason.message }, this.now());
    } catch (e) {
      write = Promise.reject(e);
    }
    const tracked: Promise<void> = write.then(
      () => {
        this.pending.delete(tracked);
      },
      (e: unknown) => {
        this.pending.delete(tracked);
        this.failures.push(e);
      },
    );
    this.pending.add(tracked);
  }

  /** Waits for every ban write started so far; rejects with the first failure (then forgets it). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.failures.length > 0) {
      const [first, ...rest] = this.failures;
      this.failures = [];
      if (rest.length === 0) throw first;
      throw new AggregateError([first, ...rest], `${rest.length + 1} ban writes failed`);
    }
  }
}
