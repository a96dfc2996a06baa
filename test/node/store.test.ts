/**
 * NodeStore (node/src/store.ts), DurablePairGuard (node/src/guard.ts) and readPassphrase
 * (node/src/passphrase.ts) against a real LevelDB in temporary directories. Every negative
 * case is paired with a positive control.
 *
 * About "nothing was changed": LevelDB rewrites files on every open (it replays the log into a
 * new .ldb table, writes a new MANIFEST and log, rotates LOG to LOG.old and rewrites CURRENT),
 * so file bytes are not stable across opens even without a write. The wrong-passphrase test
 * therefore compares the logical contents: every raw (key, value) pair of the whole database.
 */
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, abort, abortBan, isProtocolError } from '../../protocol/core/errors.js';
import { deserializeKeyShare, keyIdHex, serializeKeyShare, type KeyShare } from '../../protocol/keyshare/keyshare.js';
import { scalarToBytes } from '../../protocol/math/ec.js';
import { DurablePairGuard } from '../../node/src/guard.js';
import { readPassphrase } from '../../node/src/passphrase.js';
import { NodeStore, StoreError, StoreErrorCode, type KeyMeta, type StoreOptions } from '../../node/src/store.js';
import { Authorizer } from '../../node/src/authorize.js';
import { MAX_WINDOW_MS } from '../../proto/policy/policy.js';
import { dkgKeys } from '../helpers.js';

const FAST = { kdf: { N: 2 ** 10, r: 8, p: 1 } };
const PASS = 'correct horse battery staple';
const fixture = (i: number): KeyShare => deserializeKeyShare(readFileSync(new URL(`../fixtures/keyshare-v1/party${i}.bin`, import.meta.url)));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Whether `haystack` contains the bytes of `needle`. */
const has = (haystack: Buffer, needle: Uint8Array) => haystack.includes(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength));

function metaOf(ks: KeyShare, name = 'treasury'): KeyMeta {
  return { keyId: keyIdHex(ks), name, index: ks.index, n: ks.n, t: ks.t, publicKey: hex(ks.publicKey), publicShares: ks.publicShares.map(hex), createdAt: 1_700_000_000_000 };
}

const dirs: string[] = [];
const stores: NodeStore[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tecdsa-store-'));
  dirs.push(d);
  return d;
}
async function openStore(dir: string, pass = PASS, opts: StoreOptions = FAST): Promise<NodeStore> {
  const s = await NodeStore.open(dir, pass, opts);
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Rejects with a StoreError of `code`; returns it for further checks. */
async function expectStoreError(p: Promise<unknown>, code: StoreErrorCode): Promise<StoreError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, `expected ${code}`).toBeInstanceOf(StoreError);
  expect((e as StoreError).code).toBe(code);
  return e as StoreError;
}

/** Every raw (key, value) pair of the whole database, hex-encoded. The DB must be closed. */
async function rawDump(dir: string): Promise<string[]> {
  const db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  try {
    return (await db.iterator().all()).map(([k, v]) => `${hex(k)}=${hex(v)}`);
  } finally {
    await db.close();
  }
}

/** Opens a closed store's database directly (to tamper with records) and runs `fn`. */
async function withRawDb(dir: string, fn: (raw: { shares: RawSub<Uint8Array>; keys: RawSub<string> }) => Promise<unknown>): Promise<void> {
  const db = new Level<string, string>(dir, { valueEncoding: 'utf8' });
  await db.open();
  try {
    await fn({ shares: db.sublevel<string, Uint8Array>('shares', { valueEncoding: 'view' }), keys: db.sublevel<string, string>('keys', { valueEncoding: 'utf8' }) });
  } finally {
    await db.close();
  }
}
interface RawSub<V> {
  get(key: string): Promise<V | undefined>;
  put(key: string, value: V): Promise<void>;
}

/** Concatenated bytes of every file in `dir`. */
function dirBytes(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).map((f) => (statSync(join(dir, f)).isFile() ? readFileSync(join(dir, f)) : Buffer.alloc(0))));
}

