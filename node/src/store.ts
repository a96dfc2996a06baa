/**
 * The node's LevelDB store: key shares (encrypted at rest), public key metadata, the signing
 * replay cache and pairwise-setup bans.
 *
 * Guarantees
 *  - Key shares are stored only as AES-256-GCM records under a key derived from the operator's
 *    passphrase with scrypt. A record is bound (AAD) to its key id and node index, so a record
 *    copied to another key id or index fails to authenticate (ERR_STORE_CORRUPT).
 *  - A wrong passphrase is detected with a verifier record before anything is written; the
 *    database is closed again and nothing changed (ERR_PASSPHRASE_WRONG).
 *  - Every multi-record change (first-open metadata, putKey, deleteKey) is one LevelDB
 *    WriteBatch, so it is all-or-nothing. Writes are serialised through one in-process queue,
 *    so check-then-write operations (claimSession, putKey's KEY_EXISTS) are race-free inside
 *    the process; LevelDB's LOCK file keeps a second process out (ERR_STORE_LOCKED).
 *  - The passphrase and the derived key are never written. The derived key lives only in a
 *    node:crypto KeyObject held by this object.
 *
 * Limits: JavaScript cannot promise erasure. Plaintext buffers are zeroed after use and the raw
 * derived key is zeroed once wrapped in a KeyObject, but the passphrase string, the KeyObject,
 * the share's bigint and any copies made by the runtime or the garbage collector cannot be wiped.
 *
 * Key schema (sublevels of one LevelDB, values are utf8 JSON unless noted)
 *   meta      'kdf'                      → {v:1, alg:'scrypt', N, r, p, salt: hex16}
 *             'verifier'                 → hex of an encrypted record of VERIFIER_PLAINTEXT
 *   shares    keyIdHex                   → encrypted record (bytes), see `sealShare`
 *   keys      keyIdHex                   → KeyMeta
 *   sessions  `${keyIdHex}/${sessionId}`  → {at}   (sessionId: lowercase hex or a label such as 'dkg')
 *   bans      `${keyIdHex}/${peer}`       → {code, message, at}
 * Encrypted record: version (1 byte, 0x01) ‖ nonce (12) ‖ ciphertext ‖ GCM tag (16).
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, scrypt as scryptCb, timingSafeEqual, type KeyObject } from 'node:crypto';
import { Level } from 'level';
import { deserializeKeyShare, keyIdHex, serializeKeyShare, type KeyShare } from '../../protocol/keyshare/keyshare.js';

export const StoreErrorCode = {
  PASSPHRASE_WRONG: 'ERR_PASSPHRASE_WRONG',
  PASSPHRASE_MISSING: 'ERR_PASSPHRASE_MISSING',
  LOCKED: 'ERR_STORE_LOCKED',
  CORRUPT: 'ERR_STORE_CORRUPT',
  CLOSED: 'ERR_STORE_CLOSED',
  KEY_EXISTS: 'ERR_KEY_EXISTS',
} as const;
export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

export class StoreError extends Error {
  static override readonly name = 'StoreError';
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Public metadata of a key held by this node (stored in clear). */
export interface KeyMeta {
  /** 32-byte key id, lowercase hex. */
  keyId: string;
  name: string;
  /** This node's party index. */
  index: number;
  n: number;
  t: number;
  /** Group public key, 33 bytes compressed, hex. */
  publicKey: string;
  /** X_1..X_n, 33 bytes each, hex. */
  publicShares: string[];
  createdAt: number;
}

export interface BanRecord {
  keyId: string;
  peer: number;
  code: string;
  message: string;
  at: number;
}

export interface KdfParams {
  N: number;
  r: number;
  p: number;
}

export interface StoreOptions {
  /** scrypt cost for a NEW store; an existing store always uses the parameters it was created with. */
  kdf?: KdfParams;
}

const RECORD_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const utf8 = (s: string) => new TextEncoder().encode(s);
const SHARE_AAD_PREFIX = utf8('tecdsa-cluster/v1/share');
const VERIFIER_AAD = utf8('tecdsa-cluster/v1/verifier');
const VERIFIER_PLAINTEXT = utf8('tecdsa-cluster/v1/passphrase-ok');

const KEY_ID_RE = /^[0-9a-f]{64}$/;
/** Session ids are normally lowercase hex; short lowercase labels (e.g. 'dkg') are allowed too. No uppercase, so one id has one spelling. */
const SESSION_ID_RE = /^[0-9a-z_-]{1,128}$/;

