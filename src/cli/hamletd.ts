/**
 * `hamletd`: a spamd for hamlet. Same protocol, same options where they make
 * sense; scanning happens in a pool of worker threads. This file wires options
 * to the pieces in src/spamd: listeners, worker pool, logging, signals, pidfile,
 * privileges.
 *
 * Exit codes: 0 after SIGTERM/SIGINT; 64 bad command line; 2 no rules found;
 * 70 the server could not start (a port in use, a configuration that fails).
 */
// First: V8's regex flags must be set before any rule regex exists.
import '../regex-flags';
import { Command, CommanderError } from 'commander';
import type { Server as HttpServer } from 'node:http';
import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RULES_DIR, type LoadOptions } from '../config/read';
import { HAMLET_VERSION } from '../util/version';
import { NetSet } from '../util/cidr';
import { parseListen } from '../spamd/listen';
import { makeLogger, type LogFormat, type Logger } from '../spamd/log';
import { isLoopback, makeMetrics, parseMetricsListen, serveMetrics, type MetricsAddress, type ScanObserver } from '../spamd/metrics';
import { DEFAULT_SCANS_PER_WORKER, PLAIN_REGEX_OVER, WARM_SCANS, WorkerPool } from '../spamd/pool';
import { SpamdServer, type ListenSpec } from '../spamd/server';
import { shutdown } from '../spamd/shutdown';
import { passwdEntry } from '../spamd/user-prefs';
import type { WorkerConfig } from '../spamd/worker';
import { commandLoadOptions, DEFAULT_SITE_DIR, hasCfFiles, sourceLines, type RulesChoice } from './config-dirs';
import { exitQuietlyWhenOutputCloses } from './output';

interface Opts {
  configpath?: string;
  siteconfigpath?: string;
  cf: string[];
  /** `--rule-cache DIR`, or false for `--no-rule-cache`. */
  ruleCache?: string | false;
  local?: boolean;
  allowTell?: boolean;
  listen: (string | true)[];
  port: string;
  allowedIps: string[];
  maxChildren?: string;
  maxConnPerChild: string;
  plainRegexOver: string;
  warmScans: string;
  maxScansPerWorker: string;
  timeoutTcp: string;
  timeoutChild: string;
  timeoutRequest: string;
  shutdownTimeout: string;
  pidfile?: string;
  syslog: string;
  logFormat: string;
  metricsListen?: string;
  username?: string;
  ssl?: boolean;
  sslPort?: string;
  serverKey?: string;
  serverCert?: string;
  socketpath?: string;
  socketmode?: string;
  nouserConfig?: boolean;
  virtualConfigDir?: string;
  allowUserRules?: boolean;
  createPrefs?: boolean;
  helperHomeDir?: string | boolean;
  maxSize: string;
  maxQueue: string;
  maxConn: string;
  maxConnPerIp: string;
  debug?: string | boolean;
  daemonize?: boolean;
}

/** Measured with bench:spamd's settings (Debian's stock rules, 2 workers, 2 cores). */
const START_UP_HELP = `
Start-up: hamletd listens (and answers PING) at once, but its scan workers first
load the rules, compile their regexes and check 200 made-up messages so that the
first real scans run at full speed (--warm-scans). With Debian's stock rules on
two cores: about 2 s when the compiled rule-set cache is current (0.2 s to load
the rules, 1.7 s for the regexes), about 4 s when the rules must be compiled
first (after an edit or an upgrade), plus about 3 s for the warm-up messages;
more on a busy host. Scans that arrive meanwhile wait for them; the log line
"N scan workers ready in X s" says when they are taken. A SIGHUP reload costs
the same, while the running workers go on scanning.`;

const list = (v: string, prev: string[]): string[] => [...prev, ...v.split(',').filter((x) => x.trim() !== '')];
const repeat = (v: string, prev: string[]): string[] => [...prev, v];

