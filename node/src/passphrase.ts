/**
 * Where the key-store passphrase comes from: a file (preferred; e.g. a mounted secret) or an
 * environment variable. Never from a command-line flag (visible in `ps`).
 *
 * Guarantees: the file wins over the environment; exactly one trailing newline ("\n" or "\r\n")
 * is removed; an empty result from both sources is an error (ERR_PASSPHRASE_MISSING), never an
 * empty passphrase. A file readable or writable by group/other is reported through
 * `insecureFileMode` so the caller can warn; it is still used.
 * JS strings cannot be erased: the passphrase stays in memory until collected.
 */
import { readFileSync, statSync } from 'node:fs';
import { StoreError, StoreErrorCode } from './store.js';

export interface PassphraseSource {
  /** Path of a file holding the passphrase. */
  file?: string;
  /** Name of an environment variable holding the passphrase. */
  env?: string;
}

export interface Passphrase {
  readonly passphrase: string;
  readonly source: 'file' | 'env';
  /** True when the file's mode grants any access to group or other (mode & 0o077). */
  readonly insecureFileMode: boolean;
}

export function readPassphrase(opts: PassphraseSource): Passphrase {
  if (opts.file !== undefined) {
    let text: string;
    let mode: number;
    try {
      mode = statSync(opts.file).mode;
      text = readFileSync(opts.file, 'utf8');
    } catch (e) {
      throw new StoreError(
        StoreErrorCode.PASSPHRASE_MISSING,
        `cannot read the passphrase file ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        { cause: e },
      );
    }
    const passphrase = trimOneNewline(text);
    if (passphrase.length > 0) return { passphrase, source: 'file', insecureFileMode: (mode & 0o077) !== 0 };
  }
  if (opts.env !== undefined) {
    const passphrase = trimOneNewline(process.env[opts.env] ?? '');
    if (passphrase.length > 0) return { passphrase, source: 'env', insecureFileMode: false };
  }
  const tried = [opts.file !== undefined ? `file ${opts.file} (empty)` : undefined, opts.env !== undefined ? `environment variable ${opts.env} (unset or empty)` : undefined]
    .filter((x) => x !== undefined)
    .join(', ');
  throw new StoreError(
    StoreErrorCode.PASSPHRASE_MISSING,
    `no key-store passphrase: ${tried || 'neither a passphrase file nor an environment variable was configured'}`,
  );
}

function trimOneNewline(s: string): string {
  if (s.endsWith('\r\n')) return s.slice(0, -2);
  if (s.endsWith('\n')) return s.slice(0, -1);
  return s;
}
