/**
 * hamletd's listeners and connection lifecycle. Each connection goes through the
 * same fixed steps, in order:
 *
 *   admit    the peer address is checked against --allowed-ips (unix sockets pass),
 *            then against the connection caps (connection-table.ts: the most idle
 *            reader makes room before a fresh client is refused)
 *   read     bytes go to a RequestReader; headers must arrive within --timeout-tcp,
 *            the body may not stall longer than --timeout-tcp, and the whole
 *            request must arrive within --timeout-request
 *   dispatch PING/SKIP are answered here; scans and TELL go to the worker pool
 *   reply    one write of the whole reply, then FIN (every client waits for the close)
 *   close    leftover client bytes are drained, the socket is released, a log line written
 *
 * Errors at any step become spamd's error line (`SPAMD/1.0 <code> <text>`).
 * Lines a client can cause for free (refusals, drops, read errors) are rate-limited.
 */
import { chmodSync, existsSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { NetSet } from '../util/cidr';
import { EX, SpamdError, timeout } from './codes';
import { ConnectionTable, type ConnEntry } from './connection-table';
import type { Level, Logger } from './log';
import { limitedLog, type LimitedLog } from './log-limit';
import type { ScanObserver } from './metrics';
import { PeerNames } from './peer-names';
import type { WorkerPool } from './pool';
import { checkReply, messageReply, needOf, pongReply, reportReply, symbolsReply, tellReply } from './reply';
import { RequestReader, type SpamdRequest } from './request';
import { connectionLine, messageLine, resultLine, tellLine, verdictLine, type PeerInfo, type ScanFacts, type SpamdLine } from './spamd-lines';
import { locatePrefs, userFields, type PrefsPolicy } from './user-prefs';

/** One listening socket. */
export type ListenSpec =
  | {
      readonly kind: 'tcp';
      readonly host: string;
      readonly port: number;
      readonly tls?: { readonly key: Buffer; readonly cert: Buffer };
      /** A default listener (::1) whose failure is only logged. */
      readonly optional?: boolean;
    }
  | { readonly kind: 'unix'; readonly path: string; readonly mode?: number };

export interface ServerOptions {
  readonly listen: readonly ListenSpec[];
  readonly allowed: NetSet;
  /** --timeout-tcp in ms; 0 turns socket time-outs off. */
  readonly timeoutTcpMs: number;
  /** --timeout-request in ms: the whole request must arrive within it; 0: no bound. */
  readonly requestTimeoutMs: number;
  readonly maxBytes: number;
  readonly allowTell: boolean;
  readonly prefs: PrefsPolicy;
  /** Open connections at most (--max-conn). */
  readonly maxConnections: number;
  /** Open connections from one client address at most (--max-conn-per-ip); 0: no cap. */
  readonly maxConnectionsPerIp: number;
  readonly log: Logger;
  /** Counts scans, errors and learns for the metrics endpoint; absent when it is off (no cost). */
  readonly observer?: ScanObserver;
}

/** A connection as spamd's lines name it; `rhost` is filled in once its name is known. */
interface Conn {
  peer: PeerInfo;
  /** `connection from` is written (once, before the request's other lines). */
  announced: boolean;
}

/** The uid spamd's lines show: the daemon's own (after `-u`), as spamd's children show theirs. */
const uid = (): number => process.getuid?.() ?? 0;

/** The per-request lines of spamd, under its area name. */
const spamdLog = (log: Logger, level: Level, l: SpamdLine): void => log(level, l.text, { area: 'spamd', fields: l.fields });

/** The steps of a connection, in order (log lines and tests name them). */
export const LIFECYCLE = ['admit', 'read', 'dispatch', 'reply', 'close'] as const;
export type Step = (typeof LIFECYCLE)[number];

/** How long a client may keep sending after its reply before it is cut off. */
const LINGER_MS = 5000;
/** How long a refused client gets to read its error line. */
const REFUSED_LINGER_MS = 200;
/**
 * Node's own accept limit, a backstop above --max-conn: refused clients linger
 * briefly, and a flood of them must not use up file descriptors.
 */
const BACKSTOP_EXTRA = 256;

const busy = (code: 'HAMLET_ERR_SPAMD_DROPPED' | 'HAMLET_ERR_SPAMD_REFUSED', why: 'per-ip' | 'global', what: string): SpamdError =>
  new SpamdError(code, EX.TEMPFAIL, `Service Unavailable: too many connections${why === 'per-ip' ? ' from this address' : ''}; ${what}`);

export class SpamdServer {
  private readonly servers: Server[] = [];
  private readonly open = new Set<Socket>();
  private readonly unixPaths: string[] = [];
  private readonly table: ConnectionTable;
  private readonly limited: LimitedLog;
  private readonly names = new PeerNames();
  /** Bound addresses, `host:port` or a path. */
  readonly addresses: string[] = [];
  /** Requests answered, errors sent, connections refused and dropped (tests and the log read these). */
  readonly counts = { requests: 0, errors: 0, refused: 0, dropped: 0 };

  constructor(
    private readonly opts: ServerOptions,
    private readonly pool: WorkerPool,
  ) {
    this.table = new ConnectionTable(opts.maxConnections, opts.maxConnectionsPerIp);
    this.limited = limitedLog(opts.log);
  }

  async listen(): Promise<void> {
    const handshakeTimeout = this.opts.timeoutTcpMs || 120_000;
    for (const spec of this.opts.listen) {
      const server =
        spec.kind === 'tcp' && spec.tls
          ? createTlsServer({ key: spec.tls.key, cert: spec.tls.cert, allowHalfOpen: true, handshakeTimeout }, (s) => this.connection(s, undefined))
          : createServer({ allowHalfOpen: true }, (s) => this.connection(s, spec.kind === 'unix' ? spec.path : undefined));
      server.maxConnections = this.opts.maxConnections + BACKSTOP_EXTRA;
      server.on('drop', (d) => this.limited('refused', 'warn', `connection from [${d?.remoteAddress ?? '?'}]:${d?.remotePort ?? '?'} refused: ${server.maxConnections} sockets open`));
      if (spec.kind === 'unix') removeStaleSocket(spec.path);
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          if (spec.kind === 'unix') server.listen(spec.path, () => resolve());
          else server.listen({ host: spec.host, port: spec.port }, () => resolve());
        });
      } catch (e) {
        if (spec.kind === 'tcp' && spec.optional) {
          this.opts.log('warn', `not listening on [${spec.host}]:${spec.port}: ${(e as Error).message}`);
          continue;
        }
        throw e;
      }
      server.on('error', (e) => this.opts.log('error', `listener: ${e.message}`));
      if (spec.kind === 'unix') {
        if (spec.mode !== undefined) chmodSync(spec.path, spec.mode);
        this.unixPaths.push(spec.path);
        this.addresses.push(spec.path);
      } else {
        const a = server.address();
        const port = typeof a === 'object' && a ? a.port : spec.port;
        this.addresses.push(spec.host.includes(':') ? `[${spec.host}]:${port}` : `${spec.host}:${port}`);
      }
      this.servers.push(server);
    }
  }

  /** Stop accepting connections (open ones go on). */
  stopListening(): void {
    for (const s of this.servers) s.close();
    for (const p of this.unixPaths) removeStaleSocket(p);
  }

  /** Requests still being read or answered (not counting answered ones whose client has yet to close). */
  get active(): number {
    return this.table.active;
  }

  /** Wait until every request is answered, or until `deadline` (epoch ms); true when all were. */
  async drain(deadline: number): Promise<boolean> {
    while (this.active > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.active === 0;
  }

  /** Close every connection now. */
  destroyAll(): void {
    for (const s of this.open) s.destroy();
  }

  /** Stop listening, wait for open requests to be answered (at most `graceMs`), then close them. */
  async close(graceMs = 30_000): Promise<void> {
    this.stopListening();
    await this.drain(Date.now() + graceMs);
    this.destroyAll();
  }

  /** `unixPath`: the socket path when the connection came over a unix socket. */
  private connection(socket: Socket, unixPath: string | undefined): void {
    const unix = unixPath !== undefined;
    // admit
    const peer = unix ? 'unix socket' : `[${socket.remoteAddress}]:${socket.remotePort}`;
    if (!unix && !this.opts.allowed.contains(socket.remoteAddress ?? '')) {
      this.counts.refused++;
      this.limited('unauthorized', 'warn', `unauthorized connection from ${peer}`);
      socket.destroy();
      return;
    }
    const admission = this.table.admit(unix ? 'unix' : (socket.remoteAddress ?? ''), (why) => {
      if (finished) {
        socket.destroy(); // answered already; only the linger is cut short
        return;
      }
      this.counts.dropped++;
      const e = busy('HAMLET_ERR_SPAMD_DROPPED', why, 'dropped this idle request to make room');
      finish(e.line(), e);
    });
    if (!admission.ok) {
      this.counts.refused++;
      const e = busy('HAMLET_ERR_SPAMD_REFUSED', admission.why, 'all are busy scanning');
      this.limited(e.code, 'warn', `${peer}: connection refused: ${e.text}`);
      socket.on('error', () => {});
      socket.end(e.line());
      setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
      return;
    }
    const entry: ConnEntry = admission.entry;
    this.open.add(socket);
    socket.setNoDelay(true);
    const conn = this.peerOf(socket, unixPath);
    const started = performance.now();
    let finished = false;
    let dispatched = false;
    let cancel: (() => void) | undefined;
    const timers: NodeJS.Timeout[] = [];
    const stopTimers = (): void => {
      for (const t of timers) clearTimeout(t);
      socket.setTimeout(0);
    };

    // reply + close
    const finish = (reply: Buffer | undefined, error?: SpamdError): void => {
      if (finished) return;
      finished = true;
      entry.state = 'done';
      stopTimers();
      if (dispatched) this.announce(conn);
      if (error) {
        this.counts.errors++;
        const text = `${peer}: ${error.text}${error.note ? ` [${error.note}]` : ''}`;
        // Errors found while reading cost the client nothing, so their lines are rate-limited.
        if (dispatched) this.opts.log(error.status === EX.TIMEOUT ? 'warn' : 'info', text);
        else this.limited(error.code, error.status === EX.TIMEOUT || error.status === EX.TEMPFAIL ? 'warn' : 'info', text);
      }
      if (socket.destroyed) return;
      if (socket.writable) {
        if (reply) socket.end(reply);
        else socket.end();
      }
      // Drain what the client still sends (the CRLF some clients add); cut off stragglers.
      socket.resume();
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    };

    const reader = new RequestReader({ maxBytes: this.opts.maxBytes, allowTell: this.opts.allowTell });
    const timeoutTcp = this.opts.timeoutTcpMs;
    const tcpTimeout = (): SpamdError => timeout('HAMLET_ERR_SPAMD_TIMEOUT', `(${timeoutTcp / 1000} second socket timeout reading input from client)`);
    /** Cut the read off after `ms` (0: never) unless `make` says there is nothing to cut off. */
    const deadline = (ms: number, make: () => SpamdError | undefined): void => {
      if (ms <= 0) return;
      timers.push(
        setTimeout(() => {
          const e = dispatched ? undefined : make();
          if (e) finish(e.line(), e);
        }, ms),
      );
    };
    // read: the request line and headers have one deadline, so a client sending a byte a second is cut off;
    deadline(timeoutTcp, () => (reader.headersDone ? undefined : tcpTimeout()));
    // and the whole request has one, so a body trickled a byte per pause is cut off too.
    const requestMs = this.opts.requestTimeoutMs;
    deadline(requestMs, () => timeout('HAMLET_ERR_SPAMD_REQUEST_TIMEOUT', `(${requestMs / 1000} second timeout reading the whole request from client)`));
    socket.on('timeout', () => {
      if (dispatched) return;
      const e = tcpTimeout();
      finish(e.line(), e);
    });

    const onResult = (r: ReturnType<RequestReader['push']>): void => {
      if (finished || dispatched) return;
      if (r.kind === 'more') {
        // read: the body may not stall longer than --timeout-tcp between pieces.
        if (reader.headersDone && timeoutTcp > 0) socket.setTimeout(timeoutTcp);
        return;
      }
      if (r.kind === 'error') {
        finish(r.error.line(), r.error);
        return;
      }
      dispatched = true;
      entry.state = 'busy';
      stopTimers();
      this.dispatch(r.request, peer, conn, started, (c) => (cancel = c)).then(
        (reply) => finish(reply),
        (e: unknown) => {
          const err = e instanceof SpamdError ? e : new SpamdError('HAMLET_ERR_SPAMD_INTERNAL', EX.SOFTWARE, `Internal software error: ${(e as Error).message}`);
          finish(err.line(), err);
        },
      );
    };
    socket.on('data', (chunk: Buffer) => {
      if (finished || dispatched) return;
      this.table.touch(entry);
      onResult(reader.push(chunk));
    });
    socket.on('end', () => {
      if (!finished && !dispatched) onResult(reader.end());
    });
    socket.on('error', (e) => this.opts.log('debug', `${peer}: ${e.message}`));
    socket.on('close', () => {
      this.open.delete(socket);
      this.table.release(entry);
      stopTimers();
      if (!finished) cancel?.();
      finished = true;
    });
  }

  /**
   * The connection as spamd's lines name it. The client's name is looked up (once per address,
   * peer-names.ts) while the request is read and scanned, so nothing waits for it; the address
   * stands in if it is not known by the time the `connection from` line is written.
   */
  private peerOf(socket: Socket, unixPath: string | undefined): Conn {
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (unixPath !== undefined) return { peer: { rhost: 'localhost', raddr: '127.0.0.1', rport: unixPath, local: unixPath, unix: true, fd }, announced: false };
    const raddr = socket.remoteAddress ?? '?';
    const conn: Conn = { peer: { rhost: this.names.known(raddr) ?? raddr, raddr, rport: socket.remotePort ?? 0, local: socket.localPort ?? 0, unix: false, fd }, announced: false };
    if (conn.peer.rhost === raddr) void this.names.name(raddr).then((rhost) => (conn.peer = { ...conn.peer, rhost }));
    return conn;
  }

  /**
   * spamd's `connection from` line, once, before the request's other lines. Unlike spamd's it is
   * written only for a request that was read whole: a client that connects and sends nothing
   * costs nothing, so it must not be able to fill the log (its errors go through the limiter).
   */
  private announce(conn: Conn): void {
    if (conn.announced) return;
    conn.announced = true;
    spamdLog(this.opts.log, 'info', connectionLine(conn.peer));
  }

  /** `p`, counted as a failed scan by the metrics when it rejects. */
  private observed<T>(p: Promise<T>): Promise<T> {
    const o = this.opts.observer;
    if (!o) return p;
    return p.catch((e: unknown) => {
      o.failed();
      throw e;
    });
  }

  // dispatch
  private async dispatch(req: SpamdRequest, peer: string, conn: Conn, started: number, onCancel: (c: () => void) => void): Promise<Buffer | undefined> {
    this.counts.requests++;
    if (req.verb === 'PING') return pongReply();
    if (req.verb === 'SKIP') return undefined;
    const where = locatePrefs(req.user, this.opts.prefs);
    if (where.refused) this.opts.log(where.suspicious || where.noUserFiles ? 'warn' : 'debug', `${peer}: no user preferences: ${where.refused}`);
    // A copy that owns its ArrayBuffer, so the pool can transfer it to the worker.
    const common = { raw: new Uint8Array(req.body), user: req.user, ...userFields(where) };
    if (req.verb === 'TELL') {
      const run = this.pool.run({ type: 'tell', tell: req.tell!, ...common });
      onCancel(run.cancel);
      const a = await this.observed(run.promise);
      this.announce(conn);
      const didSet = a.didSet ?? [];
      const didRemove = a.didRemove ?? [];
      if (a.problems) this.opts.log('warn', `${peer}: tell: ${a.problems.join('; ')}`);
      spamdLog(this.opts.log, 'info', tellLine(didSet, didRemove, req.user, uid(), (performance.now() - started) / 1000, req.body.length));
      this.opts.observer?.told(req.tell!, didSet, didRemove);
      return tellReply(didSet, didRemove);
    }
    const need = needOf(req.verb)!;
    const run = this.pool.run({ type: 'scan', need, ...common });
    onCancel(run.cancel);
    const a = await this.observed(run.promise);
    this.announce(conn);
    const seconds = (performance.now() - started) / 1000;
    if (a.problems) this.opts.log('warn', `${peer}: ${a.problems.join('; ')}`);
    const facts: ScanFacts = { ...a, verb: req.verb, user: req.user, uid: uid(), seconds, size: req.body.length };
    // spamd writes `checking message` before its scan; hamletd learns the Message-ID from the
    // worker's parse, so the line comes with the answer (the main thread never parses mail).
    spamdLog(this.opts.log, 'info', messageLine(req.verb, a.messageId, req.user, facts.uid));
    spamdLog(this.opts.log, 'info', verdictLine(facts));
    spamdLog(this.opts.log, 'info', resultLine(facts, conn.peer));
    this.opts.observer?.scanned(a, seconds);
    switch (need) {
      case 'verdict':
        return checkReply(a);
      case 'tests':
        return symbolsReply(a, req.version, a.tests);
      case 'report':
        return reportReply(a, req.version, a.report ?? '', req.verb === 'REPORT_IFSPAM');
      default:
        return messageReply(a, req.version, Buffer.from(a.out!.buffer, a.out!.byteOffset, a.out!.byteLength));
    }
  }
}

function removeStaleSocket(path: string): void {
  try {
    if (existsSync(path) && lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // not ours to remove
  }
}
