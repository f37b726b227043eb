#!/usr/bin/perl
# Our own driver: scan files with real SpamAssassin (local tests only, Bayes and AWL off)
# and print one line per message: path, score, tests hit, sub-rules hit (tab-separated).
# Usage: perl bench/sa/check.pl [--rules DIR] [--site DIR] < filelist
use strict;
use warnings;
use Mail::SpamAssassin;
use Getopt::Long;

my ($rules, $site) = ('/usr/share/spamassassin', '/etc/spamassassin');
GetOptions('rules=s' => \$rules, 'site=s' => \$site) or die "bad options\n";

my $sa = Mail::SpamAssassin->new({
  rules_filename      => $rules,
  site_rules_filename => $site,
  userprefs_filename  => '/dev/null',
  local_tests_only    => 1,
  dont_copy_prefs     => 1,
  post_config_text    => "use_bayes 0\nbayes_auto_learn 0\nskip_rbl_checks 1\ndns_available no\nuse_razor2 0\nuse_pyzor 0\nifplugin Mail::SpamAssassin::Plugin::AWL\nuse_auto_whitelist 0\nendif\n",
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
  my $msg = $sa->parse($text, 0);
  my $pms = $sa->check($msg);
  my $tests = join(',', sort split(/,/, $pms->get_names_of_tests_hit()));
  my %seen;
  my $sub = join(',', grep { !$seen{$_}++ } sort split(/,/, $pms->get_names_of_subtests_hit()));
  printf "%s\t%.3f\t%s\t%s\n", $path, $pms->get_score(), $tests, $sub;
  $pms->finish();
  $msg->finish();
}
