/**
 * `if (expr)` conditions of the .cf language: `version`, `perl_version`,
 * `plugin(Name)`, `can(Name::fn)`, `has(Name::fn)`, numbers, `! && || ( )` and
 * comparisons. Evaluated by a small parser, never by `eval`.
 */

/** What a condition can ask about. */
export interface ConditionEnv {
  /** hamlet's SpamAssassin-compatible version as a number, e.g. 4.000001. */
  readonly version: number;
  pluginLoaded(name: string): boolean;
  /** `can(Module::feature)`: the feature exists and is switched on. */
  can(name: string): boolean;
  /** `has(Module::feature)`: the feature exists. */
  has(name: string): boolean;
  readonly localTestsOnly: boolean;
}

type Token = { kind: 'num'; value: number } | { kind: 'op'; value: string } | { kind: 'word'; value: string };

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|(&&|\|\||>=|<=|==|!=|[()!<>])|([A-Za-z_][\w:]*))/y;

function tokenize(src: string): Token[] | string {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) return `unparseable value near '${src.slice(pos).trim()}'`;
    if (m[1] !== undefined) out.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ kind: 'op', value: m[2] });
    else out.push({ kind: 'word', value: m[3]! });
    pos = TOKEN.lastIndex;
  }
  return out;
}

/** SpamAssassin renamed two plugins; conditions may use either name. */
export function canonicalPluginName(name: string): string {
  if (name === 'Mail::SpamAssassin::Plugin::Dmarc') return 'Mail::SpamAssassin::Plugin::DMARC';
  if (name === 'Mail::SpamAssassin::Plugin::WhiteListSubject') return 'Mail::SpamAssassin::Plugin::WelcomeListSubject';
  return name;
}

/** Evaluate a condition; a string result is a parse error for lint. */
export function evalCondition(src: string, env: ConditionEnv): boolean | string {
  const toks = tokenize(src);
  if (typeof toks === 'string') return toks;
  let i = 0;
  const peek = (): Token | undefined => toks[i];
  const isOp = (v: string): boolean => {
    const t = peek();
    return t !== undefined && t.kind === 'op' && t.value === v;
  };
  const fail = (msg: string): never => {
    throw new SyntaxError(msg);
  };

  const primary = (): number => {
    const t = toks[i++];
    if (!t) return fail('unexpected end of condition');
    if (t.kind === 'num') return t.value;
    if (t.kind === 'op') {
      if (t.value === '(') {
        const v = or();
        if (!isOp(')')) fail("missing ')'");
        i++;
        return v;
      }
      if (t.value === '!') return primary() ? 0 : 1;
      return fail(`unexpected '${t.value}'`);
    }
    switch (t.value) {
      case 'version':
        return env.version;
      case 'perl_version':
        return 5.036;
      case 'local_tests_only':
        return env.localTestsOnly ? 1 : 0;
      case 'plugin':
      case 'can':
      case 'has': {
        if (!isOp('(')) fail(`${t.value} needs an argument`);
        i++;
        const arg = toks[i++];
        if (!arg || arg.kind !== 'word') return fail(`bad argument to ${t.value}()`);
        if (!isOp(')')) fail("missing ')'");
        i++;
        if (t.value === 'plugin') return env.pluginLoaded(canonicalPluginName(arg.value)) ? 1 : 0;
        if (!arg.value.includes('::')) fail(`cannot find '::' in ${t.value}(${arg.value})`);
        return (t.value === 'can' ? env.can(arg.value) : env.has(arg.value)) ? 1 : 0;
      }
      default:
        return fail(`not allowed value '${t.value}'`);
    }
  };
  const compare = (): number => {
    let a = primary();
    for (;;) {
      const t = peek();
      if (!t || t.kind !== 'op' || !['<', '>', '<=', '>=', '==', '!='].includes(t.value)) return a;
      i++;
      const b = primary();
      switch (t.value) {
        case '<': a = a < b ? 1 : 0; break;
        case '>': a = a > b ? 1 : 0; break;
        case '<=': a = a <= b ? 1 : 0; break;
        case '>=': a = a >= b ? 1 : 0; break;
        case '==': a = a === b ? 1 : 0; break;
        default: a = a !== b ? 1 : 0;
      }
    }
  };
  const and = (): number => {
    let a = compare();
    while (isOp('&&')) {
      i++;
      const b = compare();
      a = a && b;
    }
    return a;
  };
  function or(): number {
    let a = and();
    while (isOp('||')) {
      i++;
      const b = and();
      a = a || b;
    }
    return a;
  }
  try {
    const v = or();
    if (i < toks.length) return `unexpected '${String(toks[i]!.value)}'`;
    return v !== 0;
  } catch (e) {
    return (e as Error).message;
  }
}
