import type { NightStatus } from '../../db/repositories/movie-nights.js';
import type { CachedMovie } from '../../tmdb/types.js';
import type { IsGuildMember } from '../naming-policy.js';

/**
 * Why a pick is on the card, in one line, from the forecasts alone (predicted stars of the members with ratings):
 * `everyone` when nobody is predicted below the approval line, `most` when most are at or above it, `compromise`
 * otherwise, `popular` when nobody in the group has ratings (the pick came from TMDB's popular lists).
 */
export type PickWhy =
  | { kind: 'everyone'; lowest: number }
  | { kind: 'most'; liking: number; of: number }
  | { kind: 'compromise'; average: number }
  | { kind: 'popular' };

/** The members' fit with one pick, as the naming rule (GUIDE §9) lets it be shown. */
export interface PickFits {
  /** Members who may be named here: their predicted stars (null when none: no ratings yet, or none predicted). */
  named: { userId: string; hasRatings: boolean; stars: number | null }[];
  /**
   * The other members with ratings: how many, and their average only when at least 3 are behind it (so it never
   * points at one or two people); members without ratings who may not be named are counted in the view's header.
   */
  others: { count: number; average: number | null };
}

export interface PollPickView {
  /** 1-5, the order shown (and the button and reaction numbers). */
  position: number;
  movie: CachedMovie;
  votes: number;
  why: PickWhy;
  fits: PickFits;
}

/** What the poll card shows; rendered by the Discord layer (src/discord/movie-night-card.ts). */
export interface PollView {
  nightId: number;
  guildId: string;
  channelId: string;
  status: NightStatus;
  closesAt: Date | null;
  strategy: string;
  /** Films a member has seen may be among the picks. */
  allowRewatch: boolean;
  createdBy: string | null;
  group: {
    size: number;
    /** Members without ratings yet who may not be named (those who may are in each pick's fits). */
    unnamedWithoutRatings: number;
  };
  picks: PollPickView[];
  totalVotes: number;
  /** Set once the poll closed with a winner. */
  winnerPosition: number | null;
}

/** How the winner won: most votes, a tie broken by the group score, then by the order shown; or nobody voted. */
export type WinnerBasis = 'votes' | 'group-score' | 'order' | 'no-votes';

export interface ResultView {
  nightId: number;
  guildId: string;
  channelId: string;
  /** The poll card, to link to. */
  cardMessageId: string | null;
  winner: PollPickView;
  basis: WinnerBasis;
  totalVotes: number;
  groupSize: number;
  /** The poll card as it stands closed, with the winner marked. */
  poll: PollView;
}

/** Why a call ended without a poll. */
export type CallEnd =
  | { kind: 'poll'; joined: number; cardMessageId: string }
  | { kind: 'nobody' }
  | { kind: 'too-many'; joined: number; max: number }
  | { kind: 'no-picks'; joined: number }
  | { kind: 'cancelled' };

export interface CallView {
  nightId: number;
  guildId: string;
  channelId: string;
  createdBy: string | null;
  closesAt: Date;
  /** The poll's length once the call closes. */
  pollMinutes: number;
  /** Null while the call is open. */
  end: CallEnd | null;
}

/**
 * What the movie-night use cases need from Discord, implemented by src/discord/movie-night-board.ts with the
 * client (services import no discord.js). Messages are channel messages (never an interaction token, which dies
 * after 15 minutes), so a night outlives any interaction and a scheduled night needs none.
 */
export interface MovieNightBoard {
  /** Whether Discord can be reached (the client is logged in and ready); deadlines wait for it. */
  isReady(): boolean;
  /** Members (never bots) in a voice channel, or null when the bot cannot see it. */
  voiceMembers(guildId: string, voiceChannelId: string): Promise<string[] | null>;
  /** A link to a message, for "already open: …". */
  messageUrl(guildId: string, channelId: string, messageId: string): string;
  /** Whether a user is in the guild now, as Discord says (for the naming rule). */
  isGuildMember(guildId: string): IsGuildMember;
  /** Posts the 🍿 call (and seeds 🍿); returns the message id. */
  postCall(view: CallView): Promise<string>;
  editCall(view: CallView, messageId: string): Promise<void>;
  /** Posts the poll card (and seeds the number reactions); returns the message id. */
  postPoll(view: PollView): Promise<string>;
  editPoll(view: PollView, messageId: string): Promise<void>;
  postResult(view: ResultView): Promise<string>;
  /** Who reacted 🍿 on the call, read through the REST API; bots left out. */
  callReactors(channelId: string, messageId: string): Promise<string[]>;
  /** Who reacted with each position's number on the card (REST), for positions 1..count; bots left out. */
  pollReactors(channelId: string, messageId: string, count: number): Promise<Map<number, string[]>>;
}

/** A board for a process without Discord (scripts, tests of other use cases): never ready, posts nothing. */
export const NO_BOARD: MovieNightBoard = {
  isReady: () => false,
  voiceMembers: () => Promise.resolve(null),
  messageUrl: () => '',
  isGuildMember: () => () => Promise.resolve(false),
  postCall: () => Promise.reject(new Error('no Discord client to post the call')),
  editCall: () => Promise.resolve(),
  postPoll: () => Promise.reject(new Error('no Discord client to post the poll')),
  editPoll: () => Promise.resolve(),
  postResult: () => Promise.reject(new Error('no Discord client to post the result')),
  callReactors: () => Promise.resolve([]),
  pollReactors: () => Promise.resolve(new Map()),
};
