import type { Transaction } from 'sequelize';
import type { CoreDeps } from '../context.js';
import { isStarValue, type StarValue } from '../format.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { calendarDate } from '../time.js';
import { assertMovieStored } from './stored-movie.js';
import type { TasteListener } from './taste-listener.js';

export interface RateInput {
  userId: string;
  movieId: number;
  /** One of the ten half-star values; anything else is refused. */
  stars: number;
  /** The interaction's logger, so a warning carries its ids; default: the service's. */
  log?: Logger;
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
    throw new UserFacingError('bad-stars', 'Ratings go from ½ to 5 stars in half stars: pick one of the offered values.');
  }
  return value;
}

/** Ratings: saving one also logs the film as watched the first time, both or neither. */
export function createRatingService(core: CoreDeps, { taste }: { taste: TasteListener }) {
  const { repos, database, clock, logger } = core;

  /**
   * Saves or replaces the rating inside the caller's transaction and tells the recommender once that
   * transaction commits (never about a rolled-back rating).
   */
  async function rateWithin(transaction: Transaction, input: RateInput, options: RateWithinOptions = {}): Promise<RateOutcome> {
    const stars = checkStars(input.stars);
    const { userId, movieId } = input;
    await assertMovieStored(repos.movies, movieId, transaction);
    await repos.users.ensure(userId, { transaction });
    const previous = await repos.ratings.get(userId, movieId, { transaction });
    await repos.ratings.upsert({ userId, movieId, score: stars, ratedAt: clock() }, { transaction });
    let loggedOn: string | null = null;
    if (options.logWatchOn !== undefined && !(await repos.watchLog.hasWatched(userId, movieId, { transaction }))) {
      await repos.watchLog.add({ userId, movieId, watchedOn: options.logWatchOn, note: null }, clock(), { transaction });
      loggedOn = options.logWatchOn;
    }
    transaction.afterCommit(() => {
      // The rating is saved by now; a listener failing must not turn that into an error for the member.
      try {
        taste.ratingChanged(userId, movieId, stars);
      } catch (error) {
        (input.log ?? logger).error({ err: error, userId, movieId }, 'the recommender could not take the new rating');
      }
    });
    return { stars, previous: previous?.score ?? null, loggedOn };
  }

  return {
    checkStars,

    /**
     * Saves or replaces the member's rating of a film (which must be stored, e.g. resolved through the
     * movie service; UserFacingError 'movie-not-stored' otherwise) and, if their diary has no entry for
     * it yet, logs it as watched today in their time zone: one transaction, so a failure leaves neither.
     */
    async rate(input: RateInput): Promise<RateOutcome> {
      checkStars(input.stars);
      const { timezone } = await repos.users.get(input.userId);
      const today = calendarDate(clock(), timezone);
      return database.sequelize.transaction((transaction) => rateWithin(transaction, input, { logWatchOn: today }));
    },

    rateWithin,
  };
}

export type RatingService = ReturnType<typeof createRatingService>;
