/**
 * Every eval function hamlet knows, active or recognised-but-inactive: the one registry. Each area
 * file exports its `EvalDef[]` and is listed here once; a new eval goes into its area's array.
 *
 * The files are loaded when first needed, not when this module is: compiling a configuration
 * reads the whole registry (`EVAL_REGISTRY`), but a rule set from the rule-set cache binds each
 * eval to the one file that defines it (`lazyEvalDef`) and loads that file when the eval first
 * runs. A `hamlet -L` run then never loads the network evals' files and the DNS code under them
 * (their rules say no without network tests).
 */
import { INACTIVE_EVALS } from './inactive';
import { buildRegistry, type EvalDef, type EvalRegistry } from './registry';
import { lazy } from '../util/lazy';

/* eslint-disable @typescript-eslint/no-require-imports -- each file is required when first needed (see above) */
const FILES = {
  'askdns': () => (require('./askdns') as typeof import('./askdns')).askdnsEvals,
  'auth-dkim': () => (require('./auth-dkim') as typeof import('./auth-dkim')).authDkimEvals,
  'auth-dmarc': () => (require('./auth-dmarc') as typeof import('./auth-dmarc')).authDmarcEvals,
  'auth-spf': () => (require('./auth-spf') as typeof import('./auth-spf')).authSpfEvals,
  'auth-welcomelist': () => (require('./auth-welcomelist') as typeof import('./auth-welcomelist')).authWelcomelistEvals,
  'bayes': () => (require('./bayes') as typeof import('./bayes')).bayesEvals,
  'bayes-familiarity': () => (require('./bayes-familiarity') as typeof import('./bayes-familiarity')).bayesFamiliarityEvals,
  'body-alt-diff': () => (require('./body-alt-diff') as typeof import('./body-alt-diff')).bodyAltDiffEvals,
  'body-checks': () => (require('./body-checks') as typeof import('./body-checks')).bodyCheckEvals,
  'dns-rbl': () => (require('./dns-rbl') as typeof import('./dns-rbl')).dnsRblEvals,
  'dns-rbl-hosts': () => (require('./dns-rbl-hosts') as typeof import('./dns-rbl-hosts')).dnsRblHostEvals,
  'dns-rbl-ns': () => (require('./dns-rbl-ns') as typeof import('./dns-rbl-ns')).dnsRblNsEvals,
  'dns-sender': () => (require('./dns-sender') as typeof import('./dns-sender')).dnsSenderEvals,
  'freemail': () => (require('./freemail') as typeof import('./freemail')).freemailEvals,
  'image-info': () => (require('./image-info') as typeof import('./image-info')).imageInfoEvals,
  'hashbl': () => (require('./hashbl') as typeof import('./hashbl')).hashblEvals,
  'header-content': () => (require('./header-content') as typeof import('./header-content')).headerContentEvals,
  'header-forged': () => (require('./header-forged') as typeof import('./header-forged')).headerForgedEvals,
  'header-recipients': () => (require('./header-recipients') as typeof import('./header-recipients')).headerRecipientEvals,
  'header-sender': () => (require('./header-sender') as typeof import('./header-sender')).headerSenderEvals,
  'header-shifted-date': () => (require('./header-shifted-date') as typeof import('./header-shifted-date')).headerDateEvals,
  'html-checks': () => (require('./html-checks') as typeof import('./html-checks')).htmlCheckEvals,
  'html-stats': () => (require('./html-stats') as typeof import('./html-stats')).htmlStatEvals,
  'lists-subject-bounce': () => (require('./lists-subject-bounce') as typeof import('./lists-subject-bounce')).subjectBounceEvals,
  'lists-uri-host': () => (require('./lists-uri-host') as typeof import('./lists-uri-host')).uriHostEvals,
  'lists-wlbl': () => (require('./lists-wlbl') as typeof import('./lists-wlbl')).wlblEvals,
  'lookalike': () => (require('./lookalike') as typeof import('./lookalike')).lookalikeEvals,
  'mime-checks': () => (require('./mime-checks') as typeof import('./mime-checks')).mimeCheckEvals,
  'mime-flags': () => (require('./mime-flags') as typeof import('./mime-flags')).mimeFlagEvals,
  'phishing': () => (require('./phishing') as typeof import('./phishing')).phishingEvals,
  'recipient-named': () => (require('./recipient-named') as typeof import('./recipient-named')).recipientNamedEvals,
  'relay-checks': () => (require('./relay-checks') as typeof import('./relay-checks')).relayCheckEvals,
  'relay-signs': () => (require('./relay-signs') as typeof import('./relay-signs')).relaySignEvals,
  'sender-domains': () => (require('./sender-domains') as typeof import('./sender-domains')).senderDomainEvals,
  'uridnsbl': () => (require('./uridnsbl') as typeof import('./uridnsbl')).uridnsblEvals,
} satisfies Record<string, () => readonly EvalDef[]>;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The name of an area file (its path under src/eval/, without `.ts`). */
export type EvalFile = keyof typeof FILES;

const isEvalFile = (file: string): file is EvalFile => Object.hasOwn(FILES, file);

const fileEvals = new Map<EvalFile, ReadonlyMap<string, EvalDef>>();

/** The evals `file` defines, by name (the file is loaded on the first call). */
function evalsIn(file: EvalFile): ReadonlyMap<string, EvalDef> {
  let defs = fileEvals.get(file);
  if (!defs) fileEvals.set(file, (defs = new Map(FILES[file]().map((d) => [d.name, d]))));
  return defs;
}

/** The whole registry, every file loaded; built on first use. */
const wholeRegistry = lazy((): EvalRegistry => buildRegistry((Object.keys(FILES) as EvalFile[]).map((f) => [...evalsIn(f).values()]), INACTIVE_EVALS));

/** The registry; reading it loads every area file (the first read builds it). */
export const EVAL_REGISTRY: EvalRegistry = {
  get active() {
    return wholeRegistry().active;
  },
  get inactive() {
    return wholeRegistry().inactive;
  },
};

/** Load every area file now (a server, before its first scan). */
export function loadAllEvals(): void {
  wholeRegistry();
}

/** The file that defines active eval `name`, or undefined (reads the whole registry). */
export function evalFileOf(name: string): EvalFile | undefined {
  if (!EVAL_REGISTRY.active.has(name)) return undefined;
  return (Object.keys(FILES) as EvalFile[]).find((f) => evalsIn(f).has(name));
}

/**
 * Eval `name` of `file`, to be read when first needed (which loads `file` alone); undefined when
 * `file` is no area file. A name the file turns out not to define throws when read.
 */
export function lazyEvalDef(file: string, name: string): (() => EvalDef) | undefined {
  if (!isEvalFile(file)) return undefined;
  return lazy(() => {
    const def = evalsIn(file).get(name);
    if (!def) throw new Error(`eval ${name} is not defined in ${file}`);
    return def;
  });
}
