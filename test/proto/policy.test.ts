/**
 * Policy engine (proto/policy/policy.ts) and request decoding (proto/request.ts): the issue's
 * example policy exactly as written, line-numbered schema errors, first-match-wins with default
 * deny, every condition with a positive and a negative case, limits over signed history.
 */
import { describe, expect, test } from 'vitest';
import { encodeFunctionData, erc20Abi, parseEther, parseTransaction, serializeTransaction, keccak256, hashMessage, hashTypedData, getAddress } from 'viem';
import { PolicyError, evaluate, loadPolicy, policyHash, type HistoryEntry } from '../../proto/policy/policy.js';
import { RequestError, decodeSignRequest } from '../../proto/request.js';
import { EXAMPLE_POLICY } from '../fixtures/policies.js';

const DEAD = '0x000000000000000000000000000000000000dEaD';
const OTHER = '0x1111111111111111111111111111111111111111';
const TOKEN = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';

const EXAMPLE = EXAMPLE_POLICY;

const tx1559 = (over: Record<string, unknown> = {}) => ({
  kind: 'eip1559',
  transaction: { chainId: 31337, nonce: 0, to: DEAD, value: '1000000000000000000', gas: '21000', maxFeePerGas: '0x3b9aca00', maxPriorityFeePerGas: '1', ...over },
});
const NOW = Date.UTC(2026, 10, 23, 12, 0); // a Monday, 12:00 UTC

describe('the issue example policy, exactly as written', () => {
  const p = loadPolicy(EXAMPLE);
  test('loads; hash is the SHA-256 of the text', () => {
    expect(p.rules.map((r) => [r.name, r.line])).toEqual([['small-transfers', 3], ['everything-else', 6]]);
    expect(p.hash).toBe(policyHash(EXAMPLE));
    expect(p.hash).not.toBe(policyHash(EXAMPLE + ' '));
  });
  test('1 ether to dEaD on 31337 needs one treasury approval', () => {
    const d = evaluate(p, decodeSignRequest(tx1559()).summary, { now: NOW });
    expect(d).toMatchObject({ action: 'require_approvals', rule: 'small-transfers', approvals: { treasury: 1 } });
  });
  test('legacy is matched too; eip2930 is not', () => {
    const legacy = { kind: 'legacy', transaction: { chainId: 31337, nonce: 1, to: DEAD, value: '1', gas: 21000, gasPrice: '1000' } };
    expect(evaluate(p, decodeSignRequest(legacy).summary, { now: NOW }).rule).toBe('small-transfers');
    const t2930 = { kind: 'eip2930', transaction: { chainId: 31337, nonce: 1, to: DEAD, value: '1', gas: 21000, gasPrice: '1000' } };
    const d = evaluate(p, decodeSignRequest(t2930).summary, { now: NOW });
    expect([d.action, d.rule]).toEqual(['deny', 'everything-else']);
    expect(d.explanation[0]).toMatch(/kind eip2930 not in/);
  });
  test.each([
    ['1 wei more than 1 ether', tx1559({ value: (parseEther('1') + 1n).toString() }), /exceeds maxValue/],
    ['another chain', tx1559({ chainId: 1 }), /chainId 1 not in/],
    ['another recipient', tx1559({ to: OTHER }), /not in the allowlist/],
  ])('%s falls through to everything-else (deny)', (_n, req, why) => {
    const d = evaluate(p, decodeSignRequest(req).summary, { now: NOW });
    expect([d.action, d.rule]).toEqual(['deny', 'everything-else']);
    expect(d.explanation[0]).toMatch(why);
  });
});

