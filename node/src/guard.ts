/**
 * Durable pairwise-setup guard (protocol/core/guard.ts, @spec SPEC.md §6.5) backed by NodeStore.
 *
 * Guarantees
 *  - `withDelta` has exactly MemoryPairGuard's semantics: one check at a time per (key, peer)
 *    (re-entry is a BUG), the ban is tested inside the section before the check, and an
 *    ABORT_BAN error with a culprit bans the culprit inside the section.
 *  - `ban` updates the in-memory set synchronously, so every later check in this process sees
 *    it at once, and starts the store write. `flush()` waits for every write started so far and
 *    rejects if one failed; the session runner awaits it before reporting an abort, so a
 *    reported ban has been persisted and survives a restart (build the next guard from
 *    `store.listBans()`).
 */
import { ErrorCode, ProtocolError, bug, isProtocolError } from '../../protocol/core/errors.js';
import type { PairGuard } from '../../protocol/core/guard.js';
import type { BanRecord, NodeStore } from './store.js';

export class DurablePairGuard implements PairGuard {
  private readonly banned = new Set<string>();
  private readonly busy = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private failures: unknown[] = [];

  constructor(
    private readonly store: NodeStore,
    bans: readonly Pick<BanRecord, 'keyId' | 'peer'>[],
    private readonly now: () => number,
  ) {
    for (const b of bans) this.banned.add(`${b.keyId}/${b.peer}`);
  }

  isBanned(keyId: string, peer: number): boolean {
    return this.banned.has(`${keyId}/${peer}`);
  }

  ban(keyId: string, peer: number, reason: ProtocolError): void {
    this.banned.add(`${keyId}/${peer}`);
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

  withDelta<T>(keyId: string, peer: number, fn: () => T): T {
    const k = `${keyId}/${peer}`;
    if (this.busy.has(k)) throw bug(`two checks against one Δ at once (${k})`);
    this.busy.add(k);
    try {
      if (this.isBanned(keyId, peer)) {
        throw new ProtocolError('ABORT', ErrorCode.PEER_BANNED, `pairwise setup with party ${peer} is banned for this key`, { culprit: peer });
      }
      try {
        return fn();
      } catch (e) {
        if (isProtocolError(e) && e.failure === 'ABORT_BAN' && e.culprit !== undefined) this.ban(keyId, e.culprit, e);
        throw e;
      }
    } finally {
      this.busy.delete(k);
    }
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
