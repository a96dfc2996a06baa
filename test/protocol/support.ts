/**
 * Small helpers shared by the test files in test/protocol/ (not a test file itself).
 * Nothing here is used by protocol code; the secret interpolation below exists ONLY for tests.
 */
import { expect } from 'vitest';
import { TEST_SEED } from '../helpers.js';
import { isProtocolError, type ProtocolError } from '../../protocol/core/errors.js';
import type { KeyShare } from '../../protocol/keyshare/keyshare.js';
import { add, lagrangeAtZero, mul } from '../../protocol/math/ec.js';

/** Assertion-message prefix naming the seed, so any failure can be reproduced with TEST_SEED=... */
export const seedMsg = (what: string): string => `[TEST_SEED=${TEST_SEED}] ${what}`;

/** Runs `f`, expects a ProtocolError with `code`; returns it for further checks. */
export function expectProtocolError(f: () => unknown, code: string, what: string): ProtocolError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, seedMsg(`${what}: expected ProtocolError ${code}, nothing was thrown`)).toBeDefined();
  expect(isProtocolError(caught), seedMsg(`${what}: expected ProtocolError ${code}, got ${String(caught)}`)).toBe(true);
  const e = caught as ProtocolError;
  expect(e.code, seedMsg(`${what}: wrong error code (${e.message})`)).toBe(code);
  return e;
}

/** Bit i of a byte string, LSB-first inside each byte (written independently of protocol/core/bytes). */
export const bitAt = (b: Uint8Array, i: number): number => (b[i >> 3]! >> (i & 7)) & 1;

/**
 * TEST-ONLY: the group secret Σ λ_i·share_i over the given shares (their `index` fields are the
 * Shamir x-coordinates). The protocol never computes this value.
 */
export function interpolateSecretForTest(shares: readonly KeyShare[]): bigint {
  const set = shares.map((s) => s.index);
  let acc = 0n;
  for (const s of shares) acc = add(acc, mul(lagrangeAtZero(s.index, set), s.share));
  return acc;
}

/** Big-endian bytes → bigint. */
export function beBig(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** bigint → 32 big-endian bytes (no range check; used to build out-of-range encodings). */
export function be32(v: bigint): Uint8Array {
  const o = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    o[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return o;
}

/** A 32-bit integer derived from the seed (for fast-check's `seed` option). */
export function fcSeed(label: string): number {
  let h = 0x811c9dc5;
  for (const c of `${TEST_SEED}/${label}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h | 0;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
