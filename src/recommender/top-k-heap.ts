/**
 * The best `capacity` (score, item) pairs of a stream: higher score first, equal scores by ascending key
 * (`keys[item]`, the raw film id, so the order does not depend on dense indices). A bounded min-heap with the
 * worst kept pair at the root: a pair that does not make the cut costs one comparison, one that does O(log capacity).
 */
export class TopKHeap {
  readonly scores: Float64Array;
  readonly items: Int32Array;
  size = 0;

  constructor(
    readonly capacity: number,
    private readonly keys: Int32Array,
  ) {
    this.scores = new Float64Array(capacity);
    this.items = new Int32Array(capacity);
  }

  /** Whether (score, item) would be kept: there is room, or it beats the worst pair kept. */
  accepts(score: number, item: number): boolean {
    if (this.size < this.capacity) return true;
    return this.capacity > 0 && this.worse(this.scores[0]!, this.items[0]!, score, item);
  }

  /** Keeps (score, item) if {@link accepts} says so, dropping the worst pair when full; returns whether it did. */
  offer(score: number, item: number): boolean {
    if (!this.accepts(score, item)) return false;
    const { scores, items } = this;
    if (this.size < this.capacity) {
      let at = this.size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!this.worse(score, item, scores[parent]!, items[parent]!)) break;
        scores[at] = scores[parent]!;
        items[at] = items[parent]!;
        at = parent;
      }
      scores[at] = score;
      items[at] = item;
    } else {
      scores[0] = score;
      items[0] = item;
      this.siftDown(0);
    }
    return true;
  }

  /** Slots 0..size-1 of `scores`/`items`, best first. */
  order(): number[] {
    const { scores, items } = this;
    return Array.from({ length: this.size }, (_, s) => s).sort((a, b) =>
      this.worse(scores[a]!, items[a]!, scores[b]!, items[b]!) ? 1 : -1,
    );
  }

  private worse(scoreA: number, itemA: number, scoreB: number, itemB: number): boolean {
    return scoreA < scoreB || (scoreA === scoreB && this.keys[itemA]! > this.keys[itemB]!);
  }

  private siftDown(from: number): void {
    const { scores, items, size } = this;
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) return;
      const right = left + 1;
      let child = left;
      if (right < size && this.worse(scores[right]!, items[right]!, scores[left]!, items[left]!)) child = right;
      if (!this.worse(scores[child]!, items[child]!, scores[at]!, items[at]!)) return;
      const score = scores[at]!;
      const item = items[at]!;
      scores[at] = scores[child]!;
      items[at] = items[child]!;
      scores[child] = score;
      items[child] = item;
      at = child;
    }
  }
}
