import type { NightSettings, StoredMovieNight } from '../../db/repositories/movie-nights.js';
import type { Tx } from '../../db/unit-of-work.js';
import { UserFacingError } from '../../errors.js';
import { plural } from '../../format.js';
import { MINUTE_MS } from '../../time.js';
import { checkPickCriteria } from '../recommendations/criteria.js';
import { makePicks, type NightContext } from './context.js';
import { checkMinutes, checkStrategy, DEFAULT_STRATEGY, MOVIE_NIGHT_LIMITS } from './rules.js';

/** "Start a movie night in channel C for voice channel V with strategy S": what `/movienight suggest` and a schedule ask. */
export interface StartRequest {
  guildId: string;
  /** Where the call or the poll is posted (the bot must be able to post and react there). */
  channelId: string;
  /** The group is the members (never bots) in this voice channel… */
  voiceChannelId?: string | undefined;
  /** …plus these members (checked by the caller to be members of the guild, not bots). */
  withUserIds?: readonly string[] | undefined;
  /** A GroupStrategy (checked: a command option may send anything); default borda (README "Movie night"). */
  strategy?: string | undefined;
  /** Keep films a member has seen (default: left out). */
  allowRewatch?: boolean | undefined;
  /** TMDB genre id the picks must have. */
  genreId?: number | undefined;
  /** Longest runtime in minutes. */
  maxRuntime?: number | undefined;
  /** The poll's length (1-1440 minutes, default 10). */
  closesInMinutes?: number | undefined;
  /** With nobody in voice and nobody named: how long the 🍿 call gathers the group (1-60 minutes, default 5). */
  callMinutes?: number | undefined;
  /** The member who started it (may close or cancel it); none for a scheduled night. */
  createdBy?: string | undefined;
}

export type StartOutcome =
  | { kind: 'call'; nightId: number; messageId: string; closesAt: Date }
  | { kind: 'poll'; nightId: number; messageId: string; closesAt: Date; groupSize: number; picks: number };

/** Thrown inside the unit of work when the unique index refused a second open night; answered outside it. */
class ChannelTaken extends Error {}