describe('NodeStore: encrypted key shares', () => {
  it('round-trips a real key share and its metadata across close and reopen', async () => {
    const dir = tempDir();
    const ks = fixture(1);
    const other = dkgKeys(2)[1]!;
    let s = await openStore(dir);
    await s.putKey(metaOf(ks), ks);
    await s.putKey(metaOf(other, 'hot wallet'), other);
    await s.close();

    s = await openStore(dir);
    const got = await s.getShare(keyIdHex(ks));
    expect(got).toBeDefined();
    expect(serializeKeyShare(got!)).toEqual(serializeKeyShare(ks));
    expect(serializeKeyShare((await s.getShare(keyIdHex(other)))!)).toEqual(serializeKeyShare(other));
    expect(await s.getKey(keyIdHex(ks))).toEqual(metaOf(ks));
    const list = await s.listKeys();
    expect(list.map((m) => m.name).sort()).toEqual(['hot wallet', 'treasury']);
    // A key this node does not hold.
    expect(await s.getShare('00'.repeat(32))).toBeUndefined();
    expect(await s.getKey('00'.repeat(32))).toBeUndefined();
    expect(s.kdf).toEqual(FAST.kdf);
  });

  it('never writes the share scalar or the serialized share in clear (control: a plaintext DB does contain them)', async () => {
    const ks = fixture(2);
    const plain = serializeKeyShare(ks);
    const scalar = scalarToBytes(ks.share);
    expect(has(Buffer.from(plain), scalar)).toBe(true);
    const slices = [plain.subarray(4 + 1 + 12 + 32, 4 + 1 + 12 + 32 + 64), plain.subarray(plain.length - 64), plain.subarray(2000, 2064)];

    // Positive control: the same search finds them in a LevelDB that stores the share in clear,
    // both in the write-ahead log and after the log was compacted into a table on reopen.
    const control = tempDir();
    const db = new Level<string, Uint8Array>(control, { valueEncoding: 'view' });
    await db.open();
    await db.put('share', plain);
    expect(has(dirBytes(control), scalar)).toBe(true);
    await db.close();
    await db.open();
    await db.close();
    const controlBytes = dirBytes(control);
    expect(has(controlBytes, scalar)).toBe(true);
    for (const sl of slices) expect(has(controlBytes, sl)).toBe(true);

    const dir = tempDir();
    const s = await openStore(dir);
    await s.putKey(metaOf(ks), ks);
    const check = () => {
      const bytes = dirBytes(dir);
      expect(bytes.length).toBeGreaterThan(plain.length);
      expect(has(bytes, scalar)).toBe(false);
      for (const sl of slices) expect(has(bytes, sl)).toBe(false);
      expect(bytes.includes(Buffer.from(PASS))).toBe(false);
      // The public metadata is stored in clear (it is public).
      expect(bytes.includes(Buffer.from(hex(ks.publicKey)))).toBe(true);
    };
    check(); // in the log
    await s.close();
    const again = await openStore(dir);
    check(); // after compaction into a table
    expect((await again.getShare(keyIdHex(ks)))!.share).toBe(ks.share);
  });

  it('rejects a wrong passphrase, changing nothing; the right one still opens and reads everything', async () => {
    const dir = tempDir();
    const ks = fixture(1);
    let s = await openStore(dir);
    await s.putKey(metaOf(ks), ks);
    expect(await s.claimSession(keyIdHex(ks), 'ab'.repeat(32), 5)).toBe(true);
    await s.ban(keyIdHex(ks), 3, { code: 'ERR_OTE_CHECK', message: 'bad check' }, 6);
    await s.close();
    const before = await rawDump(dir);
    expect(before.length).toBe(6); // kdf, verifier, share, metadata, session, ban

    const e = await expectStoreError(NodeStore.open(dir, 'Correct horse battery staple', FAST), StoreErrorCode.PASSPHRASE_WRONG);
    expect(e.message).toContain(dir);
    expect(e.message).toContain('nothing was changed');
    expect(e.message).not.toContain(PASS);
    expect(await rawDump(dir)).toEqual(before); // also proves the wrong open released the lock

    // Positive control: the right passphrase (and a different requested KDF: the stored one wins).
    s = await openStore(dir, PASS, { kdf: { N: 2 ** 11, r: 8, p: 1 } });
    expect(s.kdf).toEqual(FAST.kdf);
    expect((await s.getShare(keyIdHex(ks)))!.share).toBe(ks.share);
    expect(await s.listKeys()).toEqual([metaOf(ks)]);
    expect(await s.listBans()).toEqual([{ keyId: keyIdHex(ks), peer: 3, code: 'ERR_OTE_CHECK', message: 'bad check', at: 6 }]);
    expect(await s.claimSession(keyIdHex(ks), 'ab'.repeat(32), 7)).toBe(false);
  });

  it('refuses an empty passphrase before touching the directory (control: a non-empty one opens)', async () => {
    const dir = tempDir();
    await expectStoreError(NodeStore.open(dir, '', FAST), StoreErrorCode.PASSPHRASE_MISSING);
    expect(readdirSync(dir)).toEqual([]);
    const s = await openStore(dir, 'x');
    expect(await s.listKeys()).toEqual([]);
  });

  it('reports a tampered ciphertext byte as ERR_STORE_CORRUPT (control: the original byte reads again)', async () => {
    const dir = tempDir();
    const ks = fixture(1);
    const id = keyIdHex(ks);
    let s = await openStore(dir);
    await s.putKey(metaOf(ks), ks);
    await s.close();

    let original: Uint8Array | undefined;
    const flipAt = 1 + 12 + 100; // inside the ciphertext
    await withRawDb(dir, async ({ shares }) => {
      original = (await shares.get(id))!;
      const t = Uint8Array.from(original);
      t[flipAt]! ^= 0x01;
      await shares.put(id, t);
    });
    s = await openStore(dir);
    const e = await expectStoreError(s.getShare(id), StoreErrorCode.CORRUPT);
    expect(e.message).toContain(id);
    expect(await s.getKey(id)).toEqual(metaOf(ks)); // metadata is unaffected
    await s.close();

    await withRawDb(dir, ({ shares }) => shares.put(id, original!));
    s = await openStore(dir);
    expect((await s.getShare(id))!.share).toBe(ks.share);
  });

  it('binds a record to its key id and node index (control: the record under its own id and index reads)', async () => {
    const dir = tempDir();
    const ks = fixture(1);
    const id = keyIdHex(ks);
    const otherId = 'cd'.repeat(32);
    let s = await openStore(dir);
    await s.putKey(metaOf(ks), ks);
    await s.close();

    // Copy the record and its metadata to another key id.
    await withRawDb(dir, async ({ shares }) => shares.put(otherId, (await shares.get(id))!));
    await withRawDb(dir, ({ keys }) => keys.put(otherId, JSON.stringify({ ...metaOf(ks), keyId: otherId })));
    s = await openStore(dir);
    await expectStoreError(s.getShare(otherId), StoreErrorCode.CORRUPT);
    expect((await s.getShare(id))!.share).toBe(ks.share);
    await s.close();

    // Claim another node index for the same record.
    await withRawDb(dir, ({ keys }) => keys.put(id, JSON.stringify({ ...metaOf(ks), index: 2 })));
    s = await openStore(dir);
    await expectStoreError(s.getShare(id), StoreErrorCode.CORRUPT);
    await s.close();
    await withRawDb(dir, ({ keys }) => keys.put(id, JSON.stringify(metaOf(ks))));
    s = await openStore(dir);
    expect((await s.getShare(id))!.share).toBe(ks.share);
  });

  it('a second open of an open store is ERR_STORE_LOCKED (control: it opens once the first is closed)', async () => {
    const dir = tempDir();
    const s = await openStore(dir);
    const e = await expectStoreError(NodeStore.open(dir, PASS, FAST), StoreErrorCode.LOCKED);
    expect(e.message).toContain('another process');
    await s.close();
    const again = await openStore(dir);
    expect(await again.listKeys()).toEqual([]);
  });

  it('putKey is one batch: a failing batch leaves neither record; KEY_EXISTS leaves the first key intact', async () => {
    const dir = tempDir();
    const ks = fixture(1);
    const id = keyIdHex(ks);
    const s = await openStore(dir);

    const spy = vi.spyOn(Level.prototype, 'batch').mockImplementationOnce((() => Promise.reject(new Error('disk full'))) as never);
    await expect(s.putKey(metaOf(ks), ks)).rejects.toThrow('disk full');
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(await s.getKey(id)).toBeUndefined();
    expect(await s.getShare(id)).toBeUndefined();

    // Positive control: the same put succeeds; a second put of the key id is refused.
    await s.putKey(metaOf(ks), ks);
    const e = await expectStoreError(s.putKey(metaOf(ks, 'impostor'), ks), StoreErrorCode.KEY_EXISTS);
    expect(e.message).toContain(id);
    expect(await s.getKey(id)).toEqual(metaOf(ks));
    expect((await s.getShare(id))!.share).toBe(ks.share);

    // Metadata that does not describe the share is refused.
    const other = dkgKeys(2)[0]!;
    await expect(s.putKey({ ...metaOf(other), index: 2 }, other)).rejects.toThrow(/index/);
    await expect(s.putKey(metaOf(ks), other)).rejects.toThrow(/keyId/);
    expect(await s.listKeys()).toEqual([metaOf(ks)]);
  });

  it('deleteKey removes the share, metadata, bans and sessions of that key only', async () => {
    const dir = tempDir();
    const a = fixture(1);
    const b = dkgKeys(2)[0]!;
    const s = await openStore(dir);
    for (const ks of [a, b]) {
      await s.putKey(metaOf(ks), ks);
      await s.claimSession(keyIdHex(ks), '01'.repeat(32), 1);
      await s.ban(keyIdHex(ks), 2, { code: 'ERR_OTE_CHECK', message: 'x' }, 1);
    }
    await s.deleteKey(keyIdHex(a));
    expect(await s.getShare(keyIdHex(a))).toBeUndefined();
    expect(await s.getKey(keyIdHex(a))).toBeUndefined();
    expect((await s.listBans()).map((x) => x.keyId)).toEqual([keyIdHex(b)]);
    expect(await s.claimSession(keyIdHex(a), '01'.repeat(32), 2)).toBe(true);
    // Control: the other key is untouched.
    expect(await s.claimSession(keyIdHex(b), '01'.repeat(32), 2)).toBe(false);
    expect((await s.getShare(keyIdHex(b)))!.share).toBe(b.share);
    // The deleted key can be stored again.
    await s.putKey(metaOf(a), a);
    expect((await s.getShare(keyIdHex(a)))!.share).toBe(a.share);
  });

  it('uses the default KDF (scrypt N=2^15, r=8, p=1) when none is given', async () => {
    const dir = tempDir();
    const ks = fixture(3);
    let s = await openStore(dir, PASS, {});
    expect(s.kdf).toEqual(NodeStore.KDF_DEFAULT);
    expect(NodeStore.KDF_DEFAULT).toEqual({ N: 2 ** 15, r: 8, p: 1 });
    await s.putKey(metaOf(ks), ks);
    await s.close();
    await expectStoreError(NodeStore.open(dir, `${PASS}!`), StoreErrorCode.PASSPHRASE_WRONG);
    s = await openStore(dir, PASS, {});
    expect((await s.getShare(keyIdHex(ks)))!.share).toBe(ks.share);
  });

  it('every method throws ERR_STORE_CLOSED after close (control: the same calls work before)', async () => {
    const dir = tempDir();
    const ks = fixture(1);
    const id = keyIdHex(ks);
    const s = await openStore(dir);
    const calls = (i: number) => [
      () => s.putKey(metaOf(ks), ks),
      () => s.getShare(id),
      () => s.getKey(id),
      () => s.listKeys(),
      () => s.claimSession(id, `0${i}`, 1),
      () => s.ban(id, 2, { code: 'c', message: 'm' }, 1),
      () => s.listBans(),
      () => s.deleteKey(id),
    ];
    for (const c of calls(1)) await c();
    await s.close();
    expect(s.isClosed).toBe(true);
    for (const c of calls(2)) await expectStoreError(c(), StoreErrorCode.CLOSED);
    await s.close(); // idempotent
  });
});

