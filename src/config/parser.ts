/**
 * Read .cf text line by line into a `ConfigDraft`: comments, conditionals,
 * includes, plugins, rule definitions, rule attributes and options. Problems
 * become lint messages with file:line; nothing here throws on user input.
 */
import { canonicalPluginName, evalCondition, type ConditionEnv } from './conditionals';
import type { ConfigDraft, RuleDirective, SourcePos } from './draft';
import { KNOWN_DIRECTIVES } from './known-directives';
import { KNOWN_PLUGINS, featureEnabled, featureExists } from './plugins';
import { ADMIN_SETTINGS, PRIVILEGED_SETTINGS } from './privileges';
import { LEGACY_NAMES, legacyNote } from './legacy-names';
import { HEADER_OPS_OPTION, LINE_LIST_OPTIONS, LIST_OPTIONS, OPTION_ALIASES } from '../options/option-values';
import { checkDnsSettingLine } from '../dns/setting-lines';
import { parseUriListLine, URI_LISTS_OPTION, URI_LIST_DIRECTIVES } from '../dns/uri-list-defs';

/** hamlet answers `version` conditions as SpamAssassin 4.0.1 would. */
export const SA_COMPAT_VERSION = 4.000001;

const RULE_DIRECTIVES: ReadonlySet<string> = new Set<RuleDirective>([
  'header', 'body', 'rawbody', 'full', 'uri', 'meta', 'mimeheader',
  'askdns',
]);

/** Directives accepted and deliberately ignored (mass-check and translation helpers). */
const IGNORED = new Set(['test', 'reuse', 'require_version', 'lang', 'version_tag']);

/** The Shortcircuit plugin's directives: hamlet does not implement it, so they are reported as having no effect. */
const SHORTCIRCUIT_DIRECTIVES = new Set([
  'shortcircuit', 'shortcircuit_ham_score', 'shortcircuit_max_spam_score', 'shortcircuit_min_ham_score', 'shortcircuit_spam_score',
]);

/** Directives that edit the list of added X-Spam headers; their order matters, so they are also logged together. */
const HEADER_OPS: ReadonlySet<string> = new Set(['add_header', 'remove_header', 'clear_headers', 'report_safe']);

/** Options cleared by a `clear_*` directive. */
const CLEARS: Readonly<Record<string, readonly string[]>> = {
  clear_report_template: ['report'],
  clear_unsafe_report_template: ['unsafe_report'],
  clear_headers: ['add_header'],
  clear_util_rb: ['util_rb_tld', 'util_rb_2tld', 'util_rb_3tld'],
  clear_originating_ip_headers: ['originating_ip_headers'],
  clear_trusted_networks: ['trusted_networks'],
  clear_internal_networks: ['internal_networks'],
  clear_msa_networks: ['msa_networks'],
  clear_redirector_patterns: ['redirector_pattern'],
  clear_bayes_ignore_header: ['bayes_ignore_header'],
  clear_url_shortener: ['url_shortener'],
  clear_dns_servers: ['dns_server'],
  clear_dns_query_restriction: ['dns_query_restriction'],
  clear_dns_query_restrictions: ['dns_query_restriction'],
};

/** `un*` directives remove entries from the lists they name (the SPF and DKIM ones from the default list too). */
const REMOVES: Readonly<Record<string, readonly string[]>> = {
  unwelcomelist_from: ['welcomelist_from'],
  unblocklist_from: ['blocklist_from'],
  unwelcomelist_auth: ['welcomelist_auth'],
  unwelcomelist_from_rcvd: ['welcomelist_from_rcvd'],
  unwelcomelist_from_dkim: ['welcomelist_from_dkim', 'def_welcomelist_from_dkim'],
  unwelcomelist_from_spf: ['welcomelist_from_spf', 'def_welcomelist_from_spf'],
  unwhitelist_from_dkim: ['welcomelist_from_dkim', 'def_welcomelist_from_dkim'],
  unwhitelist_from_spf: ['welcomelist_from_spf', 'def_welcomelist_from_spf'],
};

/** Lists whose `un*` line must repeat the whole entry (`author [signing-domain]`), not just its first word. */
const REMOVE_WHOLE_LINE: ReadonlySet<string> = new Set(['welcomelist_from_dkim', 'def_welcomelist_from_dkim']);

/** How the parser reaches files and what it may accept. */
export interface ParseEnv {
  /** Read an `include`d file (path already resolved); undefined when unreadable. */
  readInclude(path: string, from: SourcePos): string | undefined;
  resolve(fromFile: string, target: string): string;
  /** Reading a restricted user_prefs file (a server's user): rules only with allow_user_rules, no admin settings or includes. */
  readonly user: boolean;
}

interface Frame {
  /** This block's lines are applied. */
  readonly active: boolean;
  /** The enclosing block was active (so `else` may switch). */
  readonly parentActive: boolean;
  readonly kind: 'if' | 'ifplugin';
  readonly at: SourcePos;
  elseSeen: boolean;
}

