/**
 * A share-holding node: libp2p host + LevelDB store + protocol sessions.
 *
 * Inbound protocol messages (MSG_PROTOCOL) are accepted only from cluster peers (gater), must be
 * well-formed and within limits (proto/index.ts), must come over the connection of the party they
 * claim to be from, and must carry that party's valid Ed25519 signature, before any state machine
 * sees them. Messages for finished sessions are dropped; messages for sessions not started yet
 * are buffered (bounded, expiring). Control requests (CONTROL_PROTOCOL) are accepted from the
 * coordinator only. Every drop is counted in `stats.dropped` by reason.
 */
import { createPublicKey, sign as edSign, verify as edVerify, webcrypto, type KeyObject } from 'node:crypto';
import type { Libp2p } from 'libp2p';
import type { Connection, Stream } from '@libp2p/interface';
import {
  MAX_PARTIES,
  ProtocolKind,
  decodeControlRequest,
  decodeEnvelope,
  encodeControlResponse,
  encodeEnvelope,
  envelopeSigningBytes,
  WireError,
  type ControlRequest,
  type ControlResponse,
  type DkgStart,
  type Envelope,
  type PresignStart,
  type SignStart,
} from '../../proto/index.js';
import { CONTROL_IDLE_MS, CONTROL_PROTOCOL, MAX_INBOUND_STREAMS, MSG_PROTOCOL, PRESIGN_MAX_HELD, PRESIGN_TTL_MS, asError, createHost, frames, readFrame } from '../../proto/transport.js';
import { INBOUND_IDLE_MS, PeerLinks } from './links.js';
import { loadIdentity, peerPublicKey, type Identity } from '../../proto/identity.js';
import type { ClusterConfig } from '../../proto/cluster.js';
import type { Message } from '../../protocol/core/machine.js';
import { createDkg, DKG_ROUNDS } from '../../protocol/dkg/dkg.js';
import { createOnlineSigner, createPresigner, encodePartial, type PartialSignature, type Presignature } from '../../protocol/sign/sign.js';
import { keyIdHex, type KeyShare } from '../../protocol/keyshare/keyshare.js';
import { toHex } from '../../protocol/core/bytes.js';
import type { Rng } from '../../protocol/core/rng.js';
import { ed25519Authenticator } from './auth.js';
import { nodePrimitives } from './crypto-primitives.js';
import { loadNodeConfig, PASSPHRASE_ENV, type LoadedNodeConfig } from './config.js';
import { NodeStore, type KdfParams, type KeyMeta } from './store.js';
import { DurablePairGuard } from './guard.js';
import { readPassphrase } from './passphrase.js';
import { SessionRunner, failureOf, refused, type SessionFailure } from './session.js';
import { silentLogger, type Logger } from './log.js';
import { Authorizer, type PendingDelay } from './authorize.js';
import { AuditLog, type AuditEntry } from '../../proto/audit.js';

export const VERSION = '0.1.0';
/** Time allowed to read one frame from a freshly opened stream. */
export const FRAME_READ_TIMEOUT_MS = 10_000;
/** Time allowed to deliver one protocol message to a peer. */
export const SEND_TIMEOUT_MS = 10_000;
/**
 * Early messages (for sessions this node has not started yet) are buffered within bounds, so an
 * authenticated but misbehaving peer can neither exhaust memory nor crowd out the other peers:
 * sessions buffered at once (in total and opened by one sender), messages per session, bytes.
 */
export const MAX_EARLY_SESSIONS = 256;
export const MAX_EARLY_SESSIONS_PER_PEER = 64;
export const MAX_EARLY_MESSAGES = 8 * MAX_PARTIES;
export const MAX_EARLY_BYTES = 32 * 1024 * 1024;
/** Finished session ids remembered to drop late or replayed messages. */
export const FINISHED_MEMORY = 8192;
/** How often expired presignatures are swept from memory (they live PRESIGN_TTL_MS at most, plus up to this). */
export const PRESIGN_SWEEP_MS = 15_000;
/** History notices sent at once during a sync. */
export const HISTORY_SYNC_BATCH = 256;
/** Attempts to send a connecting node the history, and the delay before the n-th retry (× n). */
export const HISTORY_SYNC_ATTEMPTS = 3;
export const HISTORY_SYNC_RETRY_MS = 500;

export type DropReason =
  | 'garbage'
  | 'oversized'
  | 'bad_signature'
  | 'wrong_sender'
  | 'not_for_us'
  | 'finished'
  | 'rejected'
  | 'early_overflow'
  | 'unauthorized';

/** Test hooks (adversary simulation); production code passes none. */
export interface NodeHooks {
  /** Rewrites or drops (null) an outgoing protocol message before it is signed. */
  outgoing?(env: Omit<Envelope, 'signature'>): Omit<Envelope, 'signature'> | null;
}

