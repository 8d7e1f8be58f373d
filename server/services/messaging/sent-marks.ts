import type { ClaimedRow, OutboxRows } from './outbox-rows';

/**
 * Sent marks committed together (group commit): a sender's workers each hand in the row they
 * just delivered and wait until its mark is committed before sending another, and every mark
 * handed in while one statement is being written goes into the next one. So one commit
 * carries the marks of several workers (PostgreSQL pays a commit per statement), while the
 * messages delivered but not yet marked stay at most the workers' number: a `kill -9`
 * repeats no more than `concurrency` messages, as before.
 */
export class SentMarks {
  private waiting: Array<{ row: ClaimedRow; done: () => void; failed: (err: unknown) => void }> = [];
  private writing = false;

  constructor(
    private readonly rows: OutboxRows,
    private readonly owner: string,
  ) {}

  /** Resolves once the row's sent mark is committed. */
  mark(row: ClaimedRow): Promise<void> {
    return new Promise((done, failed) => {
      this.waiting.push({ row, done, failed });
      if (!this.writing) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writing = true;
    while (this.waiting.length) {
      const batch = this.waiting.splice(0);
      try {
        await this.rows.finishSent(
          batch.map((b) => b.row),
          this.owner,
        );
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.failed(err);
      }
    }
    this.writing = false;
  }
}
