/**
 * Signing policy per key (YAML), shared by the coordinator and every node so that each of them
 * reaches the same decision from the same request. Ordered rules, first match wins, default
 * deny. A policy is identified by the SHA-256 of its exact text (what admins approve).
 *
 * Loading validates against the schema below and reports every problem with its line and
 * column. Evaluation is pure: the caller passes the time and the signed history.
 *
 *   version: 1
 *   addressBook: { name: "0x…" }            # optional; names usable wherever an address is
 *   rules:
 *     - name: small-transfers               # unique
 *       match:                              # every condition given must hold; none = always
 *         kind: [eip1559, legacy, eip2930, eip191, eip712, digest]
 *         chainId: [1, 31337]
 *         to: ["0x…" | book name]           # allowlist (transaction recipient / verifying contract)
 *         notTo: [...]                      # denylist
 *         minValue: "0.1 ether"             # native value range (units: ether, gwei, wei)
 *         maxValue: "1 ether"
 *         contract: ["0x…"]                 # the called contract (tx.to with calldata)
 *         method: [transfer, approve, transferFrom, "0x12345678"]
 *         token: { address: "0x…", decimals: 6, minAmount: "1", maxAmount: "1000" }   # ERC-20 amount
 *         utc: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }
 *         spendLimit: { window: 24h, max: "10 ether" }                 # native, over signed history
 *         spendLimit: { window: 24h, token: "0x…", decimals: 6, max: "5000" }
 *         rateLimit: { window: 1h, max: 10 }
 *       action: allow | deny | { require_approvals: { treasury: 1, security: 1 }, delay: 1h, cancel: { security: 1 } }
 */
import { createHash } from 'node:crypto';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { getAddress, isAddress, parseUnits } from 'viem';
import { REQUEST_KINDS, type RequestKind, type RequestSummary } from '../request.js';

export const POLICY_VERSION = 1;
export const MAX_POLICY_BYTES = 64 * 1024;
export const MAX_RULES = 256;
/** Longest window a spend or rate limit may name; history older than this can never matter. */
export const MAX_WINDOW_MS = 366 * 86400e3;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const METHOD_SELECTORS: Record<string, string> = { transfer: '0xa9059cbb', approve: '0x095ea7b3', transferFrom: '0x23b872dd' };
const UNITS: Record<string, number> = { ether: 18, eth: 18, gwei: 9, wei: 0 };

export interface PolicyProblem {
  readonly line: number;
  readonly col: number;
  readonly path: string;
  readonly message: string;
}

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  readonly code = 'ERR_POLICY_INVALID';
  constructor(readonly problems: readonly PolicyProblem[]) {
    super(`invalid policy:\n${problems.map((p) => `  line ${p.line}, column ${p.col} (${p.path}): ${p.message}`).join('\n')}`);
  }
}

export interface TokenCondition {
  readonly address: string;
  readonly decimals: number;
  readonly minAmount?: bigint;
  readonly maxAmount?: bigint;
}
export interface SpendLimit {
  readonly windowMs: number;
  /** 'native' or an ERC-20 token address. */
  readonly asset: string;
  readonly max: bigint;
  readonly display: string;
}
export interface Match {
  readonly kind?: readonly RequestKind[];
  readonly chainId?: readonly number[];
  readonly to?: readonly string[];
  readonly notTo?: readonly string[];
  readonly minValue?: bigint;
  readonly maxValue?: bigint;
  readonly contract?: readonly string[];
  readonly method?: readonly string[];
  readonly token?: TokenCondition;
  readonly utc?: { readonly days?: readonly number[]; readonly from?: number; readonly to?: number };
  readonly spendLimit?: SpendLimit;
  readonly rateLimit?: { readonly windowMs: number; readonly max: number };
}
export type Action =
  | { readonly type: 'allow' }
  | { readonly type: 'deny' }
  | { readonly type: 'require_approvals'; readonly approvals: Readonly<Record<string, number>>; readonly delayMs?: number; readonly cancel?: Readonly<Record<string, number>> }
  | { readonly type: 'delay'; readonly delayMs: number; readonly cancel?: Readonly<Record<string, number>> };

