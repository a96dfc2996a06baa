/**
 * Pairwise-setup guard (@spec SPEC.md §6.5). Δ is reused across every signing session of a
 * (key, ordered pair); whether an extension check passes depends on bits of Δ. So:
 *  - checks against one Δ run strictly one at a time (`withDelta` is an exclusive section),
 *  - the ban is tested inside that section, before the check, and
 *  - a failed check records the ban before the section ends.
 * A node supplies a durable implementation (the ban must be persisted before `ban` returns
 * control to the next check); `MemoryPairGuard` is the in-process reference used by tests.
 */
import { ErrorCode, ProtocolError, bug, isProtocolError } from './errors.js';

export interface PairGuard {
  isBanned(keyId: string, peer: number): boolean;
  /** Records a ban of `peer`'s pairwise setup for `keyId`. */
  ban(keyId: string, peer: number, reason: ProtocolError): void;
  /** Runs `fn` exclusively for the Δ this party holds toward `peer` under `keyId`. */
  withDelta<T>(keyId: string, peer: number, fn: () => T): T;
}

export class MemoryPairGuard implements PairGuard {
  private readonly banned = new Map<string, ProtocolError>();
  private readonly busy = new Set<string>();
  /** Highest number of checks that ever ran at once for one Δ (tests assert it stays 1). */
  maxConcurrent = 0;
  checks = 0;

  isBanned(keyId: string, peer: number): boolean {
    return this.banned.has(`${keyId}/${peer}`);
  }
  ban(keyId: string, peer: number, reason: ProtocolError): void {
    this.markBanned(keyId, peer, reason);
  }
  /** Records the ban in memory only (a durable subclass also persists it in `ban`). */
  protected markBanned(keyId: string, peer: number, reason: ProtocolError): void {
    this.banned.set(`${keyId}/${peer}`, reason);
  }
  withDelta<T>(keyId: string, peer: number, fn: () => T): T {
    const k = `${keyId}/${peer}`;
    if (this.busy.has(k)) throw bug(`two checks against one Δ at once (${k})`);
    this.busy.add(k);
    this.maxConcurrent = Math.max(this.maxConcurrent, this.busy.size);
    try {
      if (this.isBanned(keyId, peer)) {
        throw new ProtocolError('ABORT', ErrorCode.PEER_BANNED, `pairwise setup with party ${peer} is banned for this key`, { culprit: peer });
      }
      this.checks++;
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
}