export interface StartNodeOptions {
  readonly dir: string;
  /** Overrides the passphrase file / environment (tests). */
  readonly passphrase?: string;
  readonly logger?: Logger;
  readonly hooks?: NodeHooks;
  readonly kdf?: KdfParams;
  readonly roundTimeoutMs?: number;
}

const osRng: Rng = (n) => {
  const out = new Uint8Array(n);
  for (let o = 0; o < n; o += 65536) webcrypto.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  return out;
};

const KIND_NAMES: Record<ProtocolKind, string> = { [ProtocolKind.PROTOCOL_UNSPECIFIED]: 'unspecified', [ProtocolKind.DKG]: 'dkg', [ProtocolKind.SIGN]: 'sign', [ProtocolKind.HISTORY]: 'history', [ProtocolKind.PRESIGN]: 'presign' };
const kindName = (k: ProtocolKind) => KIND_NAMES[k];

/** A presignature this node holds for the coordinator's pool (protocol/SPEC.md §6.6). */
interface HeldPresignature {
  readonly p: Presignature;
  readonly at: number;
  readonly initiator: number;
  readonly responder: number;
}

interface Early {
  readonly msgs: Message[];
  readonly at: number;
  /** The sender whose message opened this entry. */
  readonly owner: number;
}

export class ClusterNode {
  readonly stats = {
    dropped: {} as Record<DropReason, number>,
    delivered: 0,
    sessionsOk: 0,
    sessionsFailed: 0,
    /** Control streams the coordinator opened (it reuses them, so this grows slowly). */
    controlStreams: 0,
    /** Presignatures made, bound to a request, and dropped unused (expired, wrong share, refused). */
    presigned: 0,
    presignUsed: 0,
    presignDropped: 0,
  };
  /**
   * Presignatures by `keyHex/sessionHex`, in memory only: a restart loses them, and a request
   * naming one takes it out before anything else happens, so none is ever bound twice.
   */
  private readonly presigs = new Map<string, HeldPresignature>();
  /** Presign sessions running now, per key (they count against PRESIGN_MAX_HELD). */
  private readonly presigning = new Map<string, number>();
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  /** Open control streams, closed on stop; a stream in `closingControl` takes no further request. */
  private readonly controlStreams = new Set<Stream>();
  private readonly closingControl = new WeakSet<Stream>();
  /** Control streams with a request being handled: closed after its answer, not before. */
  private readonly busyControl = new WeakSet<Stream>();
  private readonly sessions = new Map<string, SessionRunner<unknown>>();
  private readonly early = new Map<string, Early>();
  private earlyBytes = 0;
  private readonly finished = new Set<string>();
  private readonly historySyncing = new Set<number>();
  private readonly shares = new Map<string, KeyShare>();
  private readonly peerKeys = new Map<number, KeyObject>();
  private readonly peerIds = new Map<number, string>();
  private stopping = false;
  private readonly links: PeerLinks;
  private readonly authorizer: Authorizer;
  /** This node's own signed, hash-chained log of every session it took part in. */
  readonly audit: AuditLog;

