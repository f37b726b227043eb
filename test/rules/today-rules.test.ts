/** Hit and miss cases for today's threats: see cases-today.ts. */
import { todayCases } from './cases-today';
import { runRuleCases } from './rule-tester';

runRuleCases(todayCases);
