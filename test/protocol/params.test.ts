/**
 * protocol/params.ts against the parameter table of protocol/SPEC.md §2 (one test per constant,
 * plus stale rows), and the relations the parameters must satisfy.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import * as params from '../../protocol/params.js';
import { seedMsg } from './support.js';

const SPEC = readFileSync(fileURLToPath(new URL('../../protocol/SPEC.md', import.meta.url)), 'utf8');

/** Rows "| `NAME` | value | meaning |" of the SPEC (any table); a name listed twice is kept twice. */
function specRows(text = SPEC): { name: string; value: string }[] {
  const rows: { name: string; value: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*([^|]*?)\s*\|/.exec(line);
    if (m) rows.push({ name: m[1]!, value: m[2]! });
  }
  return rows;
}
const rows = specRows();
const constants = Object.entries(params).filter(([, v]) => typeof v === 'number') as [string, number][];

describe('params.ts ↔ SPEC.md §2 table', () => {
  test('the table parses and every export of params.ts is a number', () => {
    expect(rows.length, 'no parameter rows found in SPEC.md').toBeGreaterThan(0);
    expect(Object.keys(params).length).toBe(constants.length);
  });

  test('the row parser reads name and value, and ignores the header and separator', () => {
    const t = '| constant | value | meaning |\n|---|---|---|\n| `VOLE_M` | 752 | OTs |\n|`X_1`|  7 |a|\ntext `Y` | 3 |';
    expect(specRows(t)).toEqual([
      { name: 'VOLE_M', value: '752' },
      { name: 'X_1', value: '7' },
    ]);
  });

  test.each(constants)('%s matches its SPEC row', (name, value) => {
    const mine = rows.filter((r) => r.name === name);
    expect(mine.length, `SPEC.md has ${mine.length} rows for \`${name}\` (expected exactly 1)`).toBe(1);
    const spec = mine[0]!.value;
    expect(/^-?\d+$/.test(spec), `SPEC row for ${name} has a non-integer value "${spec}"`).toBe(true);
    expect(value, `params.ts ${name} = ${value}, SPEC.md says ${spec}`).toBe(Number(spec));
  });

  test('every SPEC row names a constant of params.ts (no stale rows)', () => {
    const names = new Set(constants.map(([n]) => n));
    expect(rows.filter((r) => !names.has(r.name)).map((r) => r.name)).toEqual([]);
  });
});

describe('relations between the parameters', () => {
  const P = params;
  test('VOLE_M ≥ LOG_Q + 2·LAMBDA_C + 3·STAT_S (Asharov Variant II)', () => {
    expect(P.VOLE_M).toBeGreaterThanOrEqual(P.LOG_Q + 2 * P.LAMBDA_C + 3 * P.STAT_S);
  });
  test('ρ = 1 is valid: LOG_Q ≥ LAMBDA_C + 2·log2(VOLE_M)', () => {
    expect(P.VOLE_RHO).toBe(1);
    expect(P.LOG_Q).toBeGreaterThanOrEqual(P.LAMBDA_C + 2 * Math.log2(P.VOLE_M));
  });
  test('BASE_OT_COUNT = LAMBDA_C (SoftSpokenOT with k = 1)', () => {
    expect(P.SOFTSPOKEN_K).toBe(1);
    expect(P.BASE_OT_COUNT).toBe(P.LAMBDA_C);
  });
  test('OTE_WIDTH = VOLE_M + OTE_MASK_COLUMNS, divisible by 8; OTE_ROW_BYTES = OTE_WIDTH / 8', () => {
    expect(P.OTE_WIDTH).toBe(P.VOLE_M + P.OTE_MASK_COLUMNS);
    expect(P.OTE_WIDTH % 8).toBe(0);
    expect(P.OTE_ROW_BYTES).toBe(P.OTE_WIDTH / 8);
    expect(Number.isInteger(P.OTE_ROW_BYTES)).toBe(true);
    expect(P.VOLE_M % 8, 'VOLE_M whole bytes (transposition reads VOLE_M / 8 bytes)').toBe(0);
  });
  test('OTE_MASK_COLUMNS is one GF(2^128) chunk', () => {
    expect(P.OTE_MASK_COLUMNS).toBe(P.LAMBDA_C);
    expect(P.LAMBDA_C).toBe(128);
  });
  test('OTE_CHUNKS = ceil(VOLE_M / 128)', () => {
    expect(P.OTE_CHUNKS).toBe(Math.ceil(P.VOLE_M / 128));
    expect(P.OTE_CHUNKS * 128).toBeGreaterThanOrEqual(P.VOLE_M);
    expect((P.OTE_CHUNKS - 1) * 128).toBeLessThan(P.VOLE_M);
  });
  test('PAD_SCALARS = VOLE_ELL + VOLE_RHO; VOLE_ELL = 2 (nonce, key share)', () => {
    expect(P.VOLE_ELL).toBe(2);
    expect(P.PAD_SCALARS).toBe(P.VOLE_ELL + P.VOLE_RHO);
  });
  test('LOG_Q is the bit length of the secp256k1 group order', () => {
    const order = secp256k1.Point.Fn.ORDER;
    expect(P.LOG_Q, seedMsg(`order = ${order}`)).toBe(order.toString(2).length);
  });
  test('party bounds: 2 ≤ MIN_PARTIES ≤ MAX_PARTIES', () => {
    expect(P.MIN_PARTIES).toBeGreaterThanOrEqual(2);
    expect(P.MAX_PARTIES).toBeGreaterThanOrEqual(P.MIN_PARTIES);
  });
});
