/**
 * A node's own configuration (`<dir>/config.json`); relative paths are resolved against `<dir>`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, field, isInt, isObj, isStr, isStrArr, loadCluster, readJson, type ClusterConfig } from '../../proto/cluster.js';

export const NODE_CONFIG_FILE = 'config.json';
/** Default round timeout: a session fails when no message moves it forward for this long. */
export const DEFAULT_ROUND_TIMEOUT_MS = 15_000;
/** Environment variable that may carry the key-store passphrase (the file named in the config wins). */
export const PASSPHRASE_ENV = 'TECDSA_PASSPHRASE';

export interface NodeConfig {
  readonly version: 1;
  readonly index: number;
  readonly identityFile: string;
  readonly dataDir: string;
  readonly passphraseFile?: string;
  readonly listen: readonly string[];
  readonly cluster: string;
  readonly roundTimeoutMs: number;
}

export interface LoadedNodeConfig extends NodeConfig {
  readonly dir: string;
  readonly clusterConfig: ClusterConfig;
}

export function loadNodeConfig(dir: string): LoadedNodeConfig {
  const file = join(dir, NODE_CONFIG_FILE);
  if (!existsSync(file)) throw new ConfigError(`${file} does not exist (run \`node init\` first)`);
  const v = readJson(file);
  if (!isObj(v)) throw new ConfigError(`${file} must hold a JSON object`);
  if (v.version !== 1) throw new ConfigError(`${file}: unsupported version ${String(v.version)}`);
  const abs = (p: string) => resolve(dir, p);
  const cluster = abs(field(v, 'cluster', file, isStr, 'a path'));
  const cfg: LoadedNodeConfig = {
    version: 1,
    dir: resolve(dir),
    index: field(v, 'index', file, isInt, 'an integer'),
    identityFile: abs(field(v, 'identityFile', file, isStr, 'a path')),
    dataDir: abs(field(v, 'dataDir', file, isStr, 'a path')),
    ...(v.passphraseFile === undefined ? {} : { passphraseFile: abs(field(v, 'passphraseFile', file, isStr, 'a path')) }),
    listen: field(v, 'listen', file, isStrArr, 'a list of multiaddrs'),
    cluster,
    roundTimeoutMs: v.roundTimeoutMs === undefined ? DEFAULT_ROUND_TIMEOUT_MS : field(v, 'roundTimeoutMs', file, isInt, 'an integer'),
    clusterConfig: loadCluster(cluster),
  };
  if (cfg.roundTimeoutMs < 100 || cfg.roundTimeoutMs > 600_000) throw new ConfigError(`${file}.roundTimeoutMs must be 100..600000`);
  if (!cfg.clusterConfig.nodes.some((n) => n.index === cfg.index)) throw new ConfigError(`${file}: index ${cfg.index} is not in ${cluster}`);
  return cfg;
}

export function writeNodeConfig(dir: string, cfg: Omit<NodeConfig, 'roundTimeoutMs'> & { roundTimeoutMs?: number }): void {
  writeFileSync(join(dir, NODE_CONFIG_FILE), JSON.stringify(cfg, null, 2) + '\n', { mode: 0o644 });
}
