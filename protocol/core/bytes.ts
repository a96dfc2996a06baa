/** Byte helpers used at every boundary. @spec SPEC.md §1.2 */

export function concat(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function u32(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`u32 out of range: ${n}`);
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return b;
}

/** Comparison whose running time does not depend on where the inputs differ. */
export function ctEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

export function xorInto(dst: Uint8Array, src: Uint8Array): void {
  for (let i = 0; i < dst.length; i++) dst[i]! ^= src[i]!;
}

export function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const o = a.slice();
  xorInto(o, b);
  return o;
}

/** Bit `i` of a byte string, LSB-first inside each byte. */
export function getBit(b: Uint8Array, i: number): number {
  return (b[i >> 3]! >> (i & 7)) & 1;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
}


/** Best-effort erasure; JavaScript cannot guarantee that no copy survives (SECURITY.md). */
export function wipe(...bs: (Uint8Array | undefined)[]): void {
  for (const b of bs) if (b) b.fill(0);
}

/** Sequential reader with exact length checks; every read failure is a typed error via `onError`. */
export class Reader {
  private off = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly onError: (msg: string) => Error,
  ) {}
  take(n: number, what: string): Uint8Array {
    if (this.off + n > this.buf.length) throw this.onError(`${what}: truncated (need ${n} bytes at ${this.off}, have ${this.buf.length})`);
    const o = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return o;
  }
  u32(what: string): number {
    const b = this.take(4, what);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }
  end(what: string): void {
    if (this.off !== this.buf.length) throw this.onError(`${what}: ${this.buf.length - this.off} trailing bytes`);
  }
}
