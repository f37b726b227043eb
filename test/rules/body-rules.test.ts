/** Hit and miss cases for hamlet's own rules: see cases-body.ts. */
import { offerCases, obfuscationCases, phishingBodyCases } from './cases-body';
import { runRuleCases } from './rule-tester';

runRuleCases(offerCases);
runRuleCases(obfuscationCases);
runRuleCases(phishingBodyCases);
