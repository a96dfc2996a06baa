/**
 * The coordinator's book of presignatures (protocol/SPEC.md §6.6): per key and signing pair,
 * the session ids of presign sessions that both nodes finished (rounds 1–2 of signing, run
 * before any request). A request takes one out, and it is never handed out again, whatever the
 * outcome; the nodes enforce the same on their side. The book holds no secret (session ids and
 * pairs only) and lives in memory: after a restart of the coordinator the nodes' presignatures
 * are orphans that expire there (PRESIGN_TTL_MS).
 */
import { PRESIGN_TTL_MARGIN_MS, PRESIGN_TTL_MS } from '../../proto/transport.js';

/** Presignatures kept ready per key and unordered signing pair (coordinator config `presignDepth`). */
export const PRESIGN_POOL_DEPTH = 2;
/** Largest `presignDepth` the config accepts (a node keeps at most PRESIGN_MAX_HELD per key). */
export const PRESIGN_POOL_DEPTH_MAX = 16;
/**
 * A refill's next presign session starts only after no request has been signing for this long,
 * so that presigning uses the gaps between requests instead of slowing them down.
 */
export const PRESIGN_REFILL_QUIET_MS = 30;
/** Presign sessions the coordinator runs at once, over all keys and pairs. */
export const PRESIGN_CONCURRENCY = 2;
/**
 * Every pair whose pool was ever filled is topped up this often (expired presignatures are
 * replaced), so a cluster that signs rarely still finds them ready.
 */
export const PRESIGN_MAINTAIN_MS = 60_000;
/** A presignature is handed out only while younger than this (the nodes keep it PRESIGN_TTL_MS). */
export const PRESIGN_USABLE_MS = PRESIGN_TTL_MS - PRESIGN_TTL_MARGIN_MS;

export interface PoolEntry {
  readonly sessionId: Uint8Array;
  /** Ordered (initiator, responder), as the presign session ran. */
  readonly pair: readonly [number, number];
  readonly at: number;
}

const pairKey = (keyId: string, [a, b]: readonly [number, number]) => `${keyId}/${Math.min(a, b)}/${Math.max(a, b)}`;

export class PresignPool {
  private readonly ready = new Map<string, PoolEntry[]>();
  private readonly filling = new Set<string>();
  /** Pairs (in the order their refills run) whose pool was filled at least once, by pair key. */
  private readonly known = new Map<string, { readonly keyId: string; readonly pair: readonly [number, number] }>();

  constructor(readonly depth: number) {}

  /**
   * Takes the first-put usable presignature of `keyId` for the unordered pair (with `ordered`,
   * only one whose session ran as (pair[0], pair[1])), dropping expired ones.
   */
  take(keyId: string, pair: readonly [number, number], now: number, ordered = false): PoolEntry | undefined {
    const list = this.usable(keyId, pair, now);
    const i = list.findIndex((e) => !ordered || (e.pair[0] === pair[0] && e.pair[1] === pair[1]));
    return i < 0 ? undefined : list.splice(i, 1)[0];
  }

  /** Whether a usable one is ready (drops nothing). */
  has(keyId: string, pair: readonly [number, number], now: number): boolean {
    return (this.ready.get(pairKey(keyId, pair)) ?? []).some((e) => now - e.at < PRESIGN_USABLE_MS);
  }

  /** The pair's entries still usable at `now`; expired ones are dropped. */
  private usable(keyId: string, pair: readonly [number, number], now: number): PoolEntry[] {
    const k = pairKey(keyId, pair);
    const list = this.ready.get(k)?.filter((e) => now - e.at < PRESIGN_USABLE_MS) ?? [];
    if (list.length > 0) this.ready.set(k, list);
    else this.ready.delete(k);
    return list;
  }

  put(keyId: string, e: PoolEntry): void {
    const k = pairKey(keyId, e.pair);
    let list = this.ready.get(k);
    if (!list) this.ready.set(k, (list = []));
    list.push(e);
  }

  /** How many more the pair needs to reach the depth (expired entries dropped). */
  missing(keyId: string, pair: readonly [number, number], now: number): number {
    return Math.max(0, this.depth - this.usable(keyId, pair, now).length);
  }

  /** Forgets every presignature a node took part in (it restarted, or failed one). */
  forgetNode(index: number): void {
    for (const [k, list] of this.ready) this.ready.set(k, list.filter((e) => !e.pair.includes(index)));
  }

  /** Marks a refill of the pair as running; false if one already is. */
  startFill(keyId: string, pair: readonly [number, number]): boolean {
    const k = pairKey(keyId, pair);
    if (this.filling.has(k)) return false;
    this.filling.add(k);
    this.known.set(k, { keyId, pair: [pair[0], pair[1]] });
    return true;
  }

  /** The pairs to keep topped up (every pair ever filled and not dropped). */
  maintained(): { readonly keyId: string; readonly pair: readonly [number, number] }[] {
    return [...this.known.values()];
  }

  /** Stops keeping the pair (e.g. it was banned) and forgets its ready entries. */
  drop(keyId: string, pair: readonly [number, number]): void {
    const k = pairKey(keyId, pair);
    this.known.delete(k);
    this.ready.delete(k);
  }
  endFill(keyId: string, pair: readonly [number, number]): void {
    this.filling.delete(pairKey(keyId, pair));
  }

  /** Ready presignatures per pair, for health and tests. */
  sizes(keyId: string, now: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, list] of this.ready) {
      if (!k.startsWith(`${keyId}/`)) continue;
      const n = list.filter((e) => now - e.at < PRESIGN_USABLE_MS).length;
      if (n > 0) out[k.slice(keyId.length + 1)] = n;
    }
    return out;
  }
}
