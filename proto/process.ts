/**
 * What every long-running process and command line of the cluster does the same way: fail with
 * one plain error line, and stop cleanly on SIGINT / SIGTERM — or when the `npm start` launcher
 * that started it (TECDSA_PARENT_PID) is gone, so no process outlives it.
 */
import type { Logger } from 'pino';

export function fail(msg: string, code = 1): never {
  process.stderr.write(`error: ${msg}\n`);
  process.exit(code);
}

/** Runs `stop` once on the first signal (or launcher exit), then exits 0. */
export function stopOnSignal(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const run = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'signal', signal: why }, 'stopping');
    await stop().catch((e: unknown) => log.error({ err: e }, 'error while stopping'));
    process.exit(0);
  };
  process.on('SIGINT', () => void run('SIGINT'));
  process.on('SIGTERM', () => void run('SIGTERM'));
  const launcher = Number(process.env.TECDSA_PARENT_PID);
  if (launcher) setInterval(() => process.ppid !== launcher && void run('parent exited'), 1000).unref();
}
