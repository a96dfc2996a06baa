/**
 * Typed protocol errors. Every error carries a stable `code` and a failure class
 * (@spec SPEC.md §1.6). Aborts caused by a peer name that peer as `culprit`.
 *
 * - REJECT: drop the message, the session continues (wrong session, duplicate, unknown sender).
 * - ABORT: end this session; `culprit` is set when the failure is attributable.
 * - ABORT_BAN: end this session and ban the culprit's pairwise OT setup for this key.
 * - BUG: a local invariant failed; never blamed on a peer.
 */
export type FailureClass = 'REJECT' | 'ABORT' | 'ABORT_BAN' | 'BUG';

export const ErrorCode = {
  INVALID_ARGUMENTS: 'ERR_INVALID_ARGUMENTS',
  BAD_LENGTH: 'ERR_BAD_LENGTH',
  SCALAR_RANGE: 'ERR_SCALAR_RANGE',
  BAD_POINT: 'ERR_BAD_POINT',
  UNEXPECTED_MESSAGE: 'ERR_UNEXPECTED_MESSAGE',
  DUPLICATE_MESSAGE: 'ERR_DUPLICATE_MESSAGE',
  WRONG_SESSION: 'ERR_WRONG_SESSION',
  SESSION_FINISHED: 'ERR_SESSION_FINISHED',
  ABANDONED: 'ERR_ABANDONED',
  SESSION_REPLAY: 'ERR_SESSION_REPLAY',
  PRESIGNATURE_USED: 'ERR_PRESIGNATURE_USED',
  COMMITMENT: 'ERR_COMMITMENT',
  PROOF: 'ERR_PROOF',
  BAD_SIGNATURE: 'ERR_BAD_SIGNATURE',
  FELDMAN: 'ERR_FELDMAN',
  ECHO: 'ERR_ECHO',
  EQUIVOCATION: 'ERR_EQUIVOCATION',
  CONFIRMATION: 'ERR_CONFIRMATION',
  BASE_OT_CHECK: 'ERR_BASE_OT_CHECK',
  OTE_CHECK: 'ERR_OTE_CHECK',
  VOLE_CHECK: 'ERR_VOLE_CHECK',
  GAMMA_CHECK: 'ERR_GAMMA_CHECK',
  PEER_BANNED: 'ERR_PEER_BANNED',
  DEGENERATE: 'ERR_DEGENERATE',
  NONCE_MISMATCH: 'ERR_NONCE_MISMATCH',
  SIGNATURE_INVALID: 'ERR_SIGNATURE_INVALID',
  KEYSHARE_INVALID: 'ERR_KEYSHARE_INVALID',
  INVARIANT: 'ERR_INVARIANT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ProtocolErrorOptions {
  culprit?: number;
  round?: number;
  cause?: unknown;
}

export class ProtocolError extends Error {
  static override readonly name = 'ProtocolError';
  override readonly name = 'ProtocolError';
  readonly code: ErrorCode;
  readonly failure: FailureClass;
  /** 1-based index of the party at fault, when attributable. */
  readonly culprit?: number;
  readonly round?: number;

  constructor(failure: FailureClass, code: ErrorCode, message: string, opts: ProtocolErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.failure = failure;
    this.code = code;
    if (opts.culprit !== undefined) this.culprit = opts.culprit;
    if (opts.round !== undefined) this.round = opts.round;
  }
}

export const reject = (code: ErrorCode, msg: string, o?: ProtocolErrorOptions) => new ProtocolError('REJECT', code, msg, o);
export const abort = (code: ErrorCode, msg: string, o?: ProtocolErrorOptions) => new ProtocolError('ABORT', code, msg, o);
export const abortBan = (code: ErrorCode, msg: string, o: ProtocolErrorOptions & { culprit: number }) =>
  new ProtocolError('ABORT_BAN', code, msg, o);
export const bug = (msg: string, cause?: unknown) => new ProtocolError('BUG', ErrorCode.INVARIANT, msg, { cause });
export const invalidArgs = (msg: string) => new ProtocolError('BUG', ErrorCode.INVALID_ARGUMENTS, msg);

export function isProtocolError(e: unknown): e is ProtocolError {
  return e instanceof Error && (e as { name?: string }).name === 'ProtocolError';
}
