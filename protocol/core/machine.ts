/**
 * Round-based state machine core (@spec SPEC.md §1.4): messages in → messages out, no I/O.
 *
 * The core, not the rounds, rejects messages for another party, from unexpected senders, for
 * past rounds and duplicates (REJECT: dropped, the session continues), and buffers early ones.
 * A round's `process` runs once every expected message of that round is in. Any non-REJECT
 * error ends the session: `status` becomes 'aborted' and the error (with its culprit) is kept.
 */
import { ErrorCode, ProtocolError, abort, bug, isProtocolError, reject } from './errors.js';

export interface Message {
  readonly from: number;
  readonly to: number;
  readonly round: number;
  readonly payload: Uint8Array;
}

export type Status = 'running' | 'done' | 'aborted';

export abstract class RoundMachine<Out> {
  status: Status = 'running';
  error?: ProtocolError;
  output?: Out;
  /** The next round whose messages this party waits for. */
  protected current = 0;
  private readonly inbox = new Map<number, Map<number, Uint8Array>>();
  private started = false;

  protected constructor(readonly self: number) {}

  /** Rounds in which this party expects messages, ascending. */
  protected abstract rounds(): readonly number[];
  /** Senders this party expects a message from in `round`. */
  protected abstract senders(round: number): readonly number[];
  /** Emits the first messages (possibly none). */
  protected abstract begin(): Message[];
  /** Consumes all messages of `round`; returns outgoing messages; sets `output` on the last round. */
  protected abstract process(round: number, msgs: ReadonlyMap<number, Uint8Array>): Message[];

  start(): Message[] {
    if (this.started) throw bug('start() called twice');
    this.started = true;
    this.current = this.rounds()[0] ?? 0;
    return this.guard(() => this.begin());
  }

  /**
   * The round this party waits for and the senders whose message for it has not arrived
   * (empty once finished). A node's session runner names them when a round times out.
   */
  pending(): { round: number; from: number[] } {
    if (this.status !== 'running' || !this.started) return { round: this.current, from: [] };
    const box = this.inbox.get(this.current);
    return { round: this.current, from: this.senders(this.current).filter((p) => !box?.has(p)) };
  }

  /** Delivers one message. Throws a REJECT error for a dropped message, or the abort error. */
  receive(msg: Message): Message[] {
    if (!this.started) throw bug('receive() before start()');
    if (this.status !== 'running') throw reject(ErrorCode.SESSION_FINISHED, `session is ${this.status}`);
    if (msg.to !== this.self) throw reject(ErrorCode.UNEXPECTED_MESSAGE, `message for party ${msg.to}`);
    const rs = this.rounds();
    if (!rs.includes(msg.round) || !this.senders(msg.round).includes(msg.from)) {
      throw reject(ErrorCode.UNEXPECTED_MESSAGE, `unexpected message round ${msg.round} from ${msg.from}`);
    }
    if (msg.round < this.current) throw reject(ErrorCode.DUPLICATE_MESSAGE, `round ${msg.round} already processed`);
    let box = this.inbox.get(msg.round);
    if (!box) this.inbox.set(msg.round, (box = new Map()));
    if (box.has(msg.from)) throw reject(ErrorCode.DUPLICATE_MESSAGE, `duplicate round ${msg.round} message from ${msg.from}`);
    box.set(msg.from, msg.payload);
    return this.guard(() => this.drain());
  }

  private drain(): Message[] {
    const out: Message[] = [];
    const rs = this.rounds();
    for (;;) {
      if (this.status !== 'running') break;
      const box = this.inbox.get(this.current);
      const need = this.senders(this.current);
      if (!box || box.size < need.length) break;
      const round = this.current;
      this.inbox.delete(round);
      const next = rs[rs.indexOf(round) + 1];
      out.push(...this.process(round, box));
      if (this.output !== undefined) {
        this.status = 'done';
        this.inbox.clear();
        break;
      }
      if (next === undefined) throw bug('last round processed without output');
      this.current = next;
    }
    return out;
  }

  private guard(f: () => Message[]): Message[] {
    try {
      return f();
    } catch (e) {
      const err = isProtocolError(e) ? e : bug('unexpected exception in protocol', e);
      if (err.failure !== 'REJECT') {
        this.status = 'aborted';
        this.error = err;
        this.inbox.clear();
        this.onAbort(err);
      }
      throw err;
    }
  }

  /**
   * Ends a running session from outside (its driver timed out, could not send, or is shutting
   * down): the status becomes 'aborted' with ERR_ABANDONED, nobody is blamed, and `onAbort`
   * erases this party's secrets now instead of leaving them to the garbage collector.
   */
  abandon(reason: string): void {
    if (this.status !== 'running') return;
    const err = abort(ErrorCode.ABANDONED, reason);
    this.status = 'aborted';
    this.error = err;
    this.inbox.clear();
    this.onAbort(err);
  }

  /** Hook for erasing secrets on abort. */
  protected onAbort(_err: ProtocolError): void {}
}
