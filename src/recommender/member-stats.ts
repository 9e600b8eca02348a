/**
 * Per-member figures kept current with every rating change, so the hot loops never walk a member's row for them:
 * |L_v|, the films v liked (rated ≥ the liked rating; the liked-set cosine's norm, ranking-neighbourhood.ts), and
 * Σ_i r_vi (r̄_v = Σ_i r_vi / |I_v|, the agreement test's mean, agreement.ts). A class with fixed fields, like Scratch.
 */
export class MemberStats {
  liked = new Int32Array(0);
  ratingSum = new Float64Array(0);

  constructor(private readonly likedRating: number) {}

  /** Room for `count` members (growing by half at least). */
  ensure(count: number): void {
    if (count <= this.liked.length) return;
    const capacity = Math.max(count, Math.ceil(this.liked.length * 1.5), 16);
    const liked = new Int32Array(capacity);
    liked.set(this.liked);
    const ratingSum = new Float64Array(capacity);
    ratingSum.set(this.ratingSum);
    this.liked = liked;
    this.ratingSum = ratingSum;
  }

  /** Member u's rating changed from `previous` (NaN: none) to `next` (NaN: removed). */
  change(u: number, previous: number, next: number): void {
    if (!Number.isNaN(previous)) {
      this.ratingSum[u]! -= previous;
      if (previous >= this.likedRating) this.liked[u]!--;
    }
    if (!Number.isNaN(next)) {
      this.ratingSum[u]! += next;
      if (next >= this.likedRating) this.liked[u]!++;
    }
  }

  /** Member u has no ratings any more. */
  clear(u: number): void {
    this.liked[u] = 0;
    this.ratingSum[u] = 0;
  }
}
