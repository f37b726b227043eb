/** Coded errors of the auto-welcomelist store (tests and callers match on `code`). */
export type AwlErrorCode = 'HAMLET_ERR_AWL_NOT_A_DB' | 'HAMLET_ERR_AWL_OPEN' | 'HAMLET_ERR_AWL_READONLY' | 'HAMLET_ERR_AWL_MODULE' | 'HAMLET_ERR_AWL_SERVER';

export class AwlError extends Error {
  constructor(
    readonly code: AwlErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AwlError';
  }
}
