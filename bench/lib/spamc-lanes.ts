/**
 * Drive a spamd-protocol server with the real `/usr/bin/spamc`, one process per
 * message, `clients` of them running at once, and record each message's start,
 * end, exit code and output.
 *
 * The clients compete with the server for the same two cores, so they are
 * started as cheaply as this machine allows: one small Python driver
 * (`os.posix_spawn`, the message file opened as spamc's stdin by the spawn
 * itself, no shell, no fork of a big parent) keeps `clients` spamc processes
 * running and refills a lane the moment its spamc exits. Measured launch cost
 * per spamc on this VM: posix_spawn from Python 5.0 ms of CPU, bash loop 7.9 ms,
 * Node spawn 10 ms. Without python3 it falls back to one bash loop per lane.
 * Each spamc's output must fit a pipe buffer (64 KiB): fine for `-c` and `-y`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** One message through spamc. */
export interface SpamcRun {
  readonly file: string;
  /** Wall time from spawn to exit, ms. */
  readonly ms: number;
  readonly code: number;
  /** spamc's stdout, trimmed. */
  readonly out: string;
}

export interface LanesResult {
  readonly seconds: number;
  readonly runs: SpamcRun[];
  /** CPU seconds the spamc processes used (python driver only). */
  readonly clientCpu?: number;
  /** Which driver ran the lanes. */
  readonly driver: 'python3 posix_spawn' | 'bash loops';
}

const SPAMC = '/usr/bin/spamc';

/** The driver: argv = spamc, clients, spamc args...; files on stdin; one line per message on stdout. */
const PY = String.raw`
import os, sys, time
spamc, clients, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
files = [l.rstrip('\n') for l in sys.stdin if l.strip()]
running, out, nxt = {}, [], 0
def start(f):
    r, w = os.pipe()
    acts = [(os.POSIX_SPAWN_OPEN, 0, f, os.O_RDONLY, 0), (os.POSIX_SPAWN_DUP2, w, 1),
            (os.POSIX_SPAWN_OPEN, 2, '/dev/null', os.O_WRONLY, 0), (os.POSIX_SPAWN_CLOSE, r), (os.POSIX_SPAWN_CLOSE, w)]
    t0 = time.monotonic()
    pid = os.posix_spawn(spamc, [spamc] + args, os.environ, file_actions=acts)
    os.close(w)
    running[pid] = (r, t0, f)
t_all = time.monotonic()
while nxt < len(files) and len(running) < clients:
    start(files[nxt]); nxt += 1
while running:
    pid, status = os.wait()
    t1 = time.monotonic()
    r, t0, f = running.pop(pid)
    if nxt < len(files):
        start(files[nxt]); nxt += 1
    chunks = []
    while True:
        b = os.read(r, 65536)
        if not b: break
        chunks.append(b)
    os.close(r)
    text = b''.join(chunks).decode('latin1').strip().replace('\n', ' ').replace('\t', ' ')
    out.append('%.3f\t%d\t%s\t%s' % ((t1 - t0) * 1000, os.waitstatus_to_exitcode(status), text, f))
import resource
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stdout.write('ELAPSED %.6f\n' % (time.monotonic() - t_all))
sys.stdout.write('CHILDCPU %.6f\n' % (ru.ru_utime + ru.ru_stime))
sys.stdout.write('\n'.join(out) + '\n')
`;

/** One bash loop per lane (the fallback): `start:end code out<TAB>file` lines; spamc's first output line only. */
const LANE = `o=$(mktemp); while IFS= read -r f; do t0=$EPOCHREALTIME; "$1" "\${@:2}" < "$f" > "$o" 2>/dev/null; rc=$?; t1=$EPOCHREALTIME; out=; read -r out < "$o"; printf '%s:%s\\t%s\\t%s\\t%s\\n' "$t0" "$t1" "$rc" "$out" "$f"; done; rm -f "$o"`;

export function pythonDriver(): string | undefined {
  return ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));
}

function collect(cmd: string, argv: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.setEncoding('latin1');
    c.stdout.on('data', (d: string) => (out += d));
    c.on('error', reject);
    c.on('close', () => resolve(out));
    c.stdin.end(input);
  });
}

function parseRuns(text: string): SpamcRun[] {
  const runs: SpamcRun[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f.length !== 4) continue;
    const [a, b] = f[0]!.split(':');
    const ms = b === undefined ? Number(a) : (Number(b) - Number(a)) * 1000;
    runs.push({ ms, code: Number(f[1]), out: f[2]!.trim(), file: f[3]! });
  }
  return runs;
}

/** Send every file through `spamc <args>` with `clients` running at once. */
export async function runSpamcLanes(files: readonly string[], clients: number, args: readonly string[], opts: { forceBash?: boolean } = {}): Promise<LanesResult> {
  const py = opts.forceBash ? undefined : pythonDriver();
  const t0 = performance.now();
  if (py) {
    const text = await collect(py, ['-c', PY, SPAMC, String(clients), ...args], files.join('\n') + '\n');
    const m = /^ELAPSED ([\d.]+)$/m.exec(text);
    const cpu = /^CHILDCPU ([\d.]+)$/m.exec(text);
    return { seconds: m ? Number(m[1]) : (performance.now() - t0) / 1000, runs: parseRuns(text), clientCpu: cpu ? Number(cpu[1]) : undefined, driver: 'python3 posix_spawn' };
  }
  const lanes = Array.from({ length: clients }, (_, k) => files.filter((_f, i) => i % clients === k));
  const outs = await Promise.all(lanes.map((mine) => collect('bash', ['-c', LANE, 'lane', SPAMC, ...args], mine.join('\n') + '\n')));
  return { seconds: (performance.now() - t0) / 1000, runs: outs.flatMap(parseRuns), driver: 'bash loops' };
}
