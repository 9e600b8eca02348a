import { QueryTypes, type Sequelize } from 'sequelize';
import type { RatingColumns } from '../../recommender/index.js';
import { conflictColumns } from '../conflict-columns.js';
import { writeReferencingFilm } from '../film-reference.js';
import type { Models } from '../models.js';
import { inTx, type TxOptions } from '../unit-of-work.js';

export interface Rating {
  userId: string;
  movieId: number;
  /** Half stars from 0.5 to 5. */
  score: number;
  ratedAt: Date;
}

/** Rows fetched per round trip when loading a guild's ratings. */
const PAGE_SIZE = 20_000;

/** `column` copied into `larger` (same kind, more room). */
function regrown<Column extends Int32Array | Float32Array>(column: Column, larger: Column): Column {
  larger.set(column);
  return larger;
}

export function createRatingsRepository(models: Models, sequelize: Sequelize) {
  const toRating = (row: InstanceType<Models['Rating']>): Rating => ({
    userId: row.userId,
    movieId: row.movieId,
    score: row.score,
    ratedAt: row.ratedAt,
  });

  return {
    /**
     * Saves or replaces the member's rating of a film: one row per (user, film), whoever writes last wins.
     * FilmNotStoredError when the film has no movies row.
     */
    async upsert(rating: Rating, { tx }: TxOptions = {}): Promise<void> {
      await writeReferencingFilm(models, rating.movieId, tx, () =>
        models.Rating.upsert(rating, {
          fields: ['score', 'ratedAt'],
          conflictFields: conflictColumns('user_id', 'movie_id'),
          ...inTx(tx),
        }),
      );
    },

    async get(userId: string, movieId: number, { tx }: TxOptions = {}): Promise<Rating | null> {
      const row = await models.Rating.findOne({ where: { userId, movieId }, ...inTx(tx) });
      return row ? toRating(row) : null;
    },

    async remove(userId: string, movieId: number, { tx }: TxOptions = {}): Promise<boolean> {
      return (await models.Rating.destroy({ where: { userId, movieId }, ...inTx(tx) })) > 0;
    },

    async countByUser(userId: string): Promise<number> {
      return models.Rating.count({ where: { userId } });
    },

    /** Of these films, the ones the member rated. */
    async ratedAmong(userId: string, movieIds: readonly number[]): Promise<Map<number, number>> {
      if (movieIds.length === 0) return new Map();
      const rows = await models.Rating.findAll({
        attributes: ['movieId', 'score'],
        where: { userId, movieId: [...new Set(movieIds)] },
        raw: true,
      });
      return new Map(rows.map((row) => [Number(row.movieId), Number(row.score)]));
    },

    /**
     * The films most rated by the guild's members seen since `since` who share their taste (GUIDE §9), leaving
     * out one member's own ratings: most raters first, then by TMDB id, so the order holds while that member rates.
     */
    async mostRatedInGuild(
      guildId: string,
      since: Date,
      { excludeUserId, limit }: { excludeUserId: string; limit: number },
    ): Promise<number[]> {
      const rows = await sequelize.query<{ movie_id: number | string }>(
        `SELECT r.movie_id, COUNT(*) AS raters
           FROM ratings r
           JOIN guild_members m ON m.user_id = r.user_id
           JOIN users u ON u.id = r.user_id
          WHERE m.guild_id = :guildId AND m.last_seen_at >= :since AND u.share_taste AND r.user_id <> :excludeUserId
          GROUP BY r.movie_id
          ORDER BY raters DESC, r.movie_id ASC
          LIMIT :limit`,
        { type: QueryTypes.SELECT, replacements: { guildId, since, excludeUserId, limit } },
      );
      return rows.map((row) => Number(row.movie_id));
    },

    async listByUser(userId: string): Promise<Rating[]> {
      const rows = await models.Rating.findAll({ where: { userId }, order: [['ratedAt', 'DESC']] });
      return rows.map(toRating);
    },

    /**
     * Every rating, anywhere, by the guild's members seen since `since`, paged by primary key, in the
     * recommender's own columns: each member's id once (`users`), then per rating a code into it, the film
     * and the score, in typed arrays that grow by doubling, so memory stays at 12 bytes a rating however
     * large the guild.
     */
    async loadGuildRatings(guildId: string, since: Date, pageSize = PAGE_SIZE): Promise<RatingColumns> {
      const users: string[] = [];
      const codeOf = new Map<string, number>();
      let userCodes = new Int32Array(0);
      let itemIds = new Int32Array(0);
      let ratings = new Float32Array(0);
      let size = 0;
      let afterId = 0;
      for (;;) {
        const page = await sequelize.query<{ id: number; user_id: string; movie_id: number; score: number }>(
          `SELECT r.id, r.user_id, r.movie_id, r.score
             FROM ratings r
             JOIN guild_members m ON m.user_id = r.user_id
            WHERE m.guild_id = :guildId AND m.last_seen_at >= :since AND r.id > :afterId
            ORDER BY r.id
            LIMIT :limit`,
          { type: QueryTypes.SELECT, replacements: { guildId, since, afterId, limit: pageSize } },
        );
        if (size + page.length > itemIds.length) {
          const capacity = Math.max(size + page.length, itemIds.length * 2);
          userCodes = regrown(userCodes, new Int32Array(capacity));
          itemIds = regrown(itemIds, new Int32Array(capacity));
          ratings = regrown(ratings, new Float32Array(capacity));
        }
        for (const row of page) {
          let code = codeOf.get(row.user_id);
          if (code === undefined) {
            code = users.push(row.user_id) - 1;
            codeOf.set(row.user_id, code);
          }
          userCodes[size] = code;
          itemIds[size] = Number(row.movie_id);
          ratings[size] = Number(row.score);
          size++;
        }
        const last = page.at(-1);
        // Views, not copies: the model copies what it keeps, so the spare capacity is garbage right after.
        if (!last || page.length < pageSize) {
          return {
            users,
            userCodes: userCodes.subarray(0, size),
            itemIds: itemIds.subarray(0, size),
            ratings: ratings.subarray(0, size),
          };
        }
        afterId = Number(last.id);
      }
    },

    /** How many of the guild's members rated (or re-rated) films since `since`, and how many ratings they gave. */
    async guildActivity(guildId: string, since: Date): Promise<{ members: number; ratings: number }> {
      const [row] = await sequelize.query<{ members: string | number; ratings: string | number }>(
        `SELECT COUNT(DISTINCT r.user_id) AS members, COUNT(*) AS ratings
           FROM ratings r
           JOIN guild_members m ON m.user_id = r.user_id
          WHERE m.guild_id = :guildId AND r.rated_at >= :since`,
        { type: QueryTypes.SELECT, replacements: { guildId, since } },
      );
      return { members: Number(row?.members ?? 0), ratings: Number(row?.ratings ?? 0) };
    },

    /**
     * How the guild's current members who share their taste rated a film: count and average (GUIDE §9: a member
     * with shareTaste off is left out of server averages).
     */
    async guildStats(
      guildId: string,
      movieId: number,
      since: Date,
    ): Promise<{ count: number; average: number | null }> {
      const [row] = await sequelize.query<{ count: string | number; average: string | number | null }>(
        `SELECT COUNT(*) AS count, AVG(r.score) AS average
           FROM ratings r
           JOIN guild_members m ON m.user_id = r.user_id
           JOIN users u ON u.id = r.user_id
          WHERE m.guild_id = :guildId AND m.last_seen_at >= :since AND r.movie_id = :movieId AND u.share_taste`,
        { type: QueryTypes.SELECT, replacements: { guildId, since, movieId } },
      );
      const count = Number(row?.count ?? 0);
      return { count, average: count > 0 && row?.average != null ? Number(row.average) : null };
    },
  };
}

export type RatingsRepository = ReturnType<typeof createRatingsRepository>;
