/** Hit and miss cases for hamlet's own rules: see cases-headers.ts. */
import { headerCases } from './cases-headers';
import { runRuleCases } from './rule-tester';

runRuleCases(headerCases);
