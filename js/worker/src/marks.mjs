// The collector's high-water marks, one per source, in a Durable Object: strongly consistent
// (unlike KV, whose reads may be stale), and each change a compare-and-set, so two runs that
// overlap cannot move a mark back or past a window the other has not delivered.
import { DurableObject } from "cloudflare:workers";

export class PullMarks extends DurableObject {
  /** The marks of these sources (null where none is stored yet). */
  async read(keys) {
    const stored = await this.ctx.storage.get(keys);
    return Object.fromEntries(keys.map((key) => [key, stored.get(key) ?? null]));
  }

  /** Stores `next` as the mark of `key` if it still is `expected`; whether it did. */
  async advance(key, expected, next) {
    const current = (await this.ctx.storage.get(key)) ?? null;
    if (JSON.stringify(current) !== JSON.stringify(expected)) return false;
    await this.ctx.storage.put(key, next);
    return true;
  }
}