  private constructor(
    readonly config: LoadedNodeConfig,
    readonly identity: Identity,
    private readonly store: NodeStore,
    private readonly guard: DurablePairGuard,
    readonly host: Libp2p,
    private readonly log: Logger,
    private readonly hooks: NodeHooks,
    private readonly roundTimeoutMs: number,
  ) {
    this.links = new PeerLinks(host, MSG_PROTOCOL);
    const c = config.clusterConfig;
    // announcements of delayed requests are witnessed in this node's own audit log and log
    this.authorizer = new Authorizer(store, c.admins, c.adminQuorum, async (k) => (await store.getKey(k)) !== undefined, { audit: (type, data) => this.audit.append(type, 'coordinator', data), log });
    this.audit = new AuditLog(
      {
        put: (e) => store.putRecords([{ key: `audit/${String(e.seq).padStart(12, '0')}`, value: e }]),
        last: () => store.lastRecord<AuditEntry>('audit/'),
      },
      identity.signingKey,
    );
    for (const n of config.clusterConfig.nodes) {
      this.peerIds.set(n.index, n.peerId);
      this.peerKeys.set(n.index, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(peerPublicKey(n.peerId)).toString('base64url') }, format: 'jwk' }));
    }
  }

  get index(): number {
    return this.config.index;
  }
  get peerId(): string {
    return this.identity.peerId;
  }
  get cluster(): ClusterConfig {
    return this.config.clusterConfig;
  }

  static async start(o: StartNodeOptions): Promise<ClusterNode> {
    const log = o.logger ?? silentLogger();
    const config = loadNodeConfig(o.dir);
    const identity = loadIdentity(config.identityFile);
    const self = config.clusterConfig.nodes.find((n) => n.index === config.index);
    if (!self || self.peerId !== identity.peerId) {
      throw new Error(`identity ${identity.peerId} is not node ${config.index} of ${config.cluster}`);
    }
    let passphrase = o.passphrase;
    if (passphrase === undefined) {
      const p = readPassphrase({ ...(config.passphraseFile ? { file: config.passphraseFile } : {}), env: PASSPHRASE_ENV });
      if (p.insecureFileMode) log.warn({ file: config.passphraseFile }, 'passphrase file is readable by group or others');
      passphrase = p.passphrase;
    }
    const store = await NodeStore.open(config.dataDir, passphrase, o.kdf ? { kdf: o.kdf } : {});
    let host: Libp2p | undefined;
    try {
      const guard = new DurablePairGuard(store, await store.listBans(), Date.now);
      const c = config.clusterConfig;
      const others = c.nodes.filter((n) => n.index !== config.index);
      host = await createHost({
        privateKey: identity.privateKey,
        listen: config.listen,
        peers: [...others, c.coordinator],
        keepAlive: others.map((n) => n.peerId),
      });
      const node = new ClusterNode(config, identity, store, guard, host, log, o.hooks ?? {}, o.roundTimeoutMs ?? config.roundTimeoutMs);
      await node.authorizer.loadAdmins();
      await host.handle(MSG_PROTOCOL, (s, c) => node.onMessageStream(s, c), { maxInboundStreams: MAX_INBOUND_STREAMS, maxOutboundStreams: MAX_INBOUND_STREAMS });
      await host.handle(CONTROL_PROTOCOL, (s, c) => node.onControlStream(s, c), { maxInboundStreams: 64 });
      host.addEventListener('peer:connect', (evt) => node.onPeerConnect(evt.detail.toString()));
      // expired presignatures are erased even when no presign request comes to trigger a sweep
      node.sweepTimer = setInterval(() => node.sweepPresignatures(Date.now()), PRESIGN_SWEEP_MS);
      node.sweepTimer.unref();
      log.info({ event: 'node_started', index: config.index, peerId: identity.peerId, addrs: host.getMultiaddrs().map(String) }, 'node started');
      return node;
    } catch (e) {
      if (host) await Promise.resolve(host.stop()).catch(() => {});
      await store.close().catch(() => {});
      throw e;
    }
  }

  /** Stops accepting work, fails running sessions, stops libp2p and closes the database. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const s of this.sessions.values()) {
      s.fail({ failureClass: 'ABORT', code: 'ERR_NODE_STOPPING', culprit: 0, message: 'node is shutting down', round: 0 });
    }
    clearInterval(this.sweepTimer);
    for (const h of this.presigs.values()) h.p.discard();
    this.presigs.clear();
    this.links.close();
    this.closeControlStreams();
    await this.host.stop();
    await this.guard.flush().catch(() => {});
    await this.store.close();
    this.log.info({ event: 'node_stopped', index: this.index }, 'node stopped');
  }

  private drop(reason: DropReason, detail: string): void {
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + 1;
    this.log.warn({ event: 'message_dropped', reason, detail }, `dropped a message: ${reason}`);
  }

  // ---------- protocol messages ----------

  /**
   * A peer's message stream: frames are read until the peer closes it or it stays idle for
   * INBOUND_IDLE_MS. A frame over the size limit ends the stream (its framing can no longer be
   * trusted); any other bad frame is dropped and reading goes on.
   */
  private async onMessageStream(stream: Stream, conn: Connection): Promise<void> {
    const lp = frames(stream);
    const remote = conn.remotePeer.toString();
    for (;;) {
      let frame: Uint8Array;
      try {
        frame = await readFrame(lp, INBOUND_IDLE_MS);
      } catch (e) {
        const err = asError(e);
        if (/length|too (long|large)|InvalidDataLength/i.test(`${err.name} ${err.message}`)) this.drop('oversized', err.message);
        else if (!/EOF|end of|closed|abort|reset/i.test(`${err.name} ${err.message}`)) this.drop('garbage', err.message);
        stream.abort(err);
        return;
      }
      this.onEnvelopeBytes(frame, remote);
    }
  }

  /** Exposed for tests that need to feed frames directly; `remotePeer` is the authenticated sender. */
  onEnvelopeBytes(frame: Uint8Array, remotePeer: string): void {
    let env: Envelope;
    try {
      env = decodeEnvelope(frame);
    } catch (e) {
      this.drop(e instanceof WireError && e.code === 'ERR_WIRE_LIMIT' && /frame of/.test(e.message) ? 'oversized' : 'garbage', (e as Error).message);
      return;
    }
    if (this.peerIds.get(env.from) !== remotePeer) return this.drop('wrong_sender', `party ${env.from} over the connection of ${remotePeer}`);
    if (env.to !== this.index) return this.drop('not_for_us', `message for party ${env.to}`);
    const key = this.peerKeys.get(env.from)!;
    let ok = false;
    try {
      ok = edVerify(null, envelopeSigningBytes(env), key, env.signature);
    } catch {
      ok = false;
    }
    if (!ok) return this.drop('bad_signature', `from party ${env.from}`);
    if (env.protocol === ProtocolKind.HISTORY) {
      void this.authorizer.applyHistoryNotice(env.payload, Date.now()).then((ok) => {
        if (ok) this.stats.delivered++;
        else this.drop('garbage', `history notice from party ${env.from}`);
      }, () => this.drop('garbage', 'history notice could not be stored'));
      return;
    }
    const sk = `${kindName(env.protocol)}:${toHex(env.sessionId)}`;
    if (this.finished.has(sk)) return this.drop('finished', sk);
    const msg: Message = { from: env.from, to: env.to, round: env.round, payload: env.payload };
    this.log.debug({ event: 'msg_received', session: sk, round: env.round, from: env.from, bytes: env.payload.length });
    const s = this.sessions.get(sk);
    if (s) {
      this.stats.delivered++;
      s.deliver(msg);
      return;
    }
    if (this.buffer(sk, msg)) this.stats.delivered++;
  }

  /** Buffers a message for a session not started yet; false if it was dropped. */
  private buffer(sk: string, msg: Message): boolean {
    const now = Date.now();
    for (const [k, e] of this.early) if (now - e.at > 2 * this.roundTimeoutMs) this.unbuffer(k);
    let e = this.early.get(sk);
    if (!e) {
      let mine = 0;
      for (const x of this.early.values()) if (x.owner === msg.from) mine++;
      if (this.early.size >= MAX_EARLY_SESSIONS || mine >= MAX_EARLY_SESSIONS_PER_PEER) return (this.drop('early_overflow', sk), false);
      this.early.set(sk, (e = { msgs: [], at: now, owner: msg.from }));
    }
    if (e.msgs.length >= MAX_EARLY_MESSAGES || this.earlyBytes + msg.payload.length > MAX_EARLY_BYTES) return (this.drop('early_overflow', sk), false);
    e.msgs.push(msg);
    this.earlyBytes += msg.payload.length;
    return true;
  }

  /** Removes and returns the early messages of `sk`. */
  private unbuffer(sk: string): Message[] {
    const e = this.early.get(sk);
    if (!e) return [];
    this.early.delete(sk);
    for (const m of e.msgs) this.earlyBytes -= m.payload.length;
    return e.msgs;
  }

  private async sendAll(kind: ProtocolKind, sessionId: Uint8Array, msgs: readonly Message[]): Promise<void> {
    await Promise.all(
      msgs.map(async (m) => {
        let env: Omit<Envelope, 'signature'> | null = { sessionId, protocol: kind, round: m.round, from: m.from, to: m.to, payload: m.payload };
        if (this.hooks.outgoing) env = this.hooks.outgoing(env);
        if (!env) return;
        const signature = new Uint8Array(edSign(null, envelopeSigningBytes(env), this.identity.signingKey));
        const peer = this.peerIds.get(m.to);
        if (!peer) throw refused('ERR_UNKNOWN_PARTY', `no node with index ${m.to}`);
        this.log.debug({ event: 'msg_send', round: env.round, to: env.to, bytes: env.payload.length });
        try {
          await this.links.send(peer, encodeEnvelope({ ...env, signature }), SEND_TIMEOUT_MS);
          this.log.debug({ event: 'msg_sent', round: env.round, to: env.to });
        } catch (e) {
          throw Object.assign(new Error(`cannot reach party ${m.to}: ${asError(e).message}`), { unreachable: m.to });
        }
      }),
    );
  }

  /** Runs a state machine as session `sk`, feeding it the messages that arrived early. */
  private async runSession<Out>(
    kind: ProtocolKind,
    sessionId: Uint8Array,
    machine: ConstructorParameters<typeof SessionRunner<Out>>[0]['machine'],
    onProgress?: (round: number) => void,
    /** Nothing is sent or handed to the machine before this settles; if it rejects, the session fails with its error. */
    gate?: Promise<void>,
  ): Promise<Out> {
    const sk = `${kindName(kind)}:${toHex(sessionId)}`;
    if (this.stopping) throw refused('ERR_NODE_STOPPING', 'node is shutting down');
    if (this.sessions.has(sk) || this.finished.has(sk)) throw refused('ERR_SESSION_REPLAY', `session ${sk} already ran`);
    const runner: SessionRunner<Out> = new SessionRunner<Out>({
      machine,
      roundTimeoutMs: this.roundTimeoutMs,
      ...(gate ? { gate } : {}),
      send: (msgs) =>
        this.sendAll(kind, sessionId, msgs).catch((e: unknown) => {
          const to = (e as { unreachable?: number }).unreachable;
          if (to !== undefined) {
            runner.fail({ failureClass: 'UNREACHABLE', code: 'ERR_PEER_UNREACHABLE', culprit: to, message: (e as Error).message, round: 0 });
          }
          throw e;
        }),
      ...(onProgress ? { onProgress } : {}),
      onReject: (err, m) => this.drop('rejected', `${sk} round ${m.round} from ${m.from}: ${err.code}`),
    });
    this.sessions.set(sk, runner as SessionRunner<unknown>);
    const done = runner.run();
    for (const m of this.unbuffer(sk)) runner.deliver(m);
    try {
      const out = await done;
      this.stats.sessionsOk++;
      return out;
    } catch (e) {
      this.stats.sessionsFailed++;
      throw e;
    } finally {
      this.sessions.delete(sk);
      this.finished.add(sk);
      if (this.finished.size > FINISHED_MEMORY) this.finished.delete(this.finished.values().next().value!);
    }
  }

  // ---------- control ----------

  private async onControlStream(stream: Stream, conn: Connection): Promise<void> {
    if (conn.remotePeer.toString() !== this.cluster.coordinator.peerId) {
      this.drop('unauthorized', `control request from ${conn.remotePeer.toString()}`);
      stream.abort(new Error('control requests are accepted from the coordinator only'));
      return;
    }
    this.stats.controlStreams++;
    this.controlStreams.add(stream);
    try {
      await this.serveControl(stream);
    } finally {
      this.controlStreams.delete(stream);
    }
  }

  /** Closes every control stream (on stop; tests use it to make the coordinator's pooled streams stale). */
  closeControlStreams(): void {
    for (const s of this.controlStreams) {
      this.closingControl.add(s);
      if (!this.busyControl.has(s)) void Promise.resolve(s.close()).catch(() => s.abort(new Error('node closed the control stream')));
    }
  }

  private async serveControl(stream: Stream): Promise<void> {
    const lp = frames(stream);
    const reply = (r: ControlResponse) => lp.write(encodeControlResponse(r)).catch(() => {});
    // The coordinator reuses a control stream for its next request (coordinator/src/control-streams.ts):
    // requests on one stream are handled one after the other until it closes or stays idle.
    for (let first = true; !this.stopping; first = false) {
      let frame: Uint8Array;
      try {
        frame = await readFrame(lp, first ? FRAME_READ_TIMEOUT_MS : CONTROL_IDLE_MS);
      } catch (e) {
        if (first) {
          this.drop('garbage', `control: ${asError(e).message}`);
          stream.abort(asError(e));
        } else {
          // closed by the coordinator, or idle: the stream is done
          this.closingControl.add(stream);
          void Promise.resolve(stream.close()).catch(() => {});
        }
        return;
      }
      // A request that arrives on a stream this node is closing is not handled: the coordinator
      // sees the stream end without an answer and sends it again on a fresh stream, which is
      // safe only because it was never handled here.
      if (this.closingControl.has(stream)) return;
      let req;
      try {
        req = decodeControlRequest(frame);
      } catch (e) {
        this.drop('garbage', `control: ${asError(e).message}`);
        stream.abort(asError(e));
        return;
      }
      this.busyControl.add(stream);
      try {
        await reply(await this.handleControl(req, reply));
      } finally {
        this.busyControl.delete(stream);
      }
      if (this.closingControl.has(stream)) break;
    }
    void Promise.resolve(stream.close()).catch(() => {});
  }

  private async handleControl(req: ControlRequest, reply: (r: ControlResponse) => Promise<void>): Promise<ControlResponse> {
    try {
      if ('status' in req) return { status: await this.status() };
      if ('admin' in req) {
        const notice = await this.authorizer.applyNotice(req.admin.record, Date.now());
        if (!notice) await this.authorizer.applyAdminUpdate(req.admin.record);
        // an announcement wrote its own delay_announced entry (first sight only) before it was taken
        if (notice !== 'announce') await this.audit.append(notice ? 'notice' : 'admin_update', 'coordinator', { bytes: req.admin.record.length, record: new TextDecoder().decode(req.admin.record).slice(0, 4096) });
        this.log.info({ event: 'admin_update_applied' }, 'admin-signed change applied');
        return { admin: {} };
      }
      if ('dkg' in req) return { dkg: await this.runDkg(req.dkg, (round) => void reply({ progress: { round, rounds: DKG_ROUNDS.length } })) };
      if ('presign' in req) {
        await this.runPresign(req.presign);
        return { presign: {} };
      }
      return { sign: { partial: await this.runSign(req.sign) } };
    } catch (e) {
      const f = failureOf(e);
      this.log.warn({ event: 'session_failed', ...f }, `request failed: ${f.code}`);
      return { failure: f };
    }
  }

  async status() {
    return {
      index: this.index,
      peerId: this.peerId,
      keys: (await this.store.listKeys()).length,
      sessions: this.sessions.size,
      connected: this.host.getConnections().map((c) => c.remotePeer.toString()),
      version: VERSION,
    };
  }

  /**
   * A node (re)connected: send it this node's whole signed history (HISTORY notices), so a node
   * that was down, or missed a notice, catches up before it decides on spend or rate limits.
   * Both sides do this, so a restarted node receives what the others signed meanwhile. One sync
   * per peer at a time; notices a node already has are ignored, so repeating one is harmless.
   */
  private onPeerConnect(peerId: string): void {
    if (this.stopping) return;
    const index = [...this.peerIds].find(([, id]) => id === peerId)?.[0];
    if (index === undefined || index === this.index || this.historySyncing.has(index)) return;
    this.historySyncing.add(index);
    const once = async () => {
      const notices = await this.authorizer.historyNotices(Date.now());
      const sessionId = webcrypto.getRandomValues(new Uint8Array(32));
      for (let i = 0; i < notices.length && !this.stopping; i += HISTORY_SYNC_BATCH) {
        await this.sendAll(ProtocolKind.HISTORY, sessionId, notices.slice(i, i + HISTORY_SYNC_BATCH).map((payload) => ({ from: this.index, to: index, round: 1, payload })));
      }
      if (notices.length > 0) this.log.info({ event: 'history_synced', to: index, entries: notices.length }, `sent ${notices.length} history entries to node ${index}`);
    };
    // A peer that has just started may not handle the message protocol yet: retry a few times.
    void (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await once();
        } catch (e) {
          if (attempt >= HISTORY_SYNC_ATTEMPTS || this.stopping) throw e;
          await new Promise((r) => setTimeout(r, HISTORY_SYNC_RETRY_MS * attempt));
        }
      }
    })()
      .catch((e: unknown) => this.log.warn({ event: 'history_sync_failed', to: index, err: asError(e).message }, `could not send history to node ${index}`))
      .finally(() => this.historySyncing.delete(index));
  }

  /** Sends this node's history entry for a signed request to every other node (best effort). */
  private async tellOthers(keyHex: string, requestId: string, sessionId: Uint8Array): Promise<void> {
    const payload = await this.authorizer.historyNotice(keyHex, requestId).catch(() => undefined);
    if (!payload) return;
    const others = this.cluster.nodes.filter((n) => n.index !== this.index).map((n) => ({ from: this.index, to: n.index, round: 1, payload }));
    await this.sendAll(ProtocolKind.HISTORY, sessionId, others).catch((e: unknown) => this.log.warn({ event: 'history_notice_failed', err: e }, 'could not tell every node about a signature'));
  }

  /** This node's audit log (verify with `tecdsa audit verify … --coordinator-key <this node's public key>`). */
  async auditEntries(): Promise<AuditEntry[]> {
    return (await this.store.listRecords<AuditEntry>('audit/')).map((r) => r.value);
  }

  /** Delayed requests this node has seen and not yet signed, cancelled or let expire (`node status`). */
  async pendingDelays(): Promise<PendingDelay[]> {
    return this.authorizer.pendingDelays(Date.now());
  }

  async listKeys(): Promise<KeyMeta[]> {
    return this.store.listKeys();
  }

  private async runDkg(req: DkgStart, onProgress: (round: number) => void) {
    const n = req.parties.length;
    for (const p of req.parties) {
      if (this.peerIds.get(p.index) !== p.peerId) throw refused('ERR_BAD_REQUEST', `party ${p.index} is not ${p.peerId} in this cluster`);
    }
    if (!req.parties.some((p) => p.index === this.index)) throw refused('ERR_BAD_REQUEST', 'this node is not a party of the DKG');
    if (n !== this.cluster.nodes.length) throw refused('ERR_BAD_REQUEST', `a DKG must include all ${this.cluster.nodes.length} nodes`);
    const sidHex = toHex(req.sessionId);
    if (!(await this.store.claimSession(sidHex, 'dkg', Date.now()))) throw refused('ERR_SESSION_REPLAY', `DKG session ${sidHex} already ran`);
    this.log.info({ event: 'dkg_started', sessionId: sidHex, n, t: req.threshold }, 'DKG started');
    const peerKeys = new Map([...this.peerKeys].filter(([i]) => i !== this.index));
    const machine = createDkg({
      sessionId: req.sessionId,
      n,
      t: req.threshold,
      self: this.index,
      rng: osRng,
      auth: ed25519Authenticator(this.identity.signingKey, peerKeys),
      primitives: nodePrimitives,
    });
    const share = await this.runSession<KeyShare>(ProtocolKind.DKG, req.sessionId, machine, (r) => {
      this.log.info({ event: 'dkg_progress', sessionId: sidHex, round: r, rounds: DKG_ROUNDS.length }, `DKG round ${r}/${DKG_ROUNDS.length}`);
      onProgress(r);
    });
    const meta: KeyMeta = {
      keyId: keyIdHex(share),
      name: req.name,
      index: share.index,
      n: share.n,
      t: share.t,
      publicKey: toHex(share.publicKey),
      publicShares: share.publicShares.map(toHex),
      createdAt: Date.now(),
    };
    await this.audit.append('key_stored', 'coordinator', { keyId: meta.keyId, publicKey: meta.publicKey, index: meta.index, dkgSession: sidHex });
    await this.store.putKey(meta, share);
    this.shares.set(meta.keyId, share);
    this.log.info({ event: 'dkg_done', keyId: meta.keyId, publicKey: meta.publicKey }, 'DKG done, share stored');
    return { keyId: share.keyId, publicKey: share.publicKey, publicShares: [...share.publicShares], index: share.index };
  }

  private async getShare(keyHex: string): Promise<KeyShare | undefined> {
    let s = this.shares.get(keyHex);
    if (!s) {
      s = await this.store.getShare(keyHex);
      if (s) this.shares.set(keyHex, s);
    }
    return s;
  }

  /** Checks a signing pair against a share; returns this node's peer in it. */
  private signerPeer(share: KeyShare, initiator: number, responder: number): number {
    if (initiator > share.n || responder > share.n) throw refused('ERR_BAD_REQUEST', 'signer index outside the key');
    if (this.index !== initiator && this.index !== responder) throw refused('ERR_NOT_A_SIGNER', `node ${this.index} is not a signer`);
    return this.index === initiator ? responder : initiator;
  }

  /** Discards held presignatures that expired (a discarded one is erased, never used). */
  private sweepPresignatures(now: number): void {
    for (const [k, h] of this.presigs) {
      if (now - h.at >= PRESIGN_TTL_MS) {
        h.p.discard();
        this.presigs.delete(k);
        this.stats.presignDropped++;
      }
    }
  }

  /** Presignatures this node holds now, after a sweep (tests). */
  presignatureCount(keyHex?: string): number {
    this.sweepPresignatures(Date.now());
    let n = 0;
    for (const k of this.presigs.keys()) if (!keyHex || k.startsWith(`${keyHex}/`)) n++;
    return n;
  }

  /**
   * Rounds 1–2 of a signing session ahead of any request (protocol/SPEC.md §6.6): the session id
   * is claimed durably before anything is sent, and the presignature is kept in memory only, for
   * PRESIGN_TTL_MS at most. It reveals nothing about the nonce; no audit entry is written until
   * a request binds it (`runSign`).
   */
  private async runPresign(req: PresignStart): Promise<void> {
    const keyHex = toHex(req.keyId);
    const share = await this.getShare(keyHex);
    if (!share) throw refused('ERR_UNKNOWN_KEY', `no share for key ${keyHex}`);
    const peer = this.signerPeer(share, req.initiator, req.responder);
    const running = this.presigning.get(keyHex) ?? 0;
    if (this.presignatureCount(keyHex) + running >= PRESIGN_MAX_HELD) throw refused('ERR_PRESIGN_FULL', `this node already holds or is making ${PRESIGN_MAX_HELD} presignatures for key ${keyHex}`);
    const sidHex = toHex(req.sessionId);
    this.presigning.set(keyHex, running + 1);
    let presignature: Presignature;
    try {
      const claimed = this.claimGate(keyHex, sidHex);
      presignature = await this.runSession(ProtocolKind.PRESIGN, req.sessionId, this.presigner(share, peer, req.initiator, req.sessionId), undefined, claimed);
    } catch (e) {
      await this.guard.flush().catch((w: unknown) => this.log.error({ event: 'ban_write_failed', err: w }, 'could not persist a ban'));
      // a peer that cheated in a presign session is on record like one that cheated in signing
      const f = failureOf(e);
      if (f.failureClass === 'ABORT_BAN' || (f.failureClass === 'ABORT' && f.culprit !== 0)) {
        await this.audit.append('presign_failed', 'self', { keyId: keyHex, sessionId: sidHex, initiator: req.initiator, responder: req.responder, failureClass: f.failureClass, code: f.code, culprit: f.culprit }).catch(() => {});
      }
      throw e;
    } finally {
      const n = (this.presigning.get(keyHex) ?? 1) - 1;
      if (n > 0) this.presigning.set(keyHex, n);
      else this.presigning.delete(keyHex);
    }
    if (this.stopping) {
      presignature.discard();
      throw refused('ERR_NODE_STOPPING', 'node is shutting down');
    }
    this.presigs.set(`${keyHex}/${sidHex}`, { p: presignature, at: Date.now(), initiator: req.initiator, responder: req.responder });
    this.stats.presigned++;
    this.log.debug({ event: 'presigned', keyId: keyHex, sessionId: sidHex, initiator: req.initiator, responder: req.responder });
  }

  /** The durable claim of a session id (fail closed): a gate for the session's first messages. */
  private claimGate(keyHex: string, sidHex: string): Promise<void> {
    const p = this.store.claimSession(keyHex, sidHex, Date.now()).then((ok) => {
      if (!ok) throw refused('ERR_SESSION_REPLAY', `session ${sidHex} already used for key ${keyHex}`);
    });
    p.catch(() => {});
    return p;
  }

  private presigner(share: KeyShare, peer: number, initiator: number, sessionId: Uint8Array) {
    const claimed = `${toHex(share.keyId)}/${toHex(sessionId)}`;
    let used = false;
    return createPresigner({
      share,
      peer,
      initiator: this.index === initiator,
      sessionId,
      rng: osRng,
      guard: this.guard,
      // The durable claim (claimGate) is the replay check; the signer's own claim must be this one.
      replay: { claim: (k) => (k === claimed && !used ? (used = true) : false) },
      primitives: nodePrimitives,
    });
  }

  /**
   * One signature's part of this node. With `req.presigned` the session id names a
   * presignature this node holds: it is taken out first (whatever happens next, it is never
   * offered again) and only round 3 runs. Otherwise the presign rounds run first, in this
   * request. Either way the request is checked against policy and approvals and recorded in
   * this node's audit log before anything that depends on the digest is sent.
   */
  private async runSign(req: SignStart): Promise<Uint8Array> {
    const keyHex = toHex(req.keyId);
    const sidHex = toHex(req.sessionId);
    this.log.debug({ event: 'sign_request', keyId: keyHex, initiator: req.initiator, responder: req.responder, presigned: req.presigned === true });
    let held: HeldPresignature | undefined;
    if (req.presigned) {
      held = this.presigs.get(`${keyHex}/${sidHex}`);
      this.presigs.delete(`${keyHex}/${sidHex}`);
    }
    try {
      const share = await this.getShare(keyHex);
      if (!share) throw refused('ERR_UNKNOWN_KEY', `no share for key ${keyHex}`);
      const { initiator, responder } = req;
      const peer = this.signerPeer(share, initiator, responder);
      if (req.presigned) {
        const fits = held && Date.now() - held.at < PRESIGN_TTL_MS && held.p.share === share && held.initiator === initiator && held.responder === responder && !held.p.used;
        if (!fits) throw refused('ERR_PRESIGNATURE_UNKNOWN', `this node holds no usable presignature ${sidHex} for key ${keyHex} and pair ${initiator}/${responder} (restarted, expired or already used)`);
      }
      // the node's own check of request, policy and approvals (node/src/authorize.ts)
      const { auth } = await this.authorizer.authorize(keyHex, `0x${toHex(req.digest)}`, req.authorization, Date.now());
      this.log.info({ event: 'sign_authorized', keyId: keyHex, requestId: auth.requestId, sessionId: sidHex }, 'request checked against policy and approvals');
      // Fail closed: a session this node cannot record, it does not join. The audit entry (and,
      // without a presignature, the durable claim of the session id) are written while round 1
      // is computed; nothing is sent to the peer before they are on disk (`runSession`'s gate).
      const audited = this.audit
        .append('sign_session', 'coordinator', { requestId: auth.requestId, keyId: keyHex, sessionId: sidHex, digest: `0x${toHex(req.digest)}`, initiator, responder, approvals: auth.approvals.map((a) => a.by), presigned: req.presigned === true })
        .then(
          () => {},
          (e: unknown) => {
            throw refused('ERR_AUDIT', `this node's audit log cannot be written: ${(e as Error).message}`);
          },
        );
      audited.catch(() => {});
      try {
        let presignature: Presignature;
        let gate: Promise<void> | undefined;
        if (held) {
          presignature = held.p;
          held = undefined;
          this.stats.presignUsed++;
          gate = audited;
        } else {
          const recorded = Promise.all([audited, this.claimGate(keyHex, sidHex)]).then(() => {});
          recorded.catch(() => {});
          presignature = await this.runSession(ProtocolKind.PRESIGN, req.sessionId, this.presigner(share, peer, initiator, req.sessionId), undefined, recorded);
        }
        let machine;
        try {
          machine = createOnlineSigner({ presignature, digest: req.digest, guard: this.guard });
        } finally {
          presignature.discard();
        }
        let partial: PartialSignature;
        try {
          partial = await this.runSession(ProtocolKind.SIGN, req.sessionId, machine, undefined, gate);
          // the runner holds received messages until the gate opens; this makes sure no partial
          // leaves without its sign_session entry on disk whatever the message order was
          await audited;
        } catch (e) {
          machine.abandon('the signing session did not complete'); // (no-op if it ended itself)
          throw e;
        }
        this.log.info({ event: 'sign_done', keyId: keyHex, sessionId: sidHex, initiator, responder }, 'partial signature produced');
        await this.audit.append('sign_done', 'self', { requestId: auth.requestId, keyId: keyHex, sessionId: sidHex, Ri: toHex(partial.Ri) });
        void this.tellOthers(keyHex, auth.requestId, req.sessionId);
        return encodePartial(partial);
      } catch (e) {
        // A ban must be on disk before the failure is reported; a failed write is logged, and the
        // session's own failure is still the one reported.
        await this.guard.flush().catch((w: unknown) => this.log.error({ event: 'ban_write_failed', err: w }, 'could not persist a ban'));
        const f = failureOf(e);
        await this.audit.append('sign_failed', 'self', { requestId: auth.requestId, keyId: keyHex, sessionId: sidHex, failureClass: f.failureClass, code: f.code, culprit: f.culprit }).catch(() => {});
        throw e;
      }
    } finally {
      if (held) {
        held.p.discard();
        this.stats.presignDropped++;
      }
    }
  }

  /** The failure, as a node would report it, of an arbitrary error (for callers and tests). */
  static failureOf(e: unknown): SessionFailure {
    return failureOf(e);
  }
}

