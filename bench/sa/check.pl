#!/usr/bin/perl
# Our own driver: scan files with real SpamAssassin (local tests only, Bayes and AWL off)
# and print one line per message: path, score, tests hit, sub-rules hit, milliseconds the check
# took (tab-separated).
# With --dns IP:PORT, network tests are on and every query goes to that server only; --state
# is then SpamAssassin's user-state directory (dns_block_rule files land there, not in ~).
# With --bayes PATH, Bayes is on with the database at that bayes_path (no auto-learn, no expiry).
# Usage: perl bench/sa/check.pl [--rules DIR] [--site DIR] [--dns IP:PORT --state DIR] [--bayes PATH] < filelist
use strict;
use warnings;
use Mail::SpamAssassin;
use Getopt::Long;
use Time::HiRes qw(time);

my ($rules, $site, $dns, $state, $bayes) = ('/usr/share/spamassassin', '/etc/spamassassin', '', '', '');
GetOptions('rules=s' => \$rules, 'site=s' => \$site, 'dns=s' => \$dns, 'state=s' => \$state, 'bayes=s' => \$bayes) or die "bad options\n";
my $bayes_cf = $bayes eq '' ? "use_bayes 0\n" : "use_bayes 1\nbayes_path $bayes\nbayes_auto_expire 0\n";
my $off = $bayes_cf . "bayes_auto_learn 0\nuse_razor2 0\nuse_pyzor 0\nifplugin Mail::SpamAssassin::Plugin::AWL\nuse_auto_whitelist 0\nendif\n";
my $net = $dns eq '' ? "skip_rbl_checks 1\ndns_available no\n" : "dns_available yes\nclear_dns_servers\ndns_server $dns\n";

my $sa = Mail::SpamAssassin->new({
  rules_filename      => $rules,
  site_rules_filename => $site,
  userprefs_filename  => '/dev/null',
  local_tests_only    => $dns eq '' ? 1 : 0,
  dont_copy_prefs     => 1,
  ($state eq '' ? () : (userstate_dir => $state, home_dir_for_helpers => $state)),
  post_config_text    => $off . $net,
});
$sa->compile_now(0);

$| = 1;
while (my $path = <STDIN>) {
  chomp $path;
  next if $path eq '';
  open(my $fh, '<:raw', $path) or do { print "$path\tERROR\t\t\n"; next };
  # Slurp in a block of its own: $/ must be back to "\n" while SpamAssassin runs (its chomps depend on it).
  my $text = do { local $/; <$fh> };
  close $fh;
  my $t0 = time();
  my $msg = $sa->parse($text, 0);
  my $pms = $sa->check($msg);
  my $ms = (time() - $t0) * 1000;
  my $tests = join(',', sort split(/,/, $pms->get_names_of_tests_hit()));
  my %seen;
  my $sub = join(',', grep { !$seen{$_}++ } sort split(/,/, $pms->get_names_of_subtests_hit()));
  printf "%s\t%.3f\t%s\t%s\t%.1f\n", $path, $pms->get_score(), $tests, $sub, $ms;
  $pms->finish();
  $msg->finish();
}