function program(out: (s: string) => void): Command {
  return new Command('hamletd')
    .description('A spamd-compatible daemon for hamlet: SPAMC/SPAMD 1.0-1.5 on TCP, TLS and unix sockets')
    .version(`hamletd version ${HAMLET_VERSION}\n  running on Node.js ${process.version}`, '-V, --version', 'print version')
    .helpOption('-h, --help', 'print usage message')
    .option('-C, --configpath <dir>', `rules directory (default: ${DEFAULT_RULES_DIR})`)
    .option('--siteconfigpath <dir>', `site configuration directory (default: ${DEFAULT_SITE_DIR})`)
    .option('--cf <line>', 'additional configuration line (repeatable)', repeat, [])
    .option('--rule-cache <dir>', "directory of the compiled rule-set cache (default: $HAMLET_CACHE_DIR, else the daemon user's ~/.cache/hamlet)")
    .option('--no-rule-cache', 'compile the rules without the cache')
    .option('-L, --local', 'local tests only: no DNS blocklists, URI lists, SPF, DKIM or DMARC')
    .option('-l, --allow-tell', 'allow TELL (learning and reporting)')
    .option('-i, --listen [address]', 'listen on address[:port], [v6]:port or /unix/path (repeatable; default 127.0.0.1 and ::1)', (v: string | true, prev: (string | true)[]) => [...prev, v], [])
    .option('-p, --port <port>', 'default port', '783')
    .option('-A, --allowed-ips <nets>', 'comma-separated addresses/CIDR allowed to connect (default 127.0.0.1,::1)', list, [])
    .option('-m, --max-children <n>', 'scan workers (default: CPUs, at most 5)')
    .option('--max-conn-per-child <n>', 'recycle a worker after n scans (0: never)', '0')
    .option('--plain-regex-over <chars>', "rule patterns longer than this are compiled without V8's regex optimisations, the few that keep scans busy optimised later: less memory, slower scans (0: every pattern optimised)", String(PLAIN_REGEX_OVER))
    .option('--warm-scans <n>', 'made-up messages each worker checks before taking mail, so the first scans run at full speed (0: none)', String(WARM_SCANS))
    .option('--max-scans-per-worker <n>', 'scans one worker holds at once, overlapping their DNS waits (1: one at a time)', String(DEFAULT_SCANS_PER_WORKER))
    .option('--timeout-tcp <s>', 'seconds to wait for a request\'s headers, and for each piece of its body (0: none)', '30')
    .option('--timeout-child <s>', 'seconds a scan may take before its worker is replaced (0: none)', '300')
    .option('--timeout-request <s>', 'seconds the whole request (headers and body) may take to arrive (0: none)', '120')
    .option('--shutdown-timeout <s>', 'on SIGTERM, seconds open requests get to finish before stuck scans are stopped', '20')
    .option('-r, --pidfile <file>', 'write the server pid to file')
    .option('-s, --syslog <facility>', 'log to a syslog facility, stderr, null, file or a file path', 'stderr')
    .option('--log-format <format>', 'log lines as spamd writes them (text) or one JSON object per line (json)', 'text')
    .option('--metrics-listen <addr:port>', 'serve Prometheus metrics on http://addr:port/metrics (off by default; a port alone means 127.0.0.1)')
    .option('-u, --username <user>', 'run as this user (when started as root)')
    .option('--ssl', 'accept only TLS connections on the TCP listeners (or on --ssl-port)')
    .option('--ssl-port <port>', 'port for TLS connections alongside plain ones on --port')
    .option('--server-key <file>', 'TLS key (PEM)')
    .option('--server-cert <file>', 'TLS certificate (PEM)')
    .option('--socketpath <path>', 'listen on a unix socket')
    .option('--socketmode <mode>', 'octal mode of the unix socket')
    .option('-x, --nouser-config', 'no per-user preferences or databases')
    .option('--user-config', 'read ~user/.hamlet/user_prefs, else ~user/.spamassassin/user_prefs (default)')
    .option('--virtual-config-dir <pattern>', 'per-user directory pattern (%u, %l, %d, %x, %%) holding user_prefs')
    .option('--allow-user-rules', 'honour rule definitions in user_prefs')
    .option('-c, --create-prefs', "create a user's preferences file when missing")
    .option('-H, --helper-home-dir [dir]', 'HOME for helper applications (hamlet runs none)')
    .option('--max-size <bytes>', 'largest message accepted', String(4 * 1024 * 1024))
    .option('--max-queue <n>', 'scans waiting for a worker at most; more are refused', '500')
    .option('--max-conn <n>', 'open connections at most; when full, the most idle unfinished request is dropped for a new client', '512')
    .option('--max-conn-per-ip <n>', 'open connections from one client address at most (0: no cap)', '256')
    .option('-D, --debug [areas]', 'log debug lines')
    .option('-d, --daemonize', 'not supported: run hamletd under a service manager')
    // spamd options hamletd accepts and ignores, so spamd command lines work unchanged.
    .option('--min-children <n>', '(ignored: workers are all started at once)')
    .option('--min-spare <n>', '(ignored)')
    .option('--max-spare <n>', '(ignored)')
    .option('--round-robin', '(ignored)')
    .option('-4, --ipv4only', '(ignored)')
    .addHelpText('after', START_UP_HELP)
    .configureOutput({ writeOut: out, writeErr: out })
    .exitOverride();
}

