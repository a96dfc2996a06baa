/**
 * The coordinator's store (coordinator/src/store.ts), real LevelDB in a temp directory: the
 * per-key time index that spend and rate limits read, the audit index that evidence bundles
 * read, and the one-time indexing of a store written before these indexes existed.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Level } from 'level';
import { CoordinatorStore, type SignRequestRecord } from '../../coordinator/src/store.js';
import type { AuditEntry } from '../../proto/audit.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tecdsa-coord-store-'));
  dirs.push(d);
  return d;
};

const KEY_A = 'aa'.repeat(32);
const KEY_B = 'bb'.repeat(32);
const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T00:00:00.000Z');

function request(keyId: string, at: number): SignRequestRecord {
  return {
    id: randomUUID(),
    keyId,
    kind: 'digest',
    request: { kind: 'digest', digest: `0x${'11'.repeat(32)}` },
    digest: `0x${'11'.repeat(32)}`,
    summary: { kind: 'digest' },
    initiator: 'admin',
    status: 'signed',
    expiresAt: at + DAY,
    approvals: [],
    attempts: [],
    createdAt: new Date(at).toISOString(),
    updatedAt: new Date(at).toISOString(),
  } as unknown as SignRequestRecord;
}

describe('requests by key and time', () => {
  test('only the key’s requests at or after the start, oldest first; other keys and older requests are not read', async () => {
    const s = await CoordinatorStore.open(tempDir());
    try {
      const a = [request(KEY_A, T0 - 400 * DAY), request(KEY_A, T0 - 2 * DAY), request(KEY_A, T0 - DAY), request(KEY_A, T0)];
      const b = [request(KEY_B, T0 - DAY), request(KEY_B, T0)];
      for (const r of [...b, a[3]!, a[0]!, a[2]!, a[1]!]) await s.createRequest(r);
      expect((await s.requestsSince(KEY_A, T0 - 2 * DAY)).map((r) => r.id)).toEqual([a[1]!.id, a[2]!.id, a[3]!.id]);
      expect((await s.requestsSince(KEY_A, T0 - 2 * DAY + 1)).map((r) => r.id)).toEqual([a[2]!.id, a[3]!.id]);
      expect((await s.requestsSince(KEY_A, 0)).map((r) => r.id)).toEqual(a.map((r) => r.id));
      expect((await s.requestsSince(KEY_B, T0 - 10 * DAY)).map((r) => r.id)).toEqual(b.map((r) => r.id));
      expect(await s.requestsSince('cc'.repeat(32), 0)).toEqual([]);
      // a later update of a request (status, signature) is what is read back
      await s.putRequest({ ...a[3]!, status: 'failed' });
      expect((await s.requestsSince(KEY_A, T0)).map((r) => r.status)).toEqual(['failed']);
    } finally {
      await s.close();
    }
  });

  test('a store written before the index existed is indexed once when opened', async () => {
    const dir = tempDir();
    const a = [request(KEY_A, T0 - DAY), request(KEY_A, T0)];
    // the old layout: requests only, no index entries, no mark
    const db = new Level<string, unknown>(dir, { valueEncoding: 'json' });
    await db.open();
    const requests = db.sublevel<string, unknown>('requests', { valueEncoding: 'json' });
    for (const r of a) await requests.put(r.id, r);
    await db.close();
    const s = await CoordinatorStore.open(dir);
    try {
      expect((await s.requestsSince(KEY_A, 0)).map((r) => r.id)).toEqual(a.map((r) => r.id));
      const later = request(KEY_A, T0 + DAY);
      await s.createRequest(later);
      expect((await s.requestsSince(KEY_A, T0)).map((r) => r.id)).toEqual([a[1]!.id, later.id]);
    } finally {
      await s.close();
    }
    // reopening does not index twice (the mark is kept) and loses nothing
    const again = await CoordinatorStore.open(dir);
    try {
      expect((await again.requestsSince(KEY_A, 0))).toHaveLength(3);
    } finally {
      await again.close();
    }
  });
});

describe('audit index', () => {
  const entry = (seq: number, type: string, data: Record<string, unknown>) =>
    ({ seq, at: new Date(T0 + seq).toISOString(), type, actor: 'admin', data, prev: '00', hash: `${seq}`, sig: '00' }) as unknown as AuditEntry;
  const log = (): AuditEntry[] => [
    entry(1, 'key_created', { keyId: KEY_A }),
    entry(2, 'approver_set', { name: 'alice', publicKey: '11', roles: ['treasury'] }),
    entry(3, 'policy_set', { keyId: KEY_A, policyHash: 'p1' }),
    entry(4, 'request_created', { requestId: 'r1', keyId: KEY_A }),
    entry(5, 'approval', { requestId: 'r1', signature: 's' }),
    entry(6, 'key_created', { keyId: KEY_B }),
    entry(7, 'request_created', { requestId: 'r2', keyId: KEY_B }),
    entry(8, 'approver_set', { name: 'bob', publicKey: '22', roles: ['security'] }),
    entry(9, 'approver_set', { name: 'alice', publicKey: '33', roles: ['treasury'] }),
    entry(10, 'signed', { requestId: 'r1', keyId: KEY_A }),
  ];
  const seqs = (es: AuditEntry[]) => es.map((e) => e.seq);
  const check = async (s: CoordinatorStore) => {
    expect(seqs(await s.audit.indexed({ requestId: 'r1' }))).toEqual([4, 5, 10]);
    expect(seqs(await s.audit.indexed({ keyId: KEY_A }))).toEqual([1, 3]);
    expect(seqs(await s.audit.indexed({ keyId: KEY_B }))).toEqual([6]);
    expect(seqs(await s.audit.indexed({ approver: 'alice' }))).toEqual([2, 9]);
    expect(await s.audit.indexed({ requestId: 'r3' })).toEqual([]);
    expect(seqs(await s.audit.page(3, 4))).toEqual([4, 5, 6, 7]);
  };

  test("an entry's index keys are written with it: a request's entries, a key's key_created and policy_set, an approver's registrations", async () => {
    const s = await CoordinatorStore.open(tempDir());
    try {
      for (const e of log()) await s.audit.put(e);
      await check(s);
    } finally {
      await s.close();
    }
  });

  test('a log written before the index existed is indexed once when opened', async () => {
    const dir = tempDir();
    const db = new Level<string, unknown>(dir, { valueEncoding: 'json' });
    await db.open();
    const audit = db.sublevel<string, unknown>('audit', { valueEncoding: 'json' });
    for (const e of log()) await audit.put(String(e.seq).padStart(12, '0'), e);
    await db.close();
    const s = await CoordinatorStore.open(dir);
    try {
      await check(s);
    } finally {
      await s.close();
    }
  });
});
