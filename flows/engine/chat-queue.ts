/**
 * Work of one chat runs strictly in arrival order; work of different chats runs side by
 * side. Two quick messages of one user (`王小军` then `13800138307`) must reach their form
 * in that order, and a slow update of one user must never hold up another user.
 */
export class ChatQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` after everything queued before it for `key`; resolves with its result. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget an idle chat, so the map holds only chats with work queued.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Chats with work queued or running. */
  get busyChats(): number {
    return this.tails.size;
  }
}
