/**
 * Every eval function hamlet knows, active or recognised-but-inactive: the one registry. Each area
 * file exports its `EvalDef[]` and is listed here once; a new eval goes into its area's array.
 */
import { askdnsEvals } from './askdns';
import { authDkimEvals } from './auth-dkim';
import { authDmarcEvals } from './auth-dmarc';
import { authSpfEvals } from './auth-spf';
import { authWelcomelistEvals } from './auth-welcomelist';
import { bayesEvals } from './bayes';
import { bodyAltDiffEvals } from './body-alt-diff';
import { bodyCheckEvals } from './body-checks';
import { dnsRblEvals } from './dns-rbl';
import { dnsRblHostEvals } from './dns-rbl-hosts';
import { dnsRblNsEvals } from './dns-rbl-ns';
import { dnsSenderEvals } from './dns-sender';
import { freemailEvals } from './freemail';
import { imageInfoEvals } from './image-info';
import { hashblEvals } from './hashbl';
import { headerContentEvals } from './header-content';
import { headerForgedEvals } from './header-forged';
import { headerRecipientEvals } from './header-recipients';
import { headerSenderEvals } from './header-sender';
import { headerDateEvals } from './header-shifted-date';
import { htmlCheckEvals } from './html-checks';
import { htmlStatEvals } from './html-stats';
import { subjectBounceEvals } from './lists-subject-bounce';
import { uriHostEvals } from './lists-uri-host';
import { wlblEvals } from './lists-wlbl';
import { lookalikeEvals } from './lookalike';
import { mimeCheckEvals } from './mime-checks';
import { mimeFlagEvals } from './mime-flags';
import { phishingEvals } from './phishing';
import { recipientNamedEvals } from './recipient-named';
import { relayCheckEvals } from './relay-checks';
import { relaySignEvals } from './relay-signs';
import { senderDomainEvals } from './sender-domains';
import { uridnsblEvals } from './uridnsbl';
import { INACTIVE_EVALS } from './inactive';
import { buildRegistry, type EvalRegistry } from './registry';

export const EVAL_REGISTRY: EvalRegistry = buildRegistry(
  [
    askdnsEvals,
    authDkimEvals,
    authDmarcEvals,
    authSpfEvals,
    authWelcomelistEvals,
    bayesEvals,
    bodyAltDiffEvals,
    bodyCheckEvals,
    dnsRblEvals,
    dnsRblHostEvals,
    dnsRblNsEvals,
    dnsSenderEvals,
    freemailEvals,
    imageInfoEvals,
    hashblEvals,
    headerContentEvals,
    headerForgedEvals,
    headerRecipientEvals,
    headerSenderEvals,
    headerDateEvals,
    htmlCheckEvals,
    htmlStatEvals,
    subjectBounceEvals,
    uriHostEvals,
    wlblEvals,
    lookalikeEvals,
    mimeCheckEvals,
    mimeFlagEvals,
    phishingEvals,
    recipientNamedEvals,
    relayCheckEvals,
    relaySignEvals,
    senderDomainEvals,
    uridnsblEvals,
  ],
  INACTIVE_EVALS,
);
