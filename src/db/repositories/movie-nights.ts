import { QueryTypes, UniqueConstraintError } from 'sequelize';
import { z } from 'zod';
import type { Database } from '../database.js';
import { inTx, type Tx, type TxOptions } from '../unit-of-work.js';
import {
  candidateRow,
  deadlineRow,
  forecastRow,
  nightIdRow,
  nightRow,
  participantRow,
  voteRow,
  type MovieNightRecord,
  type NewNight,
  type NightCandidate,
  type NightPoll,
  type NightVote,
  type StoredMovieNight,
} from './movie-night-rows.js';

export * from './movie-night-rows.js';

const NIGHT_COLUMNS = `id, guild_id, channel_id, voice_channel_id, message_id, call_message_id, result_message_id,
  created_by, status, phase, closes_at, closed_at, winner_movie_id, busy_until, created_at, strategy, allow_rewatch,
  genre_id, max_runtime, poll_minutes`;

/** Work the deadline sweep finds: a call or a poll past its time, a step whose lease ran out, an unposted result. */
const DUE_SQL = `SELECT id FROM movie_nights
  WHERE (status = 'open' AND phase IN ('call', 'poll') AND closes_at <= :now)
     OR (status = 'open' AND phase = 'picking' AND busy_until <= :now)
     OR (status = 'closed' AND result_message_id IS NULL AND (busy_until IS NULL OR busy_until <= :now))
  ORDER BY id`;

/**
 * Movie nights (migrations/2026.12.02T00.00.00.movie-nights.ts): raw SQL both dialects read alike. Every step that
 * must happen once across processes is a conditional UPDATE whose count of changed rows says who won it.
 */