export interface Rule {
  readonly name: string;
  readonly line: number;
  readonly match: Match;
  readonly action: Action;
}

export interface Policy {
  readonly version: 1;
  /** SHA-256 of the exact text, hex. */
  readonly hash: string;
  readonly text: string;
  readonly addressBook: ReadonlyMap<string, string>;
  readonly rules: readonly Rule[];
  /**
   * Optional pre-flight simulation of transactions (eth_call + eth_estimateGas) by the
   * coordinator; with denyOnRevert a reverting transaction is rejected before any approval.
   */
  readonly simulate?: { readonly rpcUrl: string; readonly denyOnRevert: boolean };
}

// ---------------------------------------------------------------------------------------------
// loading

class Ctx {
  readonly problems: PolicyProblem[] = [];
  constructor(readonly lc: LineCounter) {}
  err(node: Node | null | undefined, path: string, message: string): undefined {
    const off = node?.range?.[0] ?? 0;
    const { line, col } = this.lc.linePos(off);
    this.problems.push({ line, col, path, message });
    return undefined;
  }
}

const scalar = (n: unknown): unknown => (isScalar(n) ? n.value : undefined);

function keysOf(c: Ctx, m: YAMLMap, path: string, allowed: readonly string[]): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const pair of m.items) {
    const k = scalar(pair.key);
    if (typeof k !== 'string') {
      c.err(pair.key as Node, path, 'keys must be plain strings');
      continue;
    }
    if (!allowed.includes(k)) {
      c.err(pair.key as Node, `${path}.${k}`, `unknown key "${k}" (allowed: ${allowed.join(', ')})`);
      continue;
    }
    if (out.has(k)) c.err(pair.key as Node, `${path}.${k}`, `"${k}" appears twice`);
    out.set(k, pair.value as Node);
  }
  return out;
}

function list(c: Ctx, n: Node | undefined, path: string): Node[] | undefined {
  if (isSeq(n)) {
    if (n.items.length === 0) return c.err(n, path, 'must not be an empty list');
    return n.items as Node[];
  }
  if (isScalar(n)) return [n];
  return c.err(n, path, 'must be a list');
}

function str(c: Ctx, n: Node | undefined, path: string): string | undefined {
  const v = scalar(n);
  if (typeof v !== 'string' || v.length === 0) return c.err(n, path, 'must be a non-empty string');
  return v;
}

function int(c: Ctx, n: Node | undefined, path: string, min: number, max: number): number | undefined {
  const v = scalar(n);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) return c.err(n, path, `must be an integer ${min}..${max}`);
  return v;
}

function addr(c: Ctx, n: Node | undefined, path: string, book: ReadonlyMap<string, string>): string | undefined {
  const v = scalar(n);
  if (typeof v === 'string' && book.has(v)) return book.get(v);
  if (typeof v !== 'string' || !isAddress(v, { strict: false })) return c.err(n, path, 'must be a 0x address or an addressBook name');
  return getAddress(v);
}

/** "1 ether", "100 gwei", "5 wei" or a plain integer number of wei. */
function nativeAmount(c: Ctx, n: Node | undefined, path: string): bigint | undefined {
  const v = scalar(n);
  const s = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v;
  if (typeof s !== 'string') return c.err(n, path, 'must be an amount such as "1 ether", "20 gwei" or a number of wei');
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ether|eth|gwei|wei)?\s*$/i.exec(s);
  if (!m) return c.err(n, path, `"${s}" is not an amount (use e.g. "1 ether", "20 gwei", "1000 wei")`);
  const decimals = UNITS[(m[2] ?? 'wei').toLowerCase()]!;
  if ((m[1]!.split('.')[1]?.length ?? 0) > decimals) return c.err(n, path, `"${s}" has more decimals than the unit allows`);
  return parseUnits(m[1]!, decimals);
}

