import type { CoreDeps } from '../context.js';
import type { Tx } from '../db/unit-of-work.js';
import { isStarValue, type StarValue } from '../format.js';
import { UserFacingError } from '../errors.js';
import { calendarDate } from '../time.js';
import { refuseUnstoredFilm } from './stored-movie.js';
import type { TasteListener } from './taste-listener.js';

export interface RateInput {
  userId: string;
  movieId: number;
  /** One of the ten half-star values; anything else is refused. */
  stars: number;
}

/** A rating whose stars were already checked (`checkStars`), as `rateWithin` takes it. */
export interface CheckedRateInput extends Omit<RateInput, 'stars'> {
  stars: StarValue;
}

export interface RateOutcome {
  stars: StarValue;
  /** The rating it replaced, or null for a first rating. */
  previous: number | null;
  /** The date of the diary entry logged with this rating (`YYYY-MM-DD`), or null when the film was already in the diary. */
  loggedOn: string | null;
}

export interface RateWithinOptions {
  /** Log the film as watched on this date when the member's diary has no entry for it yet; default: no entry. */
  logWatchOn?: string;
}

/** The stars a member gave, checked: a crafted payload can send any number, so this is the only way in. */
export function checkStars(value: number): StarValue {
  if (!isStarValue(value)) {
    throw new UserFacingError(
      'bad-stars',
      'Ratings go from ½ to 5 stars in half stars: pick one of the offered values.',
    );
  }
  return value;
}

/** Ratings: saving one also logs the film as watched the first time, both or neither. */
export function createRatingService(
  core: Pick<CoreDeps, 'repos' | 'clock' | 'logger'>,
  { taste }: { taste: TasteListener },
) {
  const { repos, clock, logger } = core;

  /**
   * Saves or replaces the rating inside the caller's unit of work and tells the recommender once that
   * commits (never about a rolled-back rating). The stars are typed as checked: this layer checks them once,
   * where they come in (`rate`, or the diary's `check`). A film without a movies row is refused through
   * the foreign key (UserFacingError 'movie-not-stored'), with no read of the row first.
   */
  async function rateWithin(tx: Tx, input: CheckedRateInput, options: RateWithinOptions = {}): Promise<RateOutcome> {
    const { userId, movieId, stars } = input;
    await repos.users.ensure(userId, { tx });
    const previous = await repos.ratings.get(userId, movieId, { tx });
    await refuseUnstoredFilm(repos.ratings.upsert({ userId, movieId, score: stars, ratedAt: clock() }, { tx }));
    let loggedOn: string | null = null;
    if (options.logWatchOn !== undefined && !(await repos.watchLog.hasWatched(userId, movieId, { tx }))) {
      await repos.watchLog.add({ userId, movieId, watchedOn: options.logWatchOn, note: null }, clock(), { tx });
      loggedOn = options.logWatchOn;
    }
    tx.afterCommit(() => {
      // The rating is saved by now; a listener failing must not turn that into an error for the member.
      try {
        taste.ratingChanged(userId, movieId, stars);
      } catch (error) {
        logger.error({ err: error, userId, movieId }, 'the recommender could not take the new rating');
      }
    });
    return { stars, previous: previous?.score ?? null, loggedOn };
  }

  return {
    checkStars,

    /**
     * Saves or replaces the member's rating of a film (which must be stored, e.g. resolved through the
     * movie service; UserFacingError 'movie-not-stored' otherwise) and, if their diary has no entry for
     * it yet, logs it as watched today in their time zone: one unit of work, so a failure leaves neither.
     */
    async rate(input: RateInput): Promise<RateOutcome> {
      const stars = checkStars(input.stars);
      const { timezone } = await repos.users.get(input.userId);
      const today = calendarDate(clock(), timezone);
      return repos.unitOfWork((tx) => rateWithin(tx, { ...input, stars }, { logWatchOn: today }));
    },

    rateWithin,
  };
}

export type RatingService = ReturnType<typeof createRatingService>;
