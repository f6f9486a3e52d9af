import { CredkitError } from '@credkit/temp-creds/errors';
import { ProfileErrorCode as C } from './codes.js';

/**
 * One time budget for a whole resolution, paused while a human types an MFA code (a person reading
 * their phone must not make the resolution time out). `signal` aborts STS/SSO requests and kills
 * a running credential_process when the budget is spent.
 */
export class Deadline {
  readonly #controller = new AbortController();
  #remaining: number;
  #startedAt = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly timeoutMs: number | undefined,
    readonly what: string,
  ) {
    this.#remaining = timeoutMs ?? Number.POSITIVE_INFINITY;
    this.resume();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  error(): CredkitError {
    return new CredkitError(
      C.RESOLUTION_TIMEOUT,
      `Resolving ${this.what} did not finish within ${this.timeoutMs} ms.`,
      {
        hint: 'Check the network path to STS/SSO and the speed of any credential_process, or raise timeoutMs.',
        details: { timeoutMs: this.timeoutMs },
      },
    );
  }

  pause(): void {
    if (!this.#timer) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#remaining -= Date.now() - this.#startedAt;
  }

  resume(): void {
    if (this.#remaining === Number.POSITIVE_INFINITY || this.#controller.signal.aborted) return;
    this.#startedAt = Date.now();
    this.#timer = setTimeout(() => this.#controller.abort(this.error()), Math.max(0, this.#remaining));
    this.#timer.unref?.();
  }

  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Runs `work`, rejecting with RESOLUTION_TIMEOUT as soon as the budget is spent. */
  async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = this.#controller.signal;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(this.error());
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([work(signal), aborted]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      this.clear();
    }
  }
}
