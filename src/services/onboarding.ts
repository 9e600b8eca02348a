import type { CoreDeps } from '../context.js';
import { combineSignals, raceSignal, startDeadline } from '../deadline.js';
import { DAY_MS, MINUTE_MS } from '../time.js';
import type { CachedMovie } from '../tmdb/types.js';
import type { MembersService } from './members.js';
import type { RateOutcome, RatingService } from './ratings.js';

export interface OnboardingOptions {
  /** The server's most-rated films offered at most, before TMDB's top rated. */
  serverFilms?: number;
  /** Pages of TMDB's top rated (20 films each) offered after the server's films. */
  topRatedPages?: number;
  /** How long TMDB's top-rated list may take for a page; without it, the panel offers the server's films alone. */
  listBudgetMs?: number;
  /** How long counting a member's ratings may take before `/recommend` defers; past it, no panel this time. */
  countBudgetMs?: number;
  /** A member found with enough ratings is remembered this long, so their `/recommend` counts nothing. */
  settledTtlMs?: number;
  /** A member who closed the panel (Skip or Done) is not offered it by `/recommend` again for this long. */
  dismissedTtlMs?: number;
  /** Members remembered at most (oldest first out). */
  maxSettled?: number;
}

export const ONBOARDING_DEFAULTS = {
  serverFilms: 100,
  topRatedPages: 3,
  listBudgetMs: 2_000,
  countBudgetMs: 1_000,
  settledTtlMs: 10 * MINUTE_MS,
  dismissedTtlMs: DAY_MS,
  maxSettled: 10_000,
} as const satisfies Required<OnboardingOptions>;

export interface OnboardingDeps {
  ratings: Pick<RatingService, 'rate'>;
  members: Pick<MembersService, 'activeSince'>;
  /**
   * Below this many ratings a member's picks are not yet personal (the recommendation service's `fewRatings`): the
   * panel opens for them from `/recommend`, and asks for this many ratings before the picks follow.
   */
  goal: number;
}

/** One page of the panel: films in the order shown, and where the next page starts. */
export interface OnboardingPage {
  films: CachedMovie[];
  /** Position in the list of films to offer where the next page starts (a Next button carries it). */
  next: number;
  /** Whether any film the member has not rated comes after this page. */
  more: boolean;
}

export interface PanelFilm {
  movie: CachedMovie;
  /** The member's rating of it now, or null. */
  rating: number | null;
}

/**
 * "Rate a few films to start": which films a new member is offered, and their ratings (through the rating service,
 * which logs each film in the diary as `/rate` does). Films they have likely seen: this server's most-rated (by the
 * members who share their taste, the member's own ratings left out so the order holds while they rate), then TMDB's
 * top rated; minus what the member rated or keeps on their watchlist. Pages are positions in that list, so a page
 * button needs nothing stored.
 */
