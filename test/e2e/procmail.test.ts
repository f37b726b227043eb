/**
 * The tutorial's procmail recipe (docs/tutorial-postfix-amavis.md, snippet "procmailrc") run by
 * real procmail: each message goes through real spamc to hamletd, a spam is filed in the Maildir's
 * .Spam folder with X-Spam-Status: Yes, a ham in the inbox. Skipped, visibly, without procmail or spamc.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { has } from '../helpers/amavis';
import { suiteUnless } from '../helpers/visible-skip';
import { smallRules, startHamletd, waitFor, type Running } from '../spamd/helpers';
import { snippet, substitute } from './doc-snippets';

const SPAMC = '/usr/bin/spamc';
const missing = !has('procmail') ? 'skipped: procmail not installed (apt-get install procmail)' : !existsSync(SPAMC) ? 'skipped: spamc not installed (apt-get install spamc)' : undefined;
if (missing) console.log(`# procmail.test: ${missing}`);

const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';
const message = (subject: string, body: string): string =>
  `From sender@example.org Mon Dec  7 09:00:00 2026\nFrom: sender@example.org\nTo: user@example.test\nSubject: ${subject}\nMessage-ID: <${subject.replace(/\W/g, '')}@example.org>\n\n${body}\n`;

function folder(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).map((f) => readFileSync(join(dir, f), 'latin1')) : [];
}

suiteUnless(missing, "procmail with spamc, as the tutorial's recipe says", () => {
  let d: Running;
  let dir = '';
  let rc = '';

  before(async () => {
    d = await startHamletd(['-C', smallRules(), '-m', '1']);
    dir = mkdtempSync(join(tmpdir(), 'hamlet-procmail-'));
    rc = join(dir, 'procmailrc');
    mkdirSync(join(dir, 'Maildir'));
    const recipe = substitute(snippet('procmailrc'), [['| spamc', `| ${SPAMC} -d 127.0.0.1 -p ${d.port}`]]);
    writeFileSync(rc, `MAILDIR=${dir}/Maildir\nDEFAULT=${dir}/Maildir/\nLOGFILE=${dir}/procmail.log\nVERBOSE=yes\n\n${recipe}`, { mode: 0o600 });
  });
  after(async () => {
    await d?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const deliver = (msg: string) => spawnSync('procmail', [rc], { input: msg, encoding: 'utf8', cwd: dir });

  test('a spam goes to .Spam/ marked by hamletd, a ham to the inbox unmarked as spam', async () => {
    const spam = deliver(message('GTUBE here', GTUBE));
    assert.equal(spam.status, 0, spam.stderr);
    const ham = deliver(message('Lunch', 'See you at noon.'));
    assert.equal(ham.status, 0, ham.stderr);
    const filed = folder(join(dir, 'Maildir', '.Spam', 'new'));
    const inbox = folder(join(dir, 'Maildir', 'new'));
    const log = (): string => `${readFileSync(join(dir, 'procmail.log'), 'utf8')}\n${d.log()}`;
    assert.equal(filed.length, 1, log());
    assert.equal(inbox.length, 1, log());
    assert.match(filed[0]!, /^X-Spam-Status: Yes, score=1000\.0 required=5\.0 tests=GTUBE/m);
    assert.match(filed[0]!, /^X-Spam-Checker-Version: hamlet /m);
    assert.match(inbox[0]!, /^X-Spam-Status: No, score=0\.0/m);
    assert.ok(await waitFor(() => /result: Y 1000 - GTUBE/.test(d.log()), 5000), d.log());
  });
});