describe('NodeStore: replay cache and bans', () => {
  it('claimSession: true once, then false, also after reopen; concurrent claims of one id yield one true', async () => {
    const dir = tempDir();
    const id = keyIdHex(fixture(1));
    let s = await openStore(dir);
    expect(await s.claimSession(id, 'aa'.repeat(32), 1)).toBe(true);
    expect(await s.claimSession(id, 'aa'.repeat(32), 2)).toBe(false);
    expect(await s.claimSession(id, 'bb'.repeat(32), 3)).toBe(true); // control: another session
    expect(await s.claimSession('ee'.repeat(32), 'aa'.repeat(32), 3)).toBe(true); // control: another key
    await s.close();

    s = await openStore(dir);
    expect(await s.claimSession(id, 'aa'.repeat(32), 4)).toBe(false);
    const same = await Promise.all(Array.from({ length: 16 }, (_, i) => s.claimSession(id, 'cc'.repeat(32), i)));
    expect(same.filter((x) => x)).toHaveLength(1);
    // Control: concurrent claims of distinct ids all succeed.
    const distinct = await Promise.all(Array.from({ length: 16 }, (_, i) => s.claimSession(id, i.toString(16).padStart(64, '0'), i)));
    expect(distinct.every((x) => x)).toBe(true);
    // Session ids are part of a composite key: lowercase [0-9a-z_-] only, so one id has one spelling.
    expect(await s.claimSession(id, 'dkg', 1)).toBe(true);
    expect(await s.claimSession(id, 'dkg', 1)).toBe(false);
    await expect(s.claimSession(id, 'AA', 1)).rejects.toThrow(RangeError);
    await expect(s.claimSession(id, '', 1)).rejects.toThrow(RangeError);
    await expect(s.claimSession(id, '../x', 1)).rejects.toThrow(RangeError);
  });

  it('bans survive reopen and keep the first reason', async () => {
    const dir = tempDir();
    const id = keyIdHex(fixture(1));
    let s = await openStore(dir);
    expect(await s.listBans()).toEqual([]);
    await s.ban(id, 2, { code: 'ERR_OTE_CHECK', message: 'consistency check failed' }, 10);
    await s.ban(id, 2, { code: 'ERR_VOLE_CHECK', message: 'later' }, 11);
    await s.ban(id, 3, { code: 'ERR_GAMMA_CHECK', message: 'gamma' }, 12);
    await s.close();
    s = await openStore(dir);
    expect(await s.listBans()).toEqual([
      { keyId: id, peer: 2, code: 'ERR_OTE_CHECK', message: 'consistency check failed', at: 10 },
      { keyId: id, peer: 3, code: 'ERR_GAMMA_CHECK', message: 'gamma', at: 12 },
    ]);
    await expect(s.ban(id, 0, { code: 'c', message: 'm' }, 1)).rejects.toThrow(RangeError);
  });
});

