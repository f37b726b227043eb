/**
 * Evals of a cached rule set are bound to the file that defines them and load with their first
 * run: a local scan (`-L`) loads no network eval's file, gives the results a fresh compile gives,
 * and network evals say no without network tests (what lets a local run skip them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/config/load';
import { EVAL_REGISTRY } from '../../src/eval/index';
import { evalContext } from '../helpers/eval-context';

const DIST = resolve(__dirname, '..', '..');
const STOCK = '/usr/share/spamassassin';
const SAMPLE = resolve(DIST, '..', 'data', 'sample-spam.eml');

const RULES = [
  'header RBL_ONE eval:check_rbl("one", "zen.example.invalid.")',
  'header RBL_ONE_SUB eval:check_rbl_sub("one", "127.0.0.2")',
  'header SPF_PASS_X eval:check_for_spf_pass()',
  'body FARAWAY eval:check_for_faraway_charset()',
  'header SUBJ_WON Subject =~ /won/',
  'meta BOTH SUBJ_WON && !RBL_ONE',
  ...['RBL_ONE', 'RBL_ONE_SUB', 'SPF_PASS_X', 'FARAWAY', 'SUBJ_WON', 'BOTH'].map((r) => `score ${r} 1`),
].join('\n');

const MSG = 'From: a@example.com\nTo: b@example.org\nSubject: you won\nReceived: from mx.example.com (mx.example.com [192.0.2.7]) by in.example.org\n\nClaim your prize now.\n';

/** A script run in a fresh process: load through the cache, scan locally, say which eval and DNS files loaded. */
const SCRIPT = `
const dist = process.argv[1];
const { loadRuleSet } = require(dist + '/src/config/load');
const { scan } = require(dist + '/src/engine/scanner');
const { parseMessage } = require(dist + '/src/message/parse');
const [rules, cache, msg] = process.argv.slice(2);
const said = [];
const rs = loadRuleSet({ configPath: rules }, { dir: cache, debug: (s) => said.push(s) });
const r = scan(parseMessage(require('fs').readFileSync(msg)), rs.compiled);
const loaded = Object.keys(require.cache).filter((f) => /[\\\\/]src[\\\\/](eval|dns)[\\\\/]/.test(f)).map((f) => f.slice(f.indexOf('src')).replace(/\\\\/g, '/'));
console.log(JSON.stringify({ said, tests: r.tests, loaded }));
`;

function runScript(rules: string, cache: string, msg: string): { said: string[]; tests: string[]; loaded: string[] } {
  const r = spawnSync(process.execPath, ['--no-regexp-tier-up', '-e', SCRIPT, DIST, rules, cache, msg], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { said: string[]; tests: string[]; loaded: string[] };
}

test('a local scan of a cached rule set loads the files of the evals it runs, no network eval file, and scores as a fresh compile', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'hamlet-rule-cache-evals-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const rules = join(root, 'rules');
  const cache = join(root, 'cache');
  mkdirSync(rules);
  writeFileSync(join(rules, '10_rules.cf'), RULES);
  const msg = join(root, 'msg.eml');
  writeFileSync(msg, MSG);
  const first = runScript(rules, cache, msg);
  assert.match(first.said.join('\n'), /wrote /);
  const second = runScript(rules, cache, msg);
  assert.match(second.said.join('\n'), /loaded /);
  const fresh = loadConfig({ configPath: rules });
  assert.ok(fresh.compiled.rules.some((r) => r.name === 'RBL_ONE' && r.test.type === 'eval' && r.test.net), 'RBL_ONE is a network eval');
  assert.deepEqual(second.tests, first.tests);
  assert.deepEqual(second.tests, ['BOTH', 'SUBJ_WON']);
  assert.ok(second.loaded.includes('src/eval/mime-checks.js') || second.loaded.some((f) => f.startsWith('src/eval/') && readFileSync(join(DIST, f), 'utf8').includes('check_for_faraway_charset')), `the local eval's file loads: ${second.loaded.join(' ')}`);
  for (const f of ['src/eval/dns-rbl.js', 'src/eval/auth-spf.js', 'src/dns/resolver.js']) {
    assert.ok(!second.loaded.includes(f), `${f} is not loaded by a local scan of the cached rule set`);
  }
  // A fresh compile reads the whole registry: the same files are then all loaded.
  assert.ok(first.loaded.includes('src/eval/dns-rbl.js'));
});

/** (eval name, arguments, rule type) of every network eval rule in the stock rules, or none without them. */
function stockNetCalls(): Array<[string, readonly (string | number)[], string]> {
  if (!existsSync(STOCK)) return [];
  return loadConfig({ configPath: STOCK })
    .compiled.rules.flatMap((r) => (r.test.type === 'eval' && r.test.net ? [[r.test.fnName, r.test.args, r.area] as [string, readonly (string | number)[], string]] : []));
}

test('every network eval says no without network tests (a local run does not call them)', () => {
  const messages = [MSG, readFileSync(SAMPLE, 'latin1'), `DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; h=from; bh=x; b=y\n${MSG}`];
  const calls: Array<[string, readonly (string | number)[], string | undefined]> = [...EVAL_REGISTRY.active.values()].filter((d) => d.net).map((d) => [d.name, [], d.areas[0]]);
  calls.push(...stockNetCalls());
  assert.ok(calls.length >= 30, `${calls.length} network eval calls`);
  for (const raw of messages) {
    for (const [name, args, area] of calls) {
      const ctx = evalContext(raw);
      assert.equal(ctx.net, undefined);
      const said = EVAL_REGISTRY.active.get(name)!.fn(ctx, args, area as never);
      assert.ok(!said, `${name}(${args.join(', ')}) said ${String(said)} without network tests`);
    }
  }
});
