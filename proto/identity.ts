/**
 * Stable Ed25519 libp2p identities, stored as a protobuf-encoded private key in a file of mode
 * 0600, created on first use. A file readable by group or others is refused (like ssh does).
 */
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id';
import type { Ed25519PrivateKey, PrivateKey } from '@libp2p/interface';
import { ConfigError } from './cluster.js';

export interface Identity {
  readonly privateKey: PrivateKey;
  readonly peerId: string;
  /** The same key as a node:crypto KeyObject, for signing envelopes and DKG broadcasts. */
  readonly signingKey: KeyObject;
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

function toKeyObject(k: Ed25519PrivateKey): KeyObject {
  const raw = k.raw; // seed ‖ public key
  return createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64u(raw.subarray(0, 32)), x: b64u(raw.subarray(32, 64)) }, format: 'jwk' });
}

function fromKey(privateKey: PrivateKey): Identity {
  if (privateKey.type !== 'Ed25519') throw new ConfigError(`identity key must be Ed25519, found ${privateKey.type}`);
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString(), signingKey: toKeyObject(privateKey) };
}

export function loadIdentity(file: string): Identity {
  if (!existsSync(file)) throw new ConfigError(`identity file ${file} does not exist (run init first)`);
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) throw new ConfigError(`identity file ${file} has mode ${mode.toString(8)}; it must be 600 (chmod 600 ${file})`);
  let key: PrivateKey;
  try {
    key = privateKeyFromProtobuf(readFileSync(file));
  } catch (e) {
    throw new ConfigError(`identity file ${file} is not a libp2p private key: ${(e as Error).message}`);
  }
  return fromKey(key);
}

/** Loads the identity in `file`, creating it (mode 0600) if it does not exist. */
export async function loadOrCreateIdentity(file: string): Promise<{ identity: Identity; created: boolean }> {
  if (existsSync(file)) return { identity: loadIdentity(file), created: false };
  const key = await generateKeyPair('Ed25519');
  writeFileSync(file, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { identity: fromKey(key), created: true };
}

/** The raw 32-byte Ed25519 public key inside an Ed25519 peer id. */
export function peerPublicKey(peerId: string): Uint8Array {
  const p = peerIdFromString(peerId);
  if (p.type !== 'Ed25519' || !p.publicKey) throw new ConfigError(`peer id ${peerId} is not an Ed25519 peer id`);
  return p.publicKey.raw;
}
