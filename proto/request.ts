/**
 * Signing requests as the coordinator receives them, turned into the exact 32-byte digest to
 * sign and a decoded summary, with viem doing every Ethereum encoding (RLP serialisation,
 * EIP-191, EIP-712, ABI decoding). Nodes and coordinator run this same code, so a node can
 * recompute the digest and the summary from the request itself instead of trusting the
 * coordinator's word. Bad input throws a RequestError naming the field.
 */
import {
  decodeFunctionData,
  erc20Abi,
  getAddress,
  hashMessage,
  hashTypedData,
  isAddress,
  keccak256,
  serializeTransaction,
  type Hex,
  type TransactionSerializable,
  type TypedDataDefinition,
} from 'viem';

export const REQUEST_KINDS = ['eip1559', 'eip2930', 'legacy', 'eip191', 'eip712', 'digest'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const TX_KINDS: readonly RequestKind[] = ['eip1559', 'eip2930', 'legacy'];

export class RequestError extends Error {
  override readonly name = 'RequestError';
  readonly code = 'ERR_BAD_REQUEST';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** What is being signed, decoded for people and for policy. Quantities are decimal strings. */
export interface RequestSummary {
  readonly kind: RequestKind;
  readonly chainId?: number;
  /** Transaction recipient (EIP-55), or the EIP-712 verifying contract. */
  readonly to?: string;
  /** Native value in wei. */
  readonly value?: string;
  readonly nonce?: number;
  /** Contract call decoded as ERC-20, when the calldata is transfer / approve / transferFrom. */
  readonly call?: {
    readonly selector: string;
    readonly method?: 'transfer' | 'approve' | 'transferFrom';
    readonly token?: string;
    readonly args?: Readonly<Record<string, string>>;
  };
  readonly message?: { readonly text?: string; readonly raw?: string };
  readonly typedData?: { readonly primaryType: string; readonly domain: Readonly<Record<string, string>> };
}

export interface DecodedRequest {
  readonly kind: RequestKind;
  /** 0x + 64 hex: the digest the nodes sign. */
  readonly digest: Hex;
  readonly summary: RequestSummary;
  /** For transactions: what viem serialises (the signature is attached after signing). */
  readonly transaction?: TransactionSerializable;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_QUANTITY = 2n ** 256n - 1n;

function quantity(v: unknown, field: string, opts: { max?: bigint } = {}): bigint {
  let n: bigint;
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{1,64}$/.test(v)) n = BigInt(v);
  else if (typeof v === 'string' && /^(0|[1-9][0-9]{0,77})$/.test(v)) n = BigInt(v);
  else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) n = BigInt(v);
  else throw new RequestError(field, 'must be a non-negative integer as a decimal string or 0x-hex');
  const max = opts.max ?? MAX_QUANTITY;
  if (n > max) throw new RequestError(field, `must be at most ${max}`);
  return n;
}

function smallInt(v: unknown, field: string, max: number): number {
  return Number(quantity(v, field, { max: BigInt(max) }));
}

function address(v: unknown, field: string): `0x${string}` {
  if (typeof v !== 'string' || !isAddress(v, { strict: false })) throw new RequestError(field, 'must be a 20-byte 0x address');
  return getAddress(v);
}

function hexData(v: unknown, field: string): Hex {
  if (v === undefined || v === null) return '0x';
  if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v)) throw new RequestError(field, 'must be 0x-prefixed hex bytes');
  if (v.length > 2 + 2 * 128 * 1024) throw new RequestError(field, 'is longer than 128 KiB');
  return v.toLowerCase() as Hex;
}

function accessList(v: unknown, field: string) {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 1024) throw new RequestError(field, 'must be a list of {address, storageKeys}');
  return v.map((e, i) => {
    if (!isObj(e)) throw new RequestError(`${field}[${i}]`, 'must be an object');
    const keys = e.storageKeys ?? [];
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(k))) {
      throw new RequestError(`${field}[${i}].storageKeys`, 'must be a list of 32-byte 0x hex keys');
    }
    return { address: address(e.address, `${field}[${i}].address`), storageKeys: (keys as string[]).map((k) => k.toLowerCase() as Hex) };
  });
}

/** Decodes ERC-20 transfer / approve / transferFrom calldata; other calldata keeps only its selector. */
export function decodeCall(to: string | undefined, data: Hex): RequestSummary['call'] | undefined {
  if (data === '0x') return undefined;
  const selector = data.slice(0, 10);
  try {
    const d = decodeFunctionData({ abi: erc20Abi, data });
    const args = d.args as readonly unknown[];
    const s = (x: unknown) => (typeof x === 'bigint' ? x.toString() : String(x));
    if (d.functionName === 'transfer') return { selector, method: 'transfer', ...(to ? { token: to } : {}), args: { to: s(args[0]), amount: s(args[1]) } };
    if (d.functionName === 'approve') return { selector, method: 'approve', ...(to ? { token: to } : {}), args: { spender: s(args[0]), amount: s(args[1]) } };
    if (d.functionName === 'transferFrom') {
      return { selector, method: 'transferFrom', ...(to ? { token: to } : {}), args: { from: s(args[0]), to: s(args[1]), amount: s(args[2]) } };
    }
  } catch {
    /* not ERC-20 calldata */
  }
  return { selector };
}

