/**
 * The SPF, DKIM, ADSP, ARC and welcomelist evals compared with real SpamAssassin 4.0.1 on the same
 * test DNS server and the same messages (one `spamassassin --mbox` run). Skipped when
 * spamassassin, Mail::SPF or Mail::DKIM is missing. DMARC is not compared: SpamAssassin's DMARC
 * plugin asks through Mail::DMARC, which uses the system resolver, not `dns_server` (observed:
 * no `_dmarc` query reaches the test server, and every message gets DMARC_MISSING).
 *
 * What this pins down, as observed (`-D spf,dkim`): SPF checks the first external relay; the
 * envelope sender is the one that relay's Received recorded, else Return-Path & co. only when no
 * trusted relay came in between; a Received-SPF from an internal host is reused; ADSP asks TXT
 * `_adsp._domainkey.D` then MX D (NXDOMAIN: DKIM_ADSP_NXDOMAIN).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDnsServer } from '../helpers/dns-server';
import { netCheck, rulesFrom } from '../helpers/net-check';
import { authMessage, authRules, dkimKey, publishKey, signed, type DkimKey, type MessageSpec } from '../helpers/auth-fixture';
import { haveSpamAssassin } from '../cli/sa-output';
import { sealMessage } from 'mailauth/lib/arc';

function havePerl(module: string): boolean {
  try {
    execFileSync('perl', [`-M${module}`, '-e1'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skip = !haveSpamAssassin() ? 'spamassassin not installed' : !havePerl('Mail::SPF') || !havePerl('Mail::DKIM') ? 'Mail::SPF or Mail::DKIM not installed' : false;

const RESULTS = ['pass', 'neutral', 'none', 'fail', 'softfail', 'permerror', 'temperror'];
const RULES: Record<string, string> = {
  ...Object.fromEntries(RESULTS.flatMap((r) => [[`Z_SPF_${r.toUpperCase()}`, `check_for_spf_${r}()`], [`Z_HELO_${r.toUpperCase()}`, `check_for_spf_helo_${r}()`]])),
  Z_DKIM_SIGNED: 'check_dkim_signed()', Z_DKIM_VALID: 'check_dkim_valid()', Z_DKIM_AU: 'check_dkim_valid_author_sig()',
  Z_DKIM_EF: 'check_dkim_valid_envelopefrom()', Z_DKIM_ORG: "check_dkim_valid('*.example.org')",
  Z_ADSP_N: "check_dkim_adsp('N')", Z_ADSP_A: "check_dkim_adsp('A')", Z_ADSP_D: "check_dkim_adsp('D')", Z_ADSP_3: "check_dkim_adsp('3')",
  Z_SPF_WL: 'check_for_spf_welcomelist_from()', Z_SPF_DEF: 'check_for_def_spf_welcomelist_from()',
  Z_DKIM_WL: 'check_for_dkim_welcomelist_from()', Z_DKIM_DEF: 'check_for_def_dkim_welcomelist_from()',
  Z_ARC_SIGNED: 'check_arc_signed()', Z_ARC_VALID: 'check_arc_valid()',
};
const CF = [
  'welcomelist_from_spf *@soft.example', 'welcomelist_from_spf alice@example.com', 'def_welcomelist_auth *@all.example',
  'welcomelist_from_dkim alice@example.com', 'def_welcomelist_from_dkim *@example.com lists.example.org',
  'adsp_override custom.example custom_high',
];

let server: TestDnsServer;
let dir: string;
let key: DkimKey;

before(async () => {
  if (skip) return;
  server = await TestDnsServer.start();
  key = dkimKey();
  publishKey(server, 'example.com', 'sel', key);
  publishKey(server, 'lists.example.org', 'ml', key);
  server
    .add('example.com', 'TXT', 'v=spf1 ip4:192.0.2.0/24 -all')
    .add('mail.example.com', 'TXT', 'v=spf1 a -all')
    .add('mail.example.com', 'A', '192.0.2.5')
    .add('soft.example', 'TXT', 'v=spf1 ~all')
    .add('neutral.example', 'TXT', 'v=spf1 ?all')
    .add('bad.example', 'TXT', 'v=spf1 ip4:300.1.1.1 foo:bar -all')
    .add('all.example', 'TXT', 'v=spf1 +all')
    .add('_adsp._domainkey.all.example', 'TXT', 'dkim=all')
    .add('_adsp._domainkey.disc.example', 'TXT', 'dkim=discardable')
    .add('disc.example', 'A', '192.0.2.50')
    .behave('broken.example', { servfail: true });
  dir = mkdtempSync(join(tmpdir(), 'hamlet-auth-sa-'));
  mkdirSync(join(dir, 'site'));
  mkdirSync(join(dir, 'rules'));
  for (const f of readdirSync('/etc/spamassassin')) if (f.endsWith('.pre')) copyFileSync(join('/etc/spamassassin', f), join(dir, 'site', f));
  copyFileSync('/usr/share/spamassassin/20_aux_tlds.cf', join(dir, 'rules', '20_aux_tlds.cf'));
});

after(async () => {
  if (skip) return;
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** SpamAssassin's Z_ hits and DKIM tags for each message of an mbox, in order. */
async function saHits(cf: string, messages: string[]): Promise<Array<{ hits: string[]; tags: string }>> {
  const lines = [
    'dns_available yes', 'clear_dns_servers', `dns_server ${server.spec}`, 'use_bayes 0', 'use_auto_whitelist 0', 'clear_headers',
    'add_header all Status case=_HEADER(X-Case)_ tests=_TESTS_', 'add_header all Dkim case=_HEADER(X-Case)_ d=_DKIMDOMAIN_ i=_DKIMIDENTITY_ s=_DKIMSELECTOR_', cf,
  ];
  writeFileSync(join(dir, 'rules', '50_test.cf'), lines.join('\n') + '\n');
  const mbox = messages.map((m) => `From MAILER-DAEMON Mon Dec  7 00:00:00 2026\n${m.replace(/\r\n/g, '\n').replace(/\n*$/, '\n')}\n`).join('');
  const out = await new Promise<string>((resolve, reject) => {
    const child = execFile('spamassassin', ['--mbox', '-C', join(dir, 'rules'), '--siteconfigpath', join(dir, 'site'), '-x'], { encoding: 'latin1', maxBuffer: 1 << 24 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
    child.stdin!.end(mbox);
  });
  if (process.env.AUTH_SA_DUMP) writeFileSync(process.env.AUTH_SA_DUMP, out);
  // (Results are matched by the X-Case header: the output order need not be the input order.)
  const found = new Map<string, string[]>();
  for (const m of out.matchAll(/^X-Spam-Status: case=(\d+)\s+tests=([^\n]*(?:\n[ \t][^\n]*)*)/gm)) {
    found.set(m[1]!, m[2]!.split(/[\s,]+/).filter((t) => t.startsWith('Z_')).sort());
  }
  const tags = new Map<string, string>();
  for (const m of out.matchAll(/^X-Spam-Dkim: case=(\d+)\s+(d=[^\n]*(?:\n[ \t][^\n]*)*)/gm)) tags.set(m[1]!, m[2]!.replace(/\s+/g, ' '));
  assert.equal(found.size, messages.length, 'one Status header per message');
  return messages.map((_m, i) => ({ hits: found.get(String(i)) ?? [], tags: tags.get(String(i)) ?? '' }));
}

test('SPF, DKIM, ADSP and welcomelist hits and the DKIM tags agree with SpamAssassin', { skip }, async () => {
  const specs: Array<[string, MessageSpec, string?]> = [
    ['pass', {}],
    ['fail', { ip: '198.51.100.7' }],
    ['softfail, sender welcomelisted', { returnPath: 'a@soft.example' }],
    ['neutral', { returnPath: 'a@neutral.example', helo: 'neutral.example' }],
    ['permerror', { returnPath: 'a@bad.example', helo: 'bad.example' }],
    ['temperror', { returnPath: 'a@broken.example', helo: 'broken.example' }],
    ['none', { returnPath: 'a@nothing.example', helo: 'localhost' }],
    ['trusted hop: Return-Path not used', { internalHop: true }],
    ['trusted hop, envelope-from recorded', { internalHop: true, envelopeFrom: 'x@soft.example' }],
    ['Received-SPF from our host', { top: 'Received-SPF: neutral (mx.local: no opinion) identity=mfrom; client-ip=192.0.2.5' }],
    ['valid author signature, welcomelisted', {}, 'example.com/sel'],
    ['altered after signing', { body: 'ALTER' }, 'example.com/sel'],
    ['third-party signature, def welcomelisted', {}, 'lists.example.org/ml'],
    ['key missing', {}, 'example.com/gone'],
    ['ADSP all, def_welcomelist_auth + SPF pass', { from: 'a@all.example', returnPath: 'a@all.example' }],
    ['ADSP discardable', { from: 'a@disc.example' }],
    ['ADSP nxdomain', { from: 'a@nowhere.example' }],
    ['ADSP override', { from: 'a@custom.example' }],
    ['ARC sealed', {}, 'arc:ml'],
    ['ARC sealed, body altered', { body: 'ALTER' }, 'arc:ml'],
    ['ARC sealed, key missing', {}, 'arc:gone'],
  ];
  const messages: string[] = [];
  for (const [, spec, signer] of specs) {
    let raw = authMessage({ ...spec, body: undefined });
    if (signer?.startsWith('arc:')) {
      const crlf = raw.replace(/\r?\n/g, '\r\n');
      const seal = { signingDomain: 'lists.example.org', selector: signer.slice(4), privateKey: key.privateKey, authResults: 'lists.example.org; spf=pass', cv: 'none' };
      raw = (await sealMessage(crlf, seal as Parameters<typeof sealMessage>[1])).toString('latin1') + crlf;
    } else if (signer) {
      const [d, s] = signer.split('/') as [string, string];
      raw = await signed(raw, d, s, key);
    }
    if (spec.body === 'ALTER') raw = raw.replace('attached', 'enclosed');
    messages.push(`X-Case: ${messages.length}\n${raw.replace(/\r\n/g, '\n')}`);
  }
  const cf = authRules(RULES, CF);
  const theirs = await saHits(cf, messages);
  const rules = rulesFrom(cf);
  const ours: Array<{ hits: string[]; tags: string }> = [];
  for (const m of messages) {
    const { result, net } = await netCheck(m, rules, server);
    const tag = (t: string) => net.tags.get(t) ?? '';
    ours.push({ hits: result.hits.map((h) => h.name).filter((n) => n.startsWith('Z_')).sort(), tags: `d=${tag('DKIMDOMAIN')} i=${tag('DKIMIDENTITY')} s=${tag('DKIMSELECTOR')}` });
  }
  const table = (r: Array<{ hits: string[]; tags: string }>) => specs.map(([name], i) => `${name}: ${r[i]!.hits.join(' ')} | ${r[i]!.tags}`);
  assert.deepEqual(table(ours), table(theirs));
  // Both outcomes occur for the main rules, so the comparison means something.
  for (const rule of ['Z_SPF_PASS', 'Z_SPF_FAIL', 'Z_DKIM_VALID', 'Z_DKIM_AU', 'Z_ADSP_N', 'Z_DKIM_WL', 'Z_ARC_VALID']) assert.ok(theirs.some((h) => h.hits.includes(rule)), `${rule} hits somewhere`);
  assert.ok(theirs.some((h) => h.tags.startsWith('d=example.com ')), 'SpamAssassin filled the DKIM tags');
});
