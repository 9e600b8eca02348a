import { QueryTypes, type Transaction } from 'sequelize';
import { z } from 'zod';
import type { CoreDeps } from '../context.js';
import type { UserSettings } from '../db/repositories/users.js';
import { UserFacingError } from '../errors.js';
import { canonicalTimeZone } from '../time.js';
import type { TasteListener } from './taste-listener.js';

export interface PrivacyServiceDeps {
  taste: TasteListener;
}

/**
 * Raw rows differ by dialect (SQLite gives timestamps as text and booleans as 0/1, PostgreSQL gives Dates,
 * booleans and COUNT as text), so every row is parsed into one shape here.
 */
const timestamp = z.coerce.date().transform((date) => date.toISOString());
const nullableTimestamp = z.union([z.null(), timestamp]);
const flag = z.union([z.boolean(), z.number().transform((value) => value !== 0)]);
const count = z.coerce.number().int().nonnegative();
const integer = z.coerce.number().int();
const snowflake = z.string();

const settingsRow = z
  .object({
    share_taste: flag,
    show_name: flag,
    public_profile: flag,
    timezone: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .transform((row) => ({
    shareTaste: row.share_taste,
    showName: row.show_name,
    publicProfile: row.public_profile,
    timezone: row.timezone,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));

const membershipRow = z
  .object({ guild_id: snowflake, first_seen_at: timestamp, last_seen_at: timestamp })
  .transform((row) => ({ guildId: row.guild_id, firstSeenAt: row.first_seen_at, lastSeenAt: row.last_seen_at }));

const ratingRow = z
  .object({ movie_id: integer, title: z.string(), score: z.coerce.number(), rated_at: timestamp })
  .transform((row) => ({ movieId: row.movie_id, title: row.title, score: row.score, ratedAt: row.rated_at }));

const diaryRow = z
  .object({
    id: integer,
    movie_id: integer,
    title: z.string(),
    watched_on: z.string(),
    note: z.string().nullable(),
    created_at: timestamp,
  })
  .transform((row) => ({
    entryId: row.id,
    movieId: row.movie_id,
    title: row.title,
    watchedOn: row.watched_on,
    note: row.note,
    createdAt: row.created_at,
  }));

const watchlistRow = z
  .object({ movie_id: integer, title: z.string(), added_at: timestamp })
  .transform((row) => ({ movieId: row.movie_id, title: row.title, addedAt: row.added_at }));

const feedbackRow = z
  .object({
    movie_id: integer,
    title: z.string(),
    value: integer,
    message_id: snowflake.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .transform((row) => ({
    movieId: row.movie_id,
    title: row.title,
    value: row.value,
    messageId: row.message_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));

const recommendationMessageRow = z
  .object({ message_id: snowflake, guild_id: snowflake, channel_id: snowflake, audience: z.string(), created_at: timestamp })
  .transform((row) => ({
    messageId: row.message_id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    audience: row.audience,
    createdAt: row.created_at,
  }));

const recommendationItemRow = z
  .object({
    message_id: snowflake,
    position: integer,
    movie_id: integer,
    title: z.string(),
    source: z.string(),
    score: z.coerce.number(),
  })
  .transform((row) => ({
    messageId: row.message_id,
    position: row.position,
    movieId: row.movie_id,
    title: row.title,
    source: row.source,
    score: row.score,
  }));

const nightRow = z
  .object({
    night_id: integer,
    guild_id: snowflake,
    channel_id: snowflake,
    status: z.string(),
    closes_at: nullableTimestamp,
    created_at: timestamp,
  })
  .transform((row) => ({
    nightId: row.night_id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    status: row.status,
    closesAt: row.closes_at,
    createdAt: row.created_at,
  }));

const voteRow = z
  .object({ night_id: integer, guild_id: snowflake, movie_id: integer, title: z.string(), voted_at: timestamp })
  .transform((row) => ({
    nightId: row.night_id,
    guildId: row.guild_id,
    movieId: row.movie_id,
    title: row.title,
    votedAt: row.voted_at,
  }));

const scheduleRow = z
  .object({
    id: integer,
    guild_id: snowflake,
    channel_id: snowflake,
    cron: z.string(),
    timezone: z.string(),
    created_at: timestamp,
  })
  .transform((row) => ({
    scheduleId: row.id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    cron: row.cron,
    timezone: row.timezone,
    createdAt: row.created_at,
  }));

const deletionCountsRow = z
  .object({
    ratings: count,
    diary_entries: count,
    watchlist: count,
    feedback: count,
    memberships: count,
    recommendation_messages: count,
    night_participations: count,
    night_votes: count,
  })
  .transform((row) => ({
    ratings: row.ratings,
    diaryEntries: row.diary_entries,
    watchlist: row.watchlist,
    feedback: row.feedback,
    memberships: row.memberships,
    recommendationMessages: row.recommendation_messages,
    nightParticipations: row.night_participations,
    nightVotes: row.night_votes,
  }));

/** Everything Marquee stores about one member (GUIDE §9). Snowflakes are strings, times ISO 8601 in UTC. */
export interface PrivacyExport {
  format: 'marquee-export';
  version: 1;
  exportedAt: string;
  userId: string;
  /** Null when Marquee holds no settings row for the member. */
  settings: z.output<typeof settingsRow> | null;
  memberships: z.output<typeof membershipRow>[];
  ratings: z.output<typeof ratingRow>[];
  diary: z.output<typeof diaryRow>[];
  watchlist: z.output<typeof watchlistRow>[];
  feedback: z.output<typeof feedbackRow>[];
  /** Picks the bot posted for the member, with the films each card showed. */
  recommendations: (z.output<typeof recommendationMessageRow> & {
    items: Omit<z.output<typeof recommendationItemRow>, 'messageId'>[];
  })[];
  movieNights: {
    participations: z.output<typeof nightRow>[];
    votes: z.output<typeof voteRow>[];
    /** Nights the member started (the night itself is the server's and stays when they delete their data). */
    started: z.output<typeof nightRow>[];
  };
  /** Schedules the member set up (they belong to the server; only the link to the member goes on delete). */
  schedulesCreated: z.output<typeof scheduleRow>[];
}

/** What `/privacy delete` removed, by kind of row. */
export type DeletionReport = z.output<typeof deletionCountsRow> & {
  /** Whether a settings row existed (false: Marquee held nothing about the member). */
  settings: boolean;
};

export type SettingsChanges = Partial<UserSettings>;

export interface SettingsUpdate {
  settings: UserSettings;
  /** The switches whose value actually changed. */
  changed: (keyof UserSettings)[];
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

/** `/privacy`: export, delete and the member's switches (GUIDE §9). */
export function createPrivacyService(
  { database, repos, clock }: Pick<CoreDeps, 'database' | 'repos' | 'clock'>,
  { taste }: PrivacyServiceDeps,
) {
  const { sequelize } = database;

  async function select<Schema extends z.ZodType>(
    schema: Schema,
    sql: string,
    userId: string,
    transaction?: Transaction,
  ): Promise<z.output<Schema>[]> {
    const rows = await sequelize.query(sql, {
      type: QueryTypes.SELECT,
      replacements: { userId },
      ...(transaction ? { transaction } : {}),
    });
    return z.array(schema).parse(rows);
  }

  async function settingsOf(userId: string, transaction?: Transaction): Promise<UserSettings> {
    const { shareTaste, showName, publicProfile, timezone } = await repos.users.get(
      userId,
      transaction ? { transaction } : {},
    );
    return { shareTaste, showName, publicProfile, timezone };
  }

  return {
    /** Everything stored about the member, ready for `JSON.stringify`. */
    async export(userId: string): Promise<PrivacyExport> {
      const [settings, memberships, ratings, diary, watchlist, feedback, messages, items, participations, votes, started, schedules] =
        await Promise.all([
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
            `SELECT w.id, w.movie_id, m.title, w.watched_on, w.note, w.created_at
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
            nightRow,
            `SELECT ${NIGHT_COLUMNS} FROM movie_nights n WHERE n.created_by = :userId ORDER BY n.created_at, n.id`,
            userId,
          ),
          select(
            scheduleRow,
            `SELECT id, guild_id, channel_id, cron, timezone, created_at FROM schedules
              WHERE created_by = :userId ORDER BY created_at, id`,
            userId,
          ),
        ]);
      const itemsByMessage = new Map<string, PrivacyExport['recommendations'][number]['items']>();
      for (const { messageId, ...item } of items) {
        const list = itemsByMessage.get(messageId) ?? [];
        list.push(item);
        itemsByMessage.set(messageId, list);
      }
      return {
        format: 'marquee-export',
        version: 1,
        exportedAt: clock().toISOString(),
        userId,
        settings: settings[0] ?? null,
        memberships,
        ratings,
        diary,
        watchlist,
        feedback,
        recommendations: messages.map((message) => ({
          ...message,
          items: itemsByMessage.get(message.messageId) ?? [],
        })),
        movieNights: { participations, votes, started },
        schedulesCreated: schedules,
      };
    },

    /**
     * Removes every row of the member in one transaction: deleting the users row cascades to ratings,
     * diary, watchlist, feedback, memberships, picks made for them, night participations and votes (open
     * polls included). Nights and schedules they started belong to the server and only lose the link.
     * Other members' rows stay. Then the recommender drops the member from its cached models.
     */
    async deleteEverything(userId: string): Promise<DeletionReport> {
      const report = await sequelize.transaction(async (transaction) => {
        const [counts] = await select(deletionCountsRow, COUNT_SQL, userId, transaction);
        if (!counts) throw new Error('the count query returned no row');
        const settings = await repos.users.delete(userId, { transaction });
        return { ...counts, settings };
      });
      taste.userForgotten(userId);
      return report;
    },

    /** The member's switches and time zone (defaults for someone Marquee has never stored). */
    async settings(userId: string): Promise<UserSettings> {
      return settingsOf(userId);
    },

    /**
     * Applies the given changes. A time zone that is not an IANA zone is refused and nothing is written;
     * a change of `shareTaste` or `showName` is passed to the recommender after the commit.
     */
    async updateSettings(userId: string, changes: SettingsChanges): Promise<SettingsUpdate> {
      const update: SettingsChanges = { ...changes };
      if (changes.timezone !== undefined) {
        const timezone = canonicalTimeZone(changes.timezone);
        if (!timezone) {
          throw new UserFacingError(
            'bad-timezone',
            `"${changes.timezone.slice(0, 64)}" is not a time zone Marquee knows. Use an IANA name such as Europe/Paris, America/New_York or UTC.`,
          );
        }
        update.timezone = timezone;
      }
      const { before, after } = await sequelize.transaction(async (transaction) => {
        const previous = await settingsOf(userId, transaction);
        if (Object.keys(update).length > 0) await repos.users.updateSettings(userId, update, { transaction });
        return { before: previous, after: await settingsOf(userId, transaction) };
      });
      const changed = (Object.keys(after) as (keyof UserSettings)[]).filter((key) => before[key] !== after[key]);
      if (changed.includes('shareTaste') || changed.includes('showName')) taste.settingsChanged(userId);
      return { settings: after, changed };
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
