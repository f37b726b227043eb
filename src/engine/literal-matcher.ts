/**
 * Find which of many literals occur in a text in one pass (Aho-Corasick over
 * ASCII-folded char codes). The scanner asks it once per message and area, then
 * skips every rule none of whose required literals occurred.
 */
import { foldCode } from './required-literals';

export class LiteralMatcher {
  /** Transitions per state: char code -> state. */
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Literal ids ending at each state (own and via failure links). */
  private readonly out: number[][] = [[]];
  readonly size: number;
  /** The root's transitions as a table: most characters of a text are read at the root. */
  private readonly rootNext = new Int32Array(256);

  constructor(literals: readonly string[]) {
    this.size = literals.length;
    literals.forEach((lit, id) => {
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        let t = this.next[s]!.get(c);
        if (t === undefined) {
          t = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[s]!.set(c, t);
        }
        s = t;
      }
      this.out[s]!.push(id);
    });
    // Breadth-first failure links.
    const queue: number[] = [];
    for (const t of this.next[0]!.values()) queue.push(t);
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      for (const [c, t] of this.next[s]!) {
        let f = this.fail[s]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const ft = this.next[f]!.get(c);
        this.fail[t] = ft !== undefined && ft !== t ? ft : 0;
        this.out[t]!.push(...this.out[this.fail[t]!]!);
        queue.push(t);
      }
    }
    for (const [c, t] of this.next[0]!) if (c < 256) this.rootNext[c] = t;
  }

  /**
   * Record in `hits` (literal id -> line number of each occurrence) every literal
   * occurring in `text`, which is line `line` of its area (folded as it is read).
   */
  scan(text: string, line: number, hits: Map<number, number[]>): void {
    let s = 0;
    const next = this.next;
    const fail = this.fail;
    const out = this.out;
    const root = this.rootNext;
    for (let i = 0; i < text.length; i++) {
      const c = foldCode(text.charCodeAt(i));
      if (s === 0) {
        s = c < 256 ? root[c]! : 0;
        if (s === 0) continue;
      } else {
        let t = next[s]!.get(c);
        while (t === undefined && s !== 0) {
          s = fail[s]!;
          t = s === 0 ? (c < 256 ? root[c]! : 0) : next[s]!.get(c);
        }
        s = t ?? 0;
      }
      const o = out[s]!;
      for (let k = 0; k < o.length; k++) {
        const id = o[k]!;
        const list = hits.get(id);
        if (list === undefined) hits.set(id, [line]);
        else list.push(line);
      }
    }
  }
}
