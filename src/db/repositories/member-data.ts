import { QueryTypes, type Sequelize } from 'sequelize';
import { z } from 'zod';
import { inTx, type TxOptions } from '../unit-of-work.js';

type CamelCase<Name extends string> = Name extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : Name;
type Camelised<Row> = { [Key in keyof Row as Key extends string ? CamelCase<Key> : Key]: Row[Key] };

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

/** A row schema whose output names the columns in camelCase: the one snake→camel map of every query below. */
function row<Shape extends z.core.$ZodShape>(shape: Shape) {
  return z
    .object(shape)
    .transform(
      (parsed) =>
        Object.fromEntries(Object.entries(parsed).map(([column, value]) => [camelCase(column), value])) as Camelised<
          typeof parsed
        >,
    );
}

/**
 * Raw rows differ by dialect (SQLite gives timestamps as text and booleans as 0/1, PostgreSQL gives Dates,
 * booleans and COUNT as text), so every row is parsed into one shape: ISO 8601 times in UTC, string ids.
 */
const timestamp = z.coerce.date().transform((date) => date.toISOString());
const nullableTimestamp = z.union([z.null(), timestamp]);
const flag = z.union([z.boolean(), z.number().transform((value) => value !== 0)]);
const count = z.coerce.number().int().nonnegative();
const integer = z.coerce.number().int();
const snowflake = z.string();

