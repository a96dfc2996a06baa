/**
 * End to end against an in-process EVM (Hardhat 2, chain 31337): the cluster's address is
 * funded, an EIP-1559 transfer is requested through the coordinator under the example
 * policy, approved by a treasury approver, signed by two nodes, broadcast with
 * eth_sendRawTransaction; the receipt succeeds, it comes from the key's address, and balances
 * move by exactly the value plus the fee.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { createPublicClient, createWalletClient, custom, defineChain, parseEther, recoverMessageAddress, recoverTypedDataAddress, type Hex } from 'viem';
import { ClusterClient, clusterAccount } from '../../coordinator/src/sdk.js';
import { startTestCluster, type TestCluster } from './harness.js';
import { signAdminChange, signStatement } from '../../proto/governance.js';
import { EXAMPLE_POLICY } from '../fixtures/policies.js';

const DEAD = '0x000000000000000000000000000000000000dEaD';
const EXAMPLE = EXAMPLE_POLICY;

let c: TestCluster;
let provider: { request(a: { method: string; params?: unknown[] }): Promise<unknown> };
beforeAll(async () => {
  process.env.HARDHAT_NETWORK = 'hardhat';
  const hre = ((await import('hardhat')) as unknown as { default: { network: { provider: typeof provider } } }).default;
  provider = hre.network.provider;
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.close();
});

test('an approved EIP-1559 transfer signed by the cluster is accepted by the EVM', async () => {
  const client = createPublicClient({ transport: custom(provider) });
  const key = await c.coordinator.createKey('evm');
  await c.setPolicy(key.id, EXAMPLE);
  const alice = generateKeyPairSync('ed25519');
  const alicePem = alice.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const pub = Buffer.from(String(alice.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
  await c.coordinator.setApprover('alice', pub, ['treasury'], [signAdminChange({ type: 'approver', name: 'alice', publicKey: pub, roles: ['treasury'], seq: 1 }, c.adminKeyPem, 'admin')], 1);

  const from = key.address as Hex;
  await provider.request({ method: 'hardhat_setBalance', params: [from, '0x' + parseEther('10').toString(16)] });
  const block = await client.getBlock();
  const maxFeePerGas = (block.baseFeePerGas ?? 1_000_000_000n) * 2n + 1_000_000_000n;
  const value = parseEther('1');
  const { record: pending } = await c.coordinator.submit(
    {
      keyId: key.id,
      kind: 'eip1559',
      transaction: { chainId: 31337, nonce: await client.getTransactionCount({ address: from }), to: DEAD, value: value.toString(), gas: '21000', maxFeePerGas: maxFeePerGas.toString(), maxPriorityFeePerGas: '1000000000' },
    },
    { initiator: 'admin' },
  );
  expect(pending.status).toBe('pending_approval');
  const signed = await c.coordinator.approve(pending.id, 'alice', signStatement(pending.approvalStatement!, alicePem, 'alice').signature);
  expect(signed.status, JSON.stringify(signed.attempts)).toBe('signed');

  const before = { from: await client.getBalance({ address: from }), to: await client.getBalance({ address: DEAD }) };
  const hash = (await provider.request({ method: 'eth_sendRawTransaction', params: [signed.signedTransaction] })) as Hex;
  expect(hash).toBe(signed.transactionHash);
  const receipt = await client.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe('success');
  expect(receipt.from.toLowerCase()).toBe(from.toLowerCase());
  const after = { from: await client.getBalance({ address: from }), to: await client.getBalance({ address: DEAD }) };
  expect(after.to - before.to).toBe(value);
  expect(before.from - after.from).toBe(value + receipt.gasUsed * receipt.effectiveGasPrice);
});

test('the viem account adapter: walletClient.sendTransaction, signMessage and signTypedData go through the cluster and wait for approval', async () => {
  const chain = defineChain({ id: 31337, name: 'hardhat', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: ['http://127.0.0.1:8545'] } } });
  const key = await c.coordinator.createKey('adapter');
  await c.setPolicy(key.id, EXAMPLE.replace('  - name: everything-else', '  - name: messages\n    match: { kind: [eip191, eip712] }\n    action: allow\n  - name: everything-else'));
  const alice = generateKeyPairSync('ed25519');
  const alicePem = alice.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const pub = Buffer.from(String(alice.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
  const seq = ((await c.coordinator.listApprovers()).find((a) => a.name === 'alice')?.seq ?? 0) + 1;
  await c.coordinator.setApprover('alice', pub, ['treasury'], [signAdminChange({ type: 'approver', name: 'alice', publicKey: pub, roles: ['treasury'], seq }, c.adminKeyPem, 'admin')], seq);
  await c.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(c.app.server.address() as { port: number }).port}`;
  const client = new ClusterClient({ url, token: c.token });
  let approvals = 0;
  const account = await clusterAccount({
    client,
    keyId: key.id,
    pollIntervalMs: 50,
    // an approver elsewhere receives the request and approves it (here: right away)
    onPending: async (r) => {
      approvals++;
      await client.approve(r.id, 'alice', signStatement(r.approvalStatement!, alicePem, 'alice').signature);
    },
  });
  expect(account.address).toBe(key.address);
  await provider.request({ method: 'hardhat_setBalance', params: [key.address, '0x' + parseEther('5').toString(16)] });
  const wallet = createWalletClient({ account, chain, transport: custom(provider) });
  const hash = await wallet.sendTransaction({ to: DEAD, value: parseEther('0.5') });
  const receipt = await createPublicClient({ chain, transport: custom(provider) }).waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe('success');
  expect(receipt.from.toLowerCase()).toBe(key.address.toLowerCase());
  expect(approvals).toBe(1);
  const sig = await wallet.signMessage({ message: 'adapter says hi' });
  expect(await recoverMessageAddress({ message: 'adapter says hi', signature: sig })).toBe(key.address);
  const typed = { domain: { name: 'T', version: '1', chainId: 31337 }, types: { M: [{ name: 'n', type: 'uint256' }] }, primaryType: 'M', message: { n: 7n } } as const;
  const tsig = await wallet.signTypedData(typed);
  expect(await recoverTypedDataAddress({ ...typed, signature: tsig })).toBe(key.address);
  // a transfer the policy denies: the account throws instead of returning a signature
  await expect(wallet.sendTransaction({ to: DEAD, value: parseEther('2') })).rejects.toThrow(/rejected/);
});

test('simulation: with an RPC URL in the policy, a reverting transaction is rejected before approvals; a good one shows its gas estimate', async () => {
  const { createServer } = await import('node:http');
  // the in-process EVM behind a plain JSON-RPC HTTP endpoint, as a node's RPC would be
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', async () => {
      const m = JSON.parse(body) as { id: number; method: string; params?: unknown[] };
      try {
        const result = await provider.request({ method: m.method, params: m.params ?? [] });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }));
      } catch (e) {
        const err = e as { code?: number; message?: string; data?: unknown };
        res.end(JSON.stringify({ jsonrpc: '2.0', id: m.id, error: { code: err.code ?? -32000, message: err.message ?? 'error', data: err.data } }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const rpcUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    // a contract whose code is PUSH1 0 PUSH1 0 REVERT
    const [deployer] = (await provider.request({ method: 'eth_accounts' })) as Hex[];
    const hash = (await provider.request({ method: 'eth_sendTransaction', params: [{ from: deployer, data: '0x6005600c60003960056000f360006000fd' }] })) as Hex;
    const client = createPublicClient({ transport: custom(provider) });
    const reverter = (await client.waitForTransactionReceipt({ hash })).contractAddress!;
    const key = await c.coordinator.createKey('simulated');
    await c.setPolicy(key.id, `version: 1\nsimulate: { rpcUrl: "${rpcUrl}", denyOnRevert: true }\nrules:\n  - name: local-chain\n    match: { kind: [eip1559], chainId: [31337] }\n    action: allow\n`);
    await provider.request({ method: 'hardhat_setBalance', params: [key.address, '0x' + parseEther('1').toString(16)] });
    const tx = (to: string) => ({ keyId: key.id, kind: 'eip1559', transaction: { chainId: 31337, nonce: 0, to, value: '0', gas: '100000', maxFeePerGas: '3000000000', maxPriorityFeePerGas: '1' } });
    const bad = (await c.coordinator.submit(tx(reverter), { initiator: 'admin' })).record;
    expect([bad.status, bad.rejection?.rule, bad.simulation?.ok]).toEqual(['rejected', 'simulate.denyOnRevert', false]);
    const good = (await c.coordinator.submit(tx(DEAD), { initiator: 'admin' })).record;
    expect([good.status, good.simulation?.ok], JSON.stringify(good.simulation)).toEqual(['signed', true]);
    expect(Number(good.simulation!.gasEstimate)).toBeGreaterThanOrEqual(21000);
  } finally {
    server.close();
  }
});
