/**
 * Log lines a client can cause at no cost (a refused or dropped connection, a
 * read that timed out) go through a limiter, so a flood of connections cannot
 * flood the log: per kind, the first `perWindow` lines of each window are
 * written, the rest are counted and summed up in one line when the window ends.
 */
import type { Level } from './log';

export interface LimitOptions {
  /** Lines written per kind and window. */
  readonly perWindow: number;
  readonly windowMs: number;
  /** The clock (tests pass their own). */
  readonly now?: () => number;
}

interface Window {
  start: number;
  written: number;
  suppressed: number;
  level: Level;
  timer: NodeJS.Timeout | undefined;
}

export type LimitedLog = (kind: string, level: Level, text: string) => void;

/** A rate-limited front for `log`; `kind` groups lines that count together (e.g. `refused`). */
export function limitedLog(log: (level: Level, text: string) => void, o: LimitOptions = { perWindow: 10, windowMs: 10_000 }): LimitedLog {
  const now = o.now ?? Date.now;
  const windows = new Map<string, Window>();
  const summarise = (kind: string, w: Window): void => {
    if (w.timer) clearTimeout(w.timer);
    w.timer = undefined;
    if (w.suppressed > 0) log(w.level, `${w.suppressed} more ${kind} lines not logged in the last ${Math.round(o.windowMs / 1000)} s`);
    w.suppressed = 0;
  };
  return (kind, level, text) => {
    const t = now();
    let w = windows.get(kind);
    if (w && t - w.start >= o.windowMs) {
      summarise(kind, w);
      w = undefined;
    }
    if (!w) {
      w = { start: t, written: 0, suppressed: 0, level, timer: undefined };
      windows.set(kind, w);
    }
    if (w.written < o.perWindow) {
      w.written++;
      log(level, text);
      return;
    }
    w.suppressed++;
    w.level = level;
    // The summary is written when the window ends even if no further line comes.
    if (!w.timer) {
      const current = w;
      w.timer = setTimeout(() => {
        if (windows.get(kind) === current) windows.delete(kind);
        summarise(kind, current);
      }, Math.max(0, o.windowMs - (t - w.start)));
      w.timer.unref();
    }
  };
}
