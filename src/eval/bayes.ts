/** `check_bayes(min, max)`: the BAYES_nn rules, reading the scan's Bayes probability. */
import type { EvalDef } from './registry';
import { numArg } from './registry';

export const bayesEvals: readonly EvalDef[] = [
  {
    name: 'check_bayes',
    areas: ['body'],
    fn: (ctx, args) => {
      const bayes = ctx.bayes;
      if (!bayes) return false;
      const p = ctx.memo('bayes:probability', () => bayes.probability(ctx.msg));
      if (p === undefined) return false;
      const min = numArg(args, 0, 0);
      const max = args[1] === undefined || args[1] === 'undef' ? Infinity : numArg(args, 1, Infinity);
      return (min === 0 || p > min) && p <= max;
    },
  },
];
