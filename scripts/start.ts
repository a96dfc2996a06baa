/**
 * `npm start`. The local cluster (3 nodes + coordinator on 127.0.0.1, embedded LevelDB) arrives
 * with issue 3; until then this prints what it will start and runs an in-process demo of the
 * protocol core: a 2-of-3 DKG and one signature by each pair, verified.
 */
import { webcrypto } from 'node:crypto';
import { createDkg } from '../protocol/dkg/dkg.js';
import { MemoryPairGuard } from '../protocol/core/guard.js';
import { createSigner, type PartialSignature } from '../protocol/sign/sign.js';
import { combine } from '../protocol/sign/combine.js';
import { simulate } from '../protocol/testing/index.js';
import { ed25519Authenticators } from '../node/src/auth.js';
import { toHex } from '../protocol/core/bytes.js';
import { nodePrimitives } from '../node/src/crypto-primitives.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';

console.log(`npm start will launch (issue 3): 3 share-holding nodes (libp2p on 127.0.0.1, LevelDB in ./.cluster)
and a coordinator (HTTP on 127.0.0.1). Not built yet; running the in-memory protocol demo instead.\n`);
const rng = (n: number) => webcrypto.getRandomValues(new Uint8Array(n));
const auth = ed25519Authenticators(3);
let t = performance.now();
const dkgSession = rng(32);
const r = simulate(Array.from({ length: 3 }, (_, i) => createDkg({ sessionId: dkgSession, n: 3, t: 2, self: i + 1, rng, auth: auth[i]!, primitives: nodePrimitives })));
if (r.outputs.size !== 3) throw new Error('DKG failed');
const keys = [1, 2, 3].map((i) => r.outputs.get(i)!);
const pub = secp256k1.Point.fromBytes(keys[0]!.publicKey).toBytes(false);
const address = '0x' + toHex(keccak_256(pub.subarray(1)).subarray(12));
console.log(`DKG 2-of-3 done in ${(performance.now() - t).toFixed(0)} ms: public key ${toHex(keys[0]!.publicKey)}, address ${address}`);
const guard = new MemoryPairGuard();
for (const [I, R] of [[1, 2], [2, 3], [3, 1]] as const) {
  const digest = rng(32);
  const sessionId = rng(32);
  t = performance.now();
  const replay = { claim: () => true };
  const s = simulate<PartialSignature>([
    createSigner({ share: keys[I - 1]!, peer: R, initiator: true, digest, sessionId, rng, guard, replay, primitives: nodePrimitives }),
    createSigner({ share: keys[R - 1]!, peer: I, initiator: false, digest, sessionId, rng, guard, replay, primitives: nodePrimitives }),
  ]);
  const k = keys[0]!;
  const sig = combine({ keyId: k.keyId, publicKey: k.publicKey, publicShares: k.publicShares, initiator: I, responder: R, digest, sessionId, primitives: nodePrimitives }, [...s.outputs.values()]);
  console.log(`pair (${I}, ${R}) signed ${toHex(digest).slice(0, 16)}… in ${(performance.now() - t).toFixed(0)} ms: r=${sig.r.toString(16).slice(0, 16)}… recovery=${sig.recovery} (verified)`);
}