describe('loading: every problem reported with its line', () => {
  const problems = (text: string) => {
    try {
      loadPolicy(text);
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      return (e as PolicyError).problems.map((p) => `${p.line}:${p.message}`);
    }
    throw new Error('policy loaded but should not have');
  };
  test.each([
    ['unknown key in match', 'version: 1\nrules:\n  - name: a\n    match: { knd: [eip1559] }\n    action: allow\n', /^4:unknown key "knd"/],
    ['bad kind', 'version: 1\nrules:\n  - name: a\n    match:\n      kind: [eip1599]\n    action: allow\n', /^5:must be one of/],
    ['bad amount', 'version: 1\nrules:\n  - name: a\n    match:\n      maxValue: "1 eth3r"\n    action: allow\n', /^5:"1 eth3r" is not an amount/],
    ['bad address', 'version: 1\nrules:\n  - name: a\n    match:\n      to: ["0x1234"]\n    action: allow\n', /^5:must be a 0x address/],
    ['duplicate rule name', 'version: 1\nrules:\n  - name: a\n    action: allow\n  - name: a\n    action: deny\n', /^5:rule name "a" is used twice/],
    ['missing action', 'version: 1\nrules:\n  - name: a\n', /^3:is required/],
    ['wrong version', 'version: 2\nrules:\n  - name: a\n    action: allow\n', /^1:must be 1/],
    ['empty rules', 'version: 1\nrules: []\n', /^2:must be a non-empty list/],
    ['YAML syntax', 'version: 1\nrules:\n  - name: [a\n', /^\d+:/],
    ['bad duration', 'version: 1\nrules:\n  - name: a\n    action: { delay: 5 minutes }\n', /^4:must be a duration/],
    ['cancel without delay', 'version: 1\nrules:\n  - name: a\n    action: { require_approvals: { t: 1 }, cancel: { s: 1 } }\n', /^4:a cancel quorum needs a delay/],
    ['bad action', 'version: 1\nrules:\n  - name: a\n    action: maybe\n', /^4:must be allow, deny/],
    ['bad method', 'version: 1\nrules:\n  - name: a\n    match: { method: [steal] }\n    action: allow\n', /^4:must be transfer, approve/],
    ['min > max', 'version: 1\nrules:\n  - name: a\n    match: { minValue: "2 ether", maxValue: "1 ether" }\n    action: allow\n', /^4:is larger than maxValue/],
  ])('%s', (_n, text, re) => {
    expect(problems(text).join('\n')).toMatch(re);
  });
  test('several problems are all listed', () => {
    const p = problems('version: 1\nrules:\n  - name: a\n    match: { kind: [x], chainId: [0] }\n    action: nope\n');
    expect(p.length).toBe(3);
  });
});