function tokenAmount(c: Ctx, n: Node | undefined, path: string, decimals: number): bigint | undefined {
  const v = scalar(n);
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string' || !/^[0-9]+(\.[0-9]+)?$/.test(s.trim())) return c.err(n, path, 'must be a token amount such as "1000" or "12.5"');
  if ((s.trim().split('.')[1]?.length ?? 0) > decimals) return c.err(n, path, `has more than ${decimals} decimals`);
  return parseUnits(s.trim(), decimals);
}

function duration(c: Ctx, n: Node | undefined, path: string): number | undefined {
  const v = scalar(n);
  const m = typeof v === 'string' ? /^([0-9]{1,6})(s|m|h|d)$/.exec(v.trim()) : null;
  if (!m) return c.err(n, path, 'must be a duration such as 90s, 30m, 24h or 7d');
  const ms = Number(m[1]) * { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[m[2] as 's' | 'm' | 'h' | 'd'];
  if (ms <= 0 || ms > MAX_WINDOW_MS) return c.err(n, path, 'must be between 1s and 366d');
  return ms;
}

function hhmm(c: Ctx, n: Node | undefined, path: string): number | undefined {
  const v = scalar(n);
  const m = typeof v === 'string' ? /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(v) : null;
  if (!m) return c.err(n, path, 'must be a UTC time HH:MM');
  return Number(m[1]) * 60 + Number(m[2]);
}

function quorum(c: Ctx, n: Node | undefined, path: string): Record<string, number> | undefined {
  if (!isMap(n) || n.items.length === 0) return c.err(n, path, 'must map role names to counts, e.g. { treasury: 1 }');
  const out: Record<string, number> = {};
  for (const pair of n.items) {
    const role = scalar(pair.key);
    if (typeof role !== 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(role)) {
      c.err(pair.key as Node, path, 'role names are lowercase letters, digits, _ or -');
      continue;
    }
    const k = int(c, pair.value as Node, `${path}.${role}`, 1, 16);
    if (k !== undefined) out[role] = k;
  }
  return out;
}

function parseMatch(c: Ctx, n: Node | undefined, path: string, book: ReadonlyMap<string, string>): Match {
  if (n === undefined || n === null) return {};
  if (!isMap(n)) return c.err(n, path, 'must be a mapping of conditions') ?? {};
  const k = keysOf(c, n, path, ['kind', 'chainId', 'to', 'notTo', 'minValue', 'maxValue', 'contract', 'method', 'token', 'utc', 'spendLimit', 'rateLimit']);
  const m: { -readonly [K in keyof Match]: Match[K] } = {};
  const addrs = (key: 'to' | 'notTo' | 'contract') => {
    const l = k.has(key) ? list(c, k.get(key), `${path}.${key}`) : undefined;
    if (l) m[key] = l.map((x, i) => addr(c, x, `${path}.${key}[${i}]`, book)).filter((x): x is string => x !== undefined);
  };
  if (k.has('kind')) {
    const l = list(c, k.get('kind'), `${path}.kind`);
    if (l) {
      m.kind = l
        .map((x, i) => {
          const v = scalar(x);
          if (typeof v !== 'string' || !(REQUEST_KINDS as readonly string[]).includes(v)) return c.err(x, `${path}.kind[${i}]`, `must be one of ${REQUEST_KINDS.join(', ')}`);
          return v as RequestKind;
        })
        .filter((x): x is RequestKind => x !== undefined);
    }
  }
  if (k.has('chainId')) {
    const l = list(c, k.get('chainId'), `${path}.chainId`);
    if (l) m.chainId = l.map((x, i) => int(c, x, `${path}.chainId[${i}]`, 1, Number.MAX_SAFE_INTEGER)).filter((x): x is number => x !== undefined);
  }
  addrs('to');
  addrs('notTo');
  addrs('contract');
  if (k.has('minValue')) m.minValue = nativeAmount(c, k.get('minValue'), `${path}.minValue`);
  if (k.has('maxValue')) m.maxValue = nativeAmount(c, k.get('maxValue'), `${path}.maxValue`);
  if (m.minValue !== undefined && m.maxValue !== undefined && m.minValue > m.maxValue) c.err(k.get('minValue'), `${path}.minValue`, 'is larger than maxValue');
  if (k.has('method')) {
    const l = list(c, k.get('method'), `${path}.method`);
    if (l) {
      m.method = l
        .map((x, i) => {
          const v = scalar(x);
          if (typeof v === 'string' && METHOD_SELECTORS[v]) return METHOD_SELECTORS[v];
          if (typeof v === 'string' && /^0x[0-9a-fA-F]{8}$/.test(v)) return v.toLowerCase();
          return c.err(x, `${path}.method[${i}]`, 'must be transfer, approve, transferFrom or a 4-byte selector 0x12345678');
        })
        .filter((x): x is string => x !== undefined);
    }
  }
  if (k.has('token')) {
    const t = k.get('token');
    if (!isMap(t)) c.err(t, `${path}.token`, 'must be { address, decimals, minAmount?, maxAmount? }');
    else {
      const tk = keysOf(c, t, `${path}.token`, ['address', 'decimals', 'minAmount', 'maxAmount']);
      const address = addr(c, tk.get('address'), `${path}.token.address`, book);
      const decimals = int(c, tk.get('decimals'), `${path}.token.decimals`, 0, 36);
      if (address !== undefined && decimals !== undefined) {
        const minAmount = tk.has('minAmount') ? tokenAmount(c, tk.get('minAmount'), `${path}.token.minAmount`, decimals) : undefined;
        const maxAmount = tk.has('maxAmount') ? tokenAmount(c, tk.get('maxAmount'), `${path}.token.maxAmount`, decimals) : undefined;
        m.token = { address, decimals, ...(minAmount !== undefined ? { minAmount } : {}), ...(maxAmount !== undefined ? { maxAmount } : {}) };
      }
    }
  }
  if (k.has('utc')) {
    const u = k.get('utc');
    if (!isMap(u)) c.err(u, `${path}.utc`, 'must be { days?, from?, to? }');
    else {
      const uk = keysOf(c, u, `${path}.utc`, ['days', 'from', 'to']);
      const days = uk.has('days')
        ? list(c, uk.get('days'), `${path}.utc.days`)
            ?.map((x, i) => {
              const d = DAYS.indexOf(String(scalar(x)).toLowerCase() as (typeof DAYS)[number]);
              return d < 0 ? c.err(x, `${path}.utc.days[${i}]`, `must be one of ${DAYS.join(', ')}`) : d;
            })
            .filter((x): x is number => x !== undefined)
        : undefined;
      const from = uk.has('from') ? hhmm(c, uk.get('from'), `${path}.utc.from`) : undefined;
      const to = uk.has('to') ? hhmm(c, uk.get('to'), `${path}.utc.to`) : undefined;
      m.utc = { ...(days ? { days } : {}), ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
    }
  }
  if (k.has('spendLimit')) {
    const s = k.get('spendLimit');
    if (!isMap(s)) c.err(s, `${path}.spendLimit`, 'must be { window, max, token?, decimals? }');
    else {
      const sk = keysOf(c, s, `${path}.spendLimit`, ['window', 'max', 'token', 'decimals']);
      const windowMs = duration(c, sk.get('window'), `${path}.spendLimit.window`);
      let asset = 'native';
      let max: bigint | undefined;
      if (sk.has('token')) {
        const a = addr(c, sk.get('token'), `${path}.spendLimit.token`, book);
        const d = int(c, sk.get('decimals'), `${path}.spendLimit.decimals`, 0, 36);
        if (a !== undefined) asset = a;
        if (d !== undefined) max = tokenAmount(c, sk.get('max'), `${path}.spendLimit.max`, d);
      } else {
        max = nativeAmount(c, sk.get('max'), `${path}.spendLimit.max`);
      }
      const display = String(scalar(sk.get('max')) ?? '');
      if (windowMs !== undefined && max !== undefined) m.spendLimit = { windowMs, asset, max, display };
    }
  }
  if (k.has('rateLimit')) {
    const r = k.get('rateLimit');
    if (!isMap(r)) c.err(r, `${path}.rateLimit`, 'must be { window, max }');
    else {
      const rk = keysOf(c, r, `${path}.rateLimit`, ['window', 'max']);
      const windowMs = duration(c, rk.get('window'), `${path}.rateLimit.window`);
      const max = int(c, rk.get('max'), `${path}.rateLimit.max`, 1, 1_000_000);
      if (windowMs !== undefined && max !== undefined) m.rateLimit = { windowMs, max };
    }
  }
  return m;
}

function parseAction(c: Ctx, n: Node | undefined, path: string): Action | undefined {
  const v = scalar(n);
  if (v === 'allow') return { type: 'allow' };
  if (v === 'deny') return { type: 'deny' };
  if (!isMap(n)) return c.err(n, path, 'must be allow, deny, or { require_approvals, delay, cancel }');
  const k = keysOf(c, n, path, ['require_approvals', 'delay', 'cancel']);
  const approvals = k.has('require_approvals') ? quorum(c, k.get('require_approvals'), `${path}.require_approvals`) : undefined;
  const delayMs = k.has('delay') ? duration(c, k.get('delay'), `${path}.delay`) : undefined;
  const cancel = k.has('cancel') ? quorum(c, k.get('cancel'), `${path}.cancel`) : undefined;
  if (cancel && delayMs === undefined && k.has('cancel')) return c.err(k.get('cancel'), `${path}.cancel`, 'a cancel quorum needs a delay');
  if (approvals) return { type: 'require_approvals', approvals, ...(delayMs !== undefined ? { delayMs } : {}), ...(cancel ? { cancel } : {}) };
  if (delayMs !== undefined) return { type: 'delay', delayMs, ...(cancel ? { cancel } : {}) };
  return c.err(n, path, 'needs require_approvals or delay');
}

export const policyHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Parses and validates a policy; throws PolicyError listing every problem with line numbers. */
export function loadPolicy(text: string): Policy {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) throw new PolicyError([{ line: 1, col: 1, path: '', message: `larger than ${MAX_POLICY_BYTES} bytes` }]);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const c = new Ctx(lc);
  for (const e of doc.errors) {
    const { line, col } = lc.linePos(e.pos[0]);
    c.problems.push({ line, col, path: '', message: e.message.split('\n')[0]! });
  }
  if (c.problems.length) throw new PolicyError(c.problems);
  const root = doc.contents as Node | null;
  if (!isMap(root)) throw new PolicyError([{ line: 1, col: 1, path: '', message: 'a policy is a mapping with version and rules' }]);
  const top = keysOf(c, root, '', ['version', 'addressBook', 'rules', 'simulate']);
  let simulate: Policy['simulate'];
  const sim = top.get('simulate');
  if (sim !== undefined) {
    if (!isMap(sim)) c.err(sim, 'simulate', 'must be { rpcUrl, denyOnRevert? }');
    else {
      const sk = keysOf(c, sim, 'simulate', ['rpcUrl', 'denyOnRevert']);
      const url = str(c, sk.get('rpcUrl'), 'simulate.rpcUrl');
      if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) c.err(sk.get('rpcUrl'), 'simulate.rpcUrl', 'must be an http(s) URL');
      const deny = sk.has('denyOnRevert') ? scalar(sk.get('denyOnRevert')) : false;
      if (typeof deny !== 'boolean') c.err(sk.get('denyOnRevert'), 'simulate.denyOnRevert', 'must be true or false');
      if (url !== undefined) simulate = { rpcUrl: url, denyOnRevert: deny === true };
    }
  }
  if (scalar(top.get('version')) !== POLICY_VERSION) c.err(top.get('version') ?? root, 'version', `must be ${POLICY_VERSION}`);
  const book = new Map<string, string>();
  const ab = top.get('addressBook');
  if (ab !== undefined) {
    if (!isMap(ab)) c.err(ab, 'addressBook', 'must map names to addresses');
    else {
      for (const pair of ab.items) {
        const name = scalar(pair.key);
        if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(name) || name.startsWith('0x')) {
          c.err(pair.key as Node, 'addressBook', 'names are 1-64 letters, digits, _ . - starting with a letter');
          continue;
        }
        const a = addr(c, pair.value as Node, `addressBook.${name}`, new Map());
        if (a) book.set(name, a);
      }
    }
  }
  const rulesNode = top.get('rules');
  const rules: Rule[] = [];
  if (!isSeq(rulesNode) || rulesNode.items.length === 0) c.err(rulesNode ?? root, 'rules', 'must be a non-empty list of rules');
  else if (rulesNode.items.length > MAX_RULES) c.err(rulesNode, 'rules', `at most ${MAX_RULES} rules`);
  else {
    const names = new Set<string>();
    rulesNode.items.forEach((rn, i) => {
      const path = `rules[${i}]`;
      if (!isMap(rn)) return c.err(rn as Node, path, 'a rule is a mapping with name, match and action');
      const rk = keysOf(c, rn, path, ['name', 'match', 'action']);
      const name = str(c, rk.get('name') ?? rn, `${path}.name`);
      if (name && names.has(name)) c.err(rk.get('name'), `${path}.name`, `rule name "${name}" is used twice`);
      if (name) names.add(name);
      const match = parseMatch(c, rk.get('match'), `${path}.match`, book);
      const action = rk.has('action') ? parseAction(c, rk.get('action'), `${path}.action`) : c.err(rn, `${path}.action`, 'is required');
      if (name && action) rules.push({ name, line: lc.linePos(rn.range?.[0] ?? 0).line, match, action });
    });
  }
  if (c.problems.length) throw new PolicyError(c.problems);
  return { version: 1, hash: policyHash(text), text, addressBook: book, rules, ...(simulate ? { simulate } : {}) };
}

