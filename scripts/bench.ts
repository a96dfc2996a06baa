/**
 * `npm run bench [-- --json] [-- --runs N]`: 2-of-3 in one process, median over ≥ 20 runs of
 *  - dkg_ms: a whole DKG (all three parties' compute, in-memory delivery),
 *  - sign_ms: one two-party signature (both parties' compute plus the combiner),
 *  - sign_bytes_per_party: protocol bytes sent per party per signature (incl. its partial to the combiner).
 * With --json the last line is one JSON object with those keys (read by ../shared/bench/peer-compare).
 */
import { webcrypto } from 'node:crypto';
import { createDkg } from '../protocol/dkg/dkg.js';
import { MemoryPairGuard } from '../protocol/core/guard.js';
import type { KeyShare } from '../protocol/keyshare/keyshare.js';
import { PARTIAL_BYTES, createSigner, type PartialSignature } from '../protocol/sign/sign.js';
import { combine } from '../protocol/sign/combine.js';
import { simulate } from '../protocol/testing/index.js';
import { ed25519Authenticators } from '../node/src/auth.js';
import { nodePrimitives } from '../node/src/crypto-primitives.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runsArg = args.indexOf('--runs');
const RUNS = Math.max(20, Number(runsArg >= 0 ? args[runsArg + 1] : (process.env.RUNS ?? 20)));
const SIGN_RUNS = Math.max(RUNS, 50);
const WARMUP = 2;

const rng = (n: number) => webcrypto.getRandomValues(new Uint8Array(n));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};
const log = (...a: unknown[]) => {
  if (!json) console.log(...a);
};

const n = 3;
const t = 2;
const auth = ed25519Authenticators(n);

function dkg(): KeyShare[] {
  const sessionId = rng(32);
  const ms = Array.from({ length: n }, (_, i) => createDkg({ sessionId, n, t, self: i + 1, rng, auth: auth[i]!, primitives: nodePrimitives }));
  const r = simulate(ms);
  if (r.outputs.size !== n) throw new Error(`DKG failed: ${[...r.errors.values()].map((e) => e.message).join('; ')}`);
  return Array.from({ length: n }, (_, i) => r.outputs.get(i + 1)!);
}

log(`2-of-3, one process, median of ${RUNS} DKG runs (after ${WARMUP} warm-up runs) and ${SIGN_RUNS} signatures (after one per ordered pair)`);
const dkgT: number[] = [];
let keys: KeyShare[] = [];
for (let i = 0; i < RUNS + WARMUP; i++) {
  const a = performance.now();
  keys = dkg();
  const b = performance.now();
  if (i >= WARMUP) dkgT.push(b - a);
}

const guard = new MemoryPairGuard();
// each node keeps its own replay cache
const replays = Array.from({ length: n }, () => {
  const seen = new Set<string>();
  return { claim: (k: string) => (seen.has(k) ? false : (seen.add(k), true)) };
});
const pairs: [number, number][] = [[1, 2], [2, 3], [3, 1], [2, 1], [3, 2], [1, 3]];
/**
 * Signing warm-up: one signature per ordered pair. The first signature of a key share with a
 * given peer builds that pair's comb table for the peer's weighted share (~50 ms, kept for the
 * life of the process, like the combiner's per-key table), so steady-state signing is what the
 * median measures.
 */
const SIGN_WARMUP = pairs.length;
const signT: number[] = [];
let bytesPerParty = 0;
for (let i = 0; i < SIGN_RUNS + SIGN_WARMUP; i++) {
  const [I, R] = pairs[i % pairs.length]!;
  const digest = rng(32);
  const sessionId = rng(32);
  const a = performance.now();
  const si = createSigner({ share: keys[I - 1]!, peer: R, initiator: true, digest, sessionId, rng, guard, replay: replays[I - 1]!, primitives: nodePrimitives });
  const sr = createSigner({ share: keys[R - 1]!, peer: I, initiator: false, digest, sessionId, rng, guard, replay: replays[R - 1]!, primitives: nodePrimitives });
  const res = simulate<PartialSignature>([si, sr]);
  const k = keys[0]!;
  combine({ keyId: k.keyId, publicKey: k.publicKey, publicShares: k.publicShares, initiator: I, responder: R, digest, sessionId, primitives: nodePrimitives }, [...res.outputs.values()]);
  const b = performance.now();
  if (i >= SIGN_WARMUP) {
    signT.push(b - a);
    bytesPerParty = ((res.bytesSent.get(I) ?? 0) + (res.bytesSent.get(R) ?? 0) + 2 * PARTIAL_BYTES) / 2;
  }
}

const out = { dkg_ms: +median(dkgT).toFixed(2), sign_ms: +median(signT).toFixed(2), sign_bytes_per_party: bytesPerParty };
log(`DKG (3 parties, incl. 6 × 128 base OTs)   ${out.dkg_ms} ms`);
log(`sign (2 parties + combiner)               ${out.sign_ms} ms`);
log(`bytes sent per party per signature        ${out.sign_bytes_per_party}`);
if (json) console.log(JSON.stringify(out));
