/**
 * `node:crypto` implementation of the protocol's hash primitives (OpenSSL's SHAKE). Same outputs
 * as the @noble/hashes default (test/protocol/primitives.test.ts); faster for the thousands of
 * short pad hashes per signature.
 */
import { createHash } from 'node:crypto';
import type { Primitives } from '../../protocol/core/primitives.js';

// Return a plain Uint8Array view, not the Buffer: Buffer#slice shares memory while
// Uint8Array#slice copies, and callers rely on the latter.
const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

export const nodePrimitives: Primitives = {
  shake128: (data, outLen) => view(createHash('shake128', { outputLength: outLen }).update(data).digest()),
  shake256: (data, outLen) => view(createHash('shake256', { outputLength: outLen }).update(data).digest()),
};
