/**
 * Drives one protocol state machine (protocol/core/machine.ts) over the network: starts it,
 * delivers messages, sends what it emits, and fails it when a round makes no progress within
 * the round timeout, naming the party whose message is missing when exactly one is.
 * The state machine itself decides what is a reject (message dropped) and what is an abort.
 *
 * Sending goes first: a message for a later round than the machine is in is held here and
 * handed to the machine only after what the current round emitted has been passed to the
 * network (on the next turn of the event loop). Otherwise a peer's early message would be
 * processed in the same call that produced this party's message, and the peer would wait for
 * this party's whole next round before receiving what it needs (in two-party signing both send
 * in every round, so that wait is on the critical path).
 */
import type { Message, RoundMachine } from '../../protocol/core/machine.js';
import { ErrorCode, isProtocolError, reject, type ProtocolError } from '../../protocol/core/errors.js';

/** A session failure as reported to the coordinator (mirrors proto Failure). */
export interface SessionFailure {
  /** REJECT | ABORT | ABORT_BAN | BUG from the protocol, or TIMEOUT / REFUSED / UNREACHABLE from the node. */
  readonly failureClass: string;
  readonly code: string;
  /** Party index at fault, 0 when not attributable. */
  readonly culprit: number;
  readonly message: string;
  readonly round: number;
}

export class SessionFailed extends Error {
  override readonly name = 'SessionFailed';
  constructor(readonly failure: SessionFailure) {
    super(failure.message);
  }
  get code(): string {
    return this.failure.code;
  }
}

export const refused = (code: string, message: string) =>
  new SessionFailed({ failureClass: 'REFUSED', code, culprit: 0, message, round: 0 });

export function failureOf(e: unknown): SessionFailure {
  if (e instanceof SessionFailed) return e.failure;
  if (isProtocolError(e)) {
    return { failureClass: e.failure, code: e.code, culprit: e.culprit ?? 0, message: e.message, round: e.round ?? 0 };
  }
  return { failureClass: 'BUG', code: 'ERR_INTERNAL', culprit: 0, message: (e as Error)?.message ?? String(e), round: 0 };
}

export interface SessionOptions<Out> {
  readonly machine: RoundMachine<Out>;
  /** Sends the machine's outgoing messages; a rejection fails the session. */
  readonly send: (msgs: readonly Message[]) => Promise<void>;
  readonly roundTimeoutMs: number;
  /** Called with the last completed round each time the machine moves on. */
  readonly onProgress?: (completedRound: number) => void;
  /** Called for every message the machine dropped (REJECT). */
  readonly onReject?: (err: ProtocolError, msg: Message) => void;
  /**
   * Nothing is sent, and no received message is handed to the machine, before this settles
   * (the machine's first round is computed meanwhile); a rejection fails the session with its error.
   */
  readonly gate?: Promise<void>;
}

/**
 * At most this many received messages are held per session, one per (round, sender); any
 * further one goes straight to the machine, which buffers or rejects it by its own rules (a
 * flood of messages for later or unknown rounds cannot grow the held list).
 */
export const MAX_HELD_MESSAGES = 64;

export class SessionRunner<Out> {
  private readonly done: Promise<Out>;
  private resolve!: (v: Out) => void;
  private reject!: (e: SessionFailed) => void;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private settled = false;
  private round = 0;
  /** The gate has opened. */
  private open: boolean;
  /** Received messages not yet handed to the machine (gate closed, or for a later round). */
  private held: Message[] = [];
  private pumpScheduled = false;

  constructor(private readonly o: SessionOptions<Out>) {
    this.done = new Promise<Out>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    this.done.catch(() => {});
    this.open = o.gate === undefined;
    o.gate?.then(
      () => {
        this.open = true;
        this.schedulePump();
      },
      (e: unknown) => this.fail(failureOf(e)),
    );
  }

  get finished(): boolean {
    return this.settled;
  }

  /** Starts the machine; the returned promise settles when the session ends. */
  run(): Promise<Out> {
    this.step(() => this.o.machine.start());
    return this.done;
  }

  deliver(msg: Message): void {
    if (this.settled) return;
    const dup = this.held.some((h) => h.round === msg.round && h.from === msg.from);
    if (!this.open) {
      // Before the gate opens nothing received reaches the machine: a repeated (round, sender)
      // or anything beyond the bound is dropped (a node's partial must never be computed before
      // its audit entry is on disk).
      if (dup || this.held.length >= MAX_HELD_MESSAGES) {
        this.o.onReject?.(reject(ErrorCode.DUPLICATE_MESSAGE, `round ${msg.round} from ${msg.from} held already, or too many held before the gate opened`), msg);
        return;
      }
      this.held.push(msg);
      return;
    }
    if (msg.round > this.o.machine.pending().round && this.held.length < MAX_HELD_MESSAGES && !dup) {
      this.held.push(msg);
      return;
    }
    this.step(() => this.o.machine.receive(msg), msg);
  }

  /** Messages held for later (tests). */
  get heldCount(): number {
    return this.held.length;
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.held.length === 0) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Hands held messages of the current round (or older) to the machine, one round's output at a time. */
  private pump(): void {
    while (!this.settled && this.open) {
      const round = this.o.machine.pending().round;
      const i = this.held.findIndex((m) => m.round <= round);
      if (i < 0) return;
      const [msg] = this.held.splice(i, 1);
      if (this.step(() => this.o.machine.receive(msg!), msg)) return; // it emitted: let that go out first
    }
  }

  fail(f: SessionFailure): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    // a machine still running (timeout, unreachable peer, failed gate, shutdown) erases its secrets now
    this.o.machine.abandon(`${f.code}: ${f.message}`);
    this.reject(new SessionFailed(f));
  }

  /** Runs one machine step; returns true if it emitted messages. */
  private step(f: () => Message[], msg?: Message): boolean {
    let out: Message[];
    try {
      out = f();
    } catch (e) {
      if (isProtocolError(e) && e.failure === 'REJECT' && msg) {
        this.o.onReject?.(e, msg);
        return false;
      }
      this.fail(failureOf(e));
      return false;
    }
    const m = this.o.machine;
    if (out.length > 0) {
      const sent = this.o.gate ? this.o.gate.then(() => this.o.send(out)) : this.o.send(out);
      sent.catch((e: unknown) => this.fail(failureOf(e)));
    }
    if (m.status === 'done') {
      this.settled = true;
      clearTimeout(this.timer);
      this.resolve(m.output as Out);
      return out.length > 0;
    }
    const { round } = m.pending();
    if (round !== this.round) {
      if (this.round !== 0) this.o.onProgress?.(this.round);
      this.round = round;
    }
    this.arm();
    this.schedulePump();
    return out.length > 0;
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const p = this.o.machine.pending();
      const culprit = p.from.length === 1 ? p.from[0]! : 0;
      this.fail({
        failureClass: 'TIMEOUT',
        code: 'ERR_TIMEOUT',
        culprit,
        message: `round ${p.round} timed out after ${this.o.roundTimeoutMs} ms waiting for part${p.from.length === 1 ? 'y' : 'ies'} ${p.from.join(', ')}`,
        round: p.round,
      });
    }, this.o.roundTimeoutMs);
    this.timer.unref?.();
  }
}
