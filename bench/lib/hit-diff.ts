/** Per-message hit-list comparison between SpamAssassin and hamlet, over a set of rule names. */

export class HitDiff {
  compared = 0;
  identical = 0;
  /** SA hit, hamlet did not. */
  readonly missed = new Map<string, number>();
  /** hamlet hit, SA did not. */
  readonly extra = new Map<string, number>();
  /** The first message each rule disagreed on (for debugging). */
  readonly example = new Map<string, string>();

  /** `over`: the rules compared (others are ignored on both sides). Returns whether the lists agree. */
  add(sa: readonly string[], ours: readonly string[], over: (name: string) => boolean, label = ''): boolean {
    const a = new Set(sa.filter(over));
    const b = new Set(ours.filter(over));
    const bump = (m: Map<string, number>, k: string): void => {
      m.set(k, (m.get(k) ?? 0) + 1);
      if (!this.example.has(k)) this.example.set(k, label);
    };
    let same = true;
    for (const t of a) if (!b.has(t)) [same] = [false, bump(this.missed, t)];
    for (const t of b) if (!a.has(t)) [same] = [false, bump(this.extra, t)];
    this.compared++;
    if (same) this.identical++;
    return same;
  }

  share(): number {
    return this.identical / Math.max(1, this.compared);
  }

  /** The rules that disagree most: [name, SA-only hits, hamlet-only hits]. */
  worst(n: number): [string, number, number][] {
    return [...new Set([...this.missed.keys(), ...this.extra.keys()])]
      .map((k): [string, number, number] => [k, this.missed.get(k) ?? 0, this.extra.get(k) ?? 0])
      .sort((x, y) => y[1] + y[2] - (x[1] + x[2]) || x[0].localeCompare(y[0]))
      .slice(0, n);
  }
}
