/** Every eval function hamlet knows, active or recognised-but-inactive: the one registry. */
import { authDkimEvals } from './auth-dkim';
import { authDmarcEvals } from './auth-dmarc';
import { authSpfEvals } from './auth-spf';
import { authWelcomelistEvals } from './auth-welcomelist';
import { bayesEvals } from './bayes';
import { bodyCheckEvals } from './body-checks';
import { freemailEvals } from './freemail';
import { headerCheckEvals } from './header-checks';
import { htmlCheckEvals } from './html-checks';
import { htmlStatEvals } from './html-stats';
import { INACTIVE_EVALS } from './inactive';
import { listEvals } from './lists';
import { lookalikeEvals } from './lookalike';
import { mimeCheckEvals } from './mime-checks';
import { mimeFlagEvals } from './mime-flags';
import { phishingEvals } from './phishing';
import { buildRegistry, type EvalRegistry } from './registry';
import { relayCheckEvals } from './relay-checks';
import { senderDomainEvals } from './sender-domains';

export const EVAL_REGISTRY: EvalRegistry = buildRegistry(
  [authDkimEvals, authDmarcEvals, authSpfEvals, authWelcomelistEvals, bayesEvals, bodyCheckEvals, freemailEvals, headerCheckEvals, htmlCheckEvals, htmlStatEvals, listEvals, lookalikeEvals, mimeCheckEvals, mimeFlagEvals, phishingEvals, relayCheckEvals, senderDomainEvals],
  INACTIVE_EVALS,
);
