import { z } from 'zod';

/**
 * What the movie-night tables hold (migrations/2026.12.02T00.00.00.movie-nights.ts), as plain objects, and the zod
 * schemas that read their rows in one shape whatever the dialect.
 */

export const NIGHT_STATUSES = ['open', 'closed', 'cancelled'] as const;
export type NightStatus = (typeof NIGHT_STATUSES)[number];
/** 'call': a 🍿 call gathers the group; 'picking': the call closed and picks are being made; 'poll': the card is up. */
export const NIGHT_PHASES = ['call', 'picking', 'poll'] as const;
export type NightPhase = (typeof NIGHT_PHASES)[number];
export const VOTE_CHANNELS = ['button', 'reaction'] as const;
export type VoteChannel = (typeof VOTE_CHANNELS)[number];

/** How the picks of a night are made, and how long its poll runs (a call starts its poll when it closes). */
export interface NightSettings {
  strategy: string;
  allowRewatch: boolean;
  genreId: number | null;
  maxRuntime: number | null;
  pollMinutes: number;
}

export interface StoredMovieNight {
  id: number;
  guildId: string;
  channelId: string;
  voiceChannelId: string | null;
  /** The poll card; null until it is posted. */
  messageId: string | null;
  callMessageId: string | null;
  resultMessageId: string | null;
  createdBy: string | null;
  status: NightStatus;
  phase: NightPhase;
  closesAt: Date | null;
  closedAt: Date | null;
  winnerMovieId: number | null;
  /** Lease of the process doing a step that posts to Discord (a call's picks, an announcement). */
  busyUntil: Date | null;
  createdAt: Date;
  settings: NightSettings;
}

export interface NightParticipant {
  userId: string;
  hasRatings: boolean;
}

export interface NightCandidate {
  /** 1-5, the order shown. */
  position: number;
  movieId: number;
  groupScore: number;
}

export interface NightForecast {
  position: number;
  userId: string;
  stars: number;
}

export interface NightVote {
  userId: string;
  movieId: number;
  via: VoteChannel;
  votedAt: Date;
}

export interface MovieNightRecord {
  night: StoredMovieNight;
  participants: NightParticipant[];
  candidates: NightCandidate[];
  forecasts: NightForecast[];
  votes: NightVote[];
}

export interface NewNight {
  guildId: string;
  channelId: string;
  voiceChannelId: string | null;
  createdBy: string | null;
  phase: 'call' | 'poll';
  closesAt: Date;
  createdAt: Date;
  settings: NightSettings;
}

/** The group and its picks, written together when a poll starts. */
export interface NightPoll {
  participants: readonly NightParticipant[];
  candidates: readonly NightCandidate[];
  forecasts: readonly NightForecast[];
}

/** SQLite hands timestamps back as text and booleans as 0/1, PostgreSQL as Dates and booleans. */
const timestamp = z
  .union([z.date(), z.string()])
  .transform((value) => (value instanceof Date ? value : new Date(value)));
const flag = z.union([z.boolean(), z.number().transform((value) => value !== 0)]);
const integer = z.coerce.number().int();

export const nightRow = z
  .object({
    id: integer,
    guild_id: z.string(),
    channel_id: z.string(),
    voice_channel_id: z.string().nullable(),
    message_id: z.string().nullable(),
    call_message_id: z.string().nullable(),
    result_message_id: z.string().nullable(),
    created_by: z.string().nullable(),
    status: z.enum(NIGHT_STATUSES),
    phase: z.enum(NIGHT_PHASES),
    closes_at: timestamp.nullable(),
    closed_at: timestamp.nullable(),
    winner_movie_id: integer.nullable(),
    busy_until: timestamp.nullable(),
    created_at: timestamp,
    strategy: z.string(),
    allow_rewatch: flag,
    genre_id: integer.nullable(),
    max_runtime: integer.nullable(),
    poll_minutes: integer,
  })
  .transform((row): StoredMovieNight => ({
    id: row.id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    voiceChannelId: row.voice_channel_id,
    messageId: row.message_id,
    callMessageId: row.call_message_id,
    resultMessageId: row.result_message_id,
    createdBy: row.created_by,
    status: row.status,
    phase: row.phase,
    closesAt: row.closes_at,
    closedAt: row.closed_at,
    winnerMovieId: row.winner_movie_id,
    busyUntil: row.busy_until,
    createdAt: row.created_at,
    settings: {
      strategy: row.strategy,
      allowRewatch: row.allow_rewatch,
      genreId: row.genre_id,
      maxRuntime: row.max_runtime,
      pollMinutes: row.poll_minutes,
    },
  }));
export const participantRow = z
  .object({ user_id: z.string(), has_ratings: flag })
  .transform((row): NightParticipant => ({ userId: row.user_id, hasRatings: row.has_ratings }));
export const candidateRow = z
  .object({ position: integer, movie_id: integer, group_score: z.coerce.number() })
  .transform((row): NightCandidate => ({ position: row.position, movieId: row.movie_id, groupScore: row.group_score }));
export const forecastRow = z
  .object({ position: integer, user_id: z.string(), stars: z.coerce.number() })
  .transform((row): NightForecast => ({ position: row.position, userId: row.user_id, stars: row.stars }));
export const voteRow = z
  .object({ user_id: z.string(), movie_id: integer, via: z.enum(VOTE_CHANNELS), voted_at: timestamp })
  .transform((row): NightVote => ({ userId: row.user_id, movieId: row.movie_id, via: row.via, votedAt: row.voted_at }));
export const nightIdRow = z.object({ id: integer });
export const deadlineRow = z.object({ at: timestamp.nullable() });
