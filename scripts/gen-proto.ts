/**
 * `npm run gen:proto`: regenerates proto/gen/wire.{js,d.ts} from proto/*.proto with protobufjs-cli
 * (static ESM module). The output is committed so that `npm ci` needs no code generation;
 * test/proto/wire.test.ts fails if the committed output is stale.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');
export const PROTO_FILES = ['envelope.proto', 'dkg.proto', 'sign.proto', 'control.proto'];

/** Runs pbjs into `outFile` (a .js path; the .d.ts is written beside it). */
export function generate(outFile: string): void {
  const pbjs = join(root, 'node_modules', '.bin', 'pbjs');
  execFileSync(
    pbjs,
    ['-t', 'static-module', '-w', 'esm', '--no-create', '--no-verify', '--no-convert', '--no-typeurl', '-p', join(root, 'proto'), '-o', outFile, '-d', ...PROTO_FILES.map((f) => join(root, 'proto', f))],
    { stdio: 'inherit', cwd: root },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  generate(join(root, 'proto', 'gen', 'wire.js'));
  console.log('wrote proto/gen/wire.js and proto/gen/wire.d.ts');
}
