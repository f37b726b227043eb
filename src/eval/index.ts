/** Every eval function hamlet knows, active or recognised-but-inactive: the one registry. */
import { INACTIVE_EVALS } from './inactive';
import { buildRegistry, type EvalRegistry } from './registry';

export const EVAL_REGISTRY: EvalRegistry = buildRegistry([], INACTIVE_EVALS);
