/**
 * The cluster description every process reads (`cluster.json`): which peer ids exist, their
 * party indexes and addresses. It is public; identities and passphrases live beside it per
 * process. Parsing is strict and names the file and field on error.
 */
import { readFileSync } from 'node:fs';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { MAX_PARTIES } from './index.js';
import type { AdminKey } from './governance.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'ERR_CONFIG';
}

export interface ClusterNodeEntry {
  readonly index: number;
  readonly name: string;
  readonly peerId: string;
  readonly addrs: readonly string[];
}
export interface ClusterConfig {
  readonly version: 1;
  readonly threshold: number;
  readonly nodes: readonly ClusterNodeEntry[];
  readonly coordinator: { readonly peerId: string; readonly addrs: readonly string[] };
  /** Admins whose Ed25519 signatures authorise policy and approver changes (on every node). */
  readonly admins: readonly AdminKey[];
  /** How many distinct admin signatures a change needs. */
  readonly adminQuorum: number;
}

export function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

type Obj = Record<string, unknown>;
export function field<T>(o: Obj, k: string, what: string, check: (v: unknown) => v is T, expected: string): T {
  const v = o[k];
  if (!check(v)) throw new ConfigError(`${what}.${k} must be ${expected}`);
  return v;
}
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
export const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
export const isStrArr = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

function checkPeerId(id: string, what: string): string {
  try {
    const p = peerIdFromString(id);
    if (p.type !== 'Ed25519') throw new Error('not Ed25519');
  } catch (e) {
    throw new ConfigError(`${what}: invalid peer id ${id} (${(e as Error).message})`);
  }
  return id;
}
function checkAddrs(a: string[], what: string): string[] {
  for (const s of a) {
    try {
      multiaddr(s);
    } catch {
      throw new ConfigError(`${what}: invalid multiaddr ${s}`);
    }
  }
  return a;
}

export function parseCluster(v: unknown, file = 'cluster.json'): ClusterConfig {
  if (!isObj(v)) throw new ConfigError(`${file} must hold a JSON object`);
  if (v.version !== 1) throw new ConfigError(`${file}: unsupported version ${String(v.version)}`);
  const rawNodes = v.nodes;
  if (!Array.isArray(rawNodes) || rawNodes.length < 2 || rawNodes.length > MAX_PARTIES) {
    throw new ConfigError(`${file}.nodes must list 2..${MAX_PARTIES} nodes`);
  }
  const nodes = rawNodes.map((n, i) => {
    const w = `${file}.nodes[${i}]`;
    if (!isObj(n)) throw new ConfigError(`${w} must be an object`);
    const index = field(n, 'index', w, isInt, 'an integer');
    if (index !== i + 1) throw new ConfigError(`${w}.index must be ${i + 1} (nodes are listed in index order)`);
    return {
      index,
      name: field(n, 'name', w, isStr, 'a string'),
      peerId: checkPeerId(field(n, 'peerId', w, isStr, 'a peer id'), w),
      addrs: checkAddrs(field(n, 'addrs', w, isStrArr, 'a list of multiaddrs'), w),
    };
  });
  const threshold = field(v, 'threshold', file, isInt, 'an integer');
  if (threshold !== 2) throw new ConfigError(`${file}.threshold must be 2 (2-of-n signing)`);
  const c = v.coordinator;
  if (!isObj(c)) throw new ConfigError(`${file}.coordinator must be an object`);
  const coordinator = {
    peerId: checkPeerId(field(c, 'peerId', `${file}.coordinator`, isStr, 'a peer id'), `${file}.coordinator`),
    addrs: checkAddrs(field(c, 'addrs', `${file}.coordinator`, isStrArr, 'a list of multiaddrs'), `${file}.coordinator`),
  };
  const ids = [...nodes.map((n) => n.peerId), coordinator.peerId];
  if (new Set(ids).size !== ids.length) throw new ConfigError(`${file}: a peer id appears twice`);
  const rawAdmins = v.admins ?? [];
  if (!Array.isArray(rawAdmins) || rawAdmins.length > 32) throw new ConfigError(`${file}.admins must be a list of at most 32 admins`);
  const admins = rawAdmins.map((a, i) => {
    const w = `${file}.admins[${i}]`;
    if (!isObj(a)) throw new ConfigError(`${w} must be an object`);
    const publicKey = field(a, 'publicKey', w, isStr, 'a hex Ed25519 public key');
    if (!/^[0-9a-f]{64}$/.test(publicKey)) throw new ConfigError(`${w}.publicKey must be 32 bytes of lowercase hex`);
    return { name: field(a, 'name', w, isStr, 'a name'), publicKey };
  });
  if (new Set(admins.map((a) => a.name)).size !== admins.length) throw new ConfigError(`${file}.admins: a name appears twice`);
  const adminQuorum = v.adminQuorum === undefined ? 1 : field(v, 'adminQuorum', file, isInt, 'an integer');
  if (adminQuorum < 1 || (admins.length > 0 && adminQuorum > admins.length)) throw new ConfigError(`${file}.adminQuorum must be 1..${Math.max(1, admins.length)}`);
  return { version: 1, threshold, nodes, coordinator, admins, adminQuorum };
}

export function loadCluster(file: string): ClusterConfig {
  return parseCluster(readJson(file), file);
}
