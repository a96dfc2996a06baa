/**
 * `node init`: creates a node directory's identity (mode 0600), passphrase file (mode 0600,
 * random, unless one exists) and config.json. Existing files are reused, never overwritten.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { loadOrCreateIdentity } from '../../proto/identity.js';
import { NODE_CONFIG_FILE, writeNodeConfig } from './config.js';

export interface InitNodeOptions {
  readonly dir: string;
  readonly index: number;
  readonly listen: readonly string[];
  /** Path of the cluster.json this node will read (it may not exist yet). */
  readonly cluster: string;
  /** Create a random passphrase file if none exists (false: the operator supplies one). */
  readonly generatePassphrase?: boolean;
  readonly roundTimeoutMs?: number;
}

export interface InitNodeResult {
  readonly peerId: string;
  readonly createdIdentity: boolean;
  readonly createdConfig: boolean;
}

export const IDENTITY_FILE = 'identity.key';
export const PASSPHRASE_FILE = 'passphrase';
export const DATA_DIR = 'data';

export async function initNode(o: InitNodeOptions): Promise<InitNodeResult> {
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const { identity, created } = await loadOrCreateIdentity(join(o.dir, IDENTITY_FILE));
  const pf = join(o.dir, PASSPHRASE_FILE);
  if (o.generatePassphrase !== false && !existsSync(pf)) {
    writeFileSync(pf, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  }
  const hasConfig = existsSync(join(o.dir, NODE_CONFIG_FILE));
  if (!hasConfig) {
    writeNodeConfig(o.dir, {
      version: 1,
      index: o.index,
      identityFile: IDENTITY_FILE,
      dataDir: DATA_DIR,
      ...(existsSync(pf) ? { passphraseFile: PASSPHRASE_FILE } : {}),
      listen: o.listen,
      cluster: relative(resolve(o.dir), resolve(o.cluster)) || o.cluster,
      ...(o.roundTimeoutMs ? { roundTimeoutMs: o.roundTimeoutMs } : {}),
    });
  }
  return { peerId: identity.peerId, createdIdentity: created, createdConfig: !hasConfig };
}
