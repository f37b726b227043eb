/** Hit and miss cases for hamlet's own rules: see cases-structure.ts. */
import { htmlMimeCases, uriCases } from './cases-structure';
import { runRuleCases } from './rule-tester';

runRuleCases(htmlMimeCases);
runRuleCases(uriCases);
