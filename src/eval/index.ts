/** Every eval function hamlet knows, active or recognised-but-inactive: the one registry. */
import { askdnsEvals } from './askdns';
import { authDkimEvals } from './auth-dkim';
import { authDmarcEvals } from './auth-dmarc';
import { authSpfEvals } from './auth-spf';
import { authWelcomelistEvals } from './auth-welcomelist';
import { bayesEvals } from './bayes';
import { bodyCheckEvals } from './body-checks';
import { dnsRblEvals } from './dns-rbl';
import { dnsRblHostEvals } from './dns-rbl-hosts';
import { dnsRblNsEvals } from './dns-rbl-ns';
import { dnsSenderEvals } from './dns-sender';
import { freemailEvals } from './freemail';
import { hashblEvals } from './hashbl';
import { headerCheckEvals } from './header-checks';
import { htmlCheckEvals } from './html-checks';
import { htmlStatEvals } from './html-stats';
import { INACTIVE_EVALS } from './inactive';
import { listEvals } from './lists';
import { lookalikeEvals } from './lookalike';
import { mimeCheckEvals } from './mime-checks';
import { mimeFlagEvals } from './mime-flags';
import { phishingEvals } from './phishing';
import { recipientNamedEvals } from './recipient-named';
import { buildRegistry, type EvalRegistry } from './registry';
import { relayCheckEvals } from './relay-checks';
import { senderDomainEvals } from './sender-domains';
import { uridnsblEvals } from './uridnsbl';

export const EVAL_REGISTRY: EvalRegistry = buildRegistry(
  [askdnsEvals, authDkimEvals, authDmarcEvals, authSpfEvals, authWelcomelistEvals, bayesEvals, bodyCheckEvals, dnsRblEvals, dnsRblHostEvals, dnsRblNsEvals, dnsSenderEvals, freemailEvals, hashblEvals, headerCheckEvals, htmlCheckEvals, htmlStatEvals, listEvals, lookalikeEvals, mimeCheckEvals, mimeFlagEvals, phishingEvals, recipientNamedEvals, relayCheckEvals, senderDomainEvals, uridnsblEvals],
  INACTIVE_EVALS,
);
