/** A synchronous call as a promise, its throw a rejection: how a synchronous store answers an asynchronous interface. */
export function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e as Error);
  }
}
