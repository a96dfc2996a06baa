#!/usr/bin/env -S node --import tsx
/**
 * `npm run tecdsa -- <command>`: the operator and approver command line (talks to the
 * coordinator's HTTP API; signs admin changes and approvals locally with Ed25519 key files).
 *
 *   policy validate FILE                     check a policy file (line-numbered errors)
 *   policy test FILE REQUEST.json            the decision for a request body, and why
 *   policy set KEY_ID FILE                   install a policy (signed with the admin key)
 *   policy get KEY_ID
 *   approver add NAME PUBLIC_KEY_HEX ROLE[,ROLE…]   register an approver (admin-signed)
 *   approver keygen FILE                     write a new Ed25519 key (PEM, 0600); prints the public key
 *   admins get                               the admin set and quorum admin changes are checked against
 *   admins set FILE.json                     replace it ({"admins": [{name, publicKey}], "quorum": n}),
 *                                            signed with --admin-key as --admin-name (default "admin")
 *   keys create NAME | keys list
 *   sign REQUEST.json                        submit a signing request (JSON body incl. keyId)
 *   approve REQUEST_ID --as NAME --key FILE  sign the request's approval statement and post it
 *   reject REQUEST_ID --as NAME --key FILE   sign the reject statement: the request is rejected
 *   cancel REQUEST_ID --as NAME --key FILE   sign the cancel statement of a delayed request
 *   wait REQUEST_ID                          poll until signed / rejected / failed / expired
 *   status REQUEST_ID
 *   principal add NAME ROLE[,ROLE…] [KEY_ID,…] | principal list | principal rm NAME
 *   freeze [KEY_ID] [--reason TEXT] | unfreeze [KEY_ID]   (no KEY_ID: the whole cluster)
 *   evidence REQUEST_ID [--out FILE]         the request's evidence bundle (JSON)
 *   audit export [--out FILE] [--page-size N] the coordinator's audit log as JSONL (fetched page by page)
 *   audit verify FILE.jsonl | --db DIR       check a log offline (DIR: a stopped coordinator's data dir)
 *   audit verify-evidence FILE               check an evidence bundle offline
 *   (audit verification trusts the coordinator key in DIR/cluster.json, or --coordinator-key HEX)
 *   (policy test also takes --now ISO-TIME; it ignores signed history, so limits are not applied)
 * Options: --dir DIR (default ./.cluster: url from coordinator/config.json, admin.token,
 * admin.key), --url URL, --token-file FILE, --admin-key FILE, --admin-name NAME (default "admin").
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPolicy, evaluate, policyHash, PolicyError } from '../proto/policy/policy.js';
import { decodeSignRequest, RequestError } from '../proto/request.js';
import { adminSetProblem, approvalBytes, cancelBytes, rejectBytes, signAdminChange, signStatement } from '../proto/governance.js';
import { verifyChain, type AuditEntry } from '../proto/audit.js';
import { verifyEvidence, type EvidenceBundle } from '../proto/evidence.js';
import { loadCluster } from '../proto/cluster.js';
import { peerPublicKey } from '../proto/identity.js';
import { Level } from 'level';
import { fail as die } from '../proto/process.js';



const { values: o, positionals: args } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string', default: '.cluster' },
    url: { type: 'string' },
    'token-file': { type: 'string' },
    'admin-key': { type: 'string' },
    'admin-name': { type: 'string' },
    as: { type: 'string' },
    key: { type: 'string' },
    now: { type: 'string' },
    out: { type: 'string' },
    'page-size': { type: 'string' },
    db: { type: 'string' },
    'coordinator-key': { type: 'string' },
    reason: { type: 'string' },
    help: { type: 'boolean' },
  },
});
const dir = resolve(o.dir!);
const read = (f: string) => {
  try {
    return readFileSync(f, 'utf8');
  } catch (e) {
    return die(`cannot read ${f}: ${(e as Error).message}`);
  }
};
const json = (f: string): Record<string, unknown> => {
  try {
    return JSON.parse(read(f)) as Record<string, unknown>;
  } catch (e) {
    return die(`${f} is not JSON: ${(e as Error).message}`);
  }
};

function url(): string {
  if (o.url) return o.url.replace(/\/$/, '');
  const c = json(join(dir, 'coordinator', 'config.json')) as { http?: { host?: string; port?: number } };
  return `http://${c.http?.host === '0.0.0.0' ? '127.0.0.1' : c.http?.host}:${c.http?.port}`;
}

async function api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const token = read(o['token-file'] ?? join(dir, 'admin.token')).trim();
  const r = await fetch(`${url()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  }).catch((e: unknown) => die(`cannot reach the coordinator at ${url()}: ${(e as Error).message}`));
  const out = (await r.json().catch(() => ({}))) as Record<string, unknown>;
  if (r.status >= 400) {
    const e = out.error as { code?: string; message?: string } | undefined;
    die(`${r.status} ${e?.code ?? ''}: ${e?.message ?? JSON.stringify(out)}`);
  }
  return out;
}

const print = (v: unknown) => console.log(JSON.stringify(v, null, 2));

async function main(): Promise<void> {
  const [cmd, sub, ...rest] = args;
  if (!cmd || o.help) {
    console.log(readFileSync(import.meta.filename, 'utf8').split('*/')[0]!.replace(/^[\s\S]*?\/\*\*/, '').replace(/^ \* ?/gm, ''));
    return;
  }
  if (cmd === 'policy' && sub === 'validate') {
    const f = rest[0] ?? die('usage: policy validate FILE', 2);
    try {
      const p = loadPolicy(read(f));
      console.log(`ok: ${p.rules.length} rule(s), hash ${p.hash}`);
    } catch (e) {
      if (e instanceof PolicyError) die(`${f}: ${e.message}`);
      throw e;
    }
    return;
  }
  if (cmd === 'policy' && sub === 'test') {
    const [f, reqFile] = rest;
    if (!f || !reqFile) die('usage: policy test FILE REQUEST.json', 2);
    let p;
    try {
      p = loadPolicy(read(f));
    } catch (e) {
      if (e instanceof PolicyError) die(`${f}: ${e.message}`);
      throw e;
    }
    let d;
    try {
      d = decodeSignRequest(json(reqFile));
    } catch (e) {
      if (e instanceof RequestError) die(`${reqFile}: ${e.message}`);
      throw e;
    }
    const decision = evaluate(p, d.summary, { now: o.now ? Date.parse(o.now) : Date.now() });
    print({ decision: decision.action, rule: decision.rule, ...(decision.approvals ? { approvals: decision.approvals } : {}), ...(decision.delayMs ? { delayMs: decision.delayMs } : {}), why: decision.explanation, digest: d.digest, summary: d.summary });
    return;
  }
  if (cmd === 'policy' && sub === 'get') return print(await api('GET', `/v1/keys/${rest[0] ?? die('usage: policy get KEY_ID', 2)}/policy`));
  if (cmd === 'policy' && sub === 'set') {
    const [keyId, f] = rest;
    if (!keyId || !f) die('usage: policy set KEY_ID FILE', 2);
    const text = read(f);
    const cur = await fetch(`${url()}/v1/keys/${keyId}/policy`, { headers: { authorization: `Bearer ${read(o['token-file'] ?? join(dir, 'admin.token')).trim()}` } });
    const seq = cur.status === 200 ? Number(((await cur.json()) as { seq: number }).seq) + 1 : 1;
    const sig = signAdminChange({ type: 'policy', keyId, policyHash: policyHash(text), seq }, read(o['admin-key'] ?? join(dir, 'admin.key')), o['admin-name'] ?? 'admin');
    return print(await api('PUT', `/v1/keys/${keyId}/policy`, { policy: text, seq, signatures: [sig] }));
  }
  if (cmd === 'approver' && sub === 'keygen') {
    const f = rest[0] ?? die('usage: approver keygen FILE', 2);
    const k = generateKeyPairSync('ed25519');
    writeFileSync(f, k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600, flag: 'wx' });
    console.log(Buffer.from(String(k.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex'));
    return;
  }
  if (cmd === 'approver' && sub === 'add') {
    const [name, pub, roles] = rest;
    if (!name || !pub || !roles) die('usage: approver add NAME PUBLIC_KEY_HEX ROLE[,ROLE…]', 2);
    const list = (await api('GET', '/v1/approvers')).approvers as { name: string; seq: number }[];
    const seq = (list.find((a) => a.name === name)?.seq ?? 0) + 1;
    const change = { type: 'approver' as const, name, publicKey: pub.toLowerCase(), roles: roles.split(','), seq };
    const sig = signAdminChange(change, read(o['admin-key'] ?? join(dir, 'admin.key')), o['admin-name'] ?? 'admin');
    return print(await api('POST', '/v1/approvers', { name, publicKey: change.publicKey, roles: change.roles, seq, signatures: [sig] }));
  }
  if (cmd === 'admins' && sub === 'get') return print(await api('GET', '/v1/admins'));
  if (cmd === 'admins' && sub === 'set') {
    const f = rest[0] ?? die('usage: admins set FILE.json', 2);
    const want = json(f) as { admins?: { name: string; publicKey: string }[]; quorum?: number };
    if (!Array.isArray(want.admins) || typeof want.quorum !== 'number') die(`${f}: expected {"admins": [{"name", "publicKey"}], "quorum": n}`);
    const admins = want.admins!.map((a) => ({ name: String(a.name), publicKey: String(a.publicKey).toLowerCase() }));
    const problem = adminSetProblem(admins, want.quorum!);
    if (problem) die(`${f}: ${problem}`);
    const seq = Number(((await api('GET', '/v1/admins')) as { seq: number }).seq) + 1;
    const sig = signAdminChange({ type: 'admins', admins, quorum: want.quorum!, seq }, read(o['admin-key'] ?? join(dir, 'admin.key')), o['admin-name'] ?? 'admin');
    return print(await api('PUT', '/v1/admins', { admins, quorum: want.quorum, seq, signatures: [sig] }));
  }
  if (cmd === 'keys' && sub === 'create') return print(await api('POST', '/v1/keys', { name: rest[0] ?? die('usage: keys create NAME', 2) }));
  if (cmd === 'keys' && sub === 'list') return print(await api('GET', '/v1/keys'));
  if (cmd === 'sign') return print(await api('POST', '/v1/sign-requests', json(sub ?? die('usage: sign REQUEST.json', 2))));
  if (cmd === 'status') return print(await api('GET', `/v1/sign-requests/${sub ?? die('usage: status REQUEST_ID', 2)}`));
  if (cmd === 'approve') {
    const id = sub ?? die('usage: approve REQUEST_ID --as NAME --key FILE', 2);
    if (!o.as || !o.key) die('approve needs --as NAME and --key FILE (the approver key)', 2);
    const r = await api('GET', `/v1/sign-requests/${id}`);
    if (typeof r.approvalStatement !== 'string') die(`request ${id} is ${String(r.status)}, not waiting for approvals`);
    // Never sign the coordinator's statement blindly: decode the request here and rebuild it.
    const decoded = decodeSignRequest(r.request);
    const rebuilt = Buffer.from(
      approvalBytes({
        requestId: String(r.id),
        keyId: String(r.keyId),
        initiator: String(r.initiator),
        digest: decoded.digest,
        summary: decoded.summary,
        policyHash: String(r.policyHash),
        rule: String((r.decision as { rule?: string } | undefined)?.rule),
        expiresAt: Date.parse(String(r.expiresAt)),
      }),
    ).toString('hex');
    if (rebuilt !== r.approvalStatement) die('the statement the coordinator asks you to sign is not the statement of this request: refusing');
    console.error(`approving request ${id} for key ${String(r.keyId)} (rule ${String((r.decision as { rule?: string }).rule)}), expires ${String(r.expiresAt)}:`);
    console.error(JSON.stringify(decoded.summary, null, 2));
    const s = signStatement(rebuilt, read(o.key), o.as);
    return print(await api('POST', `/v1/sign-requests/${id}/approvals`, { approver: o.as, signature: s.signature }));
  }
  if (cmd === 'reject' || cmd === 'cancel') {
    const id = sub ?? die(`usage: ${cmd} REQUEST_ID --as NAME --key FILE`, 2);
    if (!o.as || !o.key) die(`${cmd} needs --as NAME and --key FILE`, 2);
    const r = await api('GET', `/v1/sign-requests/${id}`);
    const decoded = decodeSignRequest(r.request);
    const mine = Buffer.from((cmd === 'reject' ? rejectBytes : cancelBytes)({ requestId: String(r.id), keyId: String(r.keyId), digest: decoded.digest })).toString('hex');
    const theirs = cmd === 'reject' ? r.rejectStatement : r.cancelStatement;
    if (theirs !== mine) die(`the ${cmd} statement the coordinator shows is not the one of this request: refusing`);
    const s = signStatement(mine, read(o.key), o.as);
    return print(await api('POST', `/v1/sign-requests/${id}/${cmd === 'reject' ? 'rejections' : 'cancellations'}`, { approver: o.as, signature: s.signature }));
  }
  if (cmd === 'wait') {
    const id = sub ?? die('usage: wait REQUEST_ID', 2);
    for (;;) {
      const r = await api('GET', `/v1/sign-requests/${id}`);
      if (r.status !== 'pending_approval' && r.status !== 'signing') {
        print(r);
        if (r.status !== 'signed') process.exit(1);
        return;
      }
      await new Promise((res) => setTimeout(res, 1000));
    }
  }
  if (cmd === 'principal' && sub === 'add') {
    const [name, roles, keys] = rest;
    if (!name || !roles) die('usage: principal add NAME ROLE[,ROLE…] [KEY_ID,…]', 2);
    return print(await api('POST', '/v1/principals', { name, roles: roles.split(','), ...(keys ? { keys: keys.split(',') } : {}) }));
  }
  if (cmd === 'principal' && sub === 'list') return print(await api('GET', '/v1/principals'));
  if (cmd === 'principal' && sub === 'rm') {
    await api('DELETE', `/v1/principals/${rest[0] ?? die('usage: principal rm NAME', 2)}`);
    return;
  }
  if (cmd === 'freeze') return print(await api('POST', sub ? `/v1/keys/${sub}/freeze` : '/v1/freeze', { reason: o.reason ?? '' }));
  if (cmd === 'unfreeze') {
    const list = (await api('GET', '/v1/freeze')).freezes as { scope: string; seq: number }[];
    const scope = sub ?? '*';
    const seq = (list.find((f) => f.scope === scope)?.seq ?? 0) + 1;
    const sig = signAdminChange({ type: 'freeze', scope, frozen: false, reason: '', seq }, read(o['admin-key'] ?? join(dir, 'admin.key')), o['admin-name'] ?? 'admin');
    return print(await api('POST', sub ? `/v1/keys/${sub}/unfreeze` : '/v1/unfreeze', { seq, signatures: [sig] }));
  }
  if (cmd === 'evidence') {
    const b = await api('GET', `/v1/sign-requests/${sub ?? die('usage: evidence REQUEST_ID [--out FILE]', 2)}/evidence`);
    if (o.out) writeFileSync(o.out, JSON.stringify(b, null, 2) + '\n');
    else print(b);
    return;
  }
  if (cmd === 'audit' && sub === 'export') {
    const token = read(o['token-file'] ?? join(dir, 'admin.token')).trim();
    const limit = o['page-size'] ?? '';
    if (limit && !/^[1-9]\d{0,5}$/.test(limit)) die('--page-size must be a positive integer', 2);
    // page through the log (the coordinator returns at most a page per call)
    let text = '';
    for (let after = '0'; ; ) {
      const r = await fetch(`${url()}/v1/audit?after=${after}${limit ? `&limit=${limit}` : ''}`, { headers: { authorization: `Bearer ${token}` } }).catch((e: unknown) => die(`cannot reach the coordinator: ${(e as Error).message}`));
      if (r.status !== 200) die(`${r.status}: ${await r.text()}`);
      text += await r.text();
      const next = r.headers.get('x-next-after');
      if (!next) break;
      after = next;
    }
    if (o.out) writeFileSync(o.out, text);
    else process.stdout.write(text);
    return;
  }
  if (cmd === 'audit' && (sub === 'verify' || sub === 'verify-evidence')) {
    const key = o['coordinator-key'] ?? Buffer.from(peerPublicKey(loadCluster(join(dir, 'cluster.json')).coordinator.peerId)).toString('hex');
    if (sub === 'verify-evidence') {
      const res = verifyEvidence(json(rest[0] ?? die('usage: audit verify-evidence FILE', 2)) as unknown as EvidenceBundle, key);
      for (const c of res.checked) console.log(`checked: ${c}`);
      if (!res.ok) die(`evidence does not verify:\n  ${res.problems.join('\n  ')}`);
      console.log('ok: the evidence bundle verifies');
      return;
    }
    let entries: AuditEntry[];
    if (o.db) {
      const db = new Level<string, AuditEntry>(o.db, { valueEncoding: 'json' });
      await db.open().catch((e: unknown) => die(`cannot open ${o.db} (is the coordinator still running?): ${(e as Error).message}`));
      try {
        entries = await db.sublevel<string, AuditEntry>('audit', { valueEncoding: 'json' }).values().all();
      } finally {
        await db.close();
      }
    } else {
      const f = rest[0] ?? die('usage: audit verify FILE.jsonl | --db DIR', 2);
      entries = [];
      read(f)
        .split('\n')
        .forEach((line, i) => {
          if (!line.trim()) return;
          try {
            entries.push(JSON.parse(line) as AuditEntry);
          } catch {
            die(`${f}: line ${i + 1} is not JSON`);
          }
        });
    }
    const res = verifyChain(entries, key);
    if (!res.ok) die(`audit log broken at entry ${res.index + 1} (seq ${res.seq}): ${res.reason}`);
    console.log(`ok: ${res.count} entries, chain head ${res.head}`);
    return;
  }
  die(`unknown command: ${args.join(' ')} (see --help)`, 2);
}

main().catch((e: unknown) => die((e as Error).message));
