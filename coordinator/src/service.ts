/**
 * The coordinator as a libp2p peer of the nodes: it asks them to run DKGs and signing sessions
 * over CONTROL_PROTOCOL, picks two reachable nodes per signature, retries with another pair
 * when a node fails or is blamed, and combines the two partial signatures (protocol/sign/
 * combine.ts verifies the result before returning it). It never holds a share.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Libp2p } from 'libp2p';
import { peerIdFromString } from '@libp2p/peer-id';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { publicKeyToAddress } from 'viem/accounts';
import { CONTROL_PROTOCOL, asError, createHost, frames, readFrame } from '../../proto/transport.js';
import { decodeControlResponse, encodeControlRequest, type ControlRequest, type ControlResponse, type Failure } from '../../proto/index.js';
import { loadIdentity } from '../../proto/identity.js';
import { combine, decodePartial } from '../../protocol/sign/combine.js';
import { PARTIAL_BYTES, type PartialSignature } from '../../protocol/sign/sign.js';
import { toHex } from '../../protocol/core/bytes.js';
import { hexToBytes as fromHex } from '@noble/hashes/utils.js';
import { isProtocolError } from '../../protocol/core/errors.js';
import { loadCoordinatorConfig, type LoadedCoordinatorConfig } from './config.js';
import { CoordinatorStore, type KeyRecord, type SignRequestRecord } from './store.js';
import { pino, type Logger } from 'pino';

/** How long a reachability probe (dial) may take. */
export const PROBE_TIMEOUT_MS = 2_000;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface NodeHealth {
  index: number;
  name: string;
  peerId: string;
  reachable: boolean;
  /** Key shares held and sessions running (reachable nodes only). */
  keys?: number;
  sessions?: number;
}

/** What the HTTP layer needs (tests may supply their own). */
export interface CoordinatorApi {
  health(): Promise<{ status: 'ok' | 'degraded'; peerId: string; nodes: NodeHealth[] }>;
  createKey(name: string): Promise<KeyRecord>;
  getKey(id: string): Promise<KeyRecord | undefined>;
  listKeys(): Promise<KeyRecord[]>;
  signDigest(keyId: string, digest: Uint8Array): Promise<SignRequestRecord>;
  getSignRequest(id: string): Promise<SignRequestRecord | undefined>;
}

class NodeFailed extends Error {
  constructor(
    readonly index: number,
    readonly failure: Failure,
  ) {
    super(`node ${index}: ${failure.code}: ${failure.message}`);
  }
}

export interface StartCoordinatorOptions {
  readonly dir: string;
  readonly logger?: Logger;
}

export class Coordinator implements CoordinatorApi {
  private rotation = 0;
  private constructor(
    readonly config: LoadedCoordinatorConfig,
    readonly host: Libp2p,
    private readonly store: CoordinatorStore,
    private readonly log: Logger,
    readonly peerId: string,
  ) {}

