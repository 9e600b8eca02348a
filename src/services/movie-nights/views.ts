import type { Repositories } from '../../db/repositories/index.js';
import type { MovieNightRecord, StoredMovieNight } from '../../db/repositories/movie-nights.js';
import type { CachedMovie } from '../../tmdb/types.js';
import type { NamingPolicy } from '../naming-policy.js';
import type { CallEnd, CallView, MovieNightBoard, PollView, ResultView } from './board.js';
import { chooseWinner, pickFits, pickWhy, tally } from './rules.js';

export interface ViewDeps {
  repos: Pick<Repositories, 'movies'>;
  naming: NamingPolicy;
  board: Pick<MovieNightBoard, 'isGuildMember'>;
}

/** Builds what the cards show from what is stored; names only as the naming policy allows (GUIDE §9). */
export function createViews({ repos, naming, board }: ViewDeps) {
  async function moviesOf(record: MovieNightRecord): Promise<Map<number, CachedMovie>> {
    const rows = await repos.movies.findByIds(record.candidates.map(({ movieId }) => movieId));
    return new Map(rows.map((movie) => [movie.tmdbId, movie]));
  }

  async function pollView(record: MovieNightRecord): Promise<PollView> {
    const { night, participants, candidates, forecasts, votes } = record;
    const [movies, nameable] = await Promise.all([
      moviesOf(record),
      naming.nameable(
        participants.map(({ userId }) => userId),
        board.isGuildMember(night.guildId),
      ),
    ]);
    const counts = tally(votes);
    const starsAt = new Map(forecasts.map(({ position, userId, stars }) => [`${position}:${userId}`, stars]));
    const winner = night.winnerMovieId;
    const picks = candidates.flatMap(({ position, movieId }) => {
      const movie = movies.get(movieId);
      if (!movie) return [];
      const members = participants.map(({ userId, hasRatings }) => ({
        userId,
        hasRatings,
        stars: starsAt.get(`${position}:${userId}`) ?? null,
      }));
      const known = members.flatMap(({ stars }) => (stars === null ? [] : [stars]));
      return [
        { position, movie, votes: counts.get(movieId) ?? 0, why: pickWhy(known), fits: pickFits(members, nameable) },
      ];
    });
    return {
      nightId: night.id,
      guildId: night.guildId,
      channelId: night.channelId,
      status: night.status,
      closesAt: night.closesAt,
      strategy: night.settings.strategy,
      allowRewatch: night.settings.allowRewatch,
      createdBy: night.createdBy,
      group: {
        size: participants.length,
        unnamedWithoutRatings: participants.filter(({ userId, hasRatings }) => !hasRatings && !nameable.has(userId))
          .length,
      },
      picks,
      totalVotes: votes.length,
      winnerPosition: candidates.find(({ movieId }) => movieId === winner)?.position ?? null,
    };
  }

  /** The result card of a closed night: the winner of the votes as they stand, or null without candidates. */
  async function resultView(record: MovieNightRecord): Promise<ResultView | null> {
    const decided = chooseWinner(record.candidates, record.votes);
    if (!decided) return null;
    const poll = await pollView({ ...record, night: { ...record.night, winnerMovieId: decided.candidate.movieId } });
    const winner = poll.picks.find(({ position }) => position === decided.candidate.position);
    if (!winner) return null;
    return {
      nightId: record.night.id,
      guildId: record.night.guildId,
      channelId: record.night.channelId,
      cardMessageId: record.night.messageId,
      winner,
      basis: decided.basis,
      totalVotes: poll.totalVotes,
      groupSize: poll.group.size,
      poll,
    };
  }

  function callView(night: StoredMovieNight, end: CallEnd | null): CallView {
    return {
      nightId: night.id,
      guildId: night.guildId,
      channelId: night.channelId,
      createdBy: night.createdBy,
      closesAt: night.closesAt ?? night.createdAt,
      pollMinutes: night.settings.pollMinutes,
      end,
    };
  }

  return { pollView, resultView, callView };
}

export type MovieNightViews = ReturnType<typeof createViews>;
