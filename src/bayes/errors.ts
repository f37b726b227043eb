/** Coded Bayes errors: tests assert on `code`, the CLI prints `message` without a stack. */
export type BayesErrorCode =
  | 'HAMLET_ERR_BAYES_NOT_A_DB'
  | 'HAMLET_ERR_BAYES_READONLY'
  | 'HAMLET_ERR_BAYES_OPEN'
  | 'HAMLET_ERR_BAYES_BACKUP_FORMAT'
  | 'HAMLET_ERR_BAYES_LOCKED'
  | 'HAMLET_ERR_BAYES_MODULE'
  | 'HAMLET_ERR_BAYES_SERVER';

export class BayesError extends Error {
  constructor(
    readonly code: BayesErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BayesError';
  }
}