  static async start(o: StartCoordinatorOptions): Promise<Coordinator> {
    const config = loadCoordinatorConfig(o.dir);
    const id = loadIdentity(config.identityFile);
    if (id.peerId !== config.clusterConfig.coordinator.peerId) {
      throw new Error(`identity ${id.peerId} is not the coordinator of ${config.cluster}`);
    }
    const store = await CoordinatorStore.open(config.dataDir);
    try {
      const host = await createHost({
        privateKey: id.privateKey,
        listen: config.listen,
        peers: config.clusterConfig.nodes,
        keepAlive: config.clusterConfig.nodes.map((n) => n.peerId),
      });
      return new Coordinator(config, host, store, o.logger ?? pino({ level: 'silent' }), id.peerId);
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  async stop(): Promise<void> {
    await this.host.stop();
    await this.store.close();
  }

  private get nodes() {
    return this.config.clusterConfig.nodes;
  }

  // ---------- control client ----------

  /** Sends one control request to node `index`; returns its final response. */
  async request(
    index: number,
    req: ControlRequest,
    onProgress?: (round: number, rounds: number) => void,
    expect: { parties?: number; partialBytes?: number } = {},
    timeout = this.config.requestTimeoutMs,
  ): Promise<ControlResponse> {
    const node = this.nodes.find((n) => n.index === index);
    if (!node) throw new Error(`no node ${index}`);
    const stream = await this.host.dialProtocol(peerIdFromString(node.peerId), CONTROL_PROTOCOL, { signal: AbortSignal.timeout(timeout), negotiateFully: false });
    try {
      const lp = frames(stream);
      await lp.write(encodeControlRequest(req), { signal: AbortSignal.timeout(timeout) });
      for (;;) {
        const r = decodeControlResponse(await readFrame(lp, timeout), expect);
        if ('progress' in r) {
          onProgress?.(r.progress.round, r.progress.rounds);
          continue;
        }
        // Half-close without waiting for the node's side: the answer is already here.
        void Promise.resolve(stream.close()).catch(() => {});
        return r;
      }
    } catch (e) {
      stream.abort(asError(e));
      throw asError(e);
    }
  }

  private async probe(peerId: string): Promise<boolean> {
    const pid = peerIdFromString(peerId);
    if (this.host.getConnections(pid).some((c) => c.status === 'open')) return true;
    try {
      await this.host.dial(pid, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      return true;
    } catch {
      return false;
    }
  }

  /** Asks every node for its status (a real round trip, not the connection table). */
  async health() {
    const nodes = await Promise.all(
      this.nodes.map(async (n) => {
        const base = { index: n.index, name: n.name, peerId: n.peerId };
        try {
          const r = await this.request(n.index, { status: {} }, undefined, {}, PROBE_TIMEOUT_MS);
          if (!('status' in r) || r.status.peerId !== n.peerId) return { ...base, reachable: false };
          return { ...base, reachable: true, keys: r.status.keys, sessions: r.status.sessions };
        } catch {
          return { ...base, reachable: false };
        }
      }),
    );
    return { status: nodes.every((n) => n.reachable) ? ('ok' as const) : ('degraded' as const), peerId: this.peerId, nodes };
  }

  // ---------- keys ----------

  async createKey(name: string, onProgress?: (index: number, round: number, rounds: number) => void): Promise<KeyRecord> {
    const sessionId = new Uint8Array(randomBytes(32));
    const parties = this.nodes.map((n) => ({ index: n.index, peerId: n.peerId }));
    const n = parties.length;
    const t = this.config.clusterConfig.threshold;
    this.log.info({ event: 'dkg_started', sessionId: toHex(sessionId), name, n, t }, `DKG started for key "${name}"`);
    const results = await Promise.allSettled(
      parties.map((p) => this.request(p.index, { dkg: { sessionId, threshold: t, parties, name } }, (r, rs) => {
        this.log.info({ event: 'dkg_progress', sessionId: toHex(sessionId), node: p.index, round: r, rounds: rs }, `DKG node ${p.index} round ${r}/${rs}`);
        onProgress?.(p.index, r, rs);
      }, { parties: n })),
    );
    const outs = results.map((r, i) => {
      if (r.status === 'rejected') throw new ApiError(503, 'ERR_NODE_UNAVAILABLE', `node ${parties[i]!.index} did not complete the DKG: ${asError(r.reason).message}`);
      if ('failure' in r.value) throw new ApiError(502, 'ERR_DKG_FAILED', `node ${parties[i]!.index}: ${r.value.failure.code}: ${r.value.failure.message}`, { failure: r.value.failure });
      if (!('dkg' in r.value)) throw new ApiError(502, 'ERR_DKG_FAILED', `node ${parties[i]!.index} sent an unexpected answer`);
      return r.value.dkg;
    });
    const first = outs[0]!;
    const same = (a: Uint8Array, b: Uint8Array) => toHex(a) === toHex(b);
    for (const o of outs) {
      if (!same(o.keyId, first.keyId) || !same(o.publicKey, first.publicKey) || o.publicShares.some((s, i) => !same(s, first.publicShares[i]!))) {
        throw new ApiError(502, 'ERR_DKG_FAILED', `node ${o.index} reports a different key id or public key; the key is not usable`);
      }
    }
    const uncompressed = secp256k1.Point.fromBytes(first.publicKey).toBytes(false);
    const rec: KeyRecord = {
      // The DKG derives the key id from the request and every party's fresh contribution.
      id: toHex(first.keyId),
      name,
      publicKey: toHex(first.publicKey),
      address: publicKeyToAddress(`0x${toHex(uncompressed)}`),
      threshold: t,
      parties,
      publicShares: first.publicShares.map(toHex),
      createdAt: new Date().toISOString(),
      bannedPairs: [],
    };
    await this.store.putKey(rec);
    this.log.info({ event: 'dkg_done', keyId: rec.id, address: rec.address }, `key "${name}" created: ${rec.address}`);
    return rec;
  }

  getKey(id: string) {
    return this.store.getKey(id);
  }
  listKeys() {
    return this.store.listKeys();
  }
  getSignRequest(id: string) {
    return this.store.getRequest(id);
  }

  // ---------- signing ----------

  /** Signing pairs to try, reachable nodes first, rotating so load spreads over pairs. */
  private async candidatePairs(key: KeyRecord, only?: readonly [number, number]): Promise<[number, number][]> {
    const reach = await Promise.all(key.parties.map(async (p) => [p.index, await this.probe(p.peerId)] as const));
    const up = reach.filter(([, r]) => r).map(([i]) => i);
    const banned = new Set(key.bannedPairs.map(([a, b]) => `${Math.min(a, b)}/${Math.max(a, b)}`));
    const pairs: [number, number][] = [];
    for (let a = 0; a < up.length; a++) {
      for (let b = a + 1; b < up.length; b++) {
        const p: [number, number] = [up[a]!, up[b]!];
        if (!banned.has(`${p[0]}/${p[1]}`)) pairs.push(p);
      }
    }
    if (only) return pairs.filter(([a, b]) => (a === only[0] && b === only[1]) || (a === only[1] && b === only[0])).map(() => [only[0], only[1]]);
    const k = pairs.length ? this.rotation++ % pairs.length : 0;
    return [...pairs.slice(k), ...pairs.slice(0, k)].map(([a, b]) => (this.rotation % 2 ? [a, b] : [b, a]));
  }

  /**
   * Signs `digest` with key `keyId`. `pair` restricts signing to that (initiator, responder);
   * `first` tries that pair first and falls back to others (operators and tests).
   */
  async signDigest(keyId: string, digest: Uint8Array, opts: { pair?: readonly [number, number]; first?: readonly [number, number] } = {}): Promise<SignRequestRecord> {
    const key = await this.store.getKey(keyId);
    if (!key) throw new ApiError(404, 'ERR_UNKNOWN_KEY', `no key with id ${keyId}`);
    const now = new Date().toISOString();
    const rec: SignRequestRecord = { id: randomUUID(), keyId, kind: 'digest', digest: `0x${toHex(digest)}`, status: 'signing', attempts: [], createdAt: now, updatedAt: now };
    await this.store.putRequest(rec);
    const tried = new Set<string>();
    const excluded = new Set<number>();
    let pairs = await this.candidatePairs(key, opts.pair);
    const first = opts.first;
    if (first && pairs.some(([a, b]) => (a === first[0] && b === first[1]) || (a === first[1] && b === first[0]))) {
      pairs = [[first[0], first[1]], ...pairs];
    }
    while (true) {
      const unordered = ([a, b]: readonly [number, number]) => `${Math.min(a, b)}/${Math.max(a, b)}`;
      const pair = pairs.find((p) => !tried.has(unordered(p)) && !excluded.has(p[0]) && !excluded.has(p[1]));
      if (!pair) break;
      tried.add(unordered(pair));
      const sessionId = new Uint8Array(randomBytes(32));
      try {
        const sig = await this.signOnce(key, digest, sessionId, pair);
        rec.status = 'signed';
        rec.signature = sig;
        rec.nodes = pair.map((i) => ({ index: i, peerId: key.parties.find((p) => p.index === i)!.peerId }));
        rec.sessionId = toHex(sessionId);
        rec.attempts.push({ nodes: pair, sessionId: toHex(sessionId) });
        rec.updatedAt = new Date().toISOString();
        await this.store.putRequest(rec);
        this.log.info({ event: 'signed', requestId: rec.id, keyId, nodes: pair, sessionId: rec.sessionId }, 'signed');
        return rec;
      } catch (e) {
        const blame = this.blame(e, pair);
        for (const b of blame.exclude) excluded.add(b);
        if (blame.ban) await this.banPair(key, blame.ban);
        rec.attempts.push({ nodes: pair, sessionId: toHex(sessionId), error: { code: blame.code, message: blame.message, ...(blame.culprit ? { culprit: blame.culprit } : {}) } });
        this.log.warn({ event: 'sign_attempt_failed', requestId: rec.id, nodes: pair, code: blame.code, culprit: blame.culprit }, blame.message);
        if (opts.pair) break;
        pairs = await this.candidatePairs((await this.store.getKey(keyId))!);
      }
    }
    rec.status = 'failed';
    rec.error = { code: 'ERR_SIGNING_FAILED', message: rec.attempts.length ? `no signing pair succeeded: ${rec.attempts.map((a) => `[${a.nodes.join(',')}] ${a.error?.code}`).join('; ')}` : 'fewer than two nodes are reachable' };
    rec.updatedAt = new Date().toISOString();
    await this.store.putRequest(rec);
    return rec;
  }

  private async banPair(key: KeyRecord, pair: [number, number]): Promise<void> {
    const cur = (await this.store.getKey(key.id)) ?? key;
    await this.store.putKey({ ...cur, bannedPairs: [...cur.bannedPairs, pair] });
  }

  private blame(e: unknown, pair: readonly [number, number]): { exclude: number[]; code: string; message: string; culprit?: number; ban?: [number, number] } {
    if (e instanceof NodeFailed) {
      const f = e.failure;
      const culprit = f.culprit && pair.includes(f.culprit) ? f.culprit : undefined;
      // A refusal or failure without a culprit: the reporting node cannot help with this request.
      const exclude = culprit ? [culprit] : f.failureClass === 'REFUSED' || f.failureClass === 'BUG' ? [e.index] : [];
      return {
        exclude,
        code: f.code,
        message: `node ${e.index}: ${f.message}`,
        ...(culprit ? { culprit } : {}),
        ...(f.failureClass === 'ABORT_BAN' ? { ban: [pair[0], pair[1]] as [number, number] } : {}),
      };
    }
    if (isProtocolError(e)) {
      return { exclude: e.culprit ? [e.culprit] : [], code: e.code, message: e.message, ...(e.culprit ? { culprit: e.culprit } : {}) };
    }
    const idx = (e as { node?: number }).node;
    return { exclude: idx ? [idx] : [], code: 'ERR_NODE_UNAVAILABLE', message: asError(e).message, ...(idx ? { culprit: idx } : {}) };
  }

  private async signOnce(key: KeyRecord, digest: Uint8Array, sessionId: Uint8Array, [I, R]: readonly [number, number]) {
    const start = { sign: { keyId: fromHex(key.id), sessionId, digest, initiator: I, responder: R } };
    const ask = (i: number) =>
      this.request(i, start, undefined, { partialBytes: PARTIAL_BYTES }).then(
        (r) => {
          if ('failure' in r) throw new NodeFailed(i, r.failure);
          if (!('sign' in r)) throw new NodeFailed(i, { failureClass: 'BUG', code: 'ERR_BAD_ANSWER', culprit: 0, message: 'unexpected answer', round: 0 });
          return decodePartial(r.sign.partial, i);
        },
        (e: unknown) => {
          throw Object.assign(new Error(`node ${i} unreachable: ${asError(e).message}`), { node: i });
        },
      );
    // Fail fast: if either node fails, do not wait for the other one's round timeout.
    this.log.debug({ event: 'sign_session', nodes: [I, R], sessionId: toHex(sessionId) });
    const partials: PartialSignature[] = await Promise.all([ask(I), ask(R)]);
    this.log.debug({ event: 'partials_received', sessionId: toHex(sessionId) });
    const sig = combine(
      {
        keyId: fromHex(key.id),
        publicKey: fromHex(key.publicKey),
        publicShares: key.publicShares.map(fromHex),
        initiator: I,
        responder: R,
        digest,
        sessionId,
      },
      partials,
    );
    const hex32 = (v: bigint) => `0x${v.toString(16).padStart(64, '0')}`;
    return { r: hex32(sig.r), s: hex32(sig.s), v: 27 + sig.recovery, yParity: sig.recovery };
  }
}