describe('conditions (each with a matching and a non-matching request)', () => {
  const one = (match: string, action = 'allow') => loadPolicy(`version: 1\naddressBook: { vault: "${DEAD}" }\nrules:\n  - name: r\n    match: ${match}\n    action: ${action}\n`);
  const dec = (p: ReturnType<typeof one>, req: unknown, ctx = { now: NOW } as { now: number; history?: HistoryEntry[] }) => evaluate(p, decodeSignRequest(req).summary, ctx).rule;
  const erc20 = (fn: 'transfer' | 'approve', to: string, amount: bigint, token = TOKEN) =>
    tx1559({ to: token, value: '0', data: encodeFunctionData({ abi: erc20Abi, functionName: fn, args: [to as `0x${string}`, amount] }) });

  test('address book names, allowlist and denylist', () => {
    expect(dec(one('{ to: [vault] }'), tx1559())).toBe('r');
    expect(dec(one('{ to: [vault] }'), tx1559({ to: OTHER }))).toBe(null);
    expect(dec(one('{ notTo: [vault] }'), tx1559())).toBe(null);
    expect(dec(one('{ notTo: [vault] }'), tx1559({ to: OTHER }))).toBe('r');
  });
  test('minValue', () => {
    expect(dec(one('{ minValue: "1 ether" }'), tx1559())).toBe('r');
    expect(dec(one('{ minValue: "1.5 ether" }'), tx1559())).toBe(null);
    expect(dec(one('{ maxValue: "1000000000 gwei" }'), tx1559())).toBe('r');
  });
  test('ERC-20 transfer: the token recipient is the beneficiary, amounts use the token decimals', () => {
    const p = one(`{ to: [vault], method: [transfer], token: { address: "${TOKEN}", decimals: 6, maxAmount: "1000" } }`);
    expect(dec(p, erc20('transfer', DEAD, 1000_000000n))).toBe('r');
    expect(dec(p, erc20('transfer', DEAD, 1000_000001n))).toBe(null);
    expect(dec(p, erc20('transfer', OTHER, 1n))).toBe(null);
    expect(dec(p, erc20('approve', DEAD, 1n))).toBe(null);
    expect(dec(p, erc20('transfer', DEAD, 1n, OTHER))).toBe(null);
  });
  test('contract and method selector', () => {
    const p = one(`{ contract: ["${TOKEN}"], method: ["0x095ea7b3"] }`);
    expect(dec(p, erc20('approve', OTHER, 5n))).toBe('r');
    expect(dec(p, erc20('transfer', OTHER, 5n))).toBe(null);
    expect(dec(p, tx1559())).toBe(null);
  });
  test('UTC window (weekdays 09:00-17:00) and a window across midnight', () => {
    const p = one('{ utc: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" } }');
    expect(dec(p, tx1559(), { now: NOW })).toBe('r');
    expect(dec(p, tx1559(), { now: NOW + 6 * 3600e3 })).toBe(null); // 18:00
    expect(dec(p, tx1559(), { now: NOW - 2 * 86400e3 })).toBe(null); // Saturday
    const night = one('{ utc: { from: "22:00", to: "02:00" } }');
    expect(dec(night, tx1559(), { now: NOW + 11 * 3600e3 })).toBe('r'); // 23:00
    expect(dec(night, tx1559(), { now: NOW })).toBe(null);
  });
  test('rolling spend limit over the signed history (native and token)', () => {
    const p = one('{ spendLimit: { window: 24h, max: "2 ether" } }');
    const h = (hoursAgo: number, eth: string): HistoryEntry => ({ at: NOW - hoursAgo * 3600e3, spent: [{ asset: 'native', amount: parseEther(eth) }] });
    expect(dec(p, tx1559(), { now: NOW, history: [h(1, '1')] })).toBe('r'); // 1 + 1 = 2
    expect(dec(p, tx1559(), { now: NOW, history: [h(1, '1'), h(2, '0.000000000000000001')] })).toBe(null);
    expect(dec(p, tx1559(), { now: NOW, history: [h(25, '5'), h(1, '1')] })).toBe('r'); // outside the window
    const t = one(`{ spendLimit: { window: 1d, token: "${TOKEN}", decimals: 6, max: "100" } }`);
    const th: HistoryEntry = { at: NOW - 3600e3, spent: [{ asset: getAddress(TOKEN), amount: 60_000000n }] };
    expect(dec(t, erc20('transfer', DEAD, 40_000000n), { now: NOW, history: [th] })).toBe('r');
    expect(dec(t, erc20('transfer', DEAD, 40_000001n), { now: NOW, history: [th] })).toBe(null);
  });
  test('rate limit', () => {
    const p = one('{ rateLimit: { window: 1h, max: 2 } }');
    const h = (minAgo: number): HistoryEntry => ({ at: NOW - minAgo * 60e3, spent: [] });
    expect(dec(p, tx1559(), { now: NOW, history: [h(10)] })).toBe('r');
    expect(dec(p, tx1559(), { now: NOW, history: [h(10), h(20)] })).toBe(null);
    expect(dec(p, tx1559(), { now: NOW, history: [h(10), h(70)] })).toBe('r');
  });
  test('actions: delay with a cancel quorum, approvals with a delay', () => {
    const p = one('{ kind: [eip191] }', '{ delay: 2h, cancel: { security: 1 } }');
    expect(evaluate(p, decodeSignRequest({ kind: 'eip191', message: 'hi' }).summary, { now: NOW })).toMatchObject({ action: 'delay', delayMs: 7200e3, cancel: { security: 1 } });
    const q = one('{}', '{ require_approvals: { treasury: 1, security: 1 }, delay: 30m }');
    expect(evaluate(q, decodeSignRequest(tx1559()).summary, { now: NOW })).toMatchObject({ action: 'require_approvals', approvals: { treasury: 1, security: 1 }, delayMs: 1800e3 });
  });
  test('digest requests match only a rule that names kind digest', () => {
    const digest = { kind: 'digest', digest: `0x${'ab'.repeat(32)}` };
    expect(dec(one('{ chainId: [1] }'), digest)).toBe(null);
    expect(dec(one('{ kind: [digest] }'), digest)).toBe('r');
  });
});