function decodeTransaction(kind: 'eip1559' | 'eip2930' | 'legacy', t: unknown): DecodedRequest {
  if (!isObj(t)) throw new RequestError('transaction', 'must be an object');
  const f = (k: string) => `transaction.${k}`;
  const allowed = new Set(['chainId', 'nonce', 'to', 'value', 'gas', 'data', ...(kind === 'eip1559' ? ['maxFeePerGas', 'maxPriorityFeePerGas', 'accessList'] : kind === 'eip2930' ? ['gasPrice', 'accessList'] : ['gasPrice'])]);
  for (const k of Object.keys(t)) if (!allowed.has(k)) throw new RequestError(f(k), `is not a field of a ${kind} transaction`);
  const chainId = smallInt(t.chainId, f('chainId'), 2 ** 53 - 1);
  if (chainId === 0) throw new RequestError(f('chainId'), 'must not be 0 (replay protection)');
  const nonce = smallInt(t.nonce, f('nonce'), 2 ** 53 - 1);
  const to = t.to === undefined || t.to === null ? undefined : address(t.to, f('to'));
  const value = t.value === undefined ? 0n : quantity(t.value, f('value'));
  const gas = quantity(t.gas, f('gas'), { max: 2n ** 64n - 1n });
  const data = hexData(t.data, f('data'));
  let tx: TransactionSerializable;
  if (kind === 'eip1559') {
    const maxFeePerGas = quantity(t.maxFeePerGas, f('maxFeePerGas'));
    const maxPriorityFeePerGas = quantity(t.maxPriorityFeePerGas, f('maxPriorityFeePerGas'));
    if (maxPriorityFeePerGas > maxFeePerGas) throw new RequestError(f('maxPriorityFeePerGas'), 'must not exceed maxFeePerGas');
    tx = { type: 'eip1559', chainId, nonce, ...(to ? { to } : {}), value, gas, data, maxFeePerGas, maxPriorityFeePerGas, accessList: accessList(t.accessList, f('accessList')) };
  } else if (kind === 'eip2930') {
    tx = { type: 'eip2930', chainId, nonce, ...(to ? { to } : {}), value, gas, data, gasPrice: quantity(t.gasPrice, f('gasPrice')), accessList: accessList(t.accessList, f('accessList')) };
  } else {
    tx = { type: 'legacy', chainId, nonce, ...(to ? { to } : {}), value, gas, data, gasPrice: quantity(t.gasPrice, f('gasPrice')) };
  }
  const digest = keccak256(serializeTransaction(tx));
  const call = decodeCall(to, data);
  return {
    kind,
    digest,
    transaction: tx,
    summary: { kind, chainId, ...(to ? { to } : {}), value: value.toString(), nonce, ...(call ? { call } : {}) },
  };
}

/**
 * Decodes a POST /v1/sign-requests body (without keyId/idempotencyKey handling) into the digest
 * and summary. `digest` requests pass through; whether they are allowed is policy's decision.
 */
export function decodeSignRequest(body: unknown): DecodedRequest {
  if (!isObj(body)) throw new RequestError('body', 'must be a JSON object');
  const kind = body.kind;
  if (typeof kind !== 'string' || !(REQUEST_KINDS as readonly string[]).includes(kind)) {
    throw new RequestError('kind', `must be one of ${REQUEST_KINDS.join(', ')}`);
  }
  switch (kind as RequestKind) {
    case 'eip1559':
    case 'eip2930':
    case 'legacy':
      return decodeTransaction(kind as 'eip1559' | 'eip2930' | 'legacy', body.transaction);
    case 'eip191': {
      const m = body.message;
      if (typeof m === 'string') {
        if (m.length > 64 * 1024) throw new RequestError('message', 'is longer than 64 KiB');
        return { kind: 'eip191', digest: hashMessage(m), summary: { kind: 'eip191', message: { text: m } } };
      }
      if (isObj(m) && typeof m.raw === 'string') {
        const raw = hexData(m.raw, 'message.raw');
        return { kind: 'eip191', digest: hashMessage({ raw }), summary: { kind: 'eip191', message: { raw } } };
      }
      throw new RequestError('message', 'must be a string or {"raw": "0x…"}');
    }
    case 'eip712': {
      const td = body.typedData;
      if (!isObj(td) || !isObj(td.types) || typeof td.primaryType !== 'string' || !isObj(td.message)) {
        throw new RequestError('typedData', 'must be {domain, types, primaryType, message} as viem takes it');
      }
      let digest: Hex;
      try {
        digest = hashTypedData(td as unknown as TypedDataDefinition);
      } catch (e) {
        throw new RequestError('typedData', (e as Error).message.split('\n')[0] ?? 'invalid typed data');
      }
      const domain = isObj(td.domain) ? td.domain : {};
      const dom: Record<string, string> = {};
      for (const k of ['name', 'version', 'chainId', 'verifyingContract', 'salt']) if (domain[k] !== undefined) dom[k] = String(domain[k]);
      const chainId = domain.chainId === undefined ? undefined : smallInt(domain.chainId, 'typedData.domain.chainId', 2 ** 53 - 1);
      const to = domain.verifyingContract === undefined ? undefined : address(domain.verifyingContract, 'typedData.domain.verifyingContract');
      return {
        kind: 'eip712',
        digest,
        summary: { kind: 'eip712', ...(chainId !== undefined ? { chainId } : {}), ...(to ? { to } : {}), typedData: { primaryType: td.primaryType, domain: dom } },
      };
    }
    case 'digest': {
      const d = body.digest;
      if (typeof d !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(d)) throw new RequestError('digest', 'must be 0x followed by 64 hex characters (32 bytes)');
      return { kind: 'digest', digest: d.toLowerCase() as Hex, summary: { kind: 'digest' } };
    }
  }
}

