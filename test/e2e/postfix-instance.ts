/**
 * A Postfix instance of a test's own: `postfix -c DIR start` with its own main.cf and master.cf,
 * queue and data directories in a temporary directory, listening on 127.0.0.1 only, logging to a
 * file (there is no syslog here). Stopped with `postfix -c DIR stop`, which ends only this
 * instance's master.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { passwdEntry } from '../../src/spamd/user-prefs';

/** The services Postfix itself needs, none chrooted (master.cf's columns: type private unpriv chroot wakeup maxproc command). */
const BASE_SERVICES = `pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
local unix - n n - - local
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
`;

export interface PostfixOptions {
  readonly dir: string;
  readonly smtpPort: number;
  readonly domain: string;
  /** Lines appended to main.cf (the tutorial's). */
  readonly main: string;
  /** Services appended to master.cf (the tutorial's). */
  readonly master: string;
}

export interface Postfix {
  readonly configDir: string;
  log(): string;
  stop(): void;
}

export function startPostfix(o: PostfixOptions): Postfix {
  const conf = join(o.dir, 'postfix');
  const data = join(o.dir, 'postfix-data');
  const queue = join(o.dir, 'postfix-queue');
  const maillog = join(o.dir, 'maillog');
  for (const d of [conf, data, queue]) mkdirSync(d, { recursive: true });
  const owner = passwdEntry('postfix');
  if (owner) chownSync(data, owner.uid, owner.gid);
  writeFileSync(
    join(conf, 'main.cf'),
    `# This test's own instance.
compatibility_level = 3.6
queue_directory = ${queue}
data_directory = ${data}
maillog_file = ${maillog}
maillog_file_prefixes = ${o.dir}
myhostname = mx.${o.domain}
mydomain = ${o.domain}
mydestination = ${o.domain}, localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
smtputf8_enable = no
biff = no
# The tutorial's lines.
${o.main}`,
  );
  writeFileSync(join(conf, 'master.cf'), `127.0.0.1:${o.smtpPort} inet n - n - - smtpd\n${BASE_SERVICES}${o.master}`);
  const r = spawnSync('postfix', ['-c', conf, 'start'], { encoding: 'utf8' });
  const log = (): string => {
    try {
      return readFileSync(maillog, 'utf8');
    } catch {
      return '';
    }
  };
  if (r.status !== 0) throw new Error(`postfix -c ${conf} start failed (${r.status}): ${r.stderr}\n${log()}`);
  return {
    configDir: conf,
    log,
    stop: () => void spawnSync('postfix', ['-c', conf, 'stop'], { encoding: 'utf8' }),
  };
}
