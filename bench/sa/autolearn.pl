#!/usr/bin/perl
# Our own driver: scan files with real SpamAssassin (local tests only, AWL off) with
# auto-learn on and a Bayes path it cannot create, so nothing is ever learned (every scan
# stays in score set 0) but each decision is still made. Prints per message: path, the
# _AUTOLEARN_ tag, the _AUTOLEARNSCORE_ tag (tab-separated).
# Usage: perl bench/sa/autolearn.pl [--rules DIR] [--site DIR] < filelist
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
  post_config_text    => "use_bayes 1\nbayes_auto_learn 1\nbayes_path /proc/hamlet-no-such-dir/bayes\nskip_rbl_checks 1\ndns_available no\nuse_razor2 0\nuse_pyzor 0\nifplugin Mail::SpamAssassin::Plugin::AWL\nuse_auto_whitelist 0\nendif\n",
});
$sa->compile_now(0);

$| = 1;
while (my $path = <STDIN>) {
  chomp $path;
  next if $path eq '';
  open(my $fh, '<:raw', $path) or do { print "$path\tERROR\t\n"; next };
  my $text = do { local $/; <$fh> };
  close $fh;
  my $msg = $sa->parse($text, 0);
  my $pms = $sa->check($msg);
  printf "%s\t%s\t%s\n", $path, $pms->get_tag('AUTOLEARN') // '', $pms->get_tag('AUTOLEARNSCORE') // '';
  $pms->finish();
  $msg->finish();
}
