/**
 * `npm start [-- --dir DIR --port PORT]`: a local 2-of-3 cluster on 127.0.0.1.
 * Creates identities, configs, passphrases and the admin token on first run (scripts/
 * cluster-init.ts) and reuses them afterwards; starts 3 node processes and the coordinator as
 * separate OS processes; prints the coordinator URL, the token file and each node's peer id;
 * shows DKG progress; stops everything on Ctrl-C or SIGTERM (children get SIGTERM, close their
 * databases and exit; anything still alive after STOP_GRACE_MS is killed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initCluster, DEFAULT_PORT, NODES } from './cluster-init.js';

const STOP_GRACE_MS = 10_000;
const READY_TIMEOUT_MS = 60_000;
const root = resolve(import.meta.dirname, '..');

let values: { dir?: string; port?: string; help?: boolean };
try {
  ({ values } = parseArgs({ options: { dir: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean' } }, strict: true }));
} catch (e) {
  console.error(`error: ${(e as Error).message}\nusage: npm start -- [--dir DIR] [--port PORT]`);
  process.exit(2);
}
if (values.help) {
  console.log(`usage: npm start -- [--dir DIR (default ./.cluster)] [--port PORT (default ${DEFAULT_PORT})]`);
  process.exit(0);
}
const dir = resolve(values.dir ?? '.cluster');
const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535 - NODES - 1) {
  console.error(`error: --port must be an integer 1..${65535 - NODES - 1}`);
  process.exit(2);
}

const info = await initCluster({ dir, port });
console.log(`${info.created ? 'Created' : 'Using'} cluster in ${dir}`);

interface Child {
  name: string;
  proc: ChildProcess;
  exited: Promise<number | null>;
}
const children: Child[] = [];
let stopping = false;
const ready = new Map<string, () => void>();
const dkg = new Map<string, { rounds: Map<number, number>; shown: number }>();

function show(name: string, line: string): void {
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(line) as Record<string, unknown>;
  } catch {
    console.log(`[${name}] ${line}`);
    return;
  }
  const ev = e.event as string | undefined;
  if (ev === 'node_started' || ev === 'coordinator_started') ready.get(name)?.();
  if (ev === 'dkg_started' && name === 'coordinator') {
    dkg.set(String(e.sessionId), { rounds: new Map(), shown: 0 });
    console.log(`DKG started for key "${String(e.name)}" (${String(e.n)} nodes, threshold ${String(e.t)})`);
  } else if (ev === 'dkg_progress' && name === 'coordinator') {
    const d = dkg.get(String(e.sessionId));
    if (d) {
      d.rounds.set(Number(e.node), Number(e.round));
      const min = d.rounds.size === NODES ? Math.min(...d.rounds.values()) : 0;
      if (min > d.shown) {
        d.shown = min;
        console.log(`DKG round ${min}/${String(e.rounds)} done on every node`);
      }
    }
  } else if (ev === 'dkg_done' && name === 'coordinator') {
    console.log(`DKG done: key ${String(e.keyId)} address ${String(e.address)}`);
  } else if (ev === 'signed') {
    console.log(`signed request ${String(e.requestId)} with nodes ${(e.nodes as number[]).join(' and ')}`);
  } else if (typeof e.level === 'number' && e.level >= 40) {
    console.log(`[${name}] ${e.level >= 50 ? 'error' : 'warning'}: ${String(e.msg)}${e.code ? ` (${String(e.code)})` : ''}`);
  }
}

function launch(name: string, script: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TECDSA_PARENT_PID: String(process.pid) } });
  createInterface({ input: proc.stdout! }).on('line', (l) => show(name, l));
  createInterface({ input: proc.stderr! }).on('line', (l) => console.error(`[${name}] ${l}`));
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  const c = { name, proc, exited };
  void exited.then((code) => {
    if (!stopping) {
      console.error(`${name} exited unexpectedly (code ${code}); stopping the cluster`);
      void stop(1);
    }
  });
  children.push(c);
  return c;
}

let stopped: Promise<never> | undefined;
/** Stops every child (SIGTERM, then SIGKILL after STOP_GRACE_MS) and exits; later calls wait for the first. */
function stop(code: number): Promise<never> {
  stopped ??= (async () => {
    stopping = true;
    console.log('Stopping the cluster…');
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    }, STOP_GRACE_MS);
    await Promise.all(children.map((c) => c.exited));
    clearTimeout(timer);
    console.log('All processes stopped.');
    process.exit(code);
  })();
  return stopped;
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// If whoever started us goes away without a signal reaching us, do not leave processes behind.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop(0);
}, 500).unref();

const waitReady = (name: string) =>
  new Promise<void>((res, rej) => {
    ready.set(name, res);
    setTimeout(() => rej(new Error(`${name} did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS).unref();
  });

try {
  const waits: Promise<void>[] = [];
  for (const n of info.cluster.nodes) {
    waits.push(waitReady(n.name));
    launch(n.name, 'node/src/cli.ts', ['start', '--dir', join(dir, n.name)]);
  }
  waits.push(waitReady('coordinator'));
  launch('coordinator', 'coordinator/src/cli.ts', ['start', '--dir', join(dir, 'coordinator'), '--port', String(port)]);
  await Promise.all(waits);
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
  await stop(1);
}

const url = `http://127.0.0.1:${port}`;
console.log(`
Cluster is up (2-of-${NODES}).
  coordinator  ${url}   (libp2p ${info.cluster.coordinator.peerId})
${info.cluster.nodes.map((n) => `  ${n.name.padEnd(11)}  ${n.peerId}  ${n.addrs.join(' ')}`).join('\n')}
  admin token  ${info.tokenFile}
  pids         ${[process.pid, ...children.map((c) => c.proc.pid)].join(' ')}

Try (in another terminal):
  npm run tecdsa -- keys create treasury                      # DKG across the 3 nodes
  npm run tecdsa -- policy set <keyId> policy.yaml            # a new key denies everything until then
  npm run tecdsa -- sign request.json                         # {"keyId":…,"kind":"eip1559","transaction":{…}}
  TOKEN=$(cat ${info.tokenFile}); curl -s -H "authorization: Bearer $TOKEN" ${url}/v1/keys
Press Ctrl-C to stop.`);
