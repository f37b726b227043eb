/**
 * amavisd-new 2.13's SpamdClient end to end: swaks -> amavisd-new -> hamletd -> an
 * SMTP sink (in this test) that receives the message with amavis's X-Spam headers.
 * SpamdClient hardcodes 127.0.0.1:783; the amavis config (shared/reference,
 * spamd-clients.md) redirects it to hamletd's port. Needs root (amavis drops to its
 * own user), amavisd-new and swaks; skipped, visibly, without them.
 */
import { suiteUnless } from '../helpers/visible-skip';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, smallRules, startHamletd, waitFor, type Running } from './helpers';
import { amavisMissing, startAmavis, swaks, type Amavis } from '../helpers/amavis';

const missing = amavisMissing();
if (missing) console.log(`# amavis.test: ${missing}`);

/** An SMTP sink that keeps every message it receives. */
function sink(port: number, messages: string[]): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((s) => {
      let buf = '';
      let data = false;
      s.on('error', () => {});
      s.write('220 sink ESMTP\r\n');
      s.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        for (;;) {
          if (data) {
            const end = buf.indexOf('\r\n.\r\n');
            if (end < 0) return;
            messages.push(buf.slice(0, end));
            buf = buf.slice(end + 5);
            data = false;
            s.write('250 2.0.0 Ok queued\r\n');
            continue;
          }
          const nl = buf.indexOf('\r\n');
          if (nl < 0) return;
          const verb = buf.slice(0, 4).toUpperCase();
          buf = buf.slice(nl + 2);
          if (verb === 'DATA') {
            data = true;
            s.write('354 go ahead\r\n');
          } else if (verb === 'QUIT') s.end('221 bye\r\n');
          else s.write('250 ok\r\n');
        }
      });
    });
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

suiteUnless(missing, 'amavisd-new SpamdClient against hamletd', () => {
  let d: Running;
  let amavis: Amavis;
  let smtpSink: Server;
  let port = 0;
  const received: string[] = [];

  before(async () => {
    d = await startHamletd(['-C', smallRules(), '-m', '1']);
    const dir = mkdtempSync(join(tmpdir(), 'hamletd-amavis-'));
    port = await freePort();
    const sinkPort = await freePort();
    smtpSink = await sink(sinkPort, received);
    const spamSettings = `@bypass_spam_checks_maps=(0);
@spam_scanners=(['SpamdClient','Amavis::SpamControl::SpamdClient']);
$sa_tag_level_deflt=-999; $sa_tag2_level_deflt=5.0; $sa_kill_level_deflt=9999;
$final_spam_destiny=D_PASS; $final_banned_destiny=D_PASS; $final_bad_header_destiny=D_PASS;`;
    amavis = await startAmavis({ dir, port, forwardPort: sinkPort, hamletdPort: d.port, spamSettings });
  });
  after(async () => {
    await amavis?.stop();
    smtpSink?.close();
    await d.stop();
  });

  test('GTUBE: amavis asks hamletd (SYMBOLS, no half-close) and the sink gets X-Spam-Flag: YES', async () => {
    // swaks runs asynchronously: the sink lives in this process and must keep answering.
    const out = await swaks(['--server', `127.0.0.1:${port}`, '--from', 's@example.org', '--to', 'r@example.test', '--body', 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X']);
    assert.match(out, /<[-~] +250 2\.0\.0 from MTA/, out);
    assert.ok(await waitFor(() => received.length > 0, 10_000), 'sink received nothing');
    assert.match(received[0]!, /^X-Spam-Flag: YES\r$/m);
    assert.match(received[0]!, /^X-Spam-Score: 1000\r$/m);
    assert.match(received[0]!, /tests=\[GTUBE\]/);
    assert.match(amavis.log(), /SpamdClient spamd score=1000\.0, tests=GTUBE/);
    assert.match(d.log(), /result: Y 1000 - GTUBE/);
  });
});
