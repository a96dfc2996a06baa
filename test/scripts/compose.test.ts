/**
 * docker-compose.yml is checked offline with the docker-compose v1 tool (no Docker engine needed):
 * `docker-compose -f docker-compose.yml config -q` validates it against the compose schema, and
 * `docker-compose config` prints the normalised file, which is parsed here for structural checks.
 *
 * docker-compose must be installed (.ci/run installs it with apt-get). When it is missing these
 * tests FAIL, on purpose: a skipped validation would look like a passing one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const composeFile = join(root, 'docker-compose.yml');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function compose(file: string, ...args: string[]): Run {
  const r = spawnSync('docker-compose', ['-f', file, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    // Keep the caller's environment out of the result: no COMPOSE_FILE/PROJECT overrides.
    env: { ...process.env, COMPOSE_FILE: undefined, COMPOSE_PROJECT_NAME: undefined, COMPOSE_PROFILES: undefined },
  });
  if (r.error) {
    const e = r.error as NodeJS.ErrnoException;
    throw new Error(
      e.code === 'ENOENT'
        ? 'docker-compose is not installed; install it with ' +
            '`apt-get update && apt-get install -y --no-install-recommends docker-compose` (.ci/run does this)'
        : `docker-compose could not be run: ${e.message}`,
    );
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function describeRun(r: Run): string {
  return `exit ${r.status}\nstderr:\n${r.stderr}\nstdout:\n${r.stdout}`;
}

// ---------------------------------------------------------------------------------------------
// A strict reader for the block-style YAML that `docker-compose config` (PyYAML safe_dump) prints.
// It understands block mappings, block sequences (including PyYAML's indentless ones under a
// key), plain and quoted scalars, null and empty {} / []; anything else throws, so an unexpected
// output shape fails the test instead of being misread.

type Yaml = string | null | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  no: number;
}

function parseScalar(raw: string, no: number): Yaml {
  const s = raw.trim();
  if (s === '' || s === 'null' || s === '~') return null;
  if (s === '{}') return {};
  if (s === '[]') return [];
  if (s.startsWith("'")) {
    if (!s.endsWith("'") || s.length < 2) throw new Error(`line ${no}: unterminated quoted scalar: ${s}`);
    return s.slice(1, -1).replaceAll("''", "'");
  }
  if (s.startsWith('"')) {
    try {
      return JSON.parse(s) as string;
    } catch {
      throw new Error(`line ${no}: unsupported double-quoted scalar: ${s}`);
    }
  }
  if (/^[[{&*!|>]/.test(s)) throw new Error(`line ${no}: unsupported YAML construct: ${s}`);
  return s;
}

/** Splits "key: value" / "key:" at the first ": " outside quotes; null if it is not a mapping entry. */
function splitKey(text: string): [string, string] | null {
  let i = 0;
  let key: string;
  if (text.startsWith("'") || text.startsWith('"')) {
    const q = text[0]!;
    i = 1;
    while (i < text.length && !(text[i] === q && text[i + 1] !== q)) i += text[i] === q ? 2 : 1;
    key = parseScalar(text.slice(0, i + 1), 0) as string;
    i += 1;
  } else {
    const m = /^([^\s'"#][^:]*?):(?: |$)/.exec(text);
    if (!m) return null;
    key = m[1]!;
    i = m[1]!.length;
  }
  if (text[i] !== ':' || (i + 1 < text.length && text[i + 1] !== ' ')) return null;
  return [key, text.slice(i + 1)];
}

function parseComposeYaml(src: string): Yaml {
  const lines: Line[] = [];
  src.split('\n').forEach((l, idx) => {
    if (l.trim() === '' || l.trimStart().startsWith('#')) return;
    lines.push({ indent: l.length - l.trimStart().length, text: l.trim(), no: idx + 1 });
  });
  let pos = 0;

  function block(indent: number): Yaml {
    const first = lines[pos];
    if (!first || first.indent !== indent) throw new Error(`line ${first?.no ?? 'EOF'}: bad indentation`);
    return first.text === '-' || first.text.startsWith('- ') ? sequence(indent) : mapping(indent, null);
  }

  function valueAfterKey(keyIndent: number, rest: string, no: number): Yaml {
    if (rest.trim() !== '') return parseScalar(rest, no);
    const next = lines[pos];
    if (!next) return null;
    if (next.indent > keyIndent) return block(next.indent);
    // PyYAML writes a sequence under a key at the key's own indentation.
    if (next.indent === keyIndent && (next.text === '-' || next.text.startsWith('- '))) return sequence(keyIndent);
    return null;
  }

  function mapping(indent: number, firstEntry: string | null): { [key: string]: Yaml } {
    const out: { [key: string]: Yaml } = {};
    let pending = firstEntry;
    for (;;) {
      let text: string;
      let no: number;
      if (pending !== null) {
        text = pending;
        no = lines[pos - 1]!.no;
        pending = null;
      } else {
        const l = lines[pos];
        if (!l || l.indent < indent) break;
        if (l.indent > indent) throw new Error(`line ${l.no}: unexpected indentation`);
        if (l.text === '-' || l.text.startsWith('- ')) break; // an indentless sequence item of the parent
        text = l.text;
        no = l.no;
        pos += 1;
      }
      const kv = splitKey(text);
      if (!kv) throw new Error(`line ${no}: expected "key: value", got: ${text}`);
      if (kv[0] in out) throw new Error(`line ${no}: duplicate key ${kv[0]}`);
      out[kv[0]] = valueAfterKey(indent, kv[1], no);
    }
    return out;
  }

  function sequence(indent: number): Yaml[] {
    const out: Yaml[] = [];
    for (;;) {
      const l = lines[pos];
      if (!l || l.indent !== indent || !(l.text === '-' || l.text.startsWith('- '))) break;
      pos += 1;
      const rest = l.text === '-' ? '' : l.text.slice(2);
      if (rest.trim() === '') {
        const next = lines[pos];
        out.push(next && next.indent > indent ? block(next.indent) : null);
      } else if (splitKey(rest) && !rest.startsWith("'") && !rest.startsWith('"')) {
        // "- key: value" starts a mapping whose entries continue at indent + 2.
        out.push(mapping(indent + 2, rest));
      } else {
        out.push(parseScalar(rest, l.no));
      }
    }
    return out;
  }

  const doc = block(0);
  if (pos !== lines.length) throw new Error(`line ${lines[pos]!.no}: unparsed content: ${lines[pos]!.text}`);
  return doc;
}

function asMap(v: Yaml | undefined, what: string): { [key: string]: Yaml } {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) {
    throw new Error(`${what} is not a mapping: ${JSON.stringify(v)}`);
  }
  return v;
}

function asList(v: Yaml | undefined): Yaml[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error(`expected a list, got ${JSON.stringify(v)}`);
  return v;
}

/** Volume entry (short "source:target[:mode]" or long {type, source, target}) -> source/target. */
function volumeMount(v: Yaml): { source: string | null; target: string } {
  if (typeof v === 'string') {
    const parts = v.split(':');
    if (parts.length === 1) return { source: null, target: parts[0]! };
    return { source: parts[0]!, target: parts[1]! };
  }
  const m = asMap(v, 'volume entry');
  return { source: typeof m.source === 'string' ? m.source : null, target: String(m.target) };
}

/** Port entry (short "[ip:][host:]container[/proto]" or long {host_ip, published, target}). */
function portBinding(p: Yaml): { hostIp: string | null; published: string | null; target: string } {
  if (typeof p === 'string') {
    const spec = p.replace(/\/(tcp|udp|sctp)$/, '');
    const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(spec);
    const parts = ipv6 ? [ipv6[1]!, ...ipv6[2]!.split(':')] : spec.split(':');
    if (parts.length === 1) return { hostIp: null, published: null, target: parts[0]! };
    if (parts.length === 2) return { hostIp: null, published: parts[0]!, target: parts[1]! };
    if (parts.length === 3) return { hostIp: parts[0]! || null, published: parts[1]! || null, target: parts[2]! };
    throw new Error(`unrecognised port entry: ${p}`);
  }
  const m = asMap(p, 'port entry');
  return {
    hostIp: typeof m.host_ip === 'string' ? m.host_ip : null,
    published: m.published === null || m.published === undefined ? null : String(m.published),
    target: String(m.target),
  };
}

// ---------------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  let tmp: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'compose-test-'));
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('validates with `docker-compose config -q`', () => {
    const r = compose(composeFile, 'config', '-q');
    expect(r.status, describeRun(r)).toBe(0);
  });

  it('negative control: the validator rejects a copy with a misspelled key (and accepts an intact copy)', () => {
    const text = readFileSync(composeFile, 'utf8');
    // An intact copy in the same temp dir must still validate, so the failure below is due to the key.
    const intact = join(tmp, 'intact.yml');
    writeFileSync(intact, text);
    const ok = compose(intact, 'config', '-q');
    expect(ok.status, describeRun(ok)).toBe(0);

    const brokenText = text.replace(/^(\s+)stop_grace_period:/m, '$1stop_grace_periodd:');
    expect(brokenText, 'docker-compose.yml has no stop_grace_period key to break').not.toBe(text);
    const broken = join(tmp, 'broken.yml');
    writeFileSync(broken, brokenText);
    const r = compose(broken, 'config', '-q');
    expect(r.status, describeRun(r)).not.toBe(0);
    expect(r.stderr).toContain('stop_grace_periodd');
  });

  it('has the expected services, one data volume per process, and publishes ports only on 127.0.0.1', () => {
    const r = compose(composeFile, 'config');
    expect(r.status, describeRun(r)).toBe(0);
    const doc = asMap(parseComposeYaml(r.stdout), 'normalised compose file');
    const services = asMap(doc.services, 'services');

    // The parser agrees with docker-compose's own listing.
    const listed = compose(composeFile, 'config', '--services');
    expect(listed.status, describeRun(listed)).toBe(0);
    const listedNames = listed.stdout.split('\n').filter(Boolean).sort();
    expect(Object.keys(services).sort()).toEqual(listedNames);

    expect(Object.keys(services).sort()).toEqual(['coordinator', 'init', 'node1', 'node2', 'node3']);

    const namedVolumes = Object.keys(asMap(doc.volumes, 'volumes'));
    const mounts = new Map<string, { source: string | null; target: string }[]>();
    for (const [name, svc] of Object.entries(services)) {
      mounts.set(name, asList(asMap(svc, name).volumes).map(volumeMount));
    }

    // Everyone shares the cluster volume at /cluster (configs, identities).
    for (const name of Object.keys(services)) {
      expect(mounts.get(name), `${name} mounts the cluster volume at /cluster`).toContainEqual({
        source: 'cluster',
        target: '/cluster',
      });
    }

    // Each long-running process has its own named volume on its data directory, used by nobody else.
    const dataVolumes = new Set<string>();
    for (const name of ['node1', 'node2', 'node3', 'coordinator']) {
      const data = mounts.get(name)!.filter((m) => m.target === `/cluster/${name}/data`);
      expect(data, `${name} has exactly one mount on /cluster/${name}/data`).toHaveLength(1);
      const source = data[0]!.source;
      expect(source, `${name}'s data mount is a named volume`).not.toBeNull();
      expect(namedVolumes, `${name}'s data volume ${source} is declared`).toContain(source);
      expect(dataVolumes.has(source!), `${name}'s data volume ${source} is not shared`).toBe(false);
      dataVolumes.add(source!);
    }
    for (const [name, list] of mounts) {
      for (const m of list) {
        if (m.source === null || !dataVolumes.has(m.source)) continue;
        expect(m.target, `${name} mounts data volume ${m.source}`).toBe(`/cluster/${name}/data`);
      }
    }

    // Long-running services wait for init to complete and restart unless stopped.
    for (const name of ['node1', 'node2', 'node3', 'coordinator']) {
      const svc = asMap(services[name], name);
      const dep = asMap(asMap(svc.depends_on, `${name}.depends_on`).init, `${name}.depends_on.init`);
      expect(dep.condition, `${name} waits for init`).toBe('service_completed_successfully');
      expect(svc.restart, `${name}.restart`).toBe('unless-stopped');
      expect(svc.stop_grace_period, `${name}.stop_grace_period`).toBeTruthy();
    }

    // No port reaches the host on anything but 127.0.0.1, and no service shares the host network.
    const published: string[] = [];
    for (const [name, svc] of Object.entries(services)) {
      const s = asMap(svc, name);
      expect(s.network_mode, `${name} must not use the host network`).not.toBe('host');
      for (const p of asList(s.ports)) {
        const b = portBinding(p);
        expect(b.hostIp, `${name} publishes ${JSON.stringify(p)} beyond 127.0.0.1`).toBe('127.0.0.1');
        published.push(`${name} ${b.hostIp}:${b.published}->${b.target}`);
      }
    }
    expect(published).toEqual(['coordinator 127.0.0.1:7700->7700']);
  });

  it('the normalised-output reader handles the shapes it claims to, and rejects others', () => {
    const doc = parseComposeYaml(
      [
        'services:',
        '  a:',
        '    cap_drop:',
        '    - ALL',
        '    ports:',
        '    - published: 80',
        '      host_ip: 0.0.0.0',
        '      target: 8080',
        "    command: 'it''s'",
        '    environment: {}',
        '    networks:',
        '      x: null',
        "version: '3.9'",
      ].join('\n'),
    );
    expect(doc).toEqual({
      services: {
        a: {
          cap_drop: ['ALL'],
          ports: [{ published: '80', host_ip: '0.0.0.0', target: '8080' }],
          command: "it's",
          environment: {},
          networks: { x: null },
        },
      },
      version: '3.9',
    });
    expect(portBinding('7700')).toEqual({ hostIp: null, published: null, target: '7700' });
    expect(portBinding('7700:7700/tcp')).toEqual({ hostIp: null, published: '7700', target: '7700' });
    expect(portBinding('0.0.0.0:7700:7700')).toEqual({ hostIp: '0.0.0.0', published: '7700', target: '7700' });
    expect(() => parseComposeYaml('a:\n  b: |\n    text\n')).toThrow();
    expect(() => parseComposeYaml('a: 1\n    b: 2\n')).toThrow();
  });
});
