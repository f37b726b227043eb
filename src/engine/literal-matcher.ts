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

function acceptingStates(outStart: Int32Array): Uint8Array {
  const a = new Uint8Array(outStart.length - 1);
  for (let s = 0; s < a.length; s++) if (outStart[s + 1]! > outStart[s]!) a[s] = 1;
  return a;
}

/**
 * A built automaton as plain data, what the rule-set cache stores (reading it beats building it
 * again): the trie's edges and the failure links, not the dense table. The stock rules' dense
 * tables are 4.9 MB, their tries 0.4 MB, and reading, checking and copying the bytes cost a
 * one-shot run more than filling in the rows it visits.
 */
export interface MatcherTables {
  readonly size: number;
  readonly classOf: Uint16Array;
  readonly classes: number;
  /** The trie's edges out of state `s`: `childClass` / `childState` from `childStart[s]` to `childStart[s + 1]`. */
  readonly childStart: Int32Array;
  readonly childClass: Uint16Array;
  readonly childState: Int32Array;
  /** Each state's failure link. */
  readonly fail: Int32Array;
  readonly outStart: Int32Array;
  readonly outIds: Int32Array;
}

/** The trie and links of a matcher built from tables, and which rows of its dense table are filled in. */
interface Sparse {
  readonly t: MatcherTables;
  readonly filled: Uint8Array;
  left: number;
}

export class LiteralMatcher {
  readonly size: number;
  /** Character class of each (folded) char code below 256; 0 = in no literal. */
  private readonly classOf: Uint16Array;
  private readonly classes: number;
  /** `delta[state * classes + class]`: the next state (16 bits while the states fit: half the memory). */
  private readonly delta: Uint16Array | Int32Array;
  /** Literal ids ending at state `s` (own and via failure links): `outIds[outStart[s] .. outStart[s + 1]]`. */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  /** 1 where a state has literals ending at it. */
  private readonly accepting: Uint8Array;
  /** Set while rows of `delta` are still to be filled in from the trie (a matcher read from the cache). */
  private sparse: Sparse | undefined;

