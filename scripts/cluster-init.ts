/**
 * Creates (first run) or reuses a local cluster directory:
 *   DIR/cluster.json, DIR/admin.token (0600), DIR/admin.key (0600, Ed25519 PEM: signs policy and
 *   approver changes; its public key is in cluster.json),
 *   DIR/node{1,2,3}/{identity.key,passphrase,config.json,data/}, DIR/coordinator/{identity.key,config.json,data/}.
 * Identities, passphrases and the token are never overwritten. Used by `npm start` and by the
 * compose file's init service:
 *   tsx scripts/cluster-init.ts --dir DIR [--port 7700] [--hosts node1,node2,node3,coordinator]
 * Ports: HTTP = PORT, node i = PORT + i, coordinator libp2p = PORT + nodes + 1.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initNode } from '../node/src/init.js';
import { loadOrCreateIdentity } from '../proto/identity.js';
import { loadCluster, type ClusterConfig } from '../proto/cluster.js';
import { COORDINATOR_CONFIG_FILE, writeCoordinatorConfig } from '../coordinator/src/config.js';

export const NODES = 3;
export const DEFAULT_PORT = 7700;

export interface ClusterInitOptions {
  readonly dir: string;
  readonly port?: number;
  /** Host names (nodes…, coordinator) for a container network; default: all on 127.0.0.1. */
  readonly hosts?: readonly string[];
  readonly roundTimeoutMs?: number;
}

export interface ClusterInfo {
  readonly dir: string;
  readonly cluster: ClusterConfig;
  readonly tokenFile: string;
  readonly adminKeyFile: string;
  readonly created: boolean;
}

function writeSecret(file: string, content: string): boolean {
  if (existsSync(file)) return false;
  writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
  return true;
}

/** The Ed25519 public key (hex) of a PKCS#8 PEM private key file. */
export function adminPublicKey(file: string): string {
  const jwk = createPublicKey(createPrivateKey(readFileSync(file, 'utf8'))).export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url').toString('hex');
}

export async function initCluster(o: ClusterInitOptions): Promise<ClusterInfo> {
  const dir = resolve(o.dir);
  const port = o.port ?? DEFAULT_PORT;
  const hosts = o.hosts;
  if (hosts && hosts.length !== NODES + 1) throw new Error(`--hosts needs ${NODES + 1} names (nodes, then coordinator)`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const clusterFile = join(dir, 'cluster.json');
  const listenOn = (p: number) => (hosts ? `/ip4/0.0.0.0/tcp/${p}` : `/ip4/127.0.0.1/tcp/${p}`);
  const dialAt = (i: number, p: number) => (hosts ? `/dns4/${hosts[i]}/tcp/${p}` : `/ip4/127.0.0.1/tcp/${p}`);
  const nodes = [];
  for (let i = 1; i <= NODES; i++) {
    const p = port + i;
    const r = await initNode({ dir: join(dir, `node${i}`), index: i, listen: [listenOn(p)], cluster: clusterFile, ...(o.roundTimeoutMs ? { roundTimeoutMs: o.roundTimeoutMs } : {}) });
    nodes.push({ index: i, name: `node${i}`, peerId: r.peerId, addrs: [dialAt(i - 1, p)] });
  }
  const cdir = join(dir, 'coordinator');
  mkdirSync(cdir, { recursive: true, mode: 0o700 });
  const { identity: cid } = await loadOrCreateIdentity(join(cdir, 'identity.key'));
  const cport = port + NODES + 1;
  if (!existsSync(join(cdir, COORDINATOR_CONFIG_FILE))) {
    writeCoordinatorConfig(cdir, {
      version: 1,
      identityFile: 'identity.key',
      dataDir: 'data',
      listen: [listenOn(cport)],
      http: { host: hosts ? '0.0.0.0' : '127.0.0.1', port },
      adminTokenFile: '../admin.token',
      cluster: '../cluster.json',
    });
  }
  const tokenFile = join(dir, 'admin.token');
  writeSecret(tokenFile, randomBytes(32).toString('hex') + '\n');
  const adminKeyFile = join(dir, 'admin.key');
  writeSecret(adminKeyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const admin = { name: 'admin', publicKey: adminPublicKey(adminKeyFile) };
  let created = false;
  if (!existsSync(clusterFile)) {
    const cluster: ClusterConfig = { version: 1, threshold: 2, nodes, coordinator: { peerId: cid.peerId, addrs: [dialAt(NODES, cport)] }, admins: [admin], adminQuorum: 1 };
    writeFileSync(clusterFile, JSON.stringify(cluster, null, 2) + '\n', { mode: 0o644 });
    created = true;
  } else {
    // clusters created before admins existed: add the local admin key
    const raw = JSON.parse(readFileSync(clusterFile, 'utf8')) as Record<string, unknown>;
    if (raw.admins === undefined) writeFileSync(clusterFile, JSON.stringify({ ...raw, admins: [admin], adminQuorum: 1 }, null, 2) + '\n', { mode: 0o644 });
  }
  const cluster = loadCluster(clusterFile);
  // The identities on disk must be the ones the cluster file names.
  for (const n of nodes) {
    if (cluster.nodes[n.index - 1]?.peerId !== n.peerId) throw new Error(`${clusterFile} names another peer id for node ${n.index}; remove the directory or fix it`);
  }
  if (cluster.coordinator.peerId !== cid.peerId) throw new Error(`${clusterFile} names another coordinator peer id`);
  return { dir, cluster, tokenFile, adminKeyFile, created };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, port: { type: 'string' }, hosts: { type: 'string' } }, strict: true });
  if (!values.dir) {
    console.error('usage: tsx scripts/cluster-init.ts --dir DIR [--port 7700] [--hosts node1,node2,node3,coordinator]');
    process.exit(2);
  }
  initCluster({ dir: values.dir, ...(values.port ? { port: Number(values.port) } : {}), ...(values.hosts ? { hosts: values.hosts.split(',') } : {}) })
    .then((i) => console.log(JSON.stringify({ dir: i.dir, created: i.created, nodes: i.cluster.nodes.map((n) => n.peerId), coordinator: i.cluster.coordinator.peerId })))
    .catch((e: unknown) => {
      console.error(`error: ${(e as Error).message}`);
      process.exit(1);
    });
}
