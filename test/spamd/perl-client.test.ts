/**
 * Perl's Mail::SpamAssassin::Client (shipped with spamassassin; sa-check_spamd
 * uses it) against hamletd: every call, asserting on what the client returns.
 * It sends Content-length plus an extra CRLF and never half-closes, so hamletd
 * must answer on the count. Skipped, visibly, when the module is not installed.
 */
import { suiteUnless } from '../helpers/visible-skip';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { raw, smallRules, startHamletd, type Running } from './helpers';

const probe = spawnSync('perl', ['-MMail::SpamAssassin::Client', '-e', '1']);
const missing = probe.status !== 0 ? 'skipped: Mail::SpamAssassin::Client not installed (apt-get install spamassassin)' : undefined;
if (missing) console.log(`# perl-client.test: ${missing}`);

const SCRIPT = String.raw`
use strict; use Mail::SpamAssassin::Client;
my ($port, $tell) = @ARGV;
my $spam = "Subject: Test spam mail (GTUBE)\n\nXJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n";
my $ham = "Subject: hello there\n\nJust a note.\n";
my $c = Mail::SpamAssassin::Client->new({ host => '127.0.0.1', port => $port, username => 'bob' });
my $r;
print "ping=", ($c->ping ? 1 : 0), "\n";
$r = $c->check($spam); print "check=$r->{isspam} $r->{score} $r->{threshold}\n";
$r = $c->check($ham); print "checkham=$r->{isspam} $r->{score} $r->{threshold}\n";
$r = $c->process($spam); print "process=", ($r->{message} =~ /^X-Spam-Flag: YES$/m ? 'flagged' : 'not flagged'), "\n";
$r = $c->headers($ham); print "headers=", ($r->{message} =~ /X-Spam-Status: No, score=1\.5/ && $r->{message} !~ /Just a note/ ? 'ok' : 'bad'), "\n";
$r = $c->spam_report($spam); print "report=", ($r->{report} // $r->{message} // '') =~ /1000 GTUBE/ ? 'ok' : 'bad', "\n";
$r = $c->spam_report_ifspam($ham); print "report_ifspam=", length($r->{report} // $r->{message} // ''), " $r->{isspam}\n";
if ($tell) {
  my $l = $c->learn($spam, 0); print "learn=", (defined $l ? ($l ? 1 : 0) : 'undef'), " code=", $c->{resp_code}, "\n";
  $l = $c->report($spam); print "tellreport=", (defined $l ? ($l ? 1 : 0) : 'undef'), "\n";
  $l = $c->revoke($spam); print "revoke=", (defined $l ? ($l ? 1 : 0) : 'undef'), "\n";
}
`;

suiteUnless(missing, 'Mail::SpamAssassin::Client against hamletd', () => {
  let d: Running;
  before(async () => {
    d = await startHamletd(['-C', smallRules(), '-l', '-m', '1']);
  });
  after(async () => {
    await d.stop();
  });

  test('ping, check, process, headers, spam_report, spam_report_ifspam, learn, report, revoke', () => {
    const r = spawnSync('perl', ['-e', SCRIPT, String(d.port), '1'], { timeout: 60_000 });
    assert.equal(r.stderr.toString(), '');
    assert.equal(
      r.stdout.toString(),
      [
        'ping=1',
        'check=True 1000 5',
        'checkham=False 1.5 5',
        'process=flagged',
        'headers=ok',
        'report=ok',
        'report_ifspam=0 No',
        // No learner yet: TELL is answered without DidSet, which the client reads as "not learned".
        'learn=0 code=0',
        'tellreport=0',
        'revoke=0',
        '',
      ].join('\n'),
    );
    // The extra CRLF the client sends after the counted body did not disturb the server.
    return raw(d.port, 'PING SPAMC/1.5\r\n\r\n').then((b) => assert.equal(b.toString(), 'SPAMD/1.5 0 PONG\r\n'));
  });
});