function int(v: string, name: string, min = 0): number {
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`${name} must be a whole number >= ${min}, not "${v}"`);
  return Number(v);
}

class UsageError extends Error {}

function listenSpecs(o: Opts): ListenSpec[] {
  const port = int(o.port, '--port');
  let tls: { key: Buffer; cert: Buffer } | undefined;
  if (o.ssl || o.sslPort) {
    if (!o.serverKey || !o.serverCert) throw new UsageError('--ssl needs --server-key and --server-cert');
    tls = { key: readFileSync(o.serverKey), cert: readFileSync(o.serverCert) };
  }
  const socketMode = o.socketmode ? parseInt(o.socketmode, 8) : undefined;
  const values = o.listen.map((v) => (v === true ? '*' : v));
  const defaults = values.length === 0 && !o.socketpath;
  if (defaults) values.push('127.0.0.1', '[::1]');
  const specs: ListenSpec[] = [];
  for (const v of values) {
    const plain = parseListen(v, { port, socketMode, tls: o.sslPort ? undefined : tls });
    if (!plain) throw new UsageError(`cannot read listen address "${v}"`);
    specs.push(defaults && plain.kind === 'tcp' && plain.host === '::1' ? { ...plain, optional: true } : plain);
    if (o.sslPort && plain.kind === 'tcp') specs.push({ ...plain, port: int(o.sslPort, '--ssl-port'), tls });
  }
  if (o.socketpath) specs.push({ kind: 'unix', path: o.socketpath, mode: socketMode });
  return specs;
}

/** The same search as hamlet's and hamlet-learn's (config-dirs.ts); users' preferences are read per request. */
function loadOptions(o: Opts): LoadOptions & { rules: RulesChoice } {
  return commandLoadOptions(o, { userPrefs: false });
}

const ROOT_WITHOUT_U =
  "running as root without -u: each user's files are used only inside that user's home, owned by that user; " +
  'root, unknown users and users without a home of their own get the site configuration and no per-user files';

/**
 * What spamd refuses at start: --virtual-config-dir as root without -u (its
 * files would belong to root, in a tree others may write). -H must name a directory.
 */
