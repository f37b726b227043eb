/**
 * Writing the commands' output. Each write goes to the file descriptor at once
 * (waiting out EAGAIN on a non-blocking pipe), so a reader that has gone away
 * (`hamlet --mbox big.mbox | head -1`) is noticed at the next write instead of
 * after the last message, and ends the command there: quietly, with status 32
 * (EPIPE's errno), which is what `spamassassin` exits with then.
 */
import { writeSync } from 'node:fs';

export const EXIT_OUTPUT_CLOSED = 32;

const isClosedPipe = (e: unknown): boolean => (e as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';

/** Write all of `data` to `fd`; exits the process when the reader has closed the pipe. */
export function writeAll(fd: number, data: Buffer | string): void {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let off = 0; off < buf.length; ) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      if (isClosedPipe(e)) process.exit(EXIT_OUTPUT_CLOSED);
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/**
 * The same for what still goes through process.stdout / process.stderr (libraries,
 * late asynchronous writes): EPIPE there ends the process quietly too, not with a trace.
 */
export function exitQuietlyWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (isClosedPipe(e)) process.exit(EXIT_OUTPUT_CLOSED);
      throw e;
    });
  }
}