function openSublevels(db: Level<string, string>) {
  return {
    meta: db.sublevel<string, string>('meta', { valueEncoding: 'utf8' }),
    shares: db.sublevel<string, Uint8Array>('shares', { valueEncoding: 'view' }),
    keys: db.sublevel<string, string>('keys', { valueEncoding: 'utf8' }),
    sessions: db.sublevel<string, string>('sessions', { valueEncoding: 'utf8' }),
    bans: db.sublevel<string, string>('bans', { valueEncoding: 'utf8' }),
    /** Public governance state and signing history (JSON): policies, approvers, history entries. */
    records: db.sublevel<string, string>('records', { valueEncoding: 'utf8' }),
  };
}
type Sublevels = ReturnType<typeof openSublevels>;

export class NodeStore {
  /** scrypt N = 2^15, r = 8, p = 1: 32 MiB and roughly 0.1 s per open. */
  static readonly KDF_DEFAULT: Readonly<KdfParams> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

  private closed = false;
  /** Tail of the write queue: every mutation runs after the previous one settled. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly db: Level<string, string>,
    private readonly sub: Sublevels,
    private key: KeyObject | undefined,
    /** The scrypt parameters this store was created with. */
    readonly kdf: Readonly<KdfParams>,
  ) {}

  /**
   * Opens (or creates) the store in `dir`. Throws StoreError PASSPHRASE_MISSING (empty
   * passphrase), LOCKED (another process holds the directory), PASSPHRASE_WRONG (nothing is
   * written) or CORRUPT (the store's metadata is damaged).
   */
  static async open(dir: string, passphrase: string, opts: StoreOptions = {}): Promise<NodeStore> {
    if (typeof passphrase !== 'string' || passphrase.length === 0) {
      throw new StoreError(StoreErrorCode.PASSPHRASE_MISSING, `no passphrase given for the key store at ${dir}: set a passphrase file or environment variable`);
    }
    const wanted = opts.kdf ?? NodeStore.KDF_DEFAULT;
    checkKdf(wanted, (m) => new RangeError(`invalid scrypt parameters: ${m}`));

    const db = new Level<string, string>(dir, { valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (e) {
      const err = e as { code?: string; cause?: { code?: string } };
      if (err.code === 'LEVEL_DATABASE_NOT_OPEN' && err.cause?.code === 'LEVEL_LOCKED') {
        throw new StoreError(
          StoreErrorCode.LOCKED,
          `the key store at ${dir} is in use by another process (LevelDB lock held): stop the other node or use another data directory`,
          { cause: e },
        );
      }
      throw e;
    }
    const sub = openSublevels(db);
    try {
      const [kdfJson, verifierHex] = await sub.meta.getMany(['kdf', 'verifier']);
      if (kdfJson === undefined && verifierHex === undefined) {
        for await (const k of db.keys({ limit: 1 })) {
          throw corrupt(dir, `it holds data (${JSON.stringify(k)}) but no key-derivation metadata`);
        }
        return await NodeStore.create(dir, db, sub, passphrase, wanted);
      }
      if (kdfJson === undefined || verifierHex === undefined) throw corrupt(dir, 'its key-derivation metadata is incomplete');
      const { params, salt } = parseKdf(dir, kdfJson);
      const verifier = parseHex(verifierHex);
      if (!verifier) throw corrupt(dir, 'the passphrase verifier is not hex');
      const key = await deriveKey(passphrase, salt, params);
      let plain: Buffer;
      try {
        plain = unseal(key, verifier, VERIFIER_AAD);
      } catch (e) {
        if (e instanceof StoreError) throw corrupt(dir, `the passphrase verifier is malformed (${e.message})`, e);
        throw new StoreError(
          StoreErrorCode.PASSPHRASE_WRONG,
          `wrong passphrase for the key store at ${dir}: nothing was changed (if the passphrase is right, the verifier record in 'meta' was altered)`,
        );
      }
      if (plain.length !== VERIFIER_PLAINTEXT.length || !timingSafeEqual(plain, VERIFIER_PLAINTEXT)) {
        throw corrupt(dir, 'the passphrase verifier decrypts to an unexpected value');
      }
      return new NodeStore(dir, db, sub, key, params);
    } catch (e) {
      await db.close().catch(() => undefined);
      throw e;
    }
  }

  /** First open: salt, parameters and verifier in one batch. */
  private static async create(dir: string, db: Level<string, string>, sub: Sublevels, passphrase: string, params: KdfParams): Promise<NodeStore> {
    const salt = randomBytes(SALT_BYTES);
    const key = await deriveKey(passphrase, salt, params);
    const kdfRecord = { v: 1, alg: 'scrypt', N: params.N, r: params.r, p: params.p, salt: salt.toString('hex') };
    const verifier = seal(key, VERIFIER_PLAINTEXT, VERIFIER_AAD);
    await db.batch<string, unknown>(
      [
        { type: 'put', sublevel: sub.meta, key: 'kdf', value: JSON.stringify(kdfRecord) },
        { type: 'put', sublevel: sub.meta, key: 'verifier', value: Buffer.from(verifier).toString('hex') },
      ],
      {},
    );
    return new NodeStore(dir, db, sub, key, Object.freeze({ ...params }));
  }

  /** Stores a new key: encrypted share and public metadata in one batch. Throws KEY_EXISTS. */
  async putKey(meta: KeyMeta, share: KeyShare): Promise<void> {
    this.assertOpen();
    checkKeyMeta(meta, (m) => new TypeError(`putKey: invalid key metadata: ${m}`));
    const id = keyIdHex(share);
    const mismatch =
      meta.keyId !== id ? 'keyId' : meta.index !== share.index ? 'index' : meta.n !== share.n ? 'n' : meta.t !== share.t ? 't'
      : meta.publicKey !== Buffer.from(share.publicKey).toString('hex') ? 'publicKey'
      : meta.publicShares.some((x, i) => x !== Buffer.from(share.publicShares[i]!).toString('hex')) ? 'publicShares' : undefined;
    if (mismatch) throw new TypeError(`putKey: metadata field ${mismatch} does not match the key share`);
    return this.serial(async () => {
      if ((await this.sub.keys.get(id)) !== undefined || (await this.sub.shares.get(id)) !== undefined) {
        throw new StoreError(StoreErrorCode.KEY_EXISTS, `key ${id} already exists in the key store at ${this.dir}: nothing was changed`);
      }
      const plain = serializeKeyShare(share);
      let record: Uint8Array;
      try {
        record = seal(this.requireKey(), plain, shareAad(id, share.index));
      } finally {
        plain.fill(0);
      }
      await this.db.batch<string, unknown>(
        [
          { type: 'put', sublevel: this.sub.shares, key: id, value: record },
          { type: 'put', sublevel: this.sub.keys, key: id, value: JSON.stringify(meta) },
        ],
        {},
      );
    });
  }

  /** Decrypts and validates the share of `keyIdHex`; undefined if this node holds no such key. Throws CORRUPT. */
  async getShare(keyIdHex_: string): Promise<KeyShare | undefined> {
    this.assertOpen();
    const id = checkKeyId(keyIdHex_);
    const [record, metaJson] = await this.guardClosed(() => Promise.all([this.sub.shares.get(id), this.sub.keys.get(id)]));
    if (record === undefined && metaJson === undefined) return undefined;
    if (record === undefined || metaJson === undefined) throw corrupt(this.dir, `key ${id} has ${record === undefined ? 'metadata but no share' : 'a share but no metadata'}`);
    const meta = this.parseKeyMeta(id, metaJson);
    const key = this.requireKey();
    let plain: Buffer;
    try {
      plain = unseal(key, record, shareAad(id, meta.index));
    } catch (e) {
      throw corrupt(this.dir, `the encrypted share of key ${id} does not authenticate (altered, truncated, or copied from another key id or node index)`, e);
    }
    try {
      // A plain Uint8Array view: deserializeKeyShare copies fields with `.slice()`, which on a
      // Buffer would alias `plain` (Buffer#slice does not copy) and be zeroed below.
      const share = deserializeKeyShare(new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength));
      if (keyIdHex(share) !== id || share.index !== meta.index) throw new Error('the share names another key id or index');
      return share;
    } catch (e) {
      throw corrupt(this.dir, `the share of key ${id} decrypts but does not parse: ${(e as Error).message}`, e);
    } finally {
      plain.fill(0);
    }
  }

  async getKey(keyIdHex_: string): Promise<KeyMeta | undefined> {
    this.assertOpen();
    const id = checkKeyId(keyIdHex_);
    const json = await this.guardClosed(() => this.sub.keys.get(id));
    return json === undefined ? undefined : this.parseKeyMeta(id, json);
  }

  async listKeys(): Promise<KeyMeta[]> {
    this.assertOpen();
    const entries = await this.guardClosed(() => this.sub.keys.iterator().all());
    return entries.map(([id, json]) => this.parseKeyMeta(id, json));
  }

  /**
   * Replay cache: records (key, session) and returns true, or returns false if it was already
   * recorded. Serialised within the process, so concurrent claims of one id yield one true.
   */
  async claimSession(keyIdHex_: string, sessionIdHex: string, at: number): Promise<boolean> {
    this.assertOpen();
    const k = `${checkKeyId(keyIdHex_)}/${checkSessionId(sessionIdHex)}`;
    checkTime(at);
    return this.serial(async () => {
      if ((await this.sub.sessions.get(k)) !== undefined) return false;
      await this.sub.sessions.put(k, JSON.stringify({ at }));
      return true;
    });
  }

  /** Bans `peer`'s pairwise setup for the key. The first recorded reason is kept. */
  async ban(keyIdHex_: string, peer: number, reason: { code: string; message: string }, at: number): Promise<void> {
    this.assertOpen();
    const id = checkKeyId(keyIdHex_);
    if (!Number.isInteger(peer) || peer < 1) throw new RangeError(`ban: peer must be a party index ≥ 1, got ${peer}`);
    checkTime(at);
    const k = `${id}/${peer}`;
    return this.serial(async () => {
      if ((await this.sub.bans.get(k)) !== undefined) return;
      await this.sub.bans.put(k, JSON.stringify({ code: String(reason.code), message: String(reason.message), at }));
    });
  }

  async listBans(): Promise<BanRecord[]> {
    this.assertOpen();
    const entries = await this.guardClosed(() => this.sub.bans.iterator().all());
    return entries.map(([k, json]) => {
      const m = /^([0-9a-f]{64})\/([1-9][0-9]*)$/.exec(k);
      const v = parseJson(json) as Partial<BanRecord> | undefined;
      if (!m || !v || typeof v.code !== 'string' || typeof v.message !== 'string' || typeof v.at !== 'number') {
        throw corrupt(this.dir, `ban record ${JSON.stringify(k)} is malformed`);
      }
      return { keyId: m[1]!, peer: Number(m[2]), code: v.code, message: v.message, at: v.at };
    });
  }

  /** Removes a key's share, metadata, bans and replay-cache entries in one batch. */
  async deleteKey(keyIdHex_: string): Promise<void> {
    this.assertOpen();
    const id = checkKeyId(keyIdHex_);
    // '0' is the character after '/', so [`${id}/`, `${id}0`) is exactly this key's entries.
    const range = { gte: `${id}/`, lt: `${id}0` };
    return this.serial(async () => {
      const [sessions, bans] = await Promise.all([this.sub.sessions.keys(range).all(), this.sub.bans.keys(range).all()]);
      await this.db.batch<string, unknown>(
        [
          { type: 'del', sublevel: this.sub.shares, key: id },
          { type: 'del', sublevel: this.sub.keys, key: id },
          ...sessions.map((key) => ({ type: 'del' as const, sublevel: this.sub.sessions, key })),
          ...bans.map((key) => ({ type: 'del' as const, sublevel: this.sub.bans, key })),
        ],
        {},
      );
    });
  }

  /** Writes several public JSON records in one atomic batch (serialised with other writes). */
  async putRecords(entries: readonly { key: string; value: unknown }[]): Promise<void> {
    this.assertOpen();
    for (const e of entries) if (typeof e.key !== 'string' || e.key.length === 0 || e.key.length > 512) throw new RangeError('record keys are 1..512 characters');
    return this.serial(() =>
      this.db.batch<string, unknown>(
        entries.map((e) => ({ type: 'put' as const, sublevel: this.sub.records, key: e.key, value: JSON.stringify(e.value) })),
        {},
      ),
    );
  }

  /** Deletes public records by key in one atomic batch (absent keys are ignored). */
  async deleteRecords(keys: readonly string[]): Promise<void> {
    this.assertOpen();
    if (keys.length === 0) return;
    return this.serial(() => this.db.batch<string, unknown>(keys.map((key) => ({ type: 'del' as const, sublevel: this.sub.records, key })), {}));
  }

  async getRecord<T>(key: string): Promise<T | undefined> {
    this.assertOpen();
    const v = await this.guardClosed(() => this.sub.records.get(key));
    if (v === undefined) return undefined;
    const parsed = parseJson(v);
    if (parsed === undefined) throw corrupt(this.dir, `record ${JSON.stringify(key)} is not JSON`);
    return parsed as T;
  }

  /** The last record (in key order) whose key starts with `prefix`. */
  async lastRecord<T>(prefix: string): Promise<T | undefined> {
    this.assertOpen();
    const [v] = await this.guardClosed(() => this.sub.records.values({ gte: prefix, lt: `${prefix}\uffff`, reverse: true, limit: 1 }).all());
    if (v === undefined) return undefined;
    const parsed = parseJson(v);
    if (parsed === undefined) throw corrupt(this.dir, `record under ${JSON.stringify(prefix)} is not JSON`);
    return parsed as T;
  }

  /** Records whose key starts with `prefix`, in key order. */
  async listRecords<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    this.assertOpen();
    const entries = await this.guardClosed(() => this.sub.records.iterator({ gte: prefix, lt: `${prefix}\uffff` }).all());
    return entries.map(([key, v]) => {
      const parsed = parseJson(v);
      if (parsed === undefined) throw corrupt(this.dir, `record ${JSON.stringify(key)} is not JSON`);
      return { key, value: parsed as T };
    });
  }

  /** Waits for queued writes, closes the database and drops the derived key. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.key = undefined;
    await this.db.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // ---- internals ----

  private assertOpen(): void {
    if (this.closed) throw closedError(this.dir);
  }

  private requireKey(): KeyObject {
    if (!this.key) throw closedError(this.dir);
    return this.key;
  }

  /** Runs `fn` after every earlier queued write has settled. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => this.guardClosed(fn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Maps level's "not open" (a close raced this call) to ERR_STORE_CLOSED. */
  private async guardClosed<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if ((e as { code?: string }).code === 'LEVEL_DATABASE_NOT_OPEN') throw closedError(this.dir, e);
      throw e;
    }
  }

  private parseKeyMeta(id: string, json: string): KeyMeta {
    const v = parseJson(json);
    try {
      checkKeyMeta(v, (m) => new Error(m));
    } catch (e) {
      throw corrupt(this.dir, `metadata of key ${id} is malformed: ${(e as Error).message}`, e);
    }
    if (v.keyId !== id) throw corrupt(this.dir, `metadata stored under key ${id} names key ${v.keyId}`);
    return v;
  }
}

