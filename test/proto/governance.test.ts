/**
 * Approval counting (proto/governance.ts checkApprovals): roles, one count per approver,
 * no self-approval, expiry, forged and foreign signatures; and the admin-change quorum.
 */
import { describe, expect, test } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { MAX_ADMINS, adminChangeBytes, adminSetProblem, adminSigners, approvalBytes, checkApprovals, signAdminChange, signStatement, type ApprovalStatement, type Approver } from '../../proto/governance.js';
import { parseAdminRecord } from '../../proto/authorization.js';

const mk = (name: string, roles: string[]) => {
  const k = generateKeyPairSync('ed25519');
  const pem = k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKey = Buffer.from(String(k.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
  return { approver: { name, publicKey, roles } as Approver, pem };
};
const alice = mk('alice', ['treasury']);
const bob = mk('bob', ['security']);
const carol = mk('carol', ['treasury', 'security']);
const ivan = mk('ivan', ['treasury']);
const registry = [alice, bob, carol, ivan].map((x) => x.approver);
const NOW = 1_900_000_000_000;
const S: ApprovalStatement = { requestId: '11111111-2222-4333-8444-555555555555', keyId: 'ab'.repeat(32), initiator: 'ivan', digest: `0x${'cd'.repeat(32)}`, summary: { kind: 'eip191' }, policyHash: 'ef'.repeat(32), rule: 'r', expiresAt: NOW + 1000 };
const hex = Buffer.from(approvalBytes(S)).toString('hex');
const sig = (x: { pem: string; approver: Approver }, stmt = hex) => signStatement(stmt, x.pem, x.approver.name);

describe('checkApprovals', () => {
  test('one treasury + one security: met by alice and bob', () => {
    const r = checkApprovals(S, [sig(alice), sig(bob)], registry, { treasury: 1, security: 1 }, NOW);
    expect([r.missing, r.valid]).toEqual([{}, ['alice', 'bob']]);
  });
  test('wrong role: two treasury approvers do not make a security approval', () => {
    const r = checkApprovals(S, [sig(alice), sig(ivan)], registry, { treasury: 1, security: 1 }, NOW);
    expect(r.missing).toEqual({ security: 1 });
  });
  test('an approver with two roles counts once', () => {
    expect(checkApprovals(S, [sig(carol)], registry, { treasury: 1, security: 1 }, NOW).missing).toEqual({ security: 1 });
    expect(checkApprovals(S, [sig(carol), sig(alice)], registry, { treasury: 1, security: 1 }, NOW).missing).toEqual({});
  });
  test('duplicates, the initiator, unregistered, forged and expired approvals do not count', () => {
    const r = checkApprovals(S, [sig(alice), sig(alice), sig(ivan), signStatement(hex, bob.pem, 'mallory'), signStatement(hex, bob.pem, 'alice')], registry, { treasury: 2 }, NOW);
    expect(r.valid).toEqual(['alice']);
    expect(r.refused.map((x) => x.reason)).toEqual(['already counted', 'the initiator cannot approve their own request', 'not a registered approver', 'already counted']);
    const forged = checkApprovals(S, [signStatement(hex, bob.pem, 'alice')], registry, { treasury: 1 }, NOW);
    expect(forged.refused[0]!.reason).toBe('signature does not verify over the statement');
    const expired = checkApprovals(S, [sig(alice)], registry, { treasury: 1 }, S.expiresAt);
    expect([expired.missing, expired.refused[0]!.reason]).toEqual([{ treasury: 1 }, 'the approval statement has expired']);
    expect(checkApprovals(S, [sig(alice)], registry, { treasury: 1 }, S.expiresAt - 1).missing).toEqual({});
  });
  test('a signature over another request’s statement does not count', () => {
    const other = Buffer.from(approvalBytes({ ...S, digest: `0x${'00'.repeat(32)}` })).toString('hex');
    expect(checkApprovals(S, [sig(alice, other)], registry, { treasury: 1 }, NOW).missing).toEqual({ treasury: 1 });
  });
});

test('adminSigners counts distinct valid admin signatures only', () => {
  const a1 = mk('a1', []);
  const a2 = mk('a2', []);
  const admins = [a1, a2].map((x) => ({ name: x.approver.name, publicKey: x.approver.publicKey }));
  const change = { type: 'policy' as const, keyId: 'ab'.repeat(32), policyHash: 'cd'.repeat(32), seq: 3 };
  const s1 = signAdminChange(change, a1.pem, 'a1');
  const s2 = signAdminChange(change, a2.pem, 'a2');
  expect(adminSigners(change, [s1, s2, s1], admins).sort()).toEqual(['a1', 'a2']);
  expect(adminSigners({ ...change, seq: 4 }, [s1, s2], admins)).toEqual([]);
  expect(adminSigners(change, [{ by: 'a2', signature: s1.signature }], admins)).toEqual([]);
});

describe('admin-set changes', () => {
  const key = (n: number) => n.toString(16).padStart(2, '0').repeat(32);
  test('the signed bytes do not depend on the order of the admins, and do depend on keys, quorum and seq', () => {
    const a = { name: 'a', publicKey: key(1) };
    const b = { name: 'b', publicKey: key(2) };
    const bytes = (admins: { name: string; publicKey: string }[], quorum = 1, seq = 1) => Buffer.from(adminChangeBytes({ type: 'admins', admins, quorum, seq })).toString('hex');
    expect(bytes([a, b])).toBe(bytes([b, a]));
    expect(bytes([a, b])).not.toBe(bytes([a, { ...b, publicKey: key(3) }]));
    expect(bytes([a, b])).not.toBe(bytes([a, b], 2));
    expect(bytes([a, b])).not.toBe(bytes([a, b], 1, 2));
    expect(bytes([a])).not.toBe(bytes([a, b]));
  });
  test('adminSetProblem: names, keys, duplicates, sizes and quorum bounds', () => {
    const ok = [{ name: 'alice', publicKey: key(1) }, { name: 'bob', publicKey: key(2) }];
    expect(adminSetProblem(ok, 1)).toBeUndefined();
    expect(adminSetProblem(ok, 2)).toBeUndefined();
    expect(adminSetProblem(ok, 3)).toMatch(/quorum/);
    expect(adminSetProblem(ok, 0)).toMatch(/quorum/);
    expect(adminSetProblem(ok, 1.5)).toMatch(/quorum/);
    expect(adminSetProblem([], 1)).toMatch(/1\.\.32/);
    expect(adminSetProblem(Array.from({ length: MAX_ADMINS + 1 }, (_, i) => ({ name: `a${i}`, publicKey: key(1) })), 1)).toMatch(/1\.\.32/);
    expect(adminSetProblem([ok[0]!, { ...ok[1]!, name: 'alice' }], 1)).toMatch(/twice/);
    expect(adminSetProblem([{ name: 'alice', publicKey: 'AB'.repeat(32) }], 1)).toMatch(/lowercase hex/);
    expect(adminSetProblem([{ name: ' bad', publicKey: key(1) }], 1)).toMatch(/not a valid name/);
  });
  test('parseAdminRecord accepts a well-formed admin-set change and names what is wrong otherwise', () => {
    const rec = (change: Record<string, unknown>) => new TextEncoder().encode(JSON.stringify({ change, signatures: [] }));
    const good = { type: 'admins', admins: [{ name: 'alice', publicKey: key(1) }], quorum: 1, seq: 1 };
    expect(parseAdminRecord(rec(good)).change).toEqual(good);
    expect(() => parseAdminRecord(rec({ ...good, quorum: 2 }))).toThrow(/quorum/);
    expect(() => parseAdminRecord(rec({ ...good, admins: 'alice' }))).toThrow(/admins/);
    expect(() => parseAdminRecord(rec({ ...good, admins: [{ name: 'alice' }] }))).toThrow(/publicKey/);
    expect(() => parseAdminRecord(rec({ ...good, seq: 0 }))).toThrow(/seq/);
    expect(() => parseAdminRecord(rec({ ...good, type: 'owners' }))).toThrow(/policy, approver, freeze or admins/);
  });
  test('a signature by the current admin verifies over the change; one by another key does not count', () => {
    const k1 = generateKeyPairSync('ed25519');
    const pem = k1.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pub = Buffer.from(String(k1.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
    const change = { type: 'admins' as const, admins: [{ name: 'root', publicKey: pub }, { name: 'second', publicKey: key(7) }], quorum: 2, seq: 1 };
    const sig = signAdminChange(change, pem, 'root');
    expect(adminSigners(change, [sig], [{ name: 'root', publicKey: pub }])).toEqual(['root']);
    expect(adminSigners({ ...change, quorum: 1 }, [sig], [{ name: 'root', publicKey: pub }])).toEqual([]);
    expect(adminSigners(change, [{ ...sig, by: 'second' }], change.admins)).toEqual([]);
  });
});
