/**
 * amavisd-new 2.13 run by a test: its own configuration and home in a temporary directory, one
 * child process, listening on a free port, stopped by its PID. SpamdClient hardcodes
 * 127.0.0.1:783; the test configuration redirects that address to hamletd's port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { passwdEntry } from '../../src/spamd/user-prefs';
import { portOpen } from '../spamd/helpers';

export const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Why amavisd-new cannot run here, or undefined when it can (root, amavisd, its user, swaks). */
export function amavisMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'skipped: amavisd-new test needs root';
  if (!has('amavisd') || !passwdEntry('amavis')) return 'skipped: amavisd-new not installed (run test/spamd/clients/install.sh)';
  if (!has('swaks')) return 'skipped: swaks not installed';
  return undefined;
}

export interface AmavisOptions {
  /** A directory the test owns (made readable by the amavis user here). */
  readonly dir: string;
  readonly port: number;
  /** Where amavis hands scanned mail on (an SMTP sink, or Postfix's reinjection port). */
  readonly forwardPort: number;
  readonly hamletdPort: number;
  /** Spam settings: tag levels, subject tag, destinies (the tutorial's lines, or a test's). */
  readonly spamSettings: string;
}

export interface Amavis {
  readonly home: string;
  log(): string;
  stop(): Promise<void>;
}

/** Start amavisd in the foreground and wait until it accepts connections. */
export async function startAmavis(o: AmavisOptions): Promise<Amavis> {
  const user = passwdEntry('amavis')!;
  chmodSync(o.dir, 0o755);
  const home = join(o.dir, 'amavis-home');
  for (const sub of ['tmp', 'db', 'var']) mkdirSync(join(home, sub), { recursive: true });
  for (const p of [home, join(home, 'tmp'), join(home, 'db'), join(home, 'var')]) chownSync(p, user.uid, user.gid);
  const conf = join(o.dir, 'amavisd-test.conf');
  writeFileSync(
    conf,
    `use strict;
$max_servers=1; $daemon_user='amavis'; $daemon_group='amavis';
$mydomain='example.test'; $myhostname='amavis.example.test';
$MYHOME='${home}'; $TEMPBASE="$MYHOME/tmp"; $db_home="$MYHOME/db"; $helpers_home="$MYHOME/var";
$enable_db=0; $enable_global_cache=0; $pid_file="$MYHOME/amavisd.pid"; $lock_file="$MYHOME/amavisd.lock";
$DO_SYSLOG=0; $LOGFILE="$MYHOME/amavis.log"; $log_level=5;
$inet_socket_bind='127.0.0.1'; $inet_socket_port=${o.port}; @inet_acl=qw(127.0.0.1 [::1]); @mynetworks=qw(127.0.0.0/8 [::1]);
$forward_method='smtp:[127.0.0.1]:${o.forwardPort}'; $notify_method=$forward_method; @local_domains_maps=(1);
@bypass_virus_checks_maps=(1); @av_scanners=(); @av_scanners_backup=();
$QUARANTINEDIR=undef; $virus_admin=undef; $spam_admin=undef; $enable_dkim_verification=0; $enable_dkim_signing=0; @decoders=();
${o.spamSettings}
require Amavis::IO::RW;
{ no warnings 'redefine'; my $o=\\&Amavis::IO::RW::new;
  *Amavis::IO::RW::new=sub{ my($c,$s,%a)=@_;
    $s=['127.0.0.1:${o.hamletdPort}'] if ref $s eq 'ARRAY' && grep(/:783\\z/,@$s);
    $o->($c,$s,%a)}; }
1;
`,
  );
  chmodSync(conf, 0o644);
  const proc: ChildProcess = spawn('amavisd', ['-c', conf, 'foreground'], { stdio: 'ignore' });
  const open = await portOpen(o.port, 60_000, () => proc.exitCode !== null);
  const log = (): string => {
    try {
      return readFileSync(join(home, 'amavis.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((r) => proc.once('exit', r));
    process.kill(proc.pid!, 'SIGTERM');
    await gone;
  };
  if (!open || proc.exitCode !== null) {
    await stop();
    throw new Error(`amavisd did not start:\n${log()}`);
  }
  return { home, log, stop };
}

/** Run swaks (asynchronously: an SMTP server in this process must keep answering); its transcript. */
export function swaks(args: readonly string[]): Promise<string> {
  return new Promise<string>((resolve) => {
    const c = spawn('swaks', [...args]);
    let o = '';
    c.stdout.on('data', (b: Buffer) => (o += b.toString()));
    c.stderr.on('data', (b: Buffer) => (o += b.toString()));
    c.on('close', () => resolve(o));
  });
}