describe('DurablePairGuard', () => {
  const KEY = 'a1'.repeat(32);

  it('persists a ban raised inside withDelta; a guard rebuilt after reopen refuses before the check', async () => {
    const dir = tempDir();
    let s = await openStore(dir);
    let g = new DurablePairGuard(s, await s.listBans(), () => 42);
    const err = abortBan(ErrorCode.OTE_CHECK, 'extension check failed', { culprit: 2 });
    expect(() =>
      g.withDelta(KEY, 2, () => {
        throw err;
      }),
    ).toThrow(err);
    expect(g.isBanned(KEY, 2)).toBe(true); // synchronously, before the write lands
    // Control: an ABORT without ban does not ban.
    expect(() =>
      g.withDelta(KEY, 3, () => {
        throw abort(ErrorCode.PROOF, 'bad proof', { culprit: 3 });
      }),
    ).toThrow('bad proof');
    expect(g.isBanned(KEY, 3)).toBe(false);
    await g.flush();
    expect(await s.listBans()).toEqual([{ keyId: KEY, peer: 2, code: ErrorCode.OTE_CHECK, message: 'extension check failed', at: 42 }]);
    await s.close();

    s = await openStore(dir);
    g = new DurablePairGuard(s, await s.listBans(), () => 43);
    expect(g.isBanned(KEY, 2)).toBe(true);
    const check = vi.fn(() => 'ran');
    let refused: unknown;
    try {
      g.withDelta(KEY, 2, check);
    } catch (e) {
      refused = e;
    }
    expect(isProtocolError(refused) && refused.code).toBe(ErrorCode.PEER_BANNED);
    expect(isProtocolError(refused) && refused.culprit).toBe(2);
    expect(check).not.toHaveBeenCalled();
    // Control: the other peer and the same peer under another key still run.
    expect(g.withDelta(KEY, 3, check)).toBe('ran');
    expect(g.withDelta('b2'.repeat(32), 2, check)).toBe('ran');
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('refuses re-entry for one (key, peer) as a BUG (control: nesting another peer works; the section is released)', async () => {
    const s = await openStore(tempDir());
    const g = new DurablePairGuard(s, [], () => 0);
    let inner: unknown;
    try {
      g.withDelta(KEY, 2, () => g.withDelta(KEY, 2, () => 1));
    } catch (e) {
      inner = e;
    }
    expect(isProtocolError(inner) && inner.failure).toBe('BUG');
    expect((inner as Error).message).toMatch(/two checks against one Δ/);
    expect(isProtocolError(inner) && inner.code).toBe(ErrorCode.INVARIANT);
    expect(g.withDelta(KEY, 2, () => g.withDelta(KEY, 3, () => 7))).toBe(7);
    expect(g.isBanned(KEY, 2)).toBe(false);
    await g.flush();
    expect(await s.listBans()).toEqual([]);
  });

  it('flush reports a failed ban write (control: flush with no failure resolves)', async () => {
    const s = await openStore(tempDir());
    const g = new DurablePairGuard(s, [], () => 0);
    await g.flush();
    await s.close();
    g.ban(KEY, 2, abortBan(ErrorCode.OTE_CHECK, 'x', { culprit: 2 }));
    expect(g.isBanned(KEY, 2)).toBe(true);
    await expectStoreError(g.flush(), StoreErrorCode.CLOSED);
    await g.flush(); // the failure is reported once
  });
});

describe('readPassphrase', () => {
  const VAR = 'TECDSA_STORE_TEST_PASSPHRASE';
  afterEach(() => {
    delete process.env[VAR];
  });

  it('reads a file, trims one trailing newline and flags group/other access', () => {
    const dir = tempDir();
    const f = join(dir, 'pass');
    writeFileSync(f, 'secret\n\n');
    chmodSync(f, 0o600);
    expect(readPassphrase({ file: f })).toEqual({ passphrase: 'secret\n', source: 'file', insecureFileMode: false });
    writeFileSync(f, 'secret\r\n');
    chmodSync(f, 0o644);
    expect(readPassphrase({ file: f })).toEqual({ passphrase: 'secret', source: 'file', insecureFileMode: true });
    chmodSync(f, 0o640);
    expect(readPassphrase({ file: f }).insecureFileMode).toBe(true);
  });

  it('prefers the file over the environment; falls back to the environment', () => {
    const dir = tempDir();
    const f = join(dir, 'pass');
    writeFileSync(f, 'from-file', { mode: 0o600 });
    process.env[VAR] = 'from-env';
    expect(readPassphrase({ file: f, env: VAR }).passphrase).toBe('from-file');
    expect(readPassphrase({ env: VAR })).toEqual({ passphrase: 'from-env', source: 'env', insecureFileMode: false });
    writeFileSync(f, '\n');
    expect(readPassphrase({ file: f, env: VAR }).source).toBe('env');
  });

  it('throws ERR_PASSPHRASE_MISSING when neither source gives a non-empty value', () => {
    const dir = tempDir();
    const f = join(dir, 'pass');
    const missing = (fn: () => unknown, text: RegExp) => {
      let e: unknown;
      try {
        fn();
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(StoreError);
      expect((e as StoreError).code).toBe(StoreErrorCode.PASSPHRASE_MISSING);
      expect((e as StoreError).message).toMatch(text);
    };
    missing(() => readPassphrase({}), /neither/);
    missing(() => readPassphrase({ env: VAR }), new RegExp(VAR));
    missing(() => readPassphrase({ file: f, env: VAR }), /cannot read the passphrase file .*ENOENT/);
    writeFileSync(f, '');
    process.env[VAR] = '';
    missing(() => readPassphrase({ file: f, env: VAR }), /empty/);
    // Control: a value in either source is accepted.
    process.env[VAR] = 'p';
    expect(readPassphrase({ file: f, env: VAR }).passphrase).toBe('p');
  });
});

describe('signed history: deletion, pruning and catch-up notices', () => {
  it('deleteRecords removes exactly the named records in one batch and survives reopening', async () => {
    const dir = tempDir();
    const s = await openStore(dir);
    await s.putRecords([1, 2, 3].map((i) => ({ key: `history/k/${i}`, value: { i } })));
    await s.deleteRecords(['history/k/1', 'history/k/3', 'history/k/absent']);
    await s.deleteRecords([]);
    expect((await s.listRecords('history/')).map((r) => r.key)).toEqual(['history/k/2']);
    await s.close();
    const s2 = await openStore(dir);
    expect((await s2.listRecords('history/')).map((r) => r.key)).toEqual(['history/k/2']);
  });

  it('the authorizer prunes entries older than the longest policy window, ignores such notices, and lists the rest as notices', async () => {
    const s = await openStore(tempDir());
    const a = new Authorizer(s, [], 1, async () => true);
    const keyId = 'ab'.repeat(32);
    const now = 1_800_000_000_000;
    const entry = (requestId: string, at: number) => new TextEncoder().encode(JSON.stringify({ keyId, requestId, at, digest: `0x${'11'.repeat(32)}`, spent: [{ asset: 'native', amount: '5' }] }));
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];
    expect(await a.applyHistoryNotice(entry(ids[0]!, now - 1000), now)).toBe(true);
    expect(await a.applyHistoryNotice(entry(ids[1]!, now - MAX_WINDOW_MS + 1000), now)).toBe(true);
    // too old to matter: accepted (not an error) but not stored
    expect(await a.applyHistoryNotice(entry(ids[2]!, now - MAX_WINDOW_MS - 1), now)).toBe(true);
    expect(await a.applyHistoryNotice(new TextEncoder().encode('{"keyId":1}'), now)).toBe(false);
    expect((await a.history(keyId)).length).toBe(2);
    // two days later the second entry is outside every possible window
    const later = now + 2 * 86400e3;
    expect(await a.pruneHistory(later)).toBe(1);
    expect((await a.history(keyId)).map((h) => h.at)).toEqual([now - 1000]);
    const notices = (await a.historyNotices(later)).map((b) => JSON.parse(new TextDecoder().decode(b)));
    expect(notices).toEqual([{ keyId, requestId: ids[0], at: now - 1000, digest: `0x${'11'.repeat(32)}`, spent: [{ asset: 'native', amount: '5' }] }]);
    // a notice is accepted by another node's authorizer as it is
    const other = new Authorizer(await openStore(tempDir()), [], 1, async () => true);
    expect(await other.applyHistoryNotice(new TextEncoder().encode(JSON.stringify(notices[0])), later)).toBe(true);
    expect((await other.history(keyId)).length).toBe(1);
  });
});
