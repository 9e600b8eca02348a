import type { IdIndex } from './id-index.js';

const LAST_STAMP = 2_147_483_647;

/**
 * A model's working memory, reused by every request so that a request allocates almost nothing: per-member and
 * per-film typed arrays sized to the id indices and grown with them. Stamps mark the entries a request wrote, so
 * nothing is cleared between requests. A class with fixed fields: every guild's model then gives the hot
 * functions the same shape, where per-model closures or literals cost a deoptimisation per new model.
 */
export class Scratch {
  /** Members the per-member arrays have room for. */
  userCapacity = 0;
  /** Films the per-film arrays have room for. */
  itemCapacity = 0;

  // Per member.
  /** Co-rated films per member; all 0 between requests (each kernel call resets what it touched). */
  coCount = new Int32Array(0);
  /** Pearson sums per member, interleaved [Σ e_u·e_v, Σ e_u², Σ e_v²] (a little faster than three arrays here). */
  pearsonSums = new Float64Array(0);
  /** The members the last kernel call touched, in order. */
  touched = new Int32Array(0);
  /** Shrunk Pearson similarity and co-rated count of each co-rater, from the last prediction's similarities. */
  simOf = new Float64Array(0);
  coRatedOf = new Int32Array(0);
  /** Agreements with the requesting member per member (agreement.ts); all 0 between requests. */
  agreeCount = new Int32Array(0);
  /** 1 for the members who may be neighbours in the current prediction (positive similarity, enough support). */
  eligible = new Uint8Array(0);
  /** A neighbour filter's marks and memoised answers (see neighbour-filter.ts). */
  admitStamp = new Int32Array(0);
  admitValue = new Uint8Array(0);
  admitCounter = 0;

  // Per film.
  itemScore = new Float64Array(0);
  /** Each source's part of a film's score in a hybrid ranking (hybrid.ts), valid where itemStamp is current. */
  listPart = new Float64Array(0);
  neighbourPart = new Float64Array(0);
  favouritePart = new Float64Array(0);
  popularPart = new Float64Array(0);
  itemStamp = new Int32Array(0);
  /** Raters per film while server favourites are counted (server-favourites.ts). */
  raterCount = new Int32Array(0);
  /** The requesting member's ratings, valid where ownStamp is current (agreement.ts). */
  ownRating = new Float64Array(0);
  ownStamp = new Int32Array(0);
  ownCounter = 0;
  excludedStamp = new Int32Array(0);
  touchedItems = new Int32Array(0);
  /** Films touchedItems holds for the current hybrid ranking. */
  touchedCount = 0;
  stamp = 0;
  /** Raw id of each film index: the hot tie-breaks read a typed array rather than the id index. */
  itemIdOf = new Int32Array(0);
  namedItems = 0;

  // Per rater of one film, grown on demand.
  /** Positions in byItem of one film's eligible raters. */
  candidates = new Int32Array(0);
  /** Their similarities, reordered by quickselect. */
  selectValues = new Float64Array(0);

  /** Grows the arrays (by half at least) to hold `userCount` members and every film of `items`. */
  ensure(userCount: number, items: IdIndex<number>): void {
    if (userCount > this.userCapacity) {
      const capacity = Math.max(userCount, Math.ceil(this.userCapacity * 1.5), 16);
      this.userCapacity = capacity;
      this.coCount = new Int32Array(capacity);
      this.pearsonSums = new Float64Array(3 * capacity);
      this.admitStamp = new Int32Array(capacity);
      this.admitValue = new Uint8Array(capacity);
      this.touched = new Int32Array(capacity);
      this.simOf = new Float64Array(capacity);
      this.coRatedOf = new Int32Array(capacity);
      this.eligible = new Uint8Array(capacity);
      this.agreeCount = new Int32Array(capacity);
    }
    if (items.size > this.itemCapacity) {
      const capacity = Math.max(items.size, Math.ceil(this.itemCapacity * 1.5), 16);
      this.itemCapacity = capacity;
      this.itemScore = new Float64Array(capacity);
      this.listPart = new Float64Array(capacity);
      this.neighbourPart = new Float64Array(capacity);
      this.favouritePart = new Float64Array(capacity);
      this.popularPart = new Float64Array(capacity);
      this.itemStamp = new Int32Array(capacity);
      this.raterCount = new Int32Array(capacity);
      this.ownRating = new Float64Array(capacity);
      this.ownStamp = new Int32Array(capacity);
      this.excludedStamp = new Int32Array(capacity);
      this.touchedItems = new Int32Array(capacity);
      const ids = new Int32Array(capacity);
      ids.set(this.itemIdOf.subarray(0, this.namedItems));
      this.itemIdOf = ids;
    }
    const { itemIdOf } = this;
    for (; this.namedItems < items.size; this.namedItems++) itemIdOf[this.namedItems] = items.idAt(this.namedItems);
  }

  /** A fresh stamp for `itemStamp` and `excludedStamp` (cleared when the counter wraps). */
  nextStamp(): number {
    this.stamp++;
    if (this.stamp === LAST_STAMP) {
      this.stamp = 1;
      this.itemStamp.fill(0);
      this.excludedStamp.fill(0);
    }
    return this.stamp;
  }

  /**
   * Marks film i as scored under `stamp` (the current request's), zeroing its four source parts the first time and
   * listing it in touchedItems.
   */
  touch(i: number, stamp: number): void {
    if (this.itemStamp[i] === stamp) return;
    this.itemStamp[i] = stamp;
    this.listPart[i] = 0;
    this.neighbourPart[i] = 0;
    this.favouritePart[i] = 0;
    this.popularPart[i] = 0;
    this.touchedItems[this.touchedCount++] = i;
  }

  /** A fresh stamp for `ownStamp` (cleared when the counter wraps). */
  nextOwnStamp(): number {
    this.ownCounter++;
    if (this.ownCounter === LAST_STAMP) {
      this.ownCounter = 1;
      this.ownStamp.fill(0);
    }
    return this.ownCounter;
  }

  /** A fresh stamp for `admitStamp` (cleared when the counter wraps). */
  nextAdmitStamp(): number {
    this.admitCounter++;
    if (this.admitCounter === LAST_STAMP) {
      this.admitCounter = 1;
      this.admitStamp.fill(0);
    }
    return this.admitCounter;
  }

  /** Room for `count` candidates (doubling). */
  ensureCandidates(count: number): void {
    if (this.candidates.length < count) this.candidates = new Int32Array(Math.max(count, 2 * this.candidates.length));
  }

  /** Room for `count` similarities to select from (doubling). */
  ensureSelectValues(count: number): void {
    if (this.selectValues.length < count)
      this.selectValues = new Float64Array(Math.max(count, 2 * this.selectValues.length));
  }
}