/** `/movienight suggest` and scheduled nights: a poll for the group in voice, or a 🍿 call when nobody is there. */
export function createStart(ctx: NightContext) {
  const { repos, clock, board, views } = ctx;

  function alreadyOpen(open: StoredMovieNight | null): UserFacingError {
    const message = open?.messageId ?? open?.callMessageId ?? null;
    const left = open?.closesAt
      ? Math.max(1, Math.ceil((open.closesAt.getTime() - clock().getTime()) / MINUTE_MS))
      : null;
    const where = message === null || !open ? '' : `: ${board.messageUrl(open.guildId, open.channelId, message)}`;
    const when = left === null ? '' : ` (it closes in ${plural(left, 'minute')})`;
    return new UserFacingError(
      'night-already-open',
      `A movie night is already open in this channel${when}${where}. Vote there, or end it first with \`/movienight close\` or \`/movienight cancel\`.`,
    );
  }

  /** Inserts the night in a unit of work with `more` (its group and picks), or refuses a channel already taken. */
  async function insert(
    request: StartRequest,
    fields: { phase: 'call' | 'poll'; closesAt: Date; settings: NightSettings; users: readonly string[] },
    more: (nightId: number, tx: Tx) => Promise<void>,
  ): Promise<number> {
    try {
      return await repos.unitOfWork(async (tx) => {
        for (const userId of fields.users) await repos.users.ensure(userId, { tx });
        const nightId = await repos.movieNights.insert(
          {
            guildId: request.guildId,
            channelId: request.channelId,
            voiceChannelId: request.voiceChannelId ?? null,
            createdBy: request.createdBy ?? null,
            phase: fields.phase,
            closesAt: fields.closesAt,
            createdAt: clock(),
            settings: fields.settings,
          },
          { tx },
        );
        if (nightId === null) throw new ChannelTaken();
        await more(nightId, tx);
        return nightId;
      });
    } catch (error) {
      if (error instanceof ChannelTaken) throw alreadyOpen(await repos.movieNights.openInChannel(request.channelId));
      throw error;
    }
  }

  /** Posts the night's first message; if Discord refuses it, the night goes (nothing of it was shown). */
  async function post(nightId: number, send: () => Promise<string>): Promise<string> {
    try {
      return await send();
    } catch (error) {
      await repos.movieNights.delete(nightId);
      throw error;
    }
  }

  return async function start(request: StartRequest): Promise<StartOutcome> {
    const now = clock();
    const settings: NightSettings = {
      strategy: checkStrategy(request.strategy ?? DEFAULT_STRATEGY),
      allowRewatch: request.allowRewatch ?? false,
      genreId: request.genreId ?? null,
      maxRuntime: request.maxRuntime ?? null,
      pollMinutes: checkMinutes(
        request.closesInMinutes ?? MOVIE_NIGHT_LIMITS.pollMinutes.default,
        MOVIE_NIGHT_LIMITS.pollMinutes,
        'The poll',
      ),
    };
    checkPickCriteria(
      {
        count: MOVIE_NIGHT_LIMITS.picks,
        ...(request.genreId === undefined ? {} : { genreId: request.genreId }),
        ...(request.maxRuntime === undefined ? {} : { maxRuntime: request.maxRuntime }),
      },
      now,
    );
    const callMinutes = checkMinutes(
      request.callMinutes ?? MOVIE_NIGHT_LIMITS.callMinutes.default,
      MOVIE_NIGHT_LIMITS.callMinutes,
      'The 🍿 call',
    );
    // Refused before any work; the unique index refuses a race between two starts.
    const open = await repos.movieNights.openInChannel(request.channelId);
    if (open) throw alreadyOpen(open);

    const voice = request.voiceChannelId ? await board.voiceMembers(request.guildId, request.voiceChannelId) : [];
    if (voice === null) {
      throw new UserFacingError(
        'voice-channel-unseen',
        `I cannot see <#${request.voiceChannelId ?? ''}>, so I cannot tell who is in it: give Marquee the View Channel permission there, or name the members with \`with\`.`,
      );
    }
    const members = [...new Set([...voice, ...(request.withUserIds ?? [])])];
    if (members.length > MOVIE_NIGHT_LIMITS.maxParticipants) {
      throw new UserFacingError(
        'night-too-many',
        `A movie night takes at most ${MOVIE_NIGHT_LIMITS.maxParticipants} members, and this one has ${members.length}: name fewer members, or use a smaller voice channel.`,
      );
    }
    const creator = request.createdBy === undefined ? [] : [request.createdBy];

    if (members.length === 0) {
      const closesAt = new Date(now.getTime() + callMinutes * MINUTE_MS);
      const nightId = await insert(request, { phase: 'call', closesAt, settings, users: creator }, async () => {});
      const night = await repos.movieNights.get(nightId);
      if (!night) throw new Error(`movie night ${nightId} vanished right after it was created`);
      const messageId = await post(nightId, () => board.postCall(views.callView(night, null)));
      await repos.movieNights.setCallMessage(nightId, messageId);
      await ctx.armDeadlines();
      ctx.log.info({ nightId, closesAt }, 'movie night call posted');
      return { kind: 'call', nightId, messageId, closesAt };
    }

    const poll = await makePicks(ctx, request.guildId, members, settings, MOVIE_NIGHT_LIMITS.picks);
    if (poll.candidates.length === 0) {
      throw new UserFacingError(
        'night-no-picks',
        'I found no films for this group right now (TMDB may not be answering, or the filters leave nothing): try again in a few minutes, or with wider filters.',
      );
    }
    const closesAt = new Date(clock().getTime() + settings.pollMinutes * MINUTE_MS);
    const nightId = await insert(
      request,
      { phase: 'poll', closesAt, settings, users: [...new Set([...members, ...creator])] },
      (id, tx) => repos.movieNights.addPoll(id, poll, { tx }),
    );
    const record = await repos.movieNights.find(nightId);
    if (!record) throw new Error(`movie night ${nightId} vanished right after it was created`);
    const messageId = await post(nightId, async () => board.postPoll(await views.pollView(record)));
    await repos.movieNights.setCardMessage(nightId, messageId);
    await ctx.armDeadlines();
    ctx.log.info(
      { nightId, members: members.length, picks: poll.candidates.length, closesAt },
      'movie night poll posted',
    );
    return { kind: 'poll', nightId, messageId, closesAt, groupSize: members.length, picks: poll.candidates.length };
  };
}
