/**
 * Run one command on a file under a hard wall-clock timeout and measure the CPU
 * time it used (user + system, from wait4's rusage: exact, children included).
 * A small Python driver spawns it (stdin from the file, stdout and stderr to
 * files), polls it every 10 ms and SIGKILLs it, by its PID, at the deadline.
 * Node has no rusage for a child, hence Python.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pythonDriver } from './spamc-lanes';

export interface TimedRun {
  /** Exit code, or -signal when killed by one. */
  readonly code: number;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly timedOut: boolean;
  /** Peak resident memory (wait4's ru_maxrss). */
  readonly peakMb: number;
  /** The end of stderr, for error reports. */
  readonly stderr: string;
}

/** argv: timeout_s, stdin path, stdout path, stderr path, command... ; prints one result line. */
const PY = String.raw`
import os, sys, time, signal
timeout, inp, outp, errp, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
acts = [(os.POSIX_SPAWN_OPEN, 0, inp, os.O_RDONLY, 0), (os.POSIX_SPAWN_OPEN, 1, outp, flags, 0o600),
        (os.POSIX_SPAWN_OPEN, 2, errp, flags, 0o600)]
t0 = time.monotonic()
pid = os.posix_spawn(cmd[0], cmd, os.environ, file_actions=acts)
timed_out = 0
while True:
    p, status, ru = os.wait4(pid, os.WNOHANG)
    if p:
        break
    if time.monotonic() - t0 > timeout:
        os.kill(pid, signal.SIGKILL)
        timed_out = 1
        p, status, ru = os.wait4(pid, 0)
        break
    time.sleep(0.01)
wall = time.monotonic() - t0
code = os.waitstatus_to_exitcode(status)
print('RUN %d %.3f %.3f %d %d' % (code, (ru.ru_utime + ru.ru_stime) * 1000, wall * 1000, timed_out, ru.ru_maxrss))
`;

/** Run `cmd` (absolute path first) with `input` as stdin and stdout to `outPath`, killed after `timeoutS`. */
export function timedRun(cmd: readonly string[], input: string, outPath: string, timeoutS: number): Promise<TimedRun> {
  const py = pythonDriver();
  if (!py) throw new Error('bench:hostile needs python3 (for the CPU time of its runs)');
  const errPath = `${outPath}.stderr`;
  return new Promise((resolve, reject) => {
    const c = spawn(py, ['-c', PY, String(timeoutS), input, outPath, errPath, ...cmd], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.setEncoding('latin1');
    c.stdout.on('data', (d: string) => (out += d));
    // The driver itself must not outlive its deadline either.
    const guard = setTimeout(() => c.kill('SIGKILL'), (timeoutS + 30) * 1000);
    c.on('error', reject);
    c.on('close', () => {
      clearTimeout(guard);
      const m = /^RUN (-?\d+) ([\d.]+) ([\d.]+) ([01]) (\d+)$/m.exec(out);
      if (!m) return reject(new Error(`timed run of ${cmd[0]} failed: ${out.slice(-500)}`));
      let stderr = '';
      try {
        stderr = readFileSync(errPath, 'latin1').slice(-2000);
      } catch {
        // no stderr file
      }
      resolve({ code: Number(m[1]), cpuMs: Number(m[2]), wallMs: Number(m[3]), timedOut: m[4] === '1', peakMb: Number(m[5]) / 1024, stderr });
    });
  });
}
