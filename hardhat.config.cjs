// In-process EVM for the end-to-end test (test/cluster/evm.test.ts): Hardhat 2's default
// network, chain id 31337. No contracts are compiled.
module.exports = { solidity: '0.8.24', networks: { hardhat: { chainId: 31337 } } };
