/** Hit and miss cases for hamlet's own rules: see cases-meta.ts. */
import { metaCases } from './cases-meta';
import { runRuleCases } from './rule-tester';

runRuleCases(metaCases);
