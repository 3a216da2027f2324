/**
 * The analyses of the most recently used documents, in a fixed number of slots.
 *
 * Not a Map re-ordered on every hit: V8 keeps what a Map held alive through young-generation
 * collections while the Map keeps losing and gaining entries (measured: an 8-entry LRU Map of
 * analyses made every analysis of a burst of opened units survive into the old generation, with
 * 3-4 ms scavenges; these slots do not).
 */
export class AnalysisCache<T> {
  private readonly uris: Array<string | null>;
  private readonly entries: Array<T | null>;
  private readonly used: number[];
  private clock = 0;

  constructor(readonly size: number) {
    this.uris = new Array<string | null>(size).fill(null);
    this.entries = new Array<T | null>(size).fill(null);
    this.used = new Array<number>(size).fill(0);
  }

  /** The entry of `uri` without marking it used. */
  peek(uri: string): T | undefined {
    const i = this.uris.indexOf(uri);
    return i < 0 ? undefined : this.entries[i]!;
  }

  /** Marks the entry of `uri` most recently used. */
  touch(uri: string): void {
    const i = this.uris.indexOf(uri);
    if (i >= 0) this.used[i] = ++this.clock;
  }

  /** Stores the entry of `uri` as the most recently used one, dropping the least recently used when full. */
  set(uri: string, entry: T): void {
    let at = this.uris.indexOf(uri);
    if (at < 0) at = this.uris.indexOf(null);
    if (at < 0) {
      at = 0;
      for (let i = 1; i < this.size; i++) if (this.used[i]! < this.used[at]!) at = i;
    }
    this.uris[at] = uri;
    this.entries[at] = entry;
    this.used[at] = ++this.clock;
  }

  delete(uri: string): void {
    const i = this.uris.indexOf(uri);
    if (i < 0) return;
    this.uris[i] = null;
    this.entries[i] = null;
    this.used[i] = 0;
  }

  /** Every entry held (for reusing what they computed). */
  *values(): IterableIterator<T> {
    for (const e of this.entries) if (e !== null) yield e;
  }
}
