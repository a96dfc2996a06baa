#!/usr/bin/env -S node --import tsx
/**
 * The coordinator command line:
 *   start --dir DIR [--port PORT] [--host HOST]   libp2p peer + HTTP API until SIGINT/SIGTERM
 */
import '../../proto/polyfill.js';
import { fail, stopOnSignal } from '../../proto/process.js';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { Coordinator } from './service.js';
import { buildApp, sha256 } from './app.js';

const USAGE = 'usage: coordinator/src/cli.ts start --dir DIR [--port PORT] [--host HOST]';


async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: { dir: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean' } }, strict: true }));
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`, 2);
  }
  if (cmd !== 'start' || values.help) {
    if (cmd && cmd !== 'start' && cmd !== 'help') fail(`unknown command ${cmd}\n${USAGE}`, 2);
    console.log(USAGE);
    return;
  }
  if (!values.dir) fail(`--dir is required\n${USAGE}`, 2);
  const log = pino({ name: 'coordinator', level: process.env.LOG_LEVEL ?? 'info', base: { pid: process.pid } });
  let coord: Coordinator;
  try {
    coord = await Coordinator.start({ dir: values.dir as string, logger: log });
  } catch (e) {
    fail((e as Error).message);
  }
  let token: string;
  try {
    token = readFileSync(coord.config.adminTokenFile, 'utf8').trim();
  } catch (e) {
    await coord.stop();
    fail(`cannot read the admin token file ${coord.config.adminTokenFile}: ${(e as Error).message}`);
  }
  if (token.length < 16) fail(`the admin token in ${coord.config.adminTokenFile} is shorter than 16 characters`);
  const app = buildApp(coord, { tokenHash: sha256(token) });
  const port = values.port !== undefined ? Number(values.port) : coord.config.http.port;
  const host = (values.host as string | undefined) ?? coord.config.http.host;
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be 0..65535', 2);
  try {
    await app.listen({ port, host });
  } catch (e) {
    await coord.stop();
    fail(`cannot listen on ${host}:${port}: ${(e as Error).message}`);
  }
  const addr = app.server.address();
  const url = `http://${host}:${typeof addr === 'object' && addr ? addr.port : port}`;
  log.info({ event: 'coordinator_started', url, peerId: coord.peerId }, `coordinator listening on ${url}`);
  stopOnSignal(log, async () => {
    await app.close().catch(() => {});
    await coord.stop();
  });
}

main().catch((e: unknown) => fail((e as Error).message));