const settingsRow = row({
  share_taste: flag,
  show_name: flag,
  public_profile: flag,
  timezone: z.string(),
  created_at: timestamp,
  updated_at: timestamp,
});
const membershipRow = row({ guild_id: snowflake, first_seen_at: timestamp, last_seen_at: timestamp });
const ratingRow = row({ movie_id: integer, title: z.string(), score: z.coerce.number(), rated_at: timestamp });
const diaryRow = row({
  entry_id: integer,
  movie_id: integer,
  title: z.string(),
  watched_on: z.string(),
  note: z.string().nullable(),
  created_at: timestamp,
});
const watchlistRow = row({ movie_id: integer, title: z.string(), added_at: timestamp });
const feedbackRow = row({
  movie_id: integer,
  title: z.string(),
  value: integer,
  message_id: snowflake.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
const recommendationMessageRow = row({
  message_id: snowflake,
  guild_id: snowflake,
  channel_id: snowflake,
  audience: z.string(),
  created_at: timestamp,
});
const recommendationItemRow = row({
  message_id: snowflake,
  position: integer,
  movie_id: integer,
  title: z.string(),
  source: z.string(),
  score: z.coerce.number(),
});
const nightRow = row({
  night_id: integer,
  guild_id: snowflake,
  channel_id: snowflake,
  status: z.string(),
  closes_at: nullableTimestamp,
  created_at: timestamp,
});
const voteRow = row({
  night_id: integer,
  guild_id: snowflake,
  movie_id: integer,
  title: z.string(),
  voted_at: timestamp,
});
const forecastRow = row({
  night_id: integer,
  guild_id: snowflake,
  movie_id: integer,
  title: z.string(),
  stars: z.coerce.number(),
});
const scheduleRow = row({
  schedule_id: integer,
  guild_id: snowflake,
  channel_id: snowflake,
  cron: z.string(),
  timezone: z.string(),
  created_at: timestamp,
});
const deletionCountsRow = row({
  ratings: count,
  diary_entries: count,
  watchlist: count,
  feedback: count,
  memberships: count,
  recommendation_messages: count,
  night_participations: count,
  night_votes: count,
});

export type StoredSettings = z.output<typeof settingsRow>;
export type StoredMembership = z.output<typeof membershipRow>;
export type StoredRating = z.output<typeof ratingRow>;
export type StoredDiaryEntry = z.output<typeof diaryRow>;
export type StoredWatchlistFilm = z.output<typeof watchlistRow>;
export type StoredFeedback = z.output<typeof feedbackRow>;
export type StoredRecommendationMessage = z.output<typeof recommendationMessageRow>;
export type StoredRecommendationItem = z.output<typeof recommendationItemRow>;
export type StoredNight = z.output<typeof nightRow>;
export type StoredVote = z.output<typeof voteRow>;
export type StoredForecast = z.output<typeof forecastRow>;
export type StoredSchedule = z.output<typeof scheduleRow>;
/** How many rows of each kind belong to the member. */
export type MemberRowCounts = z.output<typeof deletionCountsRow>;

/** Every row stored about one member, each list in a stable order. */
export interface MemberRows {
  /** Null when Marquee holds no settings row for the member. */
  settings: StoredSettings | null;
  memberships: StoredMembership[];
  ratings: StoredRating[];
  diary: StoredDiaryEntry[];
  watchlist: StoredWatchlistFilm[];
  feedback: StoredFeedback[];
  /** Picks the bot posted for the member, and the films on those cards. */
  recommendationMessages: StoredRecommendationMessage[];
  recommendationItems: StoredRecommendationItem[];
  nightParticipations: StoredNight[];
  nightVotes: StoredVote[];
  /** The stars Marquee predicted for the member for each pick of their nights (the fit on the card). */
  nightForecasts: StoredForecast[];
  /** Nights the member started. */
  nightsStarted: StoredNight[];
  /** Schedules the member set up (they belong to the server; only the link to the member goes on delete). */
  schedulesCreated: StoredSchedule[];
}

const COUNT_SQL = `SELECT
  (SELECT COUNT(*) FROM ratings WHERE user_id = :userId) AS ratings,
  (SELECT COUNT(*) FROM watch_log WHERE user_id = :userId) AS diary_entries,
  (SELECT COUNT(*) FROM watchlist WHERE user_id = :userId) AS watchlist,
  (SELECT COUNT(*) FROM feedback WHERE user_id = :userId) AS feedback,
  (SELECT COUNT(*) FROM guild_members WHERE user_id = :userId) AS memberships,
  (SELECT COUNT(*) FROM recommendation_messages WHERE for_user_id = :userId) AS recommendation_messages,
  (SELECT COUNT(*) FROM movie_night_participants WHERE user_id = :userId) AS night_participations,
  (SELECT COUNT(*) FROM movie_night_votes WHERE user_id = :userId) AS night_votes`;

const NIGHT_COLUMNS = 'n.id AS night_id, n.guild_id, n.channel_id, n.status, n.closes_at, n.created_at';

/** Everything about one member across the tables (GUIDE §9): what export reads and delete counts. */
export function createMemberDataRepository(sequelize: Sequelize) {
  async function select<Schema extends z.ZodType>(
    schema: Schema,
    sql: string,
    userId: string,
    { tx }: TxOptions = {},
  ): Promise<z.output<Schema>[]> {
    const rows = await sequelize.query(sql, { type: QueryTypes.SELECT, replacements: { userId }, ...inTx(tx) });
    return z.array(schema).parse(rows);
  }

  return {
    /** Every row of the member, read in parallel. */
    async rowsOf(userId: string): Promise<MemberRows> {
      const [
        settings,
        memberships,
        ratings,
        diary,
        watchlist,
        feedback,
        recommendationMessages,
        recommendationItems,
        nightParticipations,
        nightVotes,
        nightForecasts,
        nightsStarted,
        schedulesCreated,
      ] = await Promise.all([
        select(
          settingsRow,
          'SELECT share_taste, show_name, public_profile, timezone, created_at, updated_at FROM users WHERE id = :userId',
          userId,
        ),
        select(
          membershipRow,
          `SELECT guild_id, first_seen_at, last_seen_at FROM guild_members
            WHERE user_id = :userId ORDER BY first_seen_at, guild_id`,
          userId,
        ),
        select(
          ratingRow,
          `SELECT r.movie_id, m.title, r.score, r.rated_at FROM ratings r JOIN movies m ON m.tmdb_id = r.movie_id
            WHERE r.user_id = :userId ORDER BY r.rated_at, r.id`,
          userId,
        ),
        select(
          diaryRow,
          `SELECT w.id AS entry_id, w.movie_id, m.title, w.watched_on, w.note, w.created_at
             FROM watch_log w JOIN movies m ON m.tmdb_id = w.movie_id
            WHERE w.user_id = :userId ORDER BY w.watched_on, w.id`,
          userId,
        ),
        select(
          watchlistRow,
          `SELECT l.movie_id, m.title, l.added_at FROM watchlist l JOIN movies m ON m.tmdb_id = l.movie_id
            WHERE l.user_id = :userId ORDER BY l.added_at, l.movie_id`,
          userId,
        ),
        select(
          feedbackRow,
          `SELECT f.movie_id, m.title, f.value, f.message_id, f.created_at, f.updated_at
             FROM feedback f JOIN movies m ON m.tmdb_id = f.movie_id
            WHERE f.user_id = :userId ORDER BY f.created_at, f.id`,
          userId,
        ),
        select(
          recommendationMessageRow,
          `SELECT message_id, guild_id, channel_id, audience, created_at FROM recommendation_messages
            WHERE for_user_id = :userId ORDER BY created_at, message_id`,
          userId,
        ),
        select(
          recommendationItemRow,
          `SELECT i.message_id, i.position, i.movie_id, m.title, i.source, i.score
             FROM recommendation_items i
             JOIN recommendation_messages rm ON rm.message_id = i.message_id
             JOIN movies m ON m.tmdb_id = i.movie_id
            WHERE rm.for_user_id = :userId ORDER BY i.message_id, i.position`,
          userId,
        ),
        select(
          nightRow,
          `SELECT ${NIGHT_COLUMNS} FROM movie_night_participants p JOIN movie_nights n ON n.id = p.night_id
            WHERE p.user_id = :userId ORDER BY n.created_at, n.id`,
          userId,
        ),
        select(
          voteRow,
          `SELECT v.night_id, n.guild_id, v.movie_id, m.title, v.voted_at
             FROM movie_night_votes v
             JOIN movie_nights n ON n.id = v.night_id
             JOIN movies m ON m.tmdb_id = v.movie_id
            WHERE v.user_id = :userId ORDER BY v.voted_at, v.night_id`,
          userId,
        ),
        select(
          forecastRow,
          `SELECT f.night_id, n.guild_id, c.movie_id, m.title, f.stars
             FROM movie_night_forecasts f
             JOIN movie_nights n ON n.id = f.night_id
             JOIN movie_night_candidates c ON c.night_id = f.night_id AND c.position = f.position
             JOIN movies m ON m.tmdb_id = c.movie_id
            WHERE f.user_id = :userId ORDER BY f.night_id, f.position`,
          userId,
        ),
        select(
          nightRow,
          `SELECT ${NIGHT_COLUMNS} FROM movie_nights n WHERE n.created_by = :userId ORDER BY n.created_at, n.id`,
          userId,
        ),
        select(
          scheduleRow,
          `SELECT id AS schedule_id, guild_id, channel_id, cron, timezone, created_at FROM schedules
            WHERE created_by = :userId ORDER BY created_at, id`,
          userId,
        ),
      ]);
      return {
        settings: settings[0] ?? null,
        memberships,
        ratings,
        diary,
        watchlist,
        feedback,
        recommendationMessages,
        recommendationItems,
        nightParticipations,
        nightVotes,
        nightForecasts,
        nightsStarted,
        schedulesCreated,
      };
    },

    /** How many rows of each kind the member has (what a delete of the member's users row removes). */
    async countsOf(userId: string, options: TxOptions = {}): Promise<MemberRowCounts> {
      const [counts] = await select(deletionCountsRow, COUNT_SQL, userId, options);
      if (!counts) throw new Error('the count query returned no row');
      return counts;
    },
  };
}

export type MemberDataRepository = ReturnType<typeof createMemberDataRepository>;
