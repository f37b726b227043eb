/**
 * The DNS layer: a resolver shared by the process, one lookup set per scan, and the blocklist
 * logic (query names, which relays, sub-tests) as pure functions.
 *
 * How the check pipeline is meant to use it (issue 17; not wired yet):
 * 1. At startup (hamlet, each hamletd worker) build one `Resolver` from the config:
 *    `dns_server` entries (else /etc/resolv.conf), `dns_options edns=N|rotate`. Its cache and
 *    in-flight map are per process, so concurrent scans in a worker share answers. `-L` /
 *    `dns_available no` / `skip_rbl_checks` build none, and the network evals see no lookups.
 * 2. Right after parse, the "start lookups" step makes a `LookupSet` for the scan (with its
 *    `rbl_timeout`, via `rblTimeout(t, tMin)`) and starts every query its rules need:
 *    `check_rbl*` sets through `rblQueryIps` + `dnsblQueryName`, URI lists through `uriblHosts` +
 *    `uriRhsblQueryName`, honouring `dns_query_restriction` before starting. A set asks each
 *    (name, type) once, however many rules read it (check_rbl and its check_rbl_sub rules share).
 * 3. The local rules run synchronously while the answers arrive (nothing here blocks).
 * 4. The "harvest" step awaits `set.harvest()`: it returns when every lookup has answered or
 *    passed its deadline, which shrinks from t toward t_min as answers come in.
 * 5. The network evals then read results from the scan context, synchronously:
 *    `set.get(name, type)?.result()` gives a `DnsAnswer` (status NOERROR / NXDOMAIN /
 *    SERVFAIL / TIMEOUT ...), matched with `parseRblSubtest` + `rblAnswerValues` +
 *    `rblSubtestMatch`, or `parseUriSubtest` + `uriSubtestMatches` (parse sub-tests once, at
 *    rule compile time, so a bad one is a lint message with file:line).
 * 6. SPF, DKIM, ARC and DMARC run once per scan through mailauth (`startMailAuth`, the wait
 *    'mailauth'), on `nodeStyleResolver(scanQueryFn(net))`: the scan's own lookups, so they are
 *    deduplicated, bounded by `rbl_timeout` and subject to `dns_query_restriction`. It sets the
 *    DKIM template tags before it settles. ADSP is a second wait ('mailauth-adsp', `startAdsp`).
 */
export { Resolver, DnsConfigError, type ResolverOptions, type ResolverStats } from './resolver';
export { LookupSet, Lookup, type LookupSetOptions, type QueryFn } from './lookup-set';
export { DEFAULT_RBL_TIMEOUT, rblTimeout, shrunkTimeout, type RblTimeout } from './rbl-timeout';
export { parseResolvConf, parseServerSpec, readResolvConf, type DnsServer, type ResolvConf } from './servers';
export { nodeStyleResolver, type NodeStyleResolve, type NodeDnsError } from './node-adapter';
export { answerAddresses, answerTexts, canonicalName, recordsOfType } from './types';
export type { DnsAnswer, DnsRecord, DnsStatus, QueryType } from './types';
export { dnsblQueryName, ipv4ToInt, isListingAddress, reverseIp, rhsblQueryName } from './blocklist';
export { publicIps, rblQueryIps, rblSelection, type RblIpSources, type RblSelection } from './rbl-relays';
export { parseRblSubtest, rblAnswerValues, rblSubtestMatch, type RblSubtest } from './rbl-subtest';
export { parseUriSubtest, uriSubtestMatches, type UriSubtest } from './uri-subtest';
export { applyDnsOptions, DEFAULT_DNS_OPTIONS, type DnsOptions } from './dns-options';
export { queryAllowed, tightestZone, timeoutForName } from './query-policy';
export { uriblHosts, uriRhsblQueryName, type UriHost, type UriHostOptions, type UriRuleFlags } from './uri-blocklist';
export { dnsSettings, resolverFor, resolverOptions, type DnsSettings, type DnsSettingsInput } from './settings';
export { MAIL_AUTH_WAIT, mailAuthResults, startMailAuth, type DmarcOutcome, type MailAuthResults } from './mail-auth';
export { adspPractices, startAdsp } from './adsp';
export { dkimSignatures, type DkimSignature } from './dkim-signatures';
export { scanQueryFn } from './scan-query';
export { spfIdentity, type SpfIdentity, type SpfResult } from './spf-identity';