// ---------------------------------------------------------------------------------------------
// evaluation

/** What one request moves: native value, or an ERC-20 amount ('native' or the token address). */
export interface Spend {
  readonly asset: string;
  readonly amount: bigint;
}

/** One signed request of this key, as the spend and rate limits count it. */
export interface HistoryEntry {
  /** When it was signed (ms since epoch). */
  readonly at: number;
  readonly spent: readonly Spend[];
}

export interface EvalContext {
  readonly now: number;
  readonly history?: readonly HistoryEntry[];
}

export interface Decision {
  readonly action: 'allow' | 'deny' | 'require_approvals' | 'delay';
  /** The rule that matched; null for the default deny. */
  readonly rule: string | null;
  readonly approvals?: Readonly<Record<string, number>>;
  readonly delayMs?: number;
  readonly cancel?: Readonly<Record<string, number>>;
  /** Why: for the matching rule what held; for each rule before it, what did not. */
  readonly explanation: readonly string[];
}

/** What a request moves, for limits: native value, or the ERC-20 amount of transfer/transferFrom. */
export function spentBy(s: RequestSummary): Spend[] {
  const out: Spend[] = [];
  if (s.value !== undefined && BigInt(s.value) > 0n) out.push({ asset: 'native', amount: BigInt(s.value) });
  const c = s.call;
  if (c?.token && (c.method === 'transfer' || c.method === 'transferFrom') && c.args?.amount) out.push({ asset: getAddress(c.token), amount: BigInt(c.args.amount) });
  return out;
}

