/**
 * Find which of many literals occur in a text in one pass (Aho-Corasick over
 * ASCII-folded char codes). The scanner asks it once per message and area, then
 * skips every rule none of whose required literals occurred.
 *
 * The automaton is compiled to a dense table (state x character class, with
 * failure links resolved), so each character of a text costs one array read.
 * Only characters that occur in some literal get a class of their own; all
 * others share class 0, which leads back to the start state.
 */
import { foldCode } from './required-literals';

export class LiteralMatcher {
  readonly size: number;
  /** Character class of each (folded) char code below 256; 0 = in no literal. */
  private readonly classOf = new Uint16Array(256);
  private readonly classes: number;
  /** `delta[state * classes + class]`: the next state. */
  private readonly delta: Int32Array;
  /** Literal ids ending at each state (own and via failure links); empty for most. */
  private readonly out: Int32Array[];
  /** 1 where `out` is not empty. */
  private readonly accepting: Uint8Array;

  constructor(literals: readonly string[]) {
    this.size = literals.length;
    // Build the trie with sparse transitions first.
    const next: Map<number, number>[] = [new Map()];
    const outLists: number[][] = [[]];
    let classes = 1;
    literals.forEach((lit, id) => {
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        if (c < 256 && this.classOf[c] === 0) this.classOf[c] = classes++;
        let t = next[s]!.get(c);
        if (t === undefined) {
          t = next.length;
          next.push(new Map());
          outLists.push([]);
          next[s]!.set(c, t);
        }
        s = t;
      }
      outLists[s]!.push(id);
    });
    this.classes = classes;
    // Breadth-first: each state's row is its failure state's row with its own transitions on top.
    const delta = new Int32Array(next.length * classes);
    const fail = new Int32Array(next.length);
    const queue: number[] = [];
    for (const [c, t] of next[0]!) {
      if (c < 256) delta[this.classOf[c]!] = t;
      queue.push(t);
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      const f = fail[s]!;
      delta.copyWithin(s * classes, f * classes, f * classes + classes);
      if (outLists[f]!.length > 0) outLists[s]!.push(...outLists[f]!);
      for (const [c, t] of next[s]!) {
        if (c >= 256) continue; // texts are byte strings: such a literal cannot occur
        const k = this.classOf[c]!;
        fail[t] = delta[f * classes + k]!; // the failure state's move (its row is final: it is shallower)
        delta[s * classes + k] = t;
        queue.push(t);
      }
    }
    this.delta = delta;
    this.out = outLists.map((o) => Int32Array.from(o));
    this.accepting = Uint8Array.from(outLists, (o) => (o.length > 0 ? 1 : 0));
  }

  /**
   * Record in `hits` (literal id -> line number of each occurrence) every literal
   * occurring in `text`, which is line `line` of its area (folded as it is read).
   */
  scan(text: string, line: number, hits: Map<number, number[]>): void {
    const delta = this.delta;
    const classOf = this.classOf;
    const classes = this.classes;
    const accepting = this.accepting;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = foldCode(text.charCodeAt(i));
      s = delta[s * classes + (c < 256 ? classOf[c]! : 0)]!;
      if (accepting[s] === 0) continue;
      const o = this.out[s]!;
      for (let k = 0; k < o.length; k++) {
        const id = o[k]!;
        const list = hits.get(id);
        if (list === undefined) hits.set(id, [line]);
        else list.push(line);
      }
    }
  }
}
