/**
 * The node's session runner (node/src/session.ts) around real signing state machines, wired to
 * each other in memory: honest completion with progress, a REJECTed message that leaves the
 * session running, a silent peer named as culprit after the round timeout, an abort passed on
 * with its class, code and culprit; and RoundMachine.pending() that the timeout relies on.
 */
import { describe, expect, test, vi } from 'vitest';
import { createSigner, type PartialSignature, type Signer } from '../../protocol/sign/sign.js';
import { MemoryPairGuard } from '../../protocol/core/guard.js';
import { seededRng } from '../../protocol/testing/index.js';
import type { Message } from '../../protocol/core/machine.js';
import { MAX_HELD_MESSAGES, SessionFailed, SessionRunner } from '../../node/src/session.js';
import { TEST_SEED, dkgKeys, memoryReplay, nodePrimitives } from '../helpers.js';

function pair(tag: string): [Signer, Signer] {
  const keys = dkgKeys(3);
  const rng = seededRng(`session/${TEST_SEED}/${tag}`);
  const digest = rng(32);
  const sessionId = rng(32);
  const guard = new MemoryPairGuard();
  const mk = (self: number, peer: number, initiator: boolean) =>
    createSigner({ share: keys[self - 1]!, peer, initiator, digest, sessionId, rng, guard, replay: memoryReplay(), primitives: nodePrimitives });
  return [mk(1, 2, true), mk(2, 1, false)];
}

/** Two runners whose `send` delivers to each other asynchronously, through `tap`. */
function wire(a: Signer, b: Signer, tap: (m: Message) => Message | null = (m) => m, roundTimeoutMs = 2_000) {
  const progress: number[][] = [[], []];
  const rejected: string[] = [];
  const runners: SessionRunner<PartialSignature>[] = [];
  const mk = (m: Signer, i: number) =>
    new SessionRunner<PartialSignature>({
      machine: m,
      roundTimeoutMs,
      send: async (msgs) => {
        for (const x of msgs) {
          const y = tap(x);
          if (y) setImmediate(() => runners[y.to - 1]!.deliver(y));
        }
      },
      onProgress: (r) => progress[i]!.push(r),
      onReject: (err, m) => rejected.push(`${i + 1}:${m.from}/${m.round}:${err.code}`),
    });
  runners.push(mk(a, 0), mk(b, 1));
  return { runners, progress, rejected };
}

