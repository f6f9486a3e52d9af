/**
 * Cleanup that must run when a signal ends the process, not only on a normal exit: a signal death
 * skips `process.on('exit')`, so a child's process group would be orphaned under PID 1 and a prompt
 * would leave the terminal without echo or cursor.
 *
 * Listening to a signal in Node replaces its default action (death). To keep that action, the last
 * cleanup to run removes its listener and sends the signal again: with no listener left, Node's
 * default handling applies and the process dies of the signal, so its parent sees the conventional
 * status (128 + signal number in a shell). When the program has its own listener (`credkit exec`
 * forwarding signals, a host application), it is left to decide, as it would without us.
 */

/** The signals that end a command-line program run by a person or a supervisor. */
export const TERMINATING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type TerminatingSignal = (typeof TERMINATING_SIGNALS)[number];

/**
 * Runs `cleanup` (synchronously: the process may be about to die) when one of the terminating
 * signals arrives, then lets the signal take its usual effect. Returns the function that unregisters
 * it, to call once what it guards is over.
 */
export function onTerminatingSignal(cleanup: (signal: TerminatingSignal) => void): () => void {
  const listeners = new Map<TerminatingSignal, () => void>();
  const off = (): void => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
    listeners.clear();
  };
  for (const signal of TERMINATING_SIGNALS) {
    const listener = (): void => {
      off();
      try {
        cleanup(signal);
      } finally {
        // Emit iterates over a copy of the listeners: each guard removed itself above, so only the
        // last one to run finds none left and re-raises.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      }
    };
    listeners.set(signal, listener);
    process.on(signal, listener);
  }
  return off;
}
