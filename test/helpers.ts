/**
 * Shared test harness: DKG key sets (cached per parameters), a two-party signing run, the
 * combiner, and independent verifiers (OpenSSL command line, viem).
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { createDkg } from '../protocol/dkg/dkg.js';
import { MemoryPairGuard, type PairGuard } from '../protocol/core/guard.js';
import type { Rng } from '../protocol/core/rng.js';
import type { KeyShare } from '../protocol/keyshare/keyshare.js';
import { createSigner, type PartialSignature, type ReplayGuard, type Signer } from '../protocol/sign/sign.js';
import { combine, type Signature } from '../protocol/sign/combine.js';
import { seededRng, simulate, testAuthenticators, type SimOptions, type SimResult } from '../protocol/testing/index.js';
import { nodePrimitives } from '../node/src/crypto-primitives.js';

export { nodePrimitives };

/** Seed for this test run: TEST_SEED env var, or a fixed default; printed by failing tests. */
export const TEST_SEED = process.env.TEST_SEED ?? 'tecdsa-test-seed-1';

const keyCache = new Map<string, KeyShare[]>();

/** Runs an honest DKG in memory and returns the shares indexed by party - 1. */
export function dkgKeys(n: number, t = 2, seed = TEST_SEED): KeyShare[] {
  const k = `${n}/${t}/${seed}`;
  const hit = keyCache.get(k);
  if (hit) return hit;
  const auth = testAuthenticators(n, seed);
  const rng = seededRng(`dkg/${k}`);
  const sessionId = rng(32);
  const machines = Array.from({ length: n }, (_, i) =>
    createDkg({ sessionId, n, t, self: i + 1, rng: seededRng(`dkg/${k}/${i + 1}`), auth: auth[i]!, primitives: nodePrimitives }),
  );
  const res = simulate(machines);
  if (res.errors.size > 0 || res.outputs.size !== n) throw new Error(`honest DKG failed: ${[...res.errors.values()].map((e) => e.message)}`);
  const keys = Array.from({ length: n }, (_, i) => res.outputs.get(i + 1)!);
  keyCache.set(k, keys);
  return keys;
}

export function memoryReplay(): ReplayGuard & { seen: Set<string> } {
  const seen = new Set<string>();
  return { seen, claim: (k) => (seen.has(k) ? false : (seen.add(k), true)) };
}

export interface SignRun {
  readonly digest: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly signers: [Signer, Signer];
  readonly sim: SimResult<PartialSignature>;
}

/** One two-party signing session between initiator I and responder R. */
export function runSign(
  keys: KeyShare[],
  I: number,
  R: number,
  opts: { digest?: Uint8Array; sessionId?: Uint8Array; rng?: Rng; guard?: PairGuard; sim?: SimOptions } = {},
): SignRun {
  const rng = opts.rng ?? seededRng(`sign/${TEST_SEED}/${I}/${R}`);
  const digest = opts.digest ?? rng(32);
  const sessionId = opts.sessionId ?? rng(32);
  const guard = opts.guard ?? new MemoryPairGuard();
  const a = createSigner({ share: keys[I - 1]!, peer: R, initiator: true, digest, sessionId, rng, guard, replay: memoryReplay(), primitives: nodePrimitives });
  const b = createSigner({ share: keys[R - 1]!, peer: I, initiator: false, digest, sessionId, rng, guard, replay: memoryReplay(), primitives: nodePrimitives });
  return { digest, sessionId, signers: [a, b], sim: simulate<PartialSignature>([a, b], opts.sim) };
}

export function combineRun(keys: KeyShare[], I: number, R: number, run: SignRun): Signature {
  const k = keys[0]!;
  return combine(
    { keyId: k.keyId, publicKey: k.publicKey, publicShares: k.publicShares, initiator: I, responder: R, digest: run.digest, sessionId: run.sessionId, primitives: nodePrimitives },
    [...run.sim.outputs.values()],
  );
}

/** All ordered pairs (I, R) of distinct parties 1..n. */
export function orderedPairs(n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 1; i <= n; i++) for (let j = 1; j <= n; j++) if (i !== j) out.push([i, j]);
  return out;
}

/** PEM (SPKI) of a compressed secp256k1 public key, built by node:crypto from a JWK. */
export function publicKeyPem(compressed: Uint8Array): string {
  const p = secp256k1.Point.fromBytes(compressed).toBytes(false);
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  return createPublicKey({ key: { kty: 'EC', crv: 'secp256k1', x: b64(p.subarray(1, 33)), y: b64(p.subarray(33)) }, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
}

/**
 * Verifies raw-digest ECDSA signatures with the OpenSSL command line (an implementation
 * independent of noble): one `openssl pkeyutl -verify` process per signature, run by one shell.
 */
export function opensslVerify(items: { publicKey: Uint8Array; digest: Uint8Array; compact: Uint8Array }[]): boolean[] {
  const dir = mkdtempSync(join(tmpdir(), 'tecdsa-openssl-'));
  try {
    const pems = new Map<string, string>();
    items.forEach((it, i) => {
      const hex = Buffer.from(it.publicKey).toString('hex');
      let f = pems.get(hex);
      if (!f) {
        f = join(dir, `pk${pems.size}.pem`);
        writeFileSync(f, publicKeyPem(it.publicKey));
        pems.set(hex, f);
      }
      writeFileSync(join(dir, `${i}.pk`), f);
      writeFileSync(join(dir, `${i}.bin`), it.digest);
      writeFileSync(join(dir, `${i}.der`), secp256k1.Signature.fromBytes(it.compact, 'compact').toBytes('der'));
    });
    const script = `for i in $(seq 0 ${items.length - 1}); do if openssl pkeyutl -verify -pubin -inkey "$(cat ${dir}/$i.pk)" -in ${dir}/$i.bin -sigfile ${dir}/$i.der >/dev/null 2>&1; then echo 1; else echo 0; fi; done`;
    const out = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
    return out.map((x) => x === '1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