/** Strip a .cf comment (`#` not preceded by a backslash) and unescape `\#`. */
export function stripComment(line: string): string {
  let s = line;
  const hash = s.search(/(?<!\\)#/);
  if (hash >= 0) s = s.slice(0, hash);
  return s.trim().replace(/\\#/g, '#');
}

function conditionEnv(draft: ConfigDraft): ConditionEnv {
  return {
    version: SA_COMPAT_VERSION,
    pluginLoaded: (n) => draft.plugins.has(n),
    can: (n) => featureEnabled(n, draft.plugins, draft.compat),
    has: (n) => featureExists(n, draft.plugins),
    localTestsOnly: false,
  };
}

/** Parse one file's text into `draft`. */
export function parseConfigText(draft: ConfigDraft, text: string, file: string, env: ParseEnv): void {
  draft.files.push(file);
  const stack: Frame[] = [];
  const lines = text.split(/\r?\n/);
  const warn = (at: SourcePos, msg: string, level: 'error' | 'warn' | 'info' = 'warn'): void => {
    draft.lint.push({ level, at, text: msg });
  };
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    // Empty lines first: a reader keeping a few directives (hamlet-learn) blanks nearly every line.
    if (raw === '') continue;
    const line = stripComment(raw);
    if (line === '') continue;
    const at: SourcePos = { file, line: n + 1 };
    const sp = line.search(/\s/);
    const key = (sp < 0 ? line : line.slice(0, sp)).toLowerCase();
    const value = sp < 0 ? '' : line.slice(sp).trim();
    const active = stack.length === 0 || stack[stack.length - 1]!.active;

    // Conditionals are tracked even inside inactive blocks, to keep nesting right.
    if (key === 'if' || key === 'ifplugin') {
      let on = false;
      if (active) {
        if (key === 'ifplugin') on = draft.plugins.has(canonicalPluginName(value));
        else {
          const r = evalCondition(value, conditionEnv(draft));
          if (typeof r === 'string') warn(at, `config: error parsing conditional '${value}': ${r}`);
          on = r === true;
        }
      }
      stack.push({ active: active && on, parentActive: active, kind: key, at, elseSeen: false });
      continue;
    }
    if (key === 'else') {
      const top = stack[stack.length - 1];
      if (!top || top.elseSeen) {
        warn(at, "config: found else without matching conditional", 'error');
        continue;
      }
      top.elseSeen = true;
      stack[stack.length - 1] = { ...top, active: top.parentActive && !top.active };
      continue;
    }
    if (key === 'endif') {
      if (!stack.pop()) warn(at, 'config: found endif without matching conditional', 'error');
      continue;
    }
    if (!active) continue;
    const legacy = Object.hasOwn(LEGACY_NAMES, key) ? LEGACY_NAMES[key] : undefined;
    if (legacy) {
      warn(at, legacyNote(key, legacy));
      if (legacy.now !== undefined) applyLine(draft, legacy.now, value, at, env, warn);
      continue;
    }
    applyLine(draft, key, value, at, env, warn);
  }
  for (const f of stack) warn(f.at, `config: unclosed '${f.kind}' block at end of file`, 'error');
}

type Warn = (at: SourcePos, msg: string, level?: 'error' | 'warn' | 'info') => void;

function nameAndRest(value: string): [string, string] {
  const m = /^(\S+)\s*(.*)$/s.exec(value);
  return m ? [m[1]!, m[2]!] : ['', ''];
}

function applyLine(draft: ConfigDraft, key: string, value: string, at: SourcePos, env: ParseEnv, warn: Warn): void {
  if (env.user) {
    if (ADMIN_SETTINGS.has(key)) return warn(at, `config: ${key} is not allowed in user preferences (administrator setting)`);
    if (PRIVILEGED_SETTINGS.has(key) && draft.options.get('allow_user_rules') !== '1') {
      return warn(at, `config: ${key} ignored in user preferences: user rules are not allowed (allow_user_rules 0)`);
    }
  }
  if (RULE_DIRECTIVES.has(key)) {
    const [name, rest] = nameAndRest(value);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return warn(at, `config: invalid rule name '${name}' for ${key}`, 'error');
    if (rest === '') return warn(at, `config: rule ${name} has no definition`, 'error');
    draft.rules.set(name, { name, directive: key as RuleDirective, text: rest, at, user: env.user });
    return;
  }
  if (URI_LIST_DIRECTIVES.has(key)) {
    // Kept apart from the rules: the `body NAME eval:check_uridnsbl` line of the same name is the rule.
    const def = parseUriListLine(key, value);
    if ('error' in def) return warn(at, `config: ${def.error}`, 'error');
    setOption(draft, URI_LISTS_OPTION, `${key} ${value.trim()}`);
    return;
  }
  switch (key) {
    case 'clear_uridnsbl_skip_domain': {
      // With domains, only those leave the list; without, the whole list is cleared.
      const drop = new Set(value.toLowerCase().split(/\s+/).filter((d) => d !== ''));
      const cur = draft.options.get('uridnsbl_skip_domain');
      const kept = drop.size > 0 && Array.isArray(cur) ? cur.filter((d) => !drop.has(d.toLowerCase())) : [];
      draft.options.set('uridnsbl_skip_domain', kept);
      return;
    }
    case 'include': {
      if (env.user) return warn(at, 'config: include is not allowed in user preferences', 'error');
      const path = env.resolve(at.file, value);
      const text = env.readInclude(path, at);
      if (text === undefined) return warn(at, `config: cannot read included file ${path}`, 'error');
      parseConfigText(draft, text, path, env);
      return;
    }
    case 'loadplugin':
    case 'tryplugin': {
      const [name] = nameAndRest(value);
      const canon = canonicalPluginName(name);
      if (KNOWN_PLUGINS.has(canon)) draft.plugins.add(canon);
      else if (key === 'loadplugin') warn(at, `config: plugin ${name} is not implemented by hamlet; its rules stay off`);
      return;
    }
    case 'describe': {
      const [name, rest] = nameAndRest(value);
      draft.describes.set(name, rest);
      return;
    }
    case 'tflags': {
      const [name, rest] = nameAndRest(value);
      draft.tflags.set(name, rest);
      return;
    }
    case 'priority': {
      const [name, rest] = nameAndRest(value);
      const p = Number(rest);
      if (!Number.isInteger(p)) return warn(at, `config: priority for ${name} is not an integer: '${rest}'`, 'error');
      draft.priorities.set(name, p);
      return;
    }
    case 'score': {
      const [name, rest] = nameAndRest(value);
      const nums = rest.split(/\s+/).filter((s) => s !== '').map(Number);
      if ((nums.length !== 1 && nums.length !== 4) || nums.some((x) => !Number.isFinite(x))) {
        return warn(at, `config: score for ${name} must be one or four numbers: '${rest}'`, 'error');
      }
      draft.scores.set(name, nums.length === 1 ? [nums[0]!, nums[0]!, nums[0]!, nums[0]!] : nums);
      return;
    }
    case 'replace_tag':
    case 'replace_pre':
    case 'replace_inter':
    case 'replace_post': {
      const [name, rest] = nameAndRest(value);
      const map = key === 'replace_tag' ? draft.replace.tags : key === 'replace_pre' ? draft.replace.pre : key === 'replace_inter' ? draft.replace.inter : draft.replace.post;
      map.set(name, rest);
      return;
    }
    case 'replace_rules':
      for (const r of value.split(/\s+/)) if (r) draft.replace.rules.add(r);
      return;
    case 'enable_compat':
      draft.compat.add(value);
      return;
  }
  if (IGNORED.has(key)) return;
  if (SHORTCIRCUIT_DIRECTIVES.has(key)) return warn(at, `config: ${key} is inactive: the Shortcircuit plugin is not implemented by hamlet`);
  // The X-Spam header list is built by these in order (report_safe 0 adds X-Spam-Report).
  if (HEADER_OPS.has(key)) setOption(draft, HEADER_OPS_OPTION, `${key} ${value}`);
  const clears = CLEARS[key];
  if (clears) {
    for (const o of clears) draft.options.set(o, []);
    return;
  }
  const removes = REMOVES[key] ?? (OPTION_ALIASES[key] ? REMOVES[OPTION_ALIASES[key]] : undefined);
  if (removes) {
    const drop = new Set(value.toLowerCase().split(/\s+/));
    const line = value.toLowerCase().trim().split(/\s+/).join(' ');
    for (const list of removes) {
      const cur = draft.options.get(list);
      const keep = REMOVE_WHOLE_LINE.has(list)
        ? (e: string) => e.toLowerCase().trim().split(/\s+/).join(' ') !== line
        : (e: string) => !drop.has(e.toLowerCase().split(/\s+/)[0]!);
      if (Array.isArray(cur)) draft.options.set(list, cur.filter(keep));
    }
    return;
  }
  if (!KNOWN_DIRECTIVES.has(key) && !/^bayes_stopword_[a-z]{2,}$/.test(key) && !OPTION_ALIASES[key]) {
    return warn(at, `config: unknown option '${key}'`);
  }
  // A bad DNS setting line is reported here, where its position is known, and dropped (all of it,
  // or for dns_options the words from the bad one on); the lines before it stay in force.
  const dns = checkDnsSettingLine(key, value);
  if (dns.error !== undefined) warn(at, `config: invalid '${key}' value '${value}': ${dns.error}`, 'error');
  if (dns.keep !== undefined) setOption(draft, OPTION_ALIASES[key] ?? key, dns.keep);
}

/** Store an option value: lists accumulate (by token or by line), scalars are replaced. */
export function setOption(draft: ConfigDraft, name: string, value: string): void {
  if (LINE_LIST_OPTIONS.has(name) || LIST_OPTIONS.has(name)) {
    const cur = draft.options.get(name);
    const list = Array.isArray(cur) ? cur : [];
    if (LINE_LIST_OPTIONS.has(name)) list.push(value);
    else for (const t of value.split(/\s+/)) if (t !== '') list.push(t);
    draft.options.set(name, list);
    return;
  }
  draft.options.set(name, value);
}
