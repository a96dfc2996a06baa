/**
 * The coordinator's configuration (`<dir>/config.json`); relative paths resolve against `<dir>`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, field, isInt, isObj, isStr, isStrArr, loadCluster, readJson, type ClusterConfig } from '../../proto/cluster.js';
import { PRESIGN_POOL_DEPTH, PRESIGN_POOL_DEPTH_MAX } from './presign-pool.js';

export const COORDINATOR_CONFIG_FILE = 'config.json';
/** How long the coordinator waits for one node's answer to a control request (per frame). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface CoordinatorConfig {
  readonly version: 1;
  readonly identityFile: string;
  readonly dataDir: string;
  readonly listen: readonly string[];
  readonly http: { readonly host: string; readonly port: number };
  readonly adminTokenFile: string;
  readonly cluster: string;
  readonly requestTimeoutMs?: number;
  /** Presignatures kept ready per key and signing pair (0: none, every request runs all three rounds). */
  readonly presignDepth?: number;
}

export interface LoadedCoordinatorConfig extends Required<CoordinatorConfig> {
  readonly dir: string;
  readonly clusterConfig: ClusterConfig;
}

export function loadCoordinatorConfig(dir: string): LoadedCoordinatorConfig {
  const file = join(dir, COORDINATOR_CONFIG_FILE);
  if (!existsSync(file)) throw new ConfigError(`${file} does not exist (run the cluster init first)`);
  const v = readJson(file);
  if (!isObj(v)) throw new ConfigError(`${file} must hold a JSON object`);
  if (v.version !== 1) throw new ConfigError(`${file}: unsupported version ${String(v.version)}`);
  const abs = (p: string) => resolve(dir, p);
  const http = v.http;
  if (!isObj(http)) throw new ConfigError(`${file}.http must be an object`);
  const port = field(http, 'port', `${file}.http`, isInt, 'an integer');
  if (port < 0 || port > 65535) throw new ConfigError(`${file}.http.port must be 0..65535`);
  const cluster = abs(field(v, 'cluster', file, isStr, 'a path'));
  const requestTimeoutMs = v.requestTimeoutMs === undefined ? DEFAULT_REQUEST_TIMEOUT_MS : field(v, 'requestTimeoutMs', file, isInt, 'an integer');
  if (requestTimeoutMs < 1_000 || requestTimeoutMs > 3_600_000) throw new ConfigError(`${file}.requestTimeoutMs must be 1000..3600000`);
  const presignDepth = v.presignDepth === undefined ? PRESIGN_POOL_DEPTH : field(v, 'presignDepth', file, isInt, 'an integer');
  if (presignDepth < 0 || presignDepth > PRESIGN_POOL_DEPTH_MAX) throw new ConfigError(`${file}.presignDepth must be 0..${PRESIGN_POOL_DEPTH_MAX}`);
  return {
    version: 1,
    dir: resolve(dir),
    identityFile: abs(field(v, 'identityFile', file, isStr, 'a path')),
    dataDir: abs(field(v, 'dataDir', file, isStr, 'a path')),
    listen: field(v, 'listen', file, isStrArr, 'a list of multiaddrs'),
    http: { host: field(http, 'host', `${file}.http`, isStr, 'a host name'), port },
    adminTokenFile: abs(field(v, 'adminTokenFile', file, isStr, 'a path')),
    cluster,
    requestTimeoutMs,
    presignDepth,
    clusterConfig: loadCluster(cluster),
  };
}

export function writeCoordinatorConfig(dir: string, cfg: CoordinatorConfig): void {
  writeFileSync(join(dir, COORDINATOR_CONFIG_FILE), JSON.stringify(cfg, null, 2) + '\n', { mode: 0o644 });
}
