/** What the benches share for reading their options and their own CPU time. */

/** The value after `name` on the command line, or `dflt`. */
export function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

/** This process's CPU time (user + system, all threads) in ms. */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The groups' files merged in proportion (each file at its relative place in its group), so any stretch holds each group alike. */
export function interleaved(groups: readonly (readonly string[])[]): string[] {
  return groups
    .flatMap((g) => g.map((f, i) => ({ f, at: (i + 0.5) / g.length })))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.f);
}