/** Returns undefined if the condition holds, otherwise why not. */
function failing(m: Match, s: RequestSummary, ctx: EvalContext): string | undefined {
  if (m.kind && !m.kind.includes(s.kind)) return `kind ${s.kind} not in [${m.kind.join(', ')}]`;
  if (m.chainId && (s.chainId === undefined || !m.chainId.includes(s.chainId))) return `chainId ${s.chainId ?? 'none'} not in [${m.chainId.join(', ')}]`;
  // the beneficiary: the ERC-20 recipient for token transfers, otherwise the transaction recipient
  const recipient = s.call?.method === 'transfer' || s.call?.method === 'transferFrom' ? (s.call.args?.to ?? s.to) : s.to;
  const r = recipient ? getAddress(recipient) : undefined;
  if (m.to && (!r || !m.to.includes(r))) return `recipient ${r ?? 'none'} not in the allowlist`;
  if (m.notTo && r && m.notTo.includes(r)) return `recipient ${r} is on the denylist`;
  const value = s.value === undefined ? 0n : BigInt(s.value);
  if (m.maxValue !== undefined && value > m.maxValue) return `value ${value} wei exceeds maxValue ${m.maxValue} wei`;
  if (m.minValue !== undefined && value < m.minValue) return `value ${value} wei is below minValue ${m.minValue} wei`;
  if (m.contract && (!s.call || !s.to || !m.contract.includes(getAddress(s.to)))) return `not a call to [${m.contract.join(', ')}]`;
  if (m.method && (!s.call || !m.method.includes(s.call.selector))) return `method ${s.call?.selector ?? 'none'} not in [${m.method.join(', ')}]`;
  if (m.token) {
    const c = s.call;
    if (!c?.token || getAddress(c.token) !== m.token.address || !c.args?.amount) return `not an ERC-20 call on ${m.token.address}`;
    const amt = BigInt(c.args.amount);
    if (m.token.maxAmount !== undefined && amt > m.token.maxAmount) return `token amount ${amt} exceeds maxAmount ${m.token.maxAmount}`;
    if (m.token.minAmount !== undefined && amt < m.token.minAmount) return `token amount ${amt} is below minAmount ${m.token.minAmount}`;
  }
  if (m.utc) {
    const d = new Date(ctx.now);
    const day = d.getUTCDay();
    const min = d.getUTCHours() * 60 + d.getUTCMinutes();
    if (m.utc.days && !m.utc.days.includes(day)) return `UTC day ${DAYS[day]} not allowed`;
    const from = m.utc.from ?? 0;
    const to = m.utc.to ?? 24 * 60;
    const inside = from <= to ? min >= from && min < to : min >= from || min < to;
    if (!inside) return `UTC time ${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')} outside the window`;
  }
  const history = ctx.history ?? [];
  if (m.spendLimit) {
    const L = m.spendLimit;
    const already = history
      .filter((h) => h.at > ctx.now - L.windowMs)
      .flatMap((h) => h.spent)
      .filter((x) => x.asset === L.asset)
      .reduce((a, x) => a + x.amount, 0n);
    const now = spentBy(s).filter((h) => h.asset === L.asset).reduce((a, h) => a + h.amount, 0n);
    if (already + now > L.max) return `spend limit ${L.display} per ${L.windowMs / 3600e3} h exceeded (${already} already + ${now} > ${L.max})`;
  }
  if (m.rateLimit) {
    const n = history.filter((h) => h.at > ctx.now - m.rateLimit!.windowMs).length;
    if (n + 1 > m.rateLimit.max) return `rate limit ${m.rateLimit.max} per window reached (${n} already)`;
  }
  return undefined;
}

