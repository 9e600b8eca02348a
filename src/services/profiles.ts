import type { CoreDeps } from '../context.js';
import { DEFAULT_USER_SETTINGS } from '../db/repositories/users.js';
import { genreName } from '../tmdb/genres.js';
import type { IsGuildMember, NamingPolicy } from './naming-policy.js';
import { assertCanView } from './visibility.js';

/** A member whose ratings resemble another's, as the recommendation engine measures it. */
export interface SimilarMember {
  userId: string;
  /** Higher is closer; only positive values count as shared taste. */
  similarity: number;
  /** Films both members rated. */
  coRated: number;
}

/** The engine's neighbours of a member within a guild (its active members only), closest first. */
export type SimilarMembersSource = (guildId: string, userId: string, limit: number) => Promise<SimilarMember[]>;

export interface ProfileServiceDeps {
  similarMembers: SimilarMembersSource;
  /** Who of them may be named. */
  naming: NamingPolicy;
}

export interface ProfileOptions {
  /** How many genres the profile lists. */
  favouriteGenreCount?: number;
  /** How many neighbours to ask the engine for. */
  similarMemberCount?: number;
  /** Ratings at or above this count as liked when finding favourite genres. */
  likedScore?: number;
}

const DEFAULTS = {
  favouriteGenreCount: 3,
  similarMemberCount: 5,
  likedScore: 4,
} as const satisfies Required<ProfileOptions>;

export interface ProfileRequest {
  guildId: string;
  /** Who asked. */
  viewerId: string;
  /** Whose profile; the viewer's own when equal. */
  targetId: string;
  /** Whether a user is in the guild now: another member's profile (the visibility rule) and names depend on it. */
  isGuildMember: IsGuildMember;
}

export interface FavouriteGenre {
  genreId: number;
  name: string;
  /** Liked films of that genre. */
  films: number;
}

/** Who shares the member's taste in this guild: named as the naming policy allows, the rest a count (GUIDE §9). */
export type SimilarTaste =
  | { kind: 'members'; named: SimilarMember[]; unnamedCount: number }
  /** The member turned `shareTaste` off, so Marquee matches them with nobody. */
  | { kind: 'not-sharing' }
  /** The engine could not answer; the rest of the profile still shows. */
  | { kind: 'unavailable' };

export interface ProfileView {
  userId: string;
  isSelf: boolean;
  counts: { ratings: number; diaryEntries: number; watchlist: number };
  /** Mean of the member's ratings, or null before the first one. */
  averageRating: number | null;
  favouriteGenres: FavouriteGenre[];
  similar: SimilarTaste;
}

/** `/profile`: a member's numbers, favourite genres and taste neighbours, within the privacy rules of GUIDE §9. */
export function createProfileService(
  { repos, logger }: Pick<CoreDeps, 'repos' | 'logger'>,
  { similarMembers, naming }: ProfileServiceDeps,
  options: ProfileOptions = {},
) {
  const settings = { ...DEFAULTS, ...options };

  async function favouriteGenres(likedMovieIds: readonly number[]): Promise<FavouriteGenre[]> {
    const movies = await repos.movies.findByIds(likedMovieIds);
    const films = new Map<number, number>();
    for (const movie of movies) {
      for (const genreId of new Set(movie.genreIds)) films.set(genreId, (films.get(genreId) ?? 0) + 1);
    }
    return [...films]
      .flatMap(([genreId, count]) => {
        const name = genreName(genreId);
        return name ? [{ genreId, name, films: count }] : [];
      })
      .sort((a, b) => b.films - a.films || a.name.localeCompare(b.name, 'en'))
      .slice(0, settings.favouriteGenreCount);
  }

  async function similarTaste(request: ProfileRequest, shareTaste: boolean): Promise<SimilarTaste> {
    if (!shareTaste) return { kind: 'not-sharing' };
    let neighbours: SimilarMember[];
    try {
      neighbours = await similarMembers(request.guildId, request.targetId, settings.similarMemberCount);
    } catch (error) {
      logger.warn({ err: error, guildId: request.guildId }, 'similar members unavailable');
      return { kind: 'unavailable' };
    }
    const candidates = neighbours.filter(({ userId, similarity }) => userId !== request.targetId && similarity > 0);
    const stored = await repos.users.getMany(candidates.map(({ userId }) => userId));
    // A member who stopped sharing their taste is not shown as a neighbour, named or counted.
    const sharing = candidates.filter(({ userId }) => (stored.get(userId) ?? DEFAULT_USER_SETTINGS).shareTaste);
    const nameable = await naming.nameable(
      sharing.map(({ userId }) => userId),
      request.isGuildMember,
    );
    const named = sharing.filter(({ userId }) => nameable.has(userId));
    return { kind: 'members', named, unnamedCount: sharing.length - named.length };
  }

  /**
   * Refuses (UserFacingError) when the viewer may not see the target's profile: another member's only
   * while they are in this guild and keep `publicProfile` on (the rule of ./visibility.ts).
   */
  async function assertVisible({ viewerId, targetId, isGuildMember }: Omit<ProfileRequest, 'guildId'>): Promise<void> {
    await assertCanView(repos.users, { viewerId, ownerId: targetId, isOwnerInGuild: () => isGuildMember(targetId) });
  }

  async function get(request: ProfileRequest): Promise<ProfileView> {
    await assertVisible(request);
    const { targetId } = request;
    const [user, ratings, diaryEntries, watchlist] = await Promise.all([
      repos.users.get(targetId),
      repos.ratings.listByUser(targetId),
      repos.watchLog.countByUser(targetId),
      repos.watchlist.count(targetId),
    ]);
    const liked = ratings.filter(({ score }) => score >= settings.likedScore).map(({ movieId }) => movieId);
    const [genres, similar] = await Promise.all([favouriteGenres(liked), similarTaste(request, user.shareTaste)]);
    return {
      userId: targetId,
      isSelf: targetId === request.viewerId,
      counts: { ratings: ratings.length, diaryEntries, watchlist },
      averageRating: ratings.length ? ratings.reduce((sum, { score }) => sum + score, 0) / ratings.length : null,
      favouriteGenres: genres,
      similar,
    };
  }

  return { assertVisible, get };
}

export type ProfileService = ReturnType<typeof createProfileService>;
