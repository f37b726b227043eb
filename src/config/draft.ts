/**
 * The mutable record the parser fills while reading .cf lines; compiled once
 * into an immutable rule set (`compile.ts`).
 */

/** Where a line came from. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
}

/** A lint finding: `error` disables something, `warn` is advice, `info` is for --lint -D. */
export interface LintMessage {
  readonly level: 'error' | 'warn' | 'info';
  readonly at: SourcePos | undefined;
  readonly text: string;
}

/** The rule-defining directives (the URI list lines are options: src/dns/uri-list-defs.ts). */
export type RuleDirective =
  | 'header' | 'body' | 'rawbody' | 'full' | 'uri' | 'meta' | 'mimeheader'
  | 'askdns';

/** A rule as written (last definition wins, as in SpamAssassin). */
export interface RuleDraft {
  readonly name: string;
  readonly directive: RuleDirective;
  /** Everything after the rule name. */
  readonly text: string;
  readonly at: SourcePos;
  /** Defined in a user_prefs file (only honoured with allow_user_rules). */
  readonly user: boolean;
}

/** ReplaceTags state. */
export interface ReplaceTags {
  readonly tags: Map<string, string>;
  readonly pre: Map<string, string>;
  readonly inter: Map<string, string>;
  readonly post: Map<string, string>;
  readonly rules: Set<string>;
}

export interface ConfigDraft {
  readonly rules: Map<string, RuleDraft>;
  readonly scores: Map<string, number[]>;
  readonly describes: Map<string, string>;
  readonly tflags: Map<string, string>;
  readonly priorities: Map<string, number>;
  /** Scalar options (last wins) and list options (accumulated). */
  readonly options: Map<string, string | string[]>;
  readonly replace: ReplaceTags;
  /** Plugins loaded with `loadplugin`/`tryplugin` that hamlet implements or recognises. */
  readonly plugins: Set<string>;
  /** `enable_compat` flags. */
  readonly compat: Set<string>;
  readonly lint: LintMessage[];
  /** Files read, in order. */
  readonly files: string[];
}

export function newDraft(): ConfigDraft {
  return {
    rules: new Map(),
    scores: new Map(),
    describes: new Map(),
    tflags: new Map(),
    priorities: new Map(),
    options: new Map(),
    replace: { tags: new Map(), pre: new Map(), inter: new Map(), post: new Map(), rules: new Set() },
    plugins: new Set(),
    compat: new Set(),
    lint: [],
    files: [],
  };
}
