#!/usr/bin/perl
# Times SpamAssassin 4.0.1's message parser over a list of files (one path per line on stdin):
# parse, then ask for the rendered body, the URI list and every decoded header.
# With --dump, prints per message: path, X-Spam-Relays-Trusted, -Untrusted, sorted URI list.
# Prints "SA parse messages=N seconds=S peak_mb=M" at the end.
use strict;
use warnings;
binmode(STDOUT, ":utf8");
use Time::HiRes qw(time);
use File::Temp qw(tempdir);
use Mail::SpamAssassin;
use Mail::SpamAssassin::PerMsgStatus;

my $dump = grep { $_ eq '--dump' } @ARGV;
my @paths = map { chomp; $_ } <STDIN>;
my @raw;
for my $p (@paths) {
  open(my $fh, '<:raw', $p) or die "$p: $!";
  local $/;
  push @raw, scalar <$fh>;
}
# Only the TLD lists: URI extraction needs them, rules would only slow the parse.
my $cfdir = tempdir(CLEANUP => 1);
system('cp', '/usr/share/spamassassin/20_aux_tlds.cf', $cfdir) == 0 or die "no 20_aux_tlds.cf";
my $sa = Mail::SpamAssassin->new({
  rules_filename => $cfdir, site_rules_filename => $cfdir, userprefs_filename => '/dev/null',
  dont_copy_prefs => 1, local_tests_only => 1, post_config_text => "use_bayes 0\nuse_auto_whitelist 0\n",
});
$sa->init(0);
# Two passes, as on the hamlet side; the second is reported.
my ($t0, $c0);
for my $pass (1, 2) {
$t0 = time;
$c0 = cpu_seconds();
for my $i (0 .. $#raw) {
  my $msg = $sa->parse($raw[$i], 1);
  my $pms = Mail::SpamAssassin::PerMsgStatus->new($sa, $msg);
  $msg->extract_message_metadata($pms);
  my $body = $pms->get_decoded_stripped_body_text_array();
  my @uris = $pms->get_uri_list();
  for my $name ($msg->get_all_headers(0)) { }
  my @h = map { scalar $msg->get_header($_) } qw(From To Subject Date Message-Id Received);
  if ($dump && $pass == 2) {
    my $t = $msg->get_metadata('X-Spam-Relays-Trusted') // '';
    my $u = $msg->get_metadata('X-Spam-Relays-Untrusted') // '';
    chomp($t, $u);
    print join("\t", $paths[$i], $t, $u, join(' ', sort @uris)), "\n";
  }
  $pms->finish();
  $msg->finish();
}
}
my $secs = time - $t0;
my $cpu = cpu_seconds() - $c0;
my $peak = 0;
if (open(my $st, '<', '/proc/self/status')) { while (<$st>) { $peak = $1 / 1024 if /^VmHWM:\s+(\d+)/ } }
# CPU seconds (user + system) next to wall seconds: on a shared VM the wall clock also counts other jobs.
sub cpu_seconds { my @t = times; return $t[0] + $t[1]; }
printf STDERR "SA parse messages=%d seconds=%.3f cpu_seconds=%.3f peak_mb=%.1f\n", scalar @raw, $secs, $cpu, $peak;