export function createOnboardingService(
  core: Pick<CoreDeps, 'repos' | 'catalog' | 'clock' | 'logger'>,
  { ratings, members, goal }: OnboardingDeps,
  options: OnboardingOptions = {},
) {
  const { repos, catalog, clock } = core;
  const settings = { ...ONBOARDING_DEFAULTS, ...options };
  const log = core.logger.child({ component: 'onboarding' });
  /**
   * Members not to offer the panel, until when: those known to have `goal` ratings or more (ratings only go away with
   * the member's whole data), and those who closed it (this process forgets that on restart; `/start` still opens it).
   */
  const settled = new Map<string, number>();

  function rememberSettled(userId: string, ttlMs = settings.settledTtlMs): void {
    settled.delete(userId);
    settled.set(userId, clock().getTime() + ttlMs);
    for (const oldest of settled.keys()) {
      if (settled.size <= settings.maxSettled) break;
      settled.delete(oldest);
    }
  }

  /** TMDB's top-rated films, page by page within the budget; what did not answer in time is left out. */
  async function topRated(signal: AbortSignal | undefined): Promise<number[]> {
    const budget = startDeadline(settings.listBudgetMs);
    const lane = { signal: combineSignals(budget.signal, signal), priority: 'interactive' } as const;
    try {
      const pages = await Promise.allSettled(
        Array.from({ length: settings.topRatedPages }, (_, index) => catalog.topRated({ page: index + 1, ...lane })),
      );
      const ids: number[] = [];
      for (const page of pages) {
        if (page.status === 'fulfilled') ids.push(...page.value.results.map((movie) => movie.tmdbId));
        else log.warn({ err: page.reason }, 'TMDB top rated unavailable for the onboarding panel');
        // A page missing would shift every later one: stop at the first gap.
        if (page.status === 'rejected') break;
      }
      return ids;
    } finally {
      budget.cancel();
    }
  }

  /** Every film the panel may offer in this server, in order, rated or not (positions must not move as they rate). */
  async function offered(guildId: string, userId: string, signal: AbortSignal | undefined): Promise<number[]> {
    const [server, top] = await Promise.all([
      repos.ratings.mostRatedInGuild(guildId, members.activeSince(), {
        excludeUserId: userId,
        limit: settings.serverFilms,
      }),
      topRated(signal),
    ]);
    return [...new Set([...server, ...top])];
  }

  return {
    goal,

    /**
     * Whether the member should get the panel before picks: fewer than `goal` ratings. Answers within the count
     * budget (before `/recommend` defers, Discord's 3 s in mind): a member known to have enough costs nothing, and
     * a count that takes too long answers "no" (the picks come as before).
     */
    async shouldOffer(userId: string): Promise<boolean> {
      const until = settled.get(userId);
      if (until !== undefined && until > clock().getTime()) return false;
      const deadline = startDeadline(settings.countBudgetMs);
      try {
        const count = await raceSignal(repos.ratings.countByUser(userId), deadline.signal, () => null);
        if (count === null) {
          log.warn('counting ratings took too long; no onboarding panel this time');
          return false;
        }
        if (count >= goal) rememberSettled(userId);
        return count < goal;
      } finally {
        deadline.cancel();
      }
    },

    /** The member closed the panel (Skip or Done): `/recommend` goes straight to picks for `dismissedTtlMs`. */
    dismiss(userId: string): void {
      rememberSettled(userId, settings.dismissedTtlMs);
    },

    /** Up to `size` films from position `from` that the member has neither rated nor put on their watchlist. */
    async page(request: {
      guildId: string;
      userId: string;
      from: number;
      size: number;
      signal?: AbortSignal;
    }): Promise<OnboardingPage> {
      const { guildId, userId, from, size, signal } = request;
      const [ids, watchlist] = await Promise.all([offered(guildId, userId, signal), repos.watchlist.list(userId)]);
      const rated = await repos.ratings.ratedAmong(userId, ids);
      const skip = new Set([...rated.keys(), ...watchlist.map((entry) => entry.movieId)]);
      const picked: number[] = [];
      let position = Math.max(0, from);
      while (position < ids.length && picked.length < size) {
        const id = ids[position++]!;
        if (!skip.has(id)) picked.push(id);
      }
      const stored = new Map((await repos.movies.findByIds(picked)).map((movie) => [movie.tmdbId, movie]));
      return {
        films: picked.flatMap((id) => stored.get(id) ?? []),
        next: position,
        more: ids.slice(position).some((id) => !skip.has(id)),
      };
    },

    /** The films of a page as they stand: stored rows in the given order, each with the member's rating. */
    async films(userId: string, movieIds: readonly number[]): Promise<PanelFilm[]> {
      const [movies, rated] = await Promise.all([
        repos.movies.findByIds(movieIds),
        repos.ratings.ratedAmong(userId, movieIds),
      ]);
      const byId = new Map(movies.map((movie) => [movie.tmdbId, movie]));
      return movieIds.flatMap((id) => {
        const movie = byId.get(id);
        return movie ? [{ movie, rating: rated.get(id) ?? null }] : [];
      });
    },

    /** Rates a film as `/rate` does (checked stars, diary entry the first time, one unit of work). */
    async rate(input: { userId: string; movieId: number; stars: number }): Promise<RateOutcome> {
      const outcome = await ratings.rate(input);
      log.info({ movieId: input.movieId, stars: outcome.stars }, 'rated from the onboarding panel');
      return outcome;
    },
  };
}

export type OnboardingService = ReturnType<typeof createOnboardingService>;
