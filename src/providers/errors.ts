/** A provider call that failed after retries, in our terms (status of the last answer). */
export class ProviderError extends Error {
  constructor(
    readonly service: string,
    readonly status: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${service}: ${message}`, options);
  }
  get notFound() {
    return this.status === 404;
  }
}
