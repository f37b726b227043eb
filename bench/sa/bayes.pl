#!/usr/bin/perl
# Our own driver for Bayes comparisons with real SpamAssassin (local tests only).
#   perl bench/sa/bayes.pl tokens < filelist          one line per message: path, then its raw Bayes tokens (hex), tab-separated
#   perl bench/sa/bayes.pl score DBPATH < filelist    one line per message: path, Bayes probability ('' when Bayes gave none)
#   perl bench/sa/bayes.pl score-cf CFFILE < filelist  the same, with the store named by the config lines in CFFILE (SQL, Redis)
use strict;
use warnings;
use Mail::SpamAssassin;

my ($mode, $dbpath) = @ARGV;
die "usage: bayes.pl tokens|score [bayes_path]|score-cf cffile\n" unless $mode && ($mode eq 'tokens' || (($mode eq 'score' || $mode eq 'score-cf') && $dbpath));
my $extra = '';
if ($mode eq 'score-cf') {
  open(my $cfh, '<', $dbpath) or die "$dbpath: $!\n";
  $extra = do { local $/; <$cfh> };
  close $cfh;
  ($mode, $dbpath) = ('score', undef);
}
my $cf = "use_bayes 1\nbayes_auto_learn 0\nbayes_auto_expire 0\nskip_rbl_checks 1\ndns_available no\nuse_razor2 0\nuse_pyzor 0\n"
  . ($dbpath ? "bayes_path $dbpath\n" : '') . $extra;
my $sa = Mail::SpamAssassin->new({
  rules_filename => '/usr/share/spamassassin', site_rules_filename => '/etc/spamassassin',
  userprefs_filename => '/dev/null', local_tests_only => 1, dont_copy_prefs => 1, post_config_text => $cf,
});
$sa->compile_now(0);
my ($bayes) = grep { ref($_) eq 'Mail::SpamAssassin::Plugin::Bayes' } @{$sa->{plugins}->{plugins}};
die "no Bayes plugin\n" unless $bayes;

$| = 1;
while (my $path = <STDIN>) {
  chomp $path;
  next if $path eq '';
  open(my $fh, '<:raw', $path) or do { print "$path\tERROR\n"; next };
  my $text = do { local $/; <$fh> };
  close $fh;
  my $msg = $sa->parse($text, 0);
  if ($mode eq 'tokens') {
    my $data = $bayes->get_body_from_msg($msg);
    my $toks = $bayes->tokenize($msg, $data);
    print join("\t", $path, map { unpack('H*', $_) } sort values %$toks), "\n";
  } else {
    my $pms = Mail::SpamAssassin::PerMsgStatus->new($sa, $msg);
    $msg->extract_message_metadata($pms);
    my $score = $bayes->scan($pms, $msg);
    printf "%s\t%s\n", $path, defined $score ? sprintf('%.17g', $score) : '';
    $pms->finish();
  }
  $msg->finish();
}
