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
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, smallRules, startHamletd, waitFor, type Running } from './helpers';
import { passwdEntry } from '../../src/spamd/user-prefs';

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const amavisUser = passwdEntry('amavis');
const missing =
  process.getuid?.() !== 0
    ? 'skipped: amavisd-new test needs root'
    : !has('amavisd') || !amavisUser
      ? 'skipped: amavisd-new not installed (run test/spamd/clients/install.sh)'
      : !has('swaks')
        ? 'skipped: swaks not installed'
        : undefined;
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
  let amavis: ChildProcess;
  let smtpSink: Server;
  let home = '';
  let port = 0;
  const received: string[] = [];

  before(async () => {
    d = await startHamletd(['-C', smallRules(), '-m', '1']);
    const dir = mkdtempSync(join(tmpdir(), 'hamletd-amavis-'));
    chmodSync(dir, 0o755);
    home = join(dir, 'home');
    for (const sub of ['tmp', 'db', 'var']) mkdirSync(join(home, sub), { recursive: true });
    for (const p of [home, join(home, 'tmp'), join(home, 'db'), join(home, 'var')]) chownSync(p, amavisUser!.uid, amavisUser!.gid);
    port = await freePort();
    const sinkPort = await freePort();
    smtpSink = await sink(sinkPort, received);
    const conf = join(dir, 'amavisd-test.conf');
    writeFileSync(
      conf,
      `use strict;
$max_servers=1; $daemon_user='amavis'; $daemon_group='amavis';
$mydomain='example.test'; $myhostname='amavis.example.test';
$MYHOME='${home}'; $TEMPBASE="$MYHOME/tmp"; $db_home="$MYHOME/db"; $helpers_home="$MYHOME/var";
$enable_db=0; $enable_global_cache=0; $pid_file="$MYHOME/amavisd.pid"; $lock_file="$MYHOME/amavisd.lock";
$DO_SYSLOG=0; $LOGFILE="$MYHOME/amavis.log"; $log_level=5;
$inet_socket_bind='127.0.0.1'; $inet_socket_port=${port}; @inet_acl=qw(127.0.0.1 [::1]); @mynetworks=qw(127.0.0.0/8 [::1]);
$forward_method='smtp:[127.0.0.1]:${sinkPort}'; $notify_method=$forward_method; @local_domains_maps=(1);
@bypass_virus_checks_maps=(1); @av_scanners=(); @av_scanners_backup=();
@bypass_spam_checks_maps=(0);
@spam_scanners=(['SpamdClient','Amavis::SpamControl::SpamdClient']);
$sa_tag_level_deflt=-999; $sa_tag2_level_deflt=5.0; $sa_kill_level_deflt=9999;
$final_spam_destiny=D_PASS; $final_banned_destiny=D_PASS; $final_bad_header_destiny=D_PASS;
$QUARANTINEDIR=undef; $virus_admin=undef; $spam_admin=undef; $enable_dkim_verification=0; $enable_dkim_signing=0; @decoders=();
require Amavis::IO::RW;
{ no warnings 'redefine'; my $o=\\&Amavis::IO::RW::new;
  *Amavis::IO::RW::new=sub{ my($c,$s,%a)=@_;
    $s=['127.0.0.1:${d.port}'] if ref $s eq 'ARRAY' && grep(/:783\\z/,@$s);
    $o->($c,$s,%a)}; }
1;
`,
    );
    chmodSync(conf, 0o644);
    amavis = spawn('amavisd', ['-c', conf, 'foreground'], { stdio: 'ignore' });
    let open = false;
    const probe = (): void => {
      const c = connect({ host: '127.0.0.1', port }, () => {
        open = true;
        c.destroy();
      });
      c.on('error', () => setTimeout(probe, 200));
    };
    probe();
    await waitFor(() => open || amavis.exitCode !== null, 60_000);
    assert.ok(open && amavis.exitCode === null, 'amavisd did not start');
  });
  after(async () => {
    if (amavis && amavis.exitCode === null) {
      const gone = new Promise((r) => amavis.once('exit', r));
      process.kill(amavis.pid!, 'SIGTERM');
      await gone;
    }
    smtpSink?.close();
    await d.stop();
  });

  test('GTUBE: amavis asks hamletd (SYMBOLS, no half-close) and the sink gets X-Spam-Flag: YES', async () => {
    // swaks runs asynchronously: the sink lives in this process and must keep answering.
    const out = await new Promise<string>((resolve) => {
      const c = spawn('swaks', ['--server', `127.0.0.1:${port}`, '--from', 's@example.org', '--to', 'r@example.test', '--body', 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X']);
      let o = '';
      c.stdout.on('data', (b: Buffer) => (o += b.toString()));
      c.stderr.on('data', (b: Buffer) => (o += b.toString()));
      c.on('close', () => resolve(o));
    });
    assert.match(out, /<[-~] +250 2\.0\.0 from MTA/, out);
    assert.ok(await waitFor(() => received.length > 0, 10_000), 'sink received nothing');
    assert.match(received[0]!, /^X-Spam-Flag: YES\r$/m);
    assert.match(received[0]!, /^X-Spam-Score: 1000\r$/m);
    assert.match(received[0]!, /tests=\[GTUBE\]/);
    assert.match(readFileSync(join(home, 'amavis.log'), 'utf8'), /SpamdClient spamd score=1000\.0, tests=GTUBE/);
    assert.match(d.log(), /result: Y 1000 - GTUBE/);
  });
});
