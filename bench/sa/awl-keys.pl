#!/usr/bin/perl
# Our own driver: scan files with real SpamAssassin's AWL plugin on (and nothing else
# scored) and print, per message, the key the AWL stored: path TAB "addr|ip=..." (empty
# when the AWL stored nothing). The database is removed after each message, so it holds
# exactly that message's key.
# Usage: perl bench/sa/awl-keys.pl --dir TMPDIR < filelist
use strict;
use warnings;
use Mail::SpamAssassin;
use DB_File;
use Fcntl;
use Getopt::Long;

my $dir;
GetOptions('dir=s' => \$dir) or die "bad options\n";
die "--dir is required\n" unless $dir;
mkdir "$dir/rules"; mkdir "$dir/site";
open(my $cf, '>', "$dir/rules/10_awl.cf") or die "$!\n";
print $cf <<"CF";
loadplugin Mail::SpamAssassin::Plugin::Check
loadplugin Mail::SpamAssassin::Plugin::AWL
header AWL eval:check_from_in_auto_welcomelist()
tflags AWL userconf noautolearn
priority AWL 1000
use_auto_welcomelist 1
auto_welcomelist_path $dir/awl
use_bayes 0
util_rb_tld com net org
CF
close $cf;

my $sa = Mail::SpamAssassin->new({
  rules_filename => "$dir/rules", site_rules_filename => "$dir/site", userprefs_filename => '/dev/null',
  local_tests_only => 1, dont_copy_prefs => 1,
});
$sa->init(1);

$| = 1;
while (my $path = <STDIN>) {
  chomp $path;
  next if $path eq '';
  open(my $fh, '<:raw', $path) or do { print "$path\tERROR\n"; next };
  my $text = do { local $/; <$fh> };
  close $fh;
  my $msg = $sa->parse($text);
  my $status = $sa->check($msg);
  $status->finish;
  $msg->finish;
  my @keys;
  if (-e "$dir/awl") {
    tie(my %db, 'DB_File', "$dir/awl", O_RDONLY, 0, $DB_HASH) or die "cannot read $dir/awl: $!\n";
    @keys = grep { !/\|totscore$/ } keys %db;
    untie %db;
    unlink "$dir/awl";
  }
  print "$path\t", join(' ', @keys), "\n";
}
