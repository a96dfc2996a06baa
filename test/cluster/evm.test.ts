/**
 * End to end against an in-process EVM (Hardhat 2, chain 31337): the cluster's address is
 * funded, an EIP-1559 transfer is requested through the coordinator under the example
 * policy, approved by a treasury approver, signed by two nodes, broadcast with
 * eth_sendRawTransaction; the receipt succeeds, it comes from the key's address, and balances
 * move by exactly the value plus the fee.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { createPublicClient, custom, parseEther, type Hex } from 'viem';
import { startTestCluster, type TestCluster } from './harness.js';
import { signAdminChange, signStatement } from '../../proto/governance.js';

const DEAD = '0x000000000000000000000000000000000000dEaD';
const EXAMPLE = `version: 1
rules:
  - name: small-transfers
    match: { kind: [eip1559, legacy], chainId: [31337], to: ["0x000000000000000000000000000000000000dEaD"], maxValue: "1 ether" }
    action: { require_approvals: { treasury: 1 } }
  - name: everything-else
    action: deny
`;

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