/** Whether any rule reads the signed history (spend or rate limits); callers skip loading it otherwise. */
export const usesHistory = (p: Policy): boolean => p.rules.some((r) => r.match.spendLimit !== undefined || r.match.rateLimit !== undefined);

/** First matching rule wins; no match is a deny. */
export function evaluate(p: Policy, s: RequestSummary, ctx: EvalContext): Decision {
  const explanation: string[] = [];
  for (const rule of p.rules) {
    const why = failing(rule.match, s, ctx);
    if (why) {
      explanation.push(`rule "${rule.name}" (line ${rule.line}) does not match: ${why}`);
      continue;
    }
    explanation.push(`rule "${rule.name}" (line ${rule.line}) matches`);
    const a = rule.action;
    if (a.type === 'allow' || a.type === 'deny') return { action: a.type, rule: rule.name, explanation };
    if (a.type === 'delay') return { action: 'delay', rule: rule.name, delayMs: a.delayMs, ...(a.cancel ? { cancel: a.cancel } : {}), explanation };
    return { action: 'require_approvals', rule: rule.name, approvals: a.approvals, ...(a.delayMs !== undefined ? { delayMs: a.delayMs } : {}), ...(a.cancel ? { cancel: a.cancel } : {}), explanation };
  }
  explanation.push('no rule matched: default deny');
  return { action: 'deny', rule: null, explanation };
}
