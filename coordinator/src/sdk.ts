/**
 * TypeScript client for the coordinator's HTTP API, and a viem account backed by the cluster:
 *
 *   const client = new ClusterClient({ url, token });
 *   const account = await clusterAccount({ client, keyId });
 *   const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) });
 *   await wallet.sendTransaction({ to, value });          // waits for approvals, then broadcasts
 *   await wallet.signMessage({ message: 'hello' });
 *   await wallet.signTypedData({ domain, types, primaryType, message });
 *
 * Every signature goes through policy and approvals like any other request; the account waits
 * until the request is signed (or throws ClusterRequestError when it is rejected, fails or
 * expires).
 */
import { toAccount } from 'viem/accounts';
import type { Hex, LocalAccount, TransactionSerializable } from 'viem';

export interface RequestView {
  readonly id: string;
  readonly keyId: string;
  readonly kind: string;
  readonly status: 'pending_approval' | 'signing' | 'signed' | 'rejected' | 'failed' | 'expired';
  readonly digest: Hex;
  readonly summary: unknown;
  readonly approvalStatement?: string;
  readonly rejection?: { rule: string | null; reason: string };
  readonly error?: { code: string; message: string };
  readonly signature?: { r: Hex; s: Hex; v: number; yParity: 0 | 1 };
  readonly signedTransaction?: Hex;
  readonly transactionHash?: Hex;
  readonly [k: string]: unknown;
}

export class ClusterApiError extends Error {
  override readonly name = 'ClusterApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A request that ended without a signature. */
export class ClusterRequestError extends Error {
  override readonly name = 'ClusterRequestError';
  constructor(readonly request: RequestView) {
    super(`sign request ${request.id} ${request.status}: ${request.rejection?.reason ?? request.error?.message ?? ''}`);
  }
}

const bigintsAsStrings = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

export class ClusterClient {
  private readonly url: string;
  constructor(private readonly o: { url: string; token: string; fetch?: typeof fetch }) {
    this.url = o.url.replace(/\/$/, '');
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await (this.o.fetch ?? fetch)(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.o.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body, bigintsAsStrings) } : {}),
    });
    const text = await r.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (r.status >= 400) {
      const e = json.error as { code?: string; message?: string } | undefined;
      throw new ClusterApiError(r.status, e?.code ?? 'ERR_HTTP', e?.message ?? `HTTP ${r.status}`);
    }
    return json as T;
  }

  health() {
    return this.call<{ status: string; nodes: unknown[] }>('GET', '/health');
  }
  createKey(name: string) {
    return this.call<{ id: string; address: Hex; publicKey: string }>('POST', '/v1/keys', { name });
  }
  getKey(id: string) {
    return this.call<{ id: string; address: Hex; publicKey: string }>('GET', `/v1/keys/${id}`);
  }
  /** Submits a request body (`{keyId, kind, …}`); returns its view (maybe still pending). */
  submit(body: Record<string, unknown>) {
    return this.call<RequestView>('POST', '/v1/sign-requests', body);
  }
  get(id: string) {
    return this.call<RequestView>('GET', `/v1/sign-requests/${id}`);
  }
  approve(id: string, approver: string, signature: string) {
    return this.call<RequestView>('POST', `/v1/sign-requests/${id}/approvals`, { approver, signature });
  }

  /** Polls until the request leaves pending_approval/signing; throws unless it was signed. */
  async waitSigned(id: string, o: { timeoutMs?: number; intervalMs?: number } = {}): Promise<RequestView> {
    const end = Date.now() + (o.timeoutMs ?? 24 * 3600_000);
    for (;;) {
      const r = await this.get(id);
      if (r.status === 'signed') return r;
      if (r.status !== 'pending_approval' && r.status !== 'signing') throw new ClusterRequestError(r);
      if (Date.now() > end) throw new ClusterApiError(408, 'ERR_TIMEOUT', `request ${id} still ${r.status}`);
      await new Promise((res) => setTimeout(res, o.intervalMs ?? 1000));
    }
  }
}

export interface ClusterAccountOptions {
  readonly client: ClusterClient;
  readonly keyId: string;
  /** Called when a request waits for approvals (e.g. to notify approvers). */
  readonly onPending?: (r: RequestView) => void | Promise<void>;
  readonly pollIntervalMs?: number;
  readonly timeoutMs?: number;
}

const sig65 = (s: NonNullable<RequestView['signature']>): Hex => `${s.r}${s.s.slice(2)}${(27 + s.yParity).toString(16)}` as Hex;

/** A viem LocalAccount whose signatures come from the cluster (through policy and approvals). */
export async function clusterAccount(o: ClusterAccountOptions): Promise<LocalAccount> {
  const key = await o.client.getKey(o.keyId);
  const run = async (body: Record<string, unknown>) => {
    let r = await o.client.submit({ keyId: o.keyId, ...body });
    if (r.status === 'pending_approval') await o.onPending?.(r);
    if (r.status !== 'signed') r = await o.client.waitSigned(r.id, { ...(o.pollIntervalMs ? { intervalMs: o.pollIntervalMs } : {}), ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) });
    return r;
  };
  return toAccount({
    address: key.address,
    async signMessage({ message }) {
      const m = typeof message === 'string' ? message : { raw: typeof message.raw === 'string' ? message.raw : `0x${Buffer.from(message.raw).toString('hex')}` };
      return sig65((await run({ kind: 'eip191', message: m })).signature!);
    },
    async signTypedData(typedData) {
      return sig65((await run({ kind: 'eip712', typedData: JSON.parse(JSON.stringify(typedData, bigintsAsStrings)) })).signature!);
    },
    async signTransaction(tx: TransactionSerializable) {
      const type = tx.type ?? (tx.maxFeePerGas !== undefined ? 'eip1559' : tx.accessList ? 'eip2930' : 'legacy');
      if (type !== 'eip1559' && type !== 'eip2930' && type !== 'legacy') throw new Error(`transaction type ${type} is not supported by the cluster`);
      const t: Record<string, unknown> = { chainId: tx.chainId, nonce: tx.nonce, to: tx.to, value: tx.value ?? 0n, gas: tx.gas, data: tx.data };
      if (type === 'eip1559') Object.assign(t, { maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas, ...(tx.accessList?.length ? { accessList: tx.accessList } : {}) });
      else Object.assign(t, { gasPrice: tx.gasPrice, ...(type === 'eip2930' ? { accessList: tx.accessList ?? [] } : {}) });
      for (const k of Object.keys(t)) if (t[k] === undefined) delete t[k];
      return (await run({ kind: type, transaction: t })).signedTransaction!;
    },
  });
}
