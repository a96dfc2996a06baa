/**
 * Architecture check, run by `npm test` and CI:
 *  - protocol/ is pure: it imports no I/O or platform module (node:*, fs, net, crypto, libp2p,
 *    level, …) and reads no clock, timer or system randomness (randomness is injected);
 *    its only package imports are @noble/curves and @noble/hashes.
 *  - node/ and coordinator/ do not import each other; proto/ (the wire layer both use) imports neither.
 * Exits 1 and lists every violation.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|mts|js|mjs)$/.test(e) && !/\.d\.ts$/.test(e)) out.push(p);
  }
  return out;
}

const IMPORT_RE = /(?:import|export)\s+(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
const ALLOWED_PROTOCOL_PACKAGES = [/^@noble\/curves(\/|$)/, /^@noble\/hashes(\/|$)/];
const FORBIDDEN_PROTOCOL_CALLS: [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'reads the clock (Date.now)'],
  [/\bnew\s+Date\s*\(/, 'reads the clock (new Date)'],
  [/\bperformance\.now\s*\(/, 'reads the clock (performance.now)'],
  [/\bprocess\.hrtime\b/, 'reads the clock (process.hrtime)'],
  [/\bset(Timeout|Interval|Immediate)\s*\(/, 'uses a timer'],
  [/\bqueueMicrotask\s*\(/, 'schedules work'],
  [/\bMath\.random\s*\(/, 'reads system randomness (Math.random)'],
  [/\bgetRandomValues\s*\(/, 'reads system randomness (getRandomValues)'],
  [/\brandomBytes\s*\(/, 'reads system randomness (randomBytes)'],
  [/\brandomUUID\s*\(/, 'reads system randomness (randomUUID)'],
  [/\bglobalThis\.crypto\b|\bcrypto\.subtle\b/, 'uses the platform crypto object'],
  [/\bprocess\./, 'touches the process object'],
  [/\bfetch\s*\(/, 'performs I/O (fetch)'],
];

/** Removes comments and string contents so that documentation does not trigger the checks. */
function stripCommentsAndStrings(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|[^:])\/\/.*$/gm, '$1')
    .replace(/`(?:\\.|[^`\\])*`/g, '``')
    .replace(/'(?:\\.|[^'\\\n])*'/g, "''")
    .replace(/"(?:\\.|[^"\\\n])*"/g, '""');
}

/** Violations in one protocol/ source file; `path` is absolute. */
export function checkProtocolSource(path: string, src: string): string[] {
  const v: string[] = [];
  const rel = relative(root, path);
  const noComments = src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:])\/\/.*$/gm, '$1');
  for (const m of noComments.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (spec.startsWith('.')) {
      const target = resolve(join(path, '..'), spec);
      if (!target.startsWith(join(root, 'protocol') + '/')) v.push(`${rel}: imports ${spec} from outside protocol/`);
      continue;
    }
    if (!ALLOWED_PROTOCOL_PACKAGES.some((re) => re.test(spec))) v.push(`${rel}: imports '${spec}' (protocol/ may import only @noble/curves and @noble/hashes)`);
  }
  const code = stripCommentsAndStrings(src);
  for (const [re, what] of FORBIDDEN_PROTOCOL_CALLS) if (re.test(code)) v.push(`${rel}: ${what}`);
  return v;
}

function checkLayer(dir: string, forbidden: string): string[] {
  const v: string[] = [];
  for (const f of files(join(root, dir))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (!spec.startsWith('.')) continue;
      const target = resolve(join(f, '..'), spec);
      if (target.startsWith(join(root, forbidden) + '/')) v.push(`${relative(root, f)}: ${dir}/ imports ${forbidden}/ (${spec})`);
    }
  }
  return v;
}

export function checkAll(): string[] {
  const v: string[] = [];
  for (const f of files(join(root, 'protocol'))) v.push(...checkProtocolSource(f, readFileSync(f, 'utf8')));
  v.push(...checkLayer('node', 'coordinator'), ...checkLayer('coordinator', 'node'));
  // proto/ is the shared wire layer under both: it depends on neither.
  v.push(...checkLayer('proto', 'node'), ...checkLayer('proto', 'coordinator'));
  return v;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const v = checkAll();
  if (v.length > 0) {
    console.error(`check-boundaries: ${v.length} violation(s):\n  ${v.join('\n  ')}`);
    process.exit(1);
  }
  console.log('check-boundaries: protocol/ is pure; node/ and coordinator/ are separate; proto/ imports neither');
}