function checkPrivileges(o: Opts, asRoot: boolean): void {
  if (o.virtualConfigDir !== undefined && asRoot) {
    throw new UsageError('cannot use --virtual-config-dir without -u when started as root (name the user that owns the virtual config directories)');
  }
  const helper = o.helperHomeDir;
  if (typeof helper === 'string' && !isDirectory(helper)) throw new UsageError(`--helper-home-dir: ${helper} is not a directory`);
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where the workers keep the compiled rule-set cache. Started as root with `-u`, the default is
 * that user's own `~/.cache/hamlet` from the passwd file: the workers run as that user, and
 * root's $HOME and $XDG_CACHE_HOME are not theirs. The cache itself refuses a directory or file
 * its user does not own or that others can write (rule-cache-store.ts).
 */
function ruleCacheFor(o: Opts): WorkerConfig['ruleCache'] {
  if (o.ruleCache === false) return false;
  if (o.ruleCache !== undefined) return { dir: o.ruleCache };
  const pw = !process.env.HAMLET_CACHE_DIR && o.username && process.getuid?.() === 0 ? passwdEntry(o.username) : undefined;
  return pw ? { dir: join(pw.home, '.cache', 'hamlet') } : {};
}

/** Become `user` (primary group too) when running as root. */
function dropPrivileges(user: string, log: Logger): void {
  if (user === 'root') throw new UsageError('--username=root is not a valid option');
  if (process.getuid?.() !== 0) {
    log('warn', `not running as root, ignoring --username ${user}`);
    return;
  }
  const pw = passwdEntry(user);
  if (!pw) throw new UsageError(`user "${user}" not found`);
  (process as NodeJS.Process & { initgroups?: (u: string, g: number) => void }).initgroups?.(user, pw.gid);
  process.setgid?.(pw.gid);
  process.setuid?.(pw.uid);
  log('info', `running as ${user} (uid ${pw.uid}, gid ${pw.gid})`);
}

/** Run hamletd; resolves with the exit code once the server has stopped. */
export async function main(argv: readonly string[], err?: (s: string) => void): Promise<number> {
  // Logs stay asynchronous (a server must not block on a slow reader); a closed stderr ends it quietly.
  if (err === undefined) exitQuietlyWhenOutputCloses();
  err ??= (s) => void process.stderr.write(s);
  const cmd = program(err);
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 64;
    throw e;
  }
  const o = cmd.opts<Opts>();
  if (o.logFormat !== 'text' && o.logFormat !== 'json') {
    err(`hamletd: --log-format must be text or json, not "${o.logFormat}"\n`);
    return 64;
  }
  const metricsAt = o.metricsListen !== undefined ? parseMetricsListen(o.metricsListen) : undefined;
  if (o.metricsListen !== undefined && !metricsAt) {
    err(`hamletd: --metrics-listen: cannot read "${o.metricsListen}" (give ADDR:PORT, [v6]:PORT or PORT)\n`);
    return 64;
  }
  const log = makeLogger(o.syslog, o.debug !== undefined, err, o.logFormat as LogFormat);
  let specs: ListenSpec[];
  let allowed: NetSet;
  let pool: WorkerPool;
  let server: SpamdServer;
  let graceMs: number;
  let metrics: { at: MetricsAddress; registry: ReturnType<typeof makeMetrics>['registry']; observer: ScanObserver } | undefined;
  let metricsServer: HttpServer | undefined;
  const lo = loadOptions(o);
  // Root that stays root: each request is served as its user would be (see user-prefs.ts).
  const asRoot = process.getuid?.() === 0 && !o.username;
  try {
    if (o.daemonize) throw new UsageError('--daemonize is not supported; run hamletd under a service manager (systemd, runit)');
    if (!hasCfFiles(lo.configPath!)) {
      err(`hamletd: config: no rules were found in ${lo.configPath} (give a rules directory with -C)\n`);
      return 2;
    }
    specs = listenSpecs(o);
    allowed = new NetSet();
    for (const a of o.allowedIps.length > 0 ? o.allowedIps : ['127.0.0.1', '::1']) {
      const bad = allowed.add(a.trim());
      if (bad) throw new UsageError(`--allowed-ips: ${bad}`);
    }
    checkPrivileges(o, asRoot);
    graceMs = int(o.shutdownTimeout, '--shutdown-timeout') * 1000;
    const size = o.maxChildren !== undefined ? int(o.maxChildren, '--max-children', 1) : Math.min(5, availableParallelism());
    const ruleCache = ruleCacheFor(o);
    const workerConfig = (): WorkerConfig => ({
      load: lo,
      ruleCache,
      allowUserRules: o.allowUserRules === true,
      warm: true,
      plainRegexOver: int(o.plainRegexOver, '--plain-regex-over'),
      warmScans: int(o.warmScans, '--warm-scans'),
      childTimeoutMs: int(o.timeoutChild, '--timeout-child') * 1000,
      local: o.local === true,
      metrics: metricsAt !== undefined,
    });
    pool = new WorkerPool({
      size,
      config: workerConfig,
      maxQueue: int(o.maxQueue, '--max-queue', 1),
      jobTimeoutMs: int(o.timeoutChild, '--timeout-child') * 1000,
      maxJobsPerWorker: int(o.maxConnPerChild, '--max-conn-per-child'),
      maxScansPerWorker: int(o.maxScansPerWorker, '--max-scans-per-worker', 1),
      log,
      // A stand-in worker for the tests of what no rule can do any more (stall a scan); the
      // environment is the administrator's, who can load any code through NODE_OPTIONS anyway.
      script: process.env.HAMLET_WORKER_SCRIPT || undefined,
    });
    metrics = metricsAt ? { at: metricsAt, ...makeMetrics(pool) } : undefined;
    server = new SpamdServer(
      {
        listen: specs,
        allowed,
        timeoutTcpMs: int(o.timeoutTcp, '--timeout-tcp') * 1000,
        requestTimeoutMs: int(o.timeoutRequest, '--timeout-request') * 1000,
        maxBytes: int(o.maxSize, '--max-size', 1),
        allowTell: o.allowTell === true,
        prefs: { virtualConfigDir: o.virtualConfigDir, userConfig: !o.nouserConfig, asRoot, createPrefs: o.createPrefs === true },
        maxConnections: int(o.maxConn, '--max-conn', 1),
        maxConnectionsPerIp: int(o.maxConnPerIp, '--max-conn-per-ip'),
        log,
        observer: metrics?.observer,
      },
      pool,
    );
  } catch (e) {
    if (e instanceof UsageError) {
      err(`hamletd: ${e.message}\n`);
      return 64;
    }
    err(`hamletd: ${(e as Error).message}\n`);
    return 70;
  }

  try {
    await server.listen();
    if (metrics) {
      const served = await serveMetrics(metrics.registry, metrics.at);
      metricsServer = served.server;
      log('info', `metrics on http://${served.address}/metrics`);
      if (!isLoopback(metrics.at.host)) log('warn', `--metrics-listen ${o.metricsListen}: the metrics are served beyond this host; allow only the scraper in the firewall`);
    }
  } catch (e) {
    // ::1 is a default, not a requirement: a host without IPv6 still serves 127.0.0.1.
    log('error', `could not listen: ${(e as Error).message}`);
    await server.close(0);
    metricsServer?.close();
    return 70;
  }
  if (o.pidfile) writeFileSync(o.pidfile, `${process.pid}\n`);
  try {
    if (o.username) dropPrivileges(o.username, log);
    else if (asRoot && !o.nouserConfig) log('warn', ROOT_WITHOUT_U);
    await pool.start();
  } catch (e) {
    log('error', (e as Error).message);
    await server.close(0);
    metricsServer?.close();
    await pool.close();
    if (o.pidfile) removeQuietly(o.pidfile);
    return e instanceof UsageError ? 64 : 70;
  }
  for (const line of sourceLines(lo)) log('info', `config: ${line}`);
  log('info', `server started on ${server.addresses.join(', ')} (running version ${HAMLET_VERSION})`);
  log('info', `server pid: ${process.pid}, ${pool.size} scan workers, up to ${pool.scansPerWorker} scans each at once, network tests ${o.local ? 'off (-L)' : 'on unless the configuration turns them off'}`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (sig: string): void => {
      if (stopping) return;
      stopping = true;
      log('info', `server killed by ${sig}, shutting down`);
      void (async () => {
        await shutdown(server, pool, graceMs, log);
        metricsServer?.close();
        if (o.pidfile) removeQuietly(o.pidfile);
        log('info', 'server stopped');
        log.close();
        resolve(0);
      })();
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => {
      log.reopen();
      log('info', 'server hit by SIGHUP, reloading configuration');
      // The pool coalesces reloads and logs their outcome.
      pool.reload().catch(() => {});
    });
  });
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