describe('SessionRunner', () => {
  test('honest sessions finish with both partials and report progress', async () => {
    const [a, b] = pair('honest');
    const w = wire(a, b);
    const { runners, progress } = w;
    const { rejected } = w;
    const [pa, pb] = await Promise.all(runners.map((r) => r.run()));
    expect(rejected).toEqual([]);
    expect([pa!.index, pb!.index]).toEqual([1, 2]);
    expect(progress[0]!.length + progress[1]!.length).toBeGreaterThan(0);
  });

  test('a message the machine rejects (a duplicate) is dropped and the session still finishes', async () => {
    const [a, b] = pair('dup');
    let dupSent = false;
    const { runners, rejected } = wire(a, b, (m) => {
      if (!dupSent && m.from === 1 && m.round === 1) {
        dupSent = true;
        setImmediate(() => runners[1]!.deliver(m));
      }
      return m;
    });
    const out = await Promise.all(runners.map((r) => r.run()));
    expect(out.map((p) => p.index)).toEqual([1, 2]);
    expect(dupSent).toBe(true);
    expect(rejected).toEqual(['2:1/1:ERR_DUPLICATE_MESSAGE']);
  });

  test('a silent peer is named after the round timeout (TIMEOUT, culprit = the missing party)', async () => {
    const [a, b] = pair('silent');
    const { runners } = wire(a, b, (m) => (m.from === 2 ? null : m), 200);
    const [ra, rb] = runners.map((r) => r.run().then(() => 'done', (e: unknown) => e));
    const err = (await ra) as SessionFailed;
    expect(err).toBeInstanceOf(SessionFailed);
    expect(err.failure).toMatchObject({ failureClass: 'TIMEOUT', code: 'ERR_TIMEOUT', culprit: 2 });
    expect(await rb).toBeInstanceOf(SessionFailed);
    // the timed-out machines are abandoned (their secrets erased now), blaming nobody
    for (const m of [a, b]) {
      expect(m.status).toBe('aborted');
      expect(m.error).toMatchObject({ failure: 'ABORT', code: 'ERR_ABANDONED' });
      expect(m.error!.culprit).toBeUndefined();
    }
  });

  test('before the gate opens nothing received reaches the machine; a repeated message is dropped, not handed over', async () => {
    const [a, b] = pair('gate-dup');
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const rejected: string[] = [];
    const sent: Message[] = [];
    const r = new SessionRunner<PartialSignature>({
      machine: a,
      roundTimeoutMs: 10_000,
      gate,
      send: async (m) => void sent.push(...m),
      onReject: (e, m) => rejected.push(`${m.from}/${m.round}:${e.code}`),
    });
    void r.run().catch(() => {});
    const m1 = b.start()[0]!;
    r.deliver(m1);
    r.deliver(m1);
    expect(rejected).toEqual(['2/1:ERR_DUPLICATE_MESSAGE']);
    expect(r.heldCount).toBe(1);
    expect(a.pending()).toEqual({ round: 1, from: [2] }); // not processed yet
    await new Promise((res) => setTimeout(res, 20));
    expect(sent).toEqual([]);
    open();
    await vi.waitFor(() => expect(sent.map((m) => m.round)).toEqual([1, 2]));
    expect(a.pending().round).toBe(2);
    r.fail({ failureClass: 'ABORT', code: 'ERR_TEST', culprit: 0, message: 'end of test', round: 0 });
  });

  test('a failed runner abandons its machine: a later message is refused, nothing is output, nobody is banned', async () => {
    const keys = dkgKeys(3);
    const rng = seededRng(`session/${TEST_SEED}/abandon`);
    const guard = new MemoryPairGuard();
    const m = createSigner({ share: keys[0]!, peer: 2, initiator: true, digest: rng(32), sessionId: rng(32), rng, guard, replay: memoryReplay(), primitives: nodePrimitives });
    const r = new SessionRunner<PartialSignature>({ machine: m, roundTimeoutMs: 10_000, send: async () => {} });
    const done = r.run().then(() => 'done', (e: unknown) => e);
    r.fail({ failureClass: 'UNREACHABLE', code: 'ERR_PEER_UNREACHABLE', culprit: 2, message: 'gone', round: 0 });
    expect(((await done) as SessionFailed).failure.code).toBe('ERR_PEER_UNREACHABLE');
    expect(m.status).toBe('aborted');
    expect(m.error?.code).toBe('ERR_ABANDONED');
    expect(m.output).toBeUndefined();
    expect(() => m.receive({ from: 2, to: 1, round: 1, payload: new Uint8Array(0) })).toThrow(/aborted/);
    expect(guard.isBanned(Buffer.from(keys[0]!.keyId).toString('hex'), 2)).toBe(false);
  });

  test('an abort inside the protocol is reported with its class, code and culprit', async () => {
    const [a, b] = pair('abort');
    const { runners } = wire(a, b, (m) => {
      if (m.from === 2 && m.round === 2) {
        const p = m.payload.slice();
        p[p.length - 1]! ^= 1;
        return { ...m, payload: p };
      }
      return m;
    });
    const ra = runners[0]!.run().then(() => null, (e: unknown) => e as SessionFailed);
    void runners[1]!.run().catch(() => {});
    const f = (await ra)!.failure;
    expect(f.failureClass).toMatch(/^ABORT/);
    expect(f.culprit).toBe(2);
    expect(f.code).toMatch(/^ERR_/);
  });
});

