/**
 * Stored-format fixtures: shares written by KeyShare v1 must keep loading, validating and
 * signing in every later version (test/fixtures/keyshare-v1/README.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { deserializeKeyShare, serializeKeyShare } from '../../protocol/keyshare/keyshare.js';
import { TEST_SEED, combineRun, runSign } from '../helpers.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'keyshare-v1');
const PUBLIC_KEY = '028ef900c351773fca3e662bb3ce9623f0f026b3ee48d66840b09af0ae70b19c94';

describe('KeyShare v1 fixtures', () => {
  const raw = [1, 2, 3].map((i) => new Uint8Array(readFileSync(join(dir, `party${i}.bin`))));
  const keys = raw.map((b) => deserializeKeyShare(b));

  it('load, validate, and re-serialise byte for byte', () => {
    keys.forEach((k, i) => {
      expect(k.version).toBe(1);
      expect(k.index).toBe(i + 1);
      expect(Buffer.from(k.publicKey).toString('hex')).toBe(PUBLIC_KEY);
      expect(serializeKeyShare(k)).toEqual(raw[i]);
    });
  });

  it('every pair still signs with the stored shares', () => {
    for (const [I, R] of [[1, 2], [2, 3], [3, 1]] as const) {
      const run = runSign(keys, I, R);
      const sig = combineRun(keys, I, R, run);
      expect(secp256k1.verify(sig.compact, run.digest, keys[0]!.publicKey, { prehash: false }), `pair ${I},${R} seed ${TEST_SEED}`).toBe(true);
    }
  });
});