// ---- encryption ----

function shareAad(id: string, index: number): Uint8Array {
  const aad = Buffer.alloc(SHARE_AAD_PREFIX.length + 32 + 4);
  aad.set(SHARE_AAD_PREFIX, 0);
  aad.set(Buffer.from(id, 'hex'), SHARE_AAD_PREFIX.length);
  aad.writeUInt32BE(index, SHARE_AAD_PREFIX.length + 32);
  return aad;
}

/** version ‖ nonce ‖ AES-256-GCM(key, nonce, plain, aad) ‖ tag. */
function seal(key: KeyObject, plain: Uint8Array, aad: Uint8Array): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES);
  const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([Uint8Array.of(RECORD_VERSION), nonce, ct, c.getAuthTag()]);
}

/**
 * Authenticates and decrypts a record. A malformed record (wrong version or too short) throws a
 * StoreError; a failed authentication throws node:crypto's error. The caller zeroes the result.
 */
function unseal(key: KeyObject, record: Uint8Array, aad: Uint8Array): Buffer {
  if (record.length < 1 + NONCE_BYTES + TAG_BYTES) throw new StoreError(StoreErrorCode.CORRUPT, `record too short (${record.length} bytes)`);
  if (record[0] !== RECORD_VERSION) throw new StoreError(StoreErrorCode.CORRUPT, `unknown record version ${record[0]}`);
  const nonce = record.subarray(1, 1 + NONCE_BYTES);
  const ct = record.subarray(1 + NONCE_BYTES, record.length - TAG_BYTES);
  const tag = record.subarray(record.length - TAG_BYTES);
  const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  d.setAAD(aad);
  d.setAuthTag(tag);
  const out = d.update(ct);
  try {
    d.final();
  } catch (e) {
    out.fill(0);
    throw e;
  }
  return out;
}

