/**
 * The `.cf` a rescoring run writes: one `score` line per fitted rule. A rule written with
 * four scores keeps four, and only the fitted set's column changes; a rule written with one
 * score (the same in every set) gets one score, the fitted one.
 */

/** Smallest magnitude written: a score of 0 would stop the rule from running at all, so a later run could never fit it again. */
export const MIN_MAGNITUDE = 0.001;

/** A score as the `.cf` carries it: three decimals, never 0 when the rule had a sign. */
export function cfScore(v: number, sign: number): number {
  const r = Math.round(v * 1000) / 1000;
  if (r !== 0 || sign === 0) return r === 0 ? 0 : r;
  return sign > 0 ? MIN_MAGNITUDE : -MIN_MAGNITUDE;
}

/** `3.000` -> `3`, `0.100` -> `0.1`. */
function num(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

export interface ScoreLine {
  readonly name: string;
  /** The scores as written in the configuration (1 or 4 values); undefined when the rule had none (its default). */
  readonly given: readonly number[] | undefined;
  /** The four scores the rule set used. */
  readonly used: readonly [number, number, number, number];
  readonly fitted: number;
}

/** The `score` line for one rule, fitting column `set`. */
export function scoreLine(l: ScoreLine, set: number): string {
  if (l.given && l.given.length === 4) {
    const v = [...l.used];
    v[set] = l.fitted;
    return `score ${l.name} ${v.map(num).join(' ')}`;
  }
  return `score ${l.name} ${num(l.fitted)}`;
}

/** The whole file. */
export function scoreFile(lines: readonly ScoreLine[], set: number, header: readonly string[]): string {
  const out = header.map((h) => `# ${h}`);
  for (const l of [...lines].sort((a, b) => (a.name < b.name ? -1 : 1))) out.push(scoreLine(l, set));
  return out.join('\n') + '\n';
}
