/**
 * npm `spamc` 0.0.5 (node-spamc) against hamletd: all of its calls. It only reads
 * results on close, splits chunks on CRLF and sends an extra CRLF without a
 * half-close. Installed by test/spamd/clients/install.sh; skipped, visibly, without it.
 */
import { suiteUnless } from '../helpers/visible-skip';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { clientsDir, smallRules, startHamletd, type Running } from './helpers';

const pkg = join(clientsDir(), 'node_modules', 'spamc');
const missing = existsSync(join(pkg, 'package.json')) ? undefined : `skipped: npm spamc not installed (run test/spamd/clients/install.sh; looked in ${pkg})`;
if (missing) console.log(`# npm-spamc.test: ${missing}`);

type Callback = (err: Error | null, res: Record<string, unknown>) => void;
type Client = Record<string, (...args: unknown[]) => void>;

suiteUnless(missing, 'npm spamc against hamletd', () => {
  let d: Running;
  let c: Client;
  const call = (name: string, ...args: unknown[]): Promise<[string | undefined, Record<string, unknown>]> =>
    new Promise((resolve) => c[name]!(...args, ((e, r) => resolve([e?.message, r])) as Callback));
  const spam = 'Subject: Test spam mail (GTUBE)\n\nXJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n';
  const ham = 'Subject: hello there\n\nJust a note about cheap stuff.\n';

  before(async () => {
    d = await startHamletd(['-C', smallRules(), '-l', '-m', '1']);
    const Spamc = createRequire(__filename)(pkg) as new (host: string, port: number, timeout: number) => Client;
    c = new Spamc('127.0.0.1', d.port, 10);
  });
  after(async () => {
    await d.stop();
  });

  test('ping', async () => assert.deepEqual(await call('ping'), [undefined, true]));

  test('check, symbols, report, reportIfSpam', async () => {
    assert.deepEqual(await call('check', spam), [undefined, { responseCode: 0, responseMessage: 'EX_OK', isSpam: true, spamScore: 1000, baseSpamScore: 5 }]);
    assert.deepEqual(await call('check', ham), [undefined, { responseCode: 0, responseMessage: 'EX_OK', isSpam: false, spamScore: 4, baseSpamScore: 5 }]);
    assert.deepEqual((await call('symbols', ham))[1].matches, ['BODY_CHEAP']);
    assert.deepEqual((await call('report', spam))[1].report, [{ score: '1000', name: 'GTUBE', description: 'BODY', type: 'Generic' }]);
    assert.equal((await call('reportIfSpam', ham))[1].isSpam, false);
  });

  test('process and headers', async () => {
    const [e, p] = await call('process', spam);
    assert.equal(e, undefined);
    assert.match(String(p.message), /X-Spam-Flag: YES/);
    const [e2, h] = await call('headers', ham);
    assert.equal(e2, undefined);
    assert.equal(h.isSpam, false);
  });

  test('learn, tell, revoke: answered, nothing learned yet (no learner)', async () => {
    for (const [name, ...args] of [['learn', spam, 'spam'], ['tell', spam], ['revoke', spam]] as const) {
      const [e, r] = await call(name, ...args);
      assert.equal(e, undefined, name);
      assert.equal(r.responseCode, 0, name);
      assert.equal(r.didSet, undefined, name);
    }
  });
});
