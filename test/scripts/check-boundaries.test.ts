import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAll, checkProtocolSource, root } from '../../scripts/check-boundaries.js';

const file = join(root, 'protocol', 'x', 'fake.ts');

describe('check-boundaries', () => {
  it('the repository itself has no violations', () => {
    expect(checkAll()).toEqual([]);
  });

  it.each([
    ["import { readFileSync } from 'node:fs';", 'node:fs'],
    ["import { randomBytes } from 'crypto';", "'crypto'"],
    ["import { createLibp2p } from 'libp2p';", "'libp2p'"],
    ["import { Level } from 'level';", "'level'"],
    ["const m = await import('node:net');", 'node:net'],
    ["import x from '../../node/src/thing.js';", 'outside protocol/'],
    ['const t = Date.now();', 'clock'],
    ['const t = new Date();', 'clock'],
    ['setTimeout(() => 1, 5);', 'timer'],
    ['const r = Math.random();', 'Math.random'],
    ['globalThis.crypto.getRandomValues(new Uint8Array(4));', 'randomness'],
    ['const e = process.env.X;', 'process'],
  ])('flags %s', (src, what) => {
    const v = checkProtocolSource(file, src);
    expect(v.length, `no violation reported for: ${src}`).toBeGreaterThan(0);
    expect(v.join('\n')).toContain(what);
  });

  it('accepts pure code, noble imports, relative imports inside protocol/, and mentions in comments or strings', () => {
    const src = [
      "import { secp256k1 } from '@noble/curves/secp256k1.js';",
      "import { shake256 } from '@noble/hashes/sha3.js';",
      "import { concat } from '../core/bytes.js';",
      '// Date.now() is never called here; Math.random() neither',
      "const s = 'setTimeout(';",
      'export const f = (rng: (n: number) => Uint8Array) => rng(32);',
    ].join('\n');
    expect(checkProtocolSource(file, src)).toEqual([]);
  });
});
