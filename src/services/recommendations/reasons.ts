import { PICK_SOURCES, type RankedPick } from '../../recommender/index.js';
import type { MovieSummary } from '../../tmdb/types.js';
import type { NamingPolicy } from '../naming-policy.js';
import type { PopularListName } from './popular-films.js';

/** A neighbour named in an explanation, as the naming policy allows (showName on, still in the guild). */
export interface NamedBacker {
  userId: string;
  /** Their rating of the film, or null when they only gave it a 👍. */
  rating: number | null;
  /** Shared films they and the member agree on ("agrees with you on N films"). */
  agreements: number;
}

/** A film the member loved that led to the pick, as its label shows it ("Arrival (2016)"). */
export type SeedFilm = Pick<MovieSummary, 'tmdbId' | 'title' | 'releaseDate'>;

/**
 * Why a film was picked, naming its strongest source that may be shown (GUIDE §9, decided by ../naming-policy.ts);
 * the command renders the sentence. Backers are only neighbours who agree with the member.
 */
export type PickReason =
  /** "Because you loved Arrival (2016) and Sicario (2015)": the seeds that gave most of L(i). */
  | { kind: 'similar-films'; seeds: SeedFilm[] }
  /** Agreeing backers who may be named, strongest first (at most `maxContributors`); `othersToo` when more backed it. */
  | { kind: 'named'; named: NamedBacker[]; othersToo: boolean }
  /** Nobody may be named, but enough agreeing backers to be counted; the mean rating of those who rated it. */
  | { kind: 'count'; backers: number; averageRating: number | null }
  /** "Loved in this server: 4.6★ from 5 members" (at least 3 members who share their taste rated it). */
  | { kind: 'server-favourite'; average: number; raters: number; ratingsToGo: number | null }
  /** From TMDB's lists; `ratingsToGo` for a member with only a few ratings: how many more make picks personal. */
  | { kind: 'popular'; list: PopularListName; ratingsToGo: number | null }
  /** Too few agreeing backers to count, and no other source: "members with similar taste liked it". */
  | { kind: 'similar-taste' };

export interface ReasonContext {
  /** Backers the naming policy lets be named here. */
  nameable: ReadonlySet<string>;
  naming: Pick<NamingPolicy, 'mayCount'>;
  /** Rows of the member's seed films (they rated them, so the rows are stored). */
  seedFilms: ReadonlyMap<number, SeedFilm>;
  /** Which TMDB list each popular film came from. */
  popularLists: ReadonlyMap<number, PopularListName>;
  /** How many more ratings make the member's picks personal, or null when they have enough. */
  ratingsToGo: number | null;
}

/** A source other than the strongest names the pick only with at least this share of its score. */
export const SPEAKING_SHARE = 0.25;

/** The neighbours' reason, when it may be shown: agreeing backers named, else counted (≥ 3), else none. */
function neighboursReason({ explanation }: RankedPick, context: ReasonContext): PickReason | null {
  const { backers, averageRating, contributors } = explanation;
  const named = contributors.flatMap((contributor) =>
    contributor.kind === 'named' && context.nameable.has(contributor.userId)
      ? [{ userId: contributor.userId, rating: contributor.rating, agreements: contributor.agreements }]
      : [],
  );
  if (named.length > 0) return { kind: 'named', named, othersToo: backers > named.length };
  return context.naming.mayCount(backers) ? { kind: 'count', backers, averageRating } : null;
}

/**
 * The pick's reason: its sources from the strongest down (RankedPick.sources), the first whose reason is true and
 * may be shown. Neighbours speak only through agreeing backers who can be named or counted (at least 3); otherwise
 * the next source speaks if it carried at least SPEAKING_SHARE of the score, and when none can, "members with
 * similar taste liked it".
 */
export function reasonFor(pick: RankedPick, context: ReasonContext): PickReason {
  for (const [index, source] of pick.sources.entries()) {
    // A source that carried only a sliver of the score does not speak for the pick.
    if (index > 0 && pick.parts[source] < SPEAKING_SHARE * pick.score) break;
    switch (source) {
      case PICK_SOURCES.similarFilms: {
        const seeds = pick.seeds.flatMap(({ itemId }) => {
          const film = context.seedFilms.get(itemId);
          return film ? [film] : [];
        });
        if (seeds.length > 0) return { kind: 'similar-films', seeds };
        break;
      }
      case PICK_SOURCES.neighbours: {
        const reason = neighboursReason(pick, context);
        if (reason) return reason;
        break;
      }
      case PICK_SOURCES.serverFavourites:
        if (pick.favourite && context.naming.mayCount(pick.favourite.raters)) {
          return { kind: 'server-favourite', ...pick.favourite, ratingsToGo: context.ratingsToGo };
        }
        break;
      case PICK_SOURCES.popular:
        return {
          kind: 'popular',
          list: context.popularLists.get(pick.itemId) ?? 'cached',
          ratingsToGo: context.ratingsToGo,
        };
    }
  }
  return { kind: 'similar-taste' };
}