async function deriveKey(passphrase: string, salt: Uint8Array, { N, r, p }: KdfParams): Promise<KeyObject> {
  // OpenSSL needs 128·r·(N + p + 2) bytes; allow that plus slack.
  const maxmem = 128 * r * (N + p + 2) + 1024 * 1024;
  const raw = await new Promise<Buffer>((resolve, reject) =>
    scryptCb(passphrase, salt, KEY_BYTES, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
  );
  try {
    return createSecretKey(raw);
  } finally {
    raw.fill(0);
  }
}

// ---- validation helpers ----

function checkKdf(k: KdfParams, fail: (m: string) => Error): void {
  const { N, r, p } = k;
  if (!Number.isInteger(N) || N < 2 || N > 2 ** 22 || (N & (N - 1)) !== 0) throw fail(`N must be a power of two in [2, 2^22], got ${N}`);
  if (!Number.isInteger(r) || r < 1 || r > 32) throw fail(`r must be an integer in [1, 32], got ${r}`);
  if (!Number.isInteger(p) || p < 1 || p > 16) throw fail(`p must be an integer in [1, 16], got ${p}`);
}

function parseKdf(dir: string, json: string): { params: KdfParams; salt: Buffer } {
  const v = parseJson(json) as { v?: unknown; alg?: unknown; N?: unknown; r?: unknown; p?: unknown; salt?: unknown } | undefined;
  if (!v || v.v !== 1 || v.alg !== 'scrypt') throw corrupt(dir, 'its key-derivation metadata is unreadable or of an unknown version');
  const params = { N: v.N, r: v.r, p: v.p } as KdfParams;
  checkKdf(params, (m) => corrupt(dir, `its stored scrypt parameters are invalid: ${m}`));
  const salt = typeof v.salt === 'string' ? parseHex(v.salt) : undefined;
  if (!salt || salt.length !== SALT_BYTES) throw corrupt(dir, 'its stored salt is invalid');
  return { params: Object.freeze(params), salt };
}

function checkKeyMeta(v: unknown, fail: (m: string) => Error): asserts v is KeyMeta {
  if (typeof v !== 'object' || v === null) throw fail('not an object');
  const m = v as Record<string, unknown>;
  const isHex = (x: unknown, bytes: number) => typeof x === 'string' && x.length === bytes * 2 && /^[0-9a-f]*$/.test(x);
  const isInt = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 1;
  if (!isHex(m.keyId, 32)) throw fail('keyId must be 64 lowercase hex characters');
  if (typeof m.name !== 'string') throw fail('name must be a string');
  if (!isInt(m.n) || !isInt(m.t) || !isInt(m.index)) throw fail('index, n and t must be positive integers');
  if ((m.t as number) > (m.n as number) || (m.index as number) > (m.n as number)) throw fail('index and t must not exceed n');
  if (!isHex(m.publicKey, 33)) throw fail('publicKey must be 33 bytes of lowercase hex');
  if (!Array.isArray(m.publicShares) || m.publicShares.length !== m.n || !m.publicShares.every((x) => isHex(x, 33))) {
    throw fail('publicShares must be n entries of 33 bytes of lowercase hex');
  }
  if (typeof m.createdAt !== 'number' || !Number.isFinite(m.createdAt)) throw fail('createdAt must be a number');
}

function checkKeyId(id: string): string {
  if (typeof id !== 'string' || !KEY_ID_RE.test(id)) throw new RangeError(`key id must be 64 lowercase hex characters, got ${JSON.stringify(id)}`);
  return id;
}

function checkSessionId(id: string): string {
  if (typeof id !== 'string' || !SESSION_ID_RE.test(id)) throw new RangeError(`session id must be 1..128 characters of [0-9a-z_-] (normally lowercase hex), got ${JSON.stringify(id)}`);
  return id;
}

function checkTime(at: number): void {
  if (typeof at !== 'number' || !Number.isFinite(at)) throw new RangeError(`timestamp must be a finite number, got ${at}`);
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

function parseHex(s: string): Buffer | undefined {
  return /^(?:[0-9a-f]{2})*$/.test(s) ? Buffer.from(s, 'hex') : undefined;
}

function corrupt(dir: string, what: string, cause?: unknown): StoreError {
  return new StoreError(StoreErrorCode.CORRUPT, `the key store at ${dir} is corrupt: ${what}`, cause === undefined ? undefined : { cause });
}

function closedError(dir: string, cause?: unknown): StoreError {
  return new StoreError(StoreErrorCode.CLOSED, `the key store at ${dir} is closed`, cause === undefined ? undefined : { cause });
}