export function createMovieNightsRepository(database: Pick<Database, 'sequelize' | 'dialect'>) {
  const { sequelize, dialect } = database;
  const select = (sql: string, replacements: Record<string, unknown>, tx?: Tx) =>
    sequelize.query<Record<string, unknown>>(sql, { type: QueryTypes.SELECT, replacements, ...inTx(tx) });
  /** Rows changed by an UPDATE or DELETE. */
  const change = async (sql: string, replacements: Record<string, unknown>, tx?: Tx): Promise<number> => {
    const [, changed] = await sequelize.query(sql, { type: QueryTypes.UPDATE, replacements, ...inTx(tx) });
    return Number(changed);
  };
  const write = (sql: string, replacements: Record<string, unknown>, tx?: Tx) =>
    sequelize.query(sql, { replacements, ...inTx(tx) });

  async function get(nightId: number, { tx }: TxOptions = {}): Promise<StoredMovieNight | null> {
    const [row] = await select(`SELECT ${NIGHT_COLUMNS} FROM movie_nights WHERE id = :nightId`, { nightId }, tx);
    return row ? nightRow.parse(row) : null;
  }

  /** PostgreSQL runs units of work side by side: a vote and a close of one night take its row in turn. */
  async function lockNight(nightId: number, tx: Tx): Promise<StoredMovieNight | null> {
    const lock = dialect === 'postgres' ? ' FOR UPDATE' : '';
    const [row] = await select(`SELECT ${NIGHT_COLUMNS} FROM movie_nights WHERE id = :nightId${lock}`, { nightId }, tx);
    return row ? nightRow.parse(row) : null;
  }

  /** Writes the group and its picks (a poll starting). */
  async function addPoll(nightId: number, poll: NightPoll, { tx }: TxOptions = {}): Promise<void> {
    for (const { userId, hasRatings } of poll.participants) {
      await write(
        `INSERT INTO movie_night_participants (night_id, user_id, has_ratings) VALUES (:nightId, :userId, :hasRatings)`,
        { nightId, userId, hasRatings },
        tx,
      );
    }
    for (const { position, movieId, groupScore } of poll.candidates) {
      await write(
        `INSERT INTO movie_night_candidates (night_id, position, movie_id, group_score)
         VALUES (:nightId, :position, :movieId, :groupScore)`,
        { nightId, position, movieId, groupScore },
        tx,
      );
    }
    for (const { position, userId, stars } of poll.forecasts) {
      await write(
        `INSERT INTO movie_night_forecasts (night_id, position, user_id, stars) VALUES (:nightId, :position, :userId, :stars)`,
        { nightId, position, userId, stars },
        tx,
      );
    }
  }

  return {
    get,
    lockNight,

    /** The night and everything hanging on it, or null when it no longer exists. */
    async find(nightId: number): Promise<MovieNightRecord | null> {
      const night = await get(nightId);
      if (!night) return null;
      const [participants, candidates, forecasts, votes] = await Promise.all([
        select(`SELECT user_id, has_ratings FROM movie_night_participants WHERE night_id = :nightId ORDER BY user_id`, {
          nightId,
        }),
        select(
          `SELECT position, movie_id, group_score FROM movie_night_candidates WHERE night_id = :nightId ORDER BY position`,
          { nightId },
        ),
        select(
          `SELECT position, user_id, stars FROM movie_night_forecasts WHERE night_id = :nightId ORDER BY position, user_id`,
          { nightId },
        ),
        select(
          `SELECT user_id, movie_id, via, voted_at FROM movie_night_votes WHERE night_id = :nightId ORDER BY user_id`,
          {
            nightId,
          },
        ),
      ]);
      return {
        night,
        participants: z.array(participantRow).parse(participants),
        candidates: z.array(candidateRow).parse(candidates),
        forecasts: z.array(forecastRow).parse(forecasts),
        votes: z.array(voteRow).parse(votes),
      };
    },

    /** The night's picks in the order shown. */
    async candidates(nightId: number, { tx }: TxOptions = {}): Promise<NightCandidate[]> {
      const rows = await select(
        `SELECT position, movie_id, group_score FROM movie_night_candidates WHERE night_id = :nightId ORDER BY position`,
        { nightId },
        tx,
      );
      return z.array(candidateRow).parse(rows);
    },

    /** The member's vote on the night, or null. */
    async voteOf(nightId: number, userId: string, { tx }: TxOptions = {}): Promise<NightVote | null> {
      const [row] = await select(
        `SELECT user_id, movie_id, via, voted_at FROM movie_night_votes WHERE night_id = :nightId AND user_id = :userId`,
        { nightId, userId },
        tx,
      );
      return row ? voteRow.parse(row) : null;
    },

    /** The id of the night whose poll card is this message, or null. */
    async nightOfCard(messageId: string): Promise<number | null> {
      const [row] = await select(`SELECT id FROM movie_nights WHERE message_id = :messageId`, { messageId });
      return row ? nightIdRow.parse(row).id : null;
    },

    /** How many nights are open (a 🍿 call or a poll), in every server: the `marquee_open_polls` gauge. */
    async countOpen(): Promise<number> {
      const [row] = await select(`SELECT COUNT(*) AS n FROM movie_nights WHERE status = 'open'`, {});
      return z.object({ n: z.coerce.number() }).parse(row).n;
    },

    /** The channel's open night (at most one: a unique index sees to it). */
    async openInChannel(channelId: string): Promise<StoredMovieNight | null> {
      const [row] = await select(
        `SELECT ${NIGHT_COLUMNS} FROM movie_nights WHERE channel_id = :channelId AND status = 'open'`,
        {
          channelId,
        },
      );
      return row ? nightRow.parse(row) : null;
    },

    /**
     * Inserts a night (and its guild's row when missing) and returns its id, or null when the channel already has
     * an open one (the unique index refused it; inside a unit of work, throw then: PostgreSQL aborted the transaction).
     */
    async insert(night: NewNight, { tx }: TxOptions = {}): Promise<number | null> {
      const { settings } = night;
      // The guild's row, for a night a schedule starts in a guild where nobody used a command yet.
      await write(
        `INSERT INTO guilds (id, region, created_at, updated_at) VALUES (:guildId, NULL, :at, :at)
         ON CONFLICT (id) DO NOTHING`,
        { guildId: night.guildId, at: night.createdAt },
        tx,
      );
      try {
        const [result] = await sequelize.query(
          `INSERT INTO movie_nights (guild_id, channel_id, voice_channel_id, created_by, status, phase, closes_at,
             created_at, strategy, allow_rewatch, genre_id, max_runtime, poll_minutes)
           VALUES (:guildId, :channelId, :voiceChannelId, :createdBy, 'open', :phase, :closesAt, :createdAt, :strategy,
             :allowRewatch, :genreId, :maxRuntime, :pollMinutes)
           RETURNING id`,
          {
            type: QueryTypes.INSERT,
            replacements: {
              guildId: night.guildId,
              channelId: night.channelId,
              voiceChannelId: night.voiceChannelId,
              createdBy: night.createdBy,
              phase: night.phase,
              closesAt: night.closesAt,
              createdAt: night.createdAt,
              strategy: settings.strategy,
              allowRewatch: settings.allowRewatch,
              genreId: settings.genreId,
              maxRuntime: settings.maxRuntime,
              pollMinutes: settings.pollMinutes,
            },
            ...inTx(tx),
          },
        );
        // SQLite answers with the new row id, PostgreSQL with the RETURNING rows.
        return typeof result === 'number' ? result : nightIdRow.parse(z.array(z.unknown()).parse(result)[0]).id;
      } catch (error) {
        if (error instanceof UniqueConstraintError) return null;
        throw error;
      }
    },

    addPoll,

    async setCallMessage(nightId: number, messageId: string): Promise<void> {
      await change(`UPDATE movie_nights SET call_message_id = :messageId WHERE id = :nightId`, { nightId, messageId });
    },

    async setCardMessage(nightId: number, messageId: string): Promise<void> {
      await change(`UPDATE movie_nights SET message_id = :messageId WHERE id = :nightId`, { nightId, messageId });
    },

    /** Removes a night whose first message could not be posted (nothing of it was shown). */
    async delete(nightId: number): Promise<void> {
      await change(`DELETE FROM movie_nights WHERE id = :nightId`, { nightId });
    },

    /**
     * Writes the member's vote (replacing their earlier one) while the poll is open. Call it in a unit of work
     * after `lockNight`, which is what the status is read under.
     */
    async setVote(nightId: number, vote: NightVote, { tx }: TxOptions = {}): Promise<void> {
      await write(
        `INSERT INTO movie_night_votes (night_id, user_id, movie_id, voted_at, via)
         VALUES (:nightId, :userId, :movieId, :votedAt, :via)
         ON CONFLICT (night_id, user_id) DO UPDATE
           SET movie_id = excluded.movie_id, voted_at = excluded.voted_at, via = excluded.via`,
        { nightId, ...vote },
        tx,
      );
    },

    /** Removes the member's vote, only while it is still for `movieId` when one is given. True when a row went. */
    async removeVote(
      nightId: number,
      userId: string,
      movieId: number | null,
      { tx }: TxOptions = {},
    ): Promise<boolean> {
      const sql = `DELETE FROM movie_night_votes WHERE night_id = :nightId AND user_id = :userId${
        movieId === null ? '' : ' AND movie_id = :movieId'
      }`;
      return (await change(sql, { nightId, userId, movieId }, tx)) > 0;
    },

    /** Ids of the nights with work due at `now` (see DUE_SQL), oldest first. */
    async due(now: Date): Promise<number[]> {
      return z
        .array(nightIdRow)
        .parse(await select(DUE_SQL, { now }))
        .map((row) => row.id);
    },

    /** The earliest time some night will have work due, or null when none will. */
    async nextDeadline(): Promise<Date | null> {
      const [row] = await select(
        `SELECT MIN(at) AS at FROM (
           SELECT closes_at AS at FROM movie_nights WHERE status = 'open' AND phase IN ('call', 'poll')
           UNION ALL SELECT busy_until FROM movie_nights WHERE status = 'open' AND phase = 'picking'
           UNION ALL SELECT busy_until FROM movie_nights WHERE status = 'closed' AND result_message_id IS NULL
         ) deadlines`,
        {},
      );
      return row ? deadlineRow.parse(row).at : null;
    },

    /**
     * Claims a call past its time, or any open call when `early` (`/movienight close`), or a picking whose lease ran
     * out, for `busyUntil`. True for the one process whose UPDATE changed the row.
     */
    async claimCall(nightId: number, now: Date, busyUntil: Date, { early }: { early: boolean }): Promise<boolean> {
      const claimed = await change(
        `UPDATE movie_nights SET phase = 'picking', busy_until = :busyUntil
          WHERE id = :nightId AND status = 'open'
            AND ((phase = 'call'${early ? '' : ' AND closes_at <= :now'}) OR (phase = 'picking' AND busy_until <= :now))`,
        { nightId, now, busyUntil },
      );
      return claimed === 1;
    },

    /** A claimed call becomes a poll: its card, its deadline, its group and picks, in one unit of work. */
    async startPoll(
      nightId: number,
      { messageId, closesAt, poll }: { messageId: string; closesAt: Date; poll: NightPoll },
      { tx }: { tx: Tx },
    ): Promise<boolean> {
      const started = await change(
        `UPDATE movie_nights SET phase = 'poll', message_id = :messageId, closes_at = :closesAt, busy_until = NULL
          WHERE id = :nightId AND status = 'open' AND phase = 'picking'`,
        { nightId, messageId, closesAt },
        tx,
      );
      if (started !== 1) return false;
      await addPoll(nightId, poll, { tx });
      return true;
    },

    /**
     * Closes an open poll: at its time, or `early` (`/movienight close`). The one process whose UPDATE changed the
     * row counts the votes and announces, under a lease until `busyUntil`.
     */
    async claimClose(nightId: number, now: Date, busyUntil: Date, { early }: { early: boolean }): Promise<boolean> {
      const claimed = await change(
        `UPDATE movie_nights SET status = 'closed', closed_at = :now, busy_until = :busyUntil
          WHERE id = :nightId AND status = 'open' AND phase = 'poll'${early ? '' : ' AND closes_at <= :now'}`,
        { nightId, now, busyUntil },
      );
      return claimed === 1;
    },

    /** Claims the announcement of a closed night nobody announced (a crash, Discord failing) once its lease ran out. */
    async claimAnnouncement(nightId: number, now: Date, busyUntil: Date): Promise<boolean> {
      const claimed = await change(
        `UPDATE movie_nights SET busy_until = :busyUntil
          WHERE id = :nightId AND status = 'closed' AND result_message_id IS NULL
            AND (busy_until IS NULL OR busy_until <= :now)`,
        { nightId, now, busyUntil },
      );
      return claimed === 1;
    },

    /** Records the winner the result announces. */
    async setWinner(nightId: number, movieId: number, { tx }: TxOptions = {}): Promise<void> {
      await change(`UPDATE movie_nights SET winner_movie_id = :movieId WHERE id = :nightId`, { nightId, movieId }, tx);
    },

    async setResultMessage(nightId: number, messageId: string): Promise<void> {
      await change(`UPDATE movie_nights SET result_message_id = :messageId, busy_until = NULL WHERE id = :nightId`, {
        nightId,
        messageId,
      });
    },

    /** Cancels an open night (any phase). True for the one caller whose UPDATE changed it. */
    async cancel(nightId: number, now: Date): Promise<boolean> {
      const cancelled = await change(
        `UPDATE movie_nights SET status = 'cancelled', closed_at = :now, busy_until = NULL
          WHERE id = :nightId AND status = 'open'`,
        { nightId, now },
      );
      return cancelled === 1;
    },

    /** Open nights the member takes part in or voted in: what their deletion changes on a card. */
    async openNightIdsOf(userId: string, { tx }: TxOptions = {}): Promise<number[]> {
      const rows = await select(
        `SELECT n.id FROM movie_nights n
          WHERE n.status = 'open'
            AND (EXISTS (SELECT 1 FROM movie_night_participants p WHERE p.night_id = n.id AND p.user_id = :userId)
              OR EXISTS (SELECT 1 FROM movie_night_votes v WHERE v.night_id = n.id AND v.user_id = :userId))
          ORDER BY n.id`,
        { userId },
        tx,
      );
      return z
        .array(nightIdRow)
        .parse(rows)
        .map((row) => row.id);
    },
  };
}

export type MovieNightsRepository = ReturnType<typeof createMovieNightsRepository>;
