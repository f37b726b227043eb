/**
 * One configuration for hamlet, hamlet-learn and hamletd: the same site directory, given the same
 * way, sends all three to the `bayes_path` its local.cf names (no --cf anywhere). Also: Debian's
 * /etc/default/spamd options line starts hamletd unchanged, the rules sa-update installs are
 * preferred to the stock ones and `--lint` names the directory it read, and legacy 2.x option names
 * are read with a lint note.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bayesRules, raw, request, startHamletd, STOCK_RULES } from '../spamd/helpers';
import { readConfig } from '../../src/config/read';
import { chooseRulesDir, SA_RULES_VERSION } from '../../src/cli/config-dirs';

const ROOT = resolve(__dirname, '..', '..', '..');
const bin = (name: string): string => join(ROOT, 'bin', `${name}.js`);
const SPAM = join(ROOT, 'data', 'sample-spam.eml');
const HAM = join(ROOT, 'data', 'sample-ham.eml');
const haveStock = existsSync(join(STOCK_RULES, '23_bayes.cf'));

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-one-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function run(name: string, args: string[], env: NodeJS.ProcessEnv, input?: Buffer) {
  return spawnSync(process.execPath, [bin(name), ...args], { env, input, encoding: 'latin1', maxBuffer: 1 << 26 });
}

test('a bayes_path in the site local.cf is the database hamlet-learn trains and hamlet and hamletd read', { skip: haveStock ? undefined : `no stock rules in ${STOCK_RULES}` }, async (t) => {
  const dir = tempDir(t);
  const rules = bayesRules(dir);
  const site = join(dir, 'site');
  mkdirSync(site);
  const db = join(dir, 'db', 'bayes');
  writeFileSync(join(site, 'local.cf'), `bayes_path ${db}\nbayes_min_spam_num 1\nbayes_min_ham_num 1\nbayes_auto_learn 0\nuse_auto_welcomelist 0\n`);
  const env = { ...process.env, HOME: join(dir, 'home') };
  const where = ['-C', rules, '--siteconfigpath', site];

  const spam = run('hamlet-learn', [...where, '--spam', SPAM], env);
  assert.equal(spam.status, 0, spam.stderr);
  const ham = run('hamlet-learn', [...where, '--ham', HAM], env);
  assert.equal(ham.status, 0, ham.stderr);
  assert.ok(existsSync(`${db}.sqlite`), `hamlet-learn did not write ${db}.sqlite`);
  const magic = run('hamlet-learn', [...where, '--dump', 'magic'], env);
  assert.match(magic.stdout, /^0\.000\s+0\s+1\s+0\s+non-token data: nspam$/m);

  const checked = run('hamlet', [...where, '-L', '-t', SPAM], env);
  assert.equal(checked.status, 0, checked.stderr);
  assert.match(checked.stdout, /BAYES_99/, 'hamlet -t shows no BAYES_99');

  // hamletd started with Debian's /etc/default/spamd options, as its unit passes them.
  const pidfile = join(dir, 'spamd.pid');
  const d = await startHamletd([...where, '-L', '-x', `--pidfile=${pidfile}`, '--create-prefs', '--max-children', '5', '--helper-home-dir'], { env });
  try {
    const reply = (await raw(d.port, request('SYMBOLS', readFileSync(SPAM)))).toString('latin1');
    assert.match(reply, /BAYES_99/, reply);
    assert.equal(readFileSync(pidfile, 'utf8').trim(), String(d.pid));
    assert.match(d.log(), new RegExp(`config: site configuration: ${site.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  } finally {
    await d.stop();
  }
});

test("sa-update's rules are preferred to the stock directory, and --lint says which it read", async (t) => {
  const dir = tempDir(t);
  assert.deepEqual(chooseRulesDir(undefined).why, "hamlet's own rules (no -C)");
  assert.equal(chooseRulesDir('/some/rules', { saStateDir: dir }).dir, '/some/rules');
  assert.equal(chooseRulesDir(STOCK_RULES, { saStateDir: dir }).dir, STOCK_RULES, 'no update folder: the stock rules');
  // sa-update's layout: <state>/<version>/<channel>.cf including the files of <channel>/.
  const version = join(dir, SA_RULES_VERSION);
  const channel = join(version, 'updates_spamassassin_org');
  mkdirSync(channel, { recursive: true });
  copyFileSync(join(ROOT, 'rules', readRulesFile()), join(channel, readRulesFile()));
  writeFileSync(join(channel, '99_fresh.cf'), 'header FRESH_UPDATE_RULE Subject =~ /./\nscore FRESH_UPDATE_RULE 0.1\n');
  writeFileSync(join(version, 'updates_spamassassin_org.cf'), `include updates_spamassassin_org/${readRulesFile()}\ninclude updates_spamassassin_org/99_fresh.cf\n`);
  assert.equal(chooseRulesDir(STOCK_RULES, { saStateDir: dir }).dir, version);

  const env = { ...process.env, HOME: join(dir, 'home'), HAMLET_SA_STATE_DIR: dir };
  const lint = run('hamlet', ['--lint', '-C', STOCK_RULES, '--siteconfigpath', join(dir, 'no-site')], env);
  assert.match(lint.stderr, new RegExp(`^lint: rules: ${version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(rules installed by sa-update`, 'm'), lint.stderr);
  const checked = run('hamlet', ['-L', '-t', '-C', STOCK_RULES, '--siteconfigpath', join(dir, 'no-site'), HAM], env);
  assert.match(checked.stdout, /FRESH_UPDATE_RULE/, 'the update channel rule did not run');
  assert.match(checked.stdout, /^X-Spam-Checker-Version: hamlet /m);
});

test('SpamAssassin 2.x option names are read under their new names, with a lint note', (t) => {
  const dir = tempDir(t);
  const env = { ...process.env, HOME: join(dir, 'home') };
  const r = run('hamlet', ['--lint', '--siteconfigpath', dir, '--cf', 'auto_learn 0', '--cf', 'auto_learn_threshold_spam 9', '--cf', 'rewrite_subject 1'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /'auto_learn' is the SpamAssassin 2\.x name of 'bayes_auto_learn'/);
  assert.match(r.stderr, /'auto_learn_threshold_spam' is the SpamAssassin 2\.x name of 'bayes_auto_learn_threshold_spam'/);
  assert.match(r.stderr, /'rewrite_subject' is a SpamAssassin 2\.x option removed in 3\.0 \(use rewrite_header Subject TEXT\); ignored/);
  assert.doesNotMatch(r.stderr, /unknown option/);
  const o = readConfig({ siteConfigPath: dir, extraText: 'auto_learn 0\nauto_learn_threshold_nonspam -2' }).options;
  assert.equal(o.get('bayes_auto_learn'), '0');
  assert.equal(o.get('bayes_auto_learn_threshold_nonspam'), '-2');
});

/** The first .cf file of hamlet's own rules (any will do as channel content). */
function readRulesFile(): string {
  return readdirSync(join(ROOT, 'rules')).sort().find((f) => f.endsWith('.cf'))!;
}

test("the tutorial's learning pipe: hamlet-learn --spam -p /dev/null --showdots reading a pipe", (t) => {
  const dir = tempDir(t);
  const site = join(dir, 'site');
  mkdirSync(site);
  writeFileSync(join(site, 'local.cf'), `bayes_path ${join(dir, 'db', 'bayes')}\n`);
  const env = { ...process.env, HOME: join(dir, 'home') };
  // As a .forward pipe runs it: the message on standard input, no terminal, no user preferences.
  const r = run('hamlet-learn', ['--siteconfigpath', site, '--spam', '-p', '/dev/null', '--showdots'], env, readFileSync(SPAM));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'Learned tokens from 1 message(s) (1 message(s) examined)\n');
  assert.equal(r.stderr, '.\n');
  assert.ok(existsSync(join(dir, 'db', 'bayes.sqlite')), 'the site bayes_path was not used');
});