describe('request decoding with viem', () => {
  test('eip1559: digest is keccak256 of viem serialisation; the summary decodes the transfer', () => {
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [DEAD, 5n] });
    const d = decodeSignRequest(tx1559({ to: TOKEN, value: '0', data }));
    expect(d.digest).toBe(keccak256(serializeTransaction(d.transaction!)));
    const back = parseTransaction(serializeTransaction(d.transaction!));
    expect([back.chainId, getAddress(back.to!), back.type]).toEqual([31337, getAddress(TOKEN), 'eip1559']);
    expect(d.summary.call).toEqual({ selector: '0xa9059cbb', method: 'transfer', token: getAddress(TOKEN), args: { to: DEAD, amount: '5' } });
  });
  test('eip191 text and raw; eip712 with viem hashing', () => {
    expect(decodeSignRequest({ kind: 'eip191', message: 'hello' }).digest).toBe(hashMessage('hello'));
    expect(decodeSignRequest({ kind: 'eip191', message: { raw: '0x68656c6c6f' } }).digest).toBe(hashMessage('hello'));
    const typedData = {
      domain: { name: 'Mail', version: '1', chainId: 1, verifyingContract: OTHER },
      types: { Person: [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }] },
      primaryType: 'Person',
      message: { name: 'Bob', wallet: DEAD },
    } as const;
    const d = decodeSignRequest({ kind: 'eip712', typedData });
    expect(d.digest).toBe(hashTypedData(typedData));
    expect(d.summary).toMatchObject({ chainId: 1, to: getAddress(OTHER), typedData: { primaryType: 'Person' } });
  });
  test.each([
    ['unknown kind', { kind: 'eip4844' }, 'kind'],
    ['chain id 0', tx1559({ chainId: 0 }), 'transaction.chainId'],
    ['bad recipient', tx1559({ to: '0x12' }), 'transaction.to'],
    ['negative value', tx1559({ value: '-1' }), 'transaction.value'],
    ['float gas', tx1559({ gas: 1.5 }), 'transaction.gas'],
    ['priority fee above max fee', tx1559({ maxPriorityFeePerGas: '0x3b9aca01' }), 'transaction.maxPriorityFeePerGas'],
    ['odd hex data', tx1559({ data: '0x123' }), 'transaction.data'],
    ['unknown tx field', tx1559({ gasPrice: '1' }), 'transaction.gasPrice'],
    ['bad typed data', { kind: 'eip712', typedData: { types: {}, primaryType: 'X', message: {} } }, 'typedData'],
    ['short digest', { kind: 'digest', digest: '0x1234' }, 'digest'],
    ['message not text', { kind: 'eip191', message: 5 }, 'message'],
  ])('%s → RequestError naming the field', (_n, body, field) => {
    expect(() => decodeSignRequest(body)).toThrow(RequestError);
    try {
      decodeSignRequest(body);
    } catch (e) {
      expect((e as RequestError).field).toBe(field);
    }
  });
});