describe('SessionRunner ordering', () => {
  test('a gate holds back sending and receiving; the first round is computed meanwhile; a rejected gate fails the session with its error', async () => {
    const [a, b] = pair('gate');
    const sent: Message[] = [];
    let open!: () => void;
    const gate = new Promise<void>((res) => (open = res));
    const ra = new SessionRunner<PartialSignature>({ machine: a, roundTimeoutMs: 2_000, gate, send: async (m) => void sent.push(...m) });
    const done = ra.run();
    expect(a.pending().round, 'round 1 computed before the gate opens').toBe(1);
    // the peer's round-1 message arrives while the gate is closed: it is not processed yet
    const m1b = b.start();
    ra.deliver(m1b[0]!);
    await new Promise((r) => setImmediate(r));
    expect(sent, 'nothing sent before the gate opens').toEqual([]);
    expect(a.pending().round, 'the peer message waits').toBe(1);
    open();
    await new Promise((r) => setTimeout(r, 20));
    expect(sent.map((m) => m.round), 'own round 1 first, then round 2 from the held message').toEqual([1, 2]);
    void done.catch(() => {});

    const [c] = pair('gate-refused');
    const rc = new SessionRunner<PartialSignature>({ machine: c, roundTimeoutMs: 2_000, gate: Promise.reject(new SessionFailed({ failureClass: 'REFUSED', code: 'ERR_AUDIT', culprit: 0, message: 'disk full', round: 0 })), send: async (m) => void sent.push(...m) });
    await expect(rc.run()).rejects.toMatchObject({ failure: { failureClass: 'REFUSED', code: 'ERR_AUDIT' } });
    expect(sent.length, 'nothing more sent').toBe(2);
  });

  test("a peer's message for a later round is handed over only after this party's message of the current round has gone out", async () => {
    const [a, b] = pair('order');
    const out: Message[] = [];
    const ra = new SessionRunner<PartialSignature>({ machine: a, roundTimeoutMs: 2_000, send: async (m) => void out.push(...m) });
    void ra.run().catch(() => {});
    const m1b = b.start()[0]!;
    const m2b = b.receive(out[0]!)[0]!;
    // the peer's round-2 message overtakes its round-1 message
    ra.deliver(m2b);
    ra.deliver(m1b);
    expect(out.map((m) => m.round), 'round 2 went out; the peer round-2 message is still held').toEqual([1, 2]);
    expect(a.pending().round).toBe(2);
    await new Promise((r) => setImmediate(r));
    expect(out.map((m) => m.round), 'on the next turn the held message is processed').toEqual([1, 2, 3]);
    expect(a.pending().round).toBe(3);
  });
});

describe('SessionRunner holding bounds', () => {
  test('a flood from the peer holds at most one message per (round, sender) and MAX_HELD_MESSAGES in all; the rest goes to the machine', async () => {
    const [a, b] = pair('flood');
    const { runners, rejected } = wire(a, b);
    const [ra, rb] = runners;
    const resA = ra!.run().then(() => 'partial', (e: SessionFailed) => `${e.failure.code}/${e.failure.culprit}`);
    void rb!.run().catch(() => {});
    // before its real messages arrive, the peer (authenticated as party 2 on a node) floods:
    // the same later round ten times, then rounds that do not exist
    const junk = (round: number) => ({ from: 2, to: 1, round, payload: new Uint8Array(8) });
    for (let i = 0; i < 10; i++) ra!.deliver(junk(3));
    const extra = 2 * MAX_HELD_MESSAGES;
    for (let r = 4; r < 4 + extra; r++) ra!.deliver(junk(r));
    expect(ra!.heldCount, 'one round-3 message and the first unknown rounds, up to the bound').toBe(MAX_HELD_MESSAGES);
    // to the machine: 9 round-3 copies (one buffered as early, 8 duplicates) and the overflow of unknown rounds
    expect(rejected.length).toBe(8 + (extra - (MAX_HELD_MESSAGES - 1)));
    // the held junk for round 3 is the peer's own message: processing it aborts, naming the peer
    expect(await resA).toBe('ERR_BAD_LENGTH/2');
  });
});

describe('RoundMachine.pending()', () => {
  test('names the round and the senders still missing, and nothing once finished', () => {
    const [a, b] = pair('pending');
    const m1 = a.start();
    expect(a.pending()).toEqual({ round: 1, from: [2] });
    const m1b = b.start();
    expect(b.pending()).toEqual({ round: 1, from: [1] });
    let out = [...m1.flatMap((m) => b.receive(m)), ...m1b.flatMap((m) => a.receive(m))];
    expect(a.pending()).toEqual({ round: 2, from: [2] });
    while (out.length) {
      const next: Message[] = [];
      for (const m of out) next.push(...(m.to === 1 ? a : b).receive(m));
      out = next;
    }
    expect([a.status, b.status]).toEqual(['done', 'done']);
    expect([a.pending().from, b.pending().from]).toEqual([[], []]);
  });
});
