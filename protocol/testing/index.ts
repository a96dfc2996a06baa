/**
 * Test support (not used by production code paths): a seeded RNG, an Ed25519 test
 * authenticator, and an in-memory network simulator with adversary hooks (@spec SPEC.md §8).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { concat, u32 } from '../core/bytes.js';
import type { Authenticator } from '../core/auth.js';
import { isProtocolError, type ProtocolError } from '../core/errors.js';
import type { Message, RoundMachine } from '../core/machine.js';
import { noblePrimitives } from '../core/primitives.js';
import type { Rng } from '../core/rng.js';

/** Deterministic RNG: SHAKE256(seed ‖ counter). Only for tests and benchmarks. */
export function seededRng(seed: string | Uint8Array): Rng {
  const s = typeof seed === 'string' ? new TextEncoder().encode(seed) : seed;
  let ctr = 0;
  return (n: number) => noblePrimitives.shake256(concat(s, u32(ctr++)), n);
}

/** Ed25519 identities for parties 1..n, derived from a seed. */
export function testAuthenticators(n: number, seed = 'auth'): Authenticator[] {
  const rng = seededRng(`identity/${seed}`);
  const sks = Array.from({ length: n }, () => rng(32));
  const pks = sks.map((sk) => ed25519.getPublicKey(sk));
  return sks.map((sk) => ({
    sign: (data: Uint8Array) => ed25519.sign(data, sk),
    verify: (party: number, data: Uint8Array, sig: Uint8Array) => {
      const pk = pks[party - 1];
      if (!pk || sig.length !== 64) return false;
      try {
        return ed25519.verify(sig, data, pk);
      } catch {
        return false;
      }
    },
  }));
}

export type Intercept = (msg: Message) => Message[] | Message | null | undefined;

export interface SimOptions {
  /** Shuffle delivery order with this RNG (default FIFO). */
  readonly shuffle?: Rng;
  /** Applied to every outgoing message; return null to drop, a message (or list) to replace. */
  readonly intercept?: Intercept;
}

export interface SimResult<Out> {
  readonly outputs: Map<number, Out>;
  readonly errors: Map<number, ProtocolError>;
  /** REJECT-class errors (dropped messages) by receiving party. */
  readonly rejects: Map<number, ProtocolError[]>;
  readonly bytesSent: Map<number, number>;
}

/** Runs machines to completion in memory. */
export function simulate<Out>(machines: RoundMachine<Out>[], opts: SimOptions = {}): SimResult<Out> {
  const byId = new Map(machines.map((m) => [m.self, m]));
  const queue: Message[] = [];
  const errors = new Map<number, ProtocolError>();
  const rejects = new Map<number, ProtocolError[]>();
  const bytesSent = new Map<number, number>();
  const push = (ms: Message[]) => {
    for (const m of ms) {
      bytesSent.set(m.from, (bytesSent.get(m.from) ?? 0) + m.payload.length);
      const r = opts.intercept ? opts.intercept(m) : m;
      if (r === null || r === undefined) continue;
      queue.push(...(Array.isArray(r) ? r : [r]));
    }
  };
  const run = (id: number, f: () => Message[]) => {
    try {
      push(f());
    } catch (e) {
      if (!isProtocolError(e)) throw e;
      if (e.failure === 'REJECT') {
        const l = rejects.get(id) ?? [];
        l.push(e);
        rejects.set(id, l);
      } else errors.set(id, e);
    }
  };
  for (const m of machines) run(m.self, () => m.start());
  while (queue.length > 0) {
    let idx = 0;
    if (opts.shuffle) idx = new DataView(opts.shuffle(4).buffer).getUint32(0) % queue.length;
    const msg = queue.splice(idx, 1)[0]!;
    const m = byId.get(msg.to);
    if (!m || m.status !== 'running') continue;
    run(m.self, () => m.receive(msg));
  }
  const outputs = new Map<number, Out>();
  for (const m of machines) if (m.output !== undefined) outputs.set(m.self, m.output);
  return { outputs, errors, rejects, bytesSent };
}


import { dkgBroadcastSigData, dkgContext } from '../dkg/dkg.js';
import { Transcript } from '../core/transcript.js';

/** Splits a DKG wire payload into its broadcast part, signature and point-to-point part. */
export function splitDkgPayload(payload: Uint8Array): { bcast: Uint8Array; sig: Uint8Array; p2p: Uint8Array } {
  const len = new DataView(payload.buffer, payload.byteOffset).getUint32(0, false);
  return {
    bcast: payload.slice(4, 4 + len),
    sig: payload.slice(4 + len, 4 + len + 64),
    p2p: payload.slice(4 + len + 64),
  };
}

/**
 * Rebuilds a DKG payload from (possibly tampered) parts. With `resign`, the broadcast part is
 * signed again with the sender's key, as a corrupted party controlling that key would do.
 */
export function buildDkgPayload(
  parts: { bcast: Uint8Array; sig: Uint8Array; p2p: Uint8Array },
  resign?: { auth: Authenticator; sessionId: Uint8Array; n: number; t: number; round: number; from: number },
): Uint8Array {
  let sig = parts.sig;
  if (resign) {
    const tr = new Transcript(noblePrimitives);
    const ctx = dkgContext(tr, resign.sessionId, resign.n, resign.t);
    sig = resign.auth.sign(dkgBroadcastSigData(tr, ctx, resign.round, resign.from, parts.bcast));
  }
  return concat(u32(parts.bcast.length), parts.bcast, sig, parts.p2p);
}
