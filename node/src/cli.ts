#!/usr/bin/env -S node --import tsx
/**
 * The node command line:
 *   init   --dir DIR --index N --listen MULTIADDR [--cluster FILE]   identity + passphrase + config
 *   start  --dir DIR                                                run the node until SIGINT/SIGTERM
 *   status --dir DIR                                                identity, config, stored keys and
 *                                                                   delayed requests still waiting
 * The key-store passphrase comes from the config's passphrase file or TECDSA_PASSPHRASE.
 */
import '../../proto/polyfill.js';
import { fail, stopOnSignal } from '../../proto/process.js';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { initNode } from './init.js';
import { ClusterNode } from './node.js';
import { loadNodeConfig, PASSPHRASE_ENV } from './config.js';
import { loadIdentity } from '../../proto/identity.js';
import { NodeStore, StoreError } from './store.js';
import { readPassphrase } from './passphrase.js';
import { createLogger } from './log.js';
import { pendingDelays } from './authorize.js';

const USAGE = `usage: node/src/cli.ts <init|start|status> --dir DIR [options]
  init   --dir DIR --index N --listen MULTIADDR [--cluster FILE (default DIR/../cluster.json)]
  start  --dir DIR
  status --dir DIR
  audit  --dir DIR      this node's signed session log as JSONL (node stopped)`;


async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { dir: { type: 'string' }, index: { type: 'string' }, listen: { type: 'string' }, cluster: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`, 2);
  }
  if (!cmd || values.help || cmd === 'help') {
    console.log(USAGE);
    return;
  }
  const dir = values.dir as string | undefined;
  if (!dir) fail(`--dir is required\n${USAGE}`, 2);
  if (cmd === 'init') {
    const index = Number(values.index);
    if (!Number.isInteger(index) || index < 1) fail('--index must be a positive integer', 2);
    if (!values.listen) fail('--listen is required (e.g. /ip4/127.0.0.1/tcp/7701)', 2);
    const r = await initNode({ dir, index, listen: [values.listen as string], cluster: (values.cluster as string) ?? join(dir, '..', 'cluster.json') });
    console.log(JSON.stringify({ peerId: r.peerId, createdIdentity: r.createdIdentity, createdConfig: r.createdConfig }));
    return;
  }
  if (cmd === 'start') {
    const log = createLogger('node');
    let node: ClusterNode;
    try {
      node = await ClusterNode.start({ dir, logger: log });
    } catch (e) {
      fail((e as Error).message);
    }
    stopOnSignal(log, () => node.stop());
    return;
  }
  if (cmd === 'status') {
    const cfg = loadNodeConfig(dir);
    const id = loadIdentity(cfg.identityFile);
    const out: Record<string, unknown> = { index: cfg.index, peerId: id.peerId, listen: cfg.listen, cluster: cfg.cluster, dataDir: cfg.dataDir };
    if (!existsSync(cfg.dataDir)) {
      out.state = 'not started yet';
    } else {
      try {
        const pass = readPassphrase({ ...(cfg.passphraseFile ? { file: cfg.passphraseFile } : {}), env: PASSPHRASE_ENV });
        const store = await NodeStore.open(cfg.dataDir, pass.passphrase);
        try {
          out.state = 'stopped';
          out.keys = (await store.listKeys()).map((k) => ({ keyId: k.keyId, name: k.name, publicKey: k.publicKey }));
          out.bans = await store.listBans();
          // delayed requests this node witnessed and has not signed; not cancelled, not expired
          out.delayed = await pendingDelays(store, Date.now());
        } finally {
          await store.close();
        }
      } catch (e) {
        if (e instanceof StoreError && e.code === 'ERR_STORE_LOCKED') out.state = 'running (database in use)';
        else throw e;
      }
    }
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  if (cmd === 'audit') {
    // the node's own chained log, as JSONL (the node must be stopped: LevelDB has one writer)
    const cfg = loadNodeConfig(dir);
    const pass = readPassphrase({ ...(cfg.passphraseFile ? { file: cfg.passphraseFile } : {}), env: PASSPHRASE_ENV });
    const store = await NodeStore.open(cfg.dataDir, pass.passphrase);
    try {
      for (const r of await store.listRecords('audit/')) process.stdout.write(JSON.stringify(r.value) + '\n');
    } finally {
      await store.close();
    }
    return;
  }
  fail(`unknown command ${cmd}\n${USAGE}`, 2);
}

main().catch((e: unknown) => fail((e as Error).message));
