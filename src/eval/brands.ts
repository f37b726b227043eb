/**
 * Brands that phishing mail impersonates, with the domains they really send
 * from and link to. Used by the phishing and look-alike evals. The list is
 * hamlet's own; it names well-known brands only, and each brand's own domains
 * (any TLD of its token counts too, `paypal.de`, `amazon.co.uk`).
 */
import type * as Tldts from 'tldts';
import { lazy } from '../util/lazy';

// tldts loads (~20 ms) when a link is first checked against the brands, not with the eval registry.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tldts = lazy(() => require('tldts') as typeof Tldts);

/** One impersonated brand. */
export interface Brand {
  /** Short key, also the token looked for inside domain labels (letters only). */
  readonly token: string;
  /** How the brand is written in a display name or text. */
  readonly name: RegExp;
  /** Registrable domains the brand really uses besides `<token>.<any tld>`. */
  readonly domains: readonly string[];
  /** Too short or too common as a word to look for inside another domain's labels. */
  readonly noEmbed?: boolean;
}

export const BRANDS: readonly Brand[] = [
  { token: 'paypal', name: /\bpay\s?pal\b/i, domains: ['paypal.me', 'paypalobjects.com', 'paypal-communication.com', 'paypal-community.com', 'paypal-prepaid.com', 'xoom.com'] },
  {
    token: 'microsoft',
    name: /\b(?:microsoft|office\s?365|one\s?drive|share\s?point|outlook(?:\.com)? (?:team|support|account)|windows live)\b/i,
    domains: ['office.com', 'office365.com', 'outlook.com', 'live.com', 'hotmail.com', 'msn.com', 'sharepoint.com', 'onedrive.com', 'microsoftonline.com', 'azure.com', 'windows.com', 'bing.com', 'skype.com', 'linkedin.com', 'xbox.com', 'microsoftrewards.com', 'microsoftstore.com', 'microsoft365.com'],
  },
  { token: 'apple', name: /^\s*apple\s*$|\b(?:apple(?:\s?id| support| store| pay)|icloud|itunes(?: store)?)\b/i, domains: ['icloud.com', 'me.com', 'mac.com', 'itunes.com', 'apple.news'] },
  { token: 'amazon', name: /\bamazon(?:\.com| prime| pay| web services| support| security)?\b/i, domains: ['amazonaws.com', 'amazonses.com', 'a2z.com', 'audible.com', 'primevideo.com', 'amazon.jobs'] },
  { token: 'netflix', name: /\bnetflix\b/i, domains: ['netflix.net', 'nflxext.com', 'nflximg.net'] },
  { token: 'google', name: /\b(?:google(?: account| security| workspace| drive| docs)?|gmail team)\b/i, domains: ['gmail.com', 'googlemail.com', 'googlegroups.com', 'youtube.com', 'googleusercontent.com', 'gstatic.com', 'goo.gl', 'g.co'] },
  { token: 'facebook', name: /\b(?:facebook|meta (?:support|business)|instagram|whatsapp)\b/i, domains: ['facebookmail.com', 'fb.com', 'meta.com', 'instagram.com', 'whatsapp.com', 'messenger.com'] },
  { token: 'linkedin', name: /\blinked\s?in\b/i, domains: ['licdn.com', 'lnkd.in'] },
  { token: 'docusign', name: /\bdocu\s?sign\b/i, domains: ['docusign.net'] },
  { token: 'dropbox', name: /\bdropbox\b/i, domains: ['dropboxmail.com', 'db.tt'] },
  { token: 'dhl', name: /\bDHL\b/, domains: ['dhl.de', 'dpdhl.com', 'deutschepost.de'] },
  { token: 'fedex', name: /\bfed\s?ex\b/i, domains: [] },
  { token: 'ups', name: /\bUPS\b(?! *[-/]? *(?:and|&) *downs)/, domains: ['theupsstore.com'], noEmbed: true },
  { token: 'usps', name: /\b(?:USPS|US Postal Service|United States Postal Service)\b/, domains: ['usps.gov'] },
  { token: 'wellsfargo', name: /\bwells\s?fargo\b/i, domains: ['wf.com'] },
  { token: 'bankofamerica', name: /\bbank\s?of\s?america\b/i, domains: ['bofa.com', 'ml.com'] },
  { token: 'chase', name: /\b(?:chase bank|chase online|jp\s?morgan chase)\b/i, domains: ['jpmorgan.com', 'jpmorganchase.com', 'chasecdn.com'], noEmbed: true },
  { token: 'citibank', name: /\bciti\s?bank\b/i, domains: ['citi.com', 'citigroup.com'] },
  { token: 'hsbc', name: /\bHSBC\b/i, domains: [] },
  { token: 'barclays', name: /\bbarclays(?:card)?\b/i, domains: ['barclaycard.co.uk', 'barclaycardus.com'] },
  { token: 'coinbase', name: /\bcoinbase\b/i, domains: [] },
  { token: 'binance', name: /\bbinance\b/i, domains: [] },
  { token: 'ebay', name: /\bebay\b/i, domains: ['ebaydesc.com', 'ebaystatic.com', 'ebay-kleinanzeigen.de'] },
  { token: 'adobe', name: /\badobe(?: sign| document cloud| acrobat)\b/i, domains: ['adobesign.com', 'echosign.com'] },
  { token: 'norton', name: /\bnorton(?: ?life ?lock| antivirus| 360)\b/i, domains: ['nortonlifelock.com', 'symantec.com', 'gen.com'] },
  { token: 'mcafee', name: /\bmcafee\b/i, domains: [] },
  { token: 'irs', name: /\b(?:IRS|Internal Revenue Service)\b/, domains: ['irs.gov', 'treasury.gov'], noEmbed: true },
  { token: 'hmrc', name: /\b(?:HMRC|HM Revenue)\b/, domains: ['gov.uk'] },
];

/** The label of a host's registrable domain without its public suffix (`paypal` for `www.paypal.co.uk`), or ''. */
export function domainLabel(host: string): string {
  return tldts().parse(host, { allowPrivateDomains: false }).domainWithoutSuffix ?? '';
}

/** True when `domain` (registrable, lower case) belongs to `brand`. */
export function brandOwns(brand: Brand, domain: string): boolean {
  if (domain === '') return false;
  if (brand.domains.includes(domain)) return true;
  return domainLabel(domain) === brand.token;
}

/** The brand a display name or text names, if any. */
export function brandNamedIn(text: string): Brand | undefined {
  return BRANDS.find((b) => b.name.test(text));
}