  /**
   * The automaton is built in flat arrays, trie and failure links in place (a rule set has tens
   * of thousands of states: building it must cost little next to loading a cached rule set).
   */
  constructor(source: readonly string[] | MatcherTables) {
    if (!Array.isArray(source)) {
      const t = source as MatcherTables;
      this.size = t.size;
      this.classOf = t.classOf;
      this.classes = t.classes;
      const states = t.fail.length;
      // Zero-filled and untouched until a row is needed: the pages of unvisited rows cost nothing.
      this.delta = states <= 0x10000 ? new Uint16Array(states * t.classes) : new Int32Array(states * t.classes);
      this.outStart = t.outStart;
      this.outIds = t.outIds;
      this.accepting = acceptingStates(t.outStart);
      this.sparse = { t, filled: new Uint8Array(states), left: states };
      this.fillRow(0);
      return;
    }
    const literals = source as readonly string[];
    this.size = literals.length;
    this.classOf = new Uint16Array(256);
    let classes = 1;
    let bound = 1;
    for (const lit of literals) {
      bound += lit.length;
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        if (c < 256 && this.classOf[c] === 0) this.classOf[c] = classes++;
      }
    }
    this.classes = classes;
    // The trie: a child is never state 0, so 0 in a row means "no child" until links fill it.
    const d = new Int32Array(bound * classes);
    const own = new Map<number, number[]>();
    let states = 1;
    literals.forEach((lit, id) => {
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        if (c >= 256) return; // texts are byte strings: such a literal cannot occur
        const at = s * classes + this.classOf[c]!;
        if (d[at] === 0) d[at] = states++;
        s = d[at]!;
      }
      const l = own.get(s);
      if (l) l.push(id);
      else own.set(s, [id]);
    });
    // Breadth-first: a missing move is the failure state's move (its row is final: it is shallower).
    const fail = new Int32Array(states);
    const order = new Int32Array(states);
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const s = order[head]!;
      const base = s * classes;
      const fb = fail[s]! * classes;
      for (let k = 0; k < classes; k++) {
        const t = d[base + k]!;
        if (t !== 0) {
          fail[t] = s === 0 ? 0 : d[fb + k]!;
          order[tail++] = t;
        } else if (s !== 0) d[base + k] = d[fb + k]!;
      }
    }
    // Outputs: a state's own literals, then its failure state's (filled earlier, in the same order).
    const len = new Int32Array(states);
    for (let q = 0; q < states; q++) {
      const s = order[q]!;
      len[s] = (own.get(s)?.length ?? 0) + (s === 0 ? 0 : len[fail[s]!]!);
    }
    this.outStart = new Int32Array(states + 1);
    for (let s = 0; s < states; s++) this.outStart[s + 1] = this.outStart[s]! + len[s]!;
    this.outIds = new Int32Array(this.outStart[states]!);
    for (let q = 0; q < states; q++) {
      const s = order[q]!;
      let w = this.outStart[s]!;
      for (const id of own.get(s) ?? []) this.outIds[w++] = id;
      if (s !== 0) this.outIds.copyWithin(w, this.outStart[fail[s]!]!, this.outStart[fail[s]! + 1]!);
    }
    this.accepting = acceptingStates(this.outStart);
    if (states <= 0x10000) {
      const small = new Uint16Array(states * classes);
      small.set(d.subarray(0, states * classes));
      this.delta = small;
    } else this.delta = d.slice(0, states * classes);
  }

  /** Fill in row `s` of the dense table: its trie edges over its failure state's row (filled first). */
  private fillRow(s: number): void {
    const z = this.sparse!;
    const t = z.t;
    const c = this.classes;
    if (s !== 0) {
      const f = t.fail[s]!;
      if (z.filled[f] === 0) this.fillRow(f);
      this.delta.copyWithin(s * c, f * c, f * c + c);
    }
    for (let k = t.childStart[s]!; k < t.childStart[s + 1]!; k++) this.delta[s * c + t.childClass[k]!] = t.childState[k]!;
    z.filled[s] = 1;
    if (--z.left === 0) this.sparse = undefined;
  }

  /** Fill in every row still missing (a server, before its first scan). */
  fillAll(): void {
    for (let s = 0; this.sparse !== undefined; s++) if (this.sparse.filled[s] === 0) this.fillRow(s);
  }

  /** The automaton as plain data (for the rule-set cache): the trie and failure links, read back out of the dense table. */
  tables(): MatcherTables {
    if (this.sparse) return this.sparse.t;
    const c = this.classes;
    const states = this.outStart.length - 1;
    const d = this.delta;
    // Breadth-first from the root: a move to a state not seen yet is a trie edge (every other
    // move leads to a failure state's target, which is no deeper than the current state).
    const seen = new Uint8Array(states);
    const fail = new Int32Array(states);
    const parent = new Int32Array(states);
    const via = new Uint16Array(states);
    const order = new Int32Array(states);
    const children = new Int32Array(states + 1);
    seen[0] = 1;
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const s = order[head]!;
      for (let k = 0; k < c; k++) {
        const t = d[s * c + k]!;
        if (seen[t] === 1) continue;
        seen[t] = 1;
        order[tail++] = t;
        parent[t] = s;
        via[t] = k;
        fail[t] = s === 0 ? 0 : d[fail[s]! * c + k]!;
        children[s + 1]!++;
      }
    }
    for (let s = 0; s < states; s++) children[s + 1]! += children[s]!;
    const childClass = new Uint16Array(states - 1);
    const childState = new Int32Array(states - 1);
    const at = children.slice(0, states);
    for (let q = 1; q < tail; q++) {
      const t = order[q]!;
      const k = at[parent[t]!]!++;
      childClass[k] = via[t]!;
      childState[k] = t;
    }
    return { size: this.size, classOf: this.classOf, classes: c, childStart: children, childClass, childState, fail, outStart: this.outStart, outIds: this.outIds };
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
      if (this.sparse !== undefined && this.sparse.filled[s] === 0) this.fillRow(s);
      if (accepting[s] === 0) continue;
      const end = this.outStart[s + 1]!;
      for (let k = this.outStart[s]!; k < end; k++) {
        const id = this.outIds[k]!;
        const list = hits.get(id);
        if (list === undefined) hits.set(id, [line]);
        else list.push(line);
      }
    }
  }
}
