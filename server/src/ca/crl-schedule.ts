/**
 * The CRL on a schedule (issue 5: "regenerated on revocation and on schedule"): every `everyMs` the CA is asked
 * for its CRL, which it rebuilds once half of the current one's validity has passed (a revocation drops the
 * current one at once). So a fresh CRL is signed and stored before relying parties need it, whether or not anyone
 * fetched it meanwhile. The timer is unref'd (it never keeps the process alive) and stopped on close.
 */
export class CrlSchedule {
  private timer: NodeJS.Timeout | null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly ca: { crl(): Promise<unknown> },
    everyMs: number,
    private readonly onError: (e: unknown) => void = (e) =>
      console.warn(`[inkan] scheduled CRL refresh failed: ${(e as Error).message}`)
  ) {
    this.timer = setInterval(() => void this.tick(), everyMs);
    this.timer.unref();
  }

  /** One check now (what the timer does); a check still running is joined, not doubled. */
  tick(): Promise<void> {
    this.running ??= this.ca
      .crl()
      .then(
        () => undefined,
        (e: unknown) => this.onError(e)
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  get active(): boolean {
    return this.timer !== null;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
