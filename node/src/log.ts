/** Structured JSON logs (pino) on stdout; `npm start` turns selected events into progress lines. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}

export const silentLogger = (): Logger => pino({ level: 'silent' });
