import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type Message,
} from 'discord.js';
import { guildMembership, type GuildMembership } from '../src/discord/members.js';
import type { Command, CommandContext, ComponentInteraction } from '../src/discord/command.js';
import { movieCard } from '../src/discord/embeds.js';
import { mention, movieLabel, plural, stars } from '../src/format.js';
import { FEEDBACK_PERMISSIONS, formatPermissionList, missingPermissions } from '../src/discord/permissions.js';
import { FEEDBACK_EMOJI } from '../src/discord/reactions.js';
import { UserFacingError } from '../src/errors.js';
import { startDeadline } from '../src/deadline.js';
import type { Logger } from '../src/logger.js';
import {
  EARLIEST_YEAR,
  MAX_PICKS,
  MAX_RUNTIME,
  MIN_PICKS,
  MIN_RUNTIME,
  YEARS_AHEAD,
  checkPickCriteria,
  type PickCriteria,
} from '../src/services/recommendations/criteria.js';
import type {
  PickReason,
  PopularListName,
  RecommendationPick,
  SeedFilm,
} from '../src/services/recommendations/index.js';
import { TMDB_KEY_REJECTED, TMDB_NOT_ANSWERING, type TmdbState } from '../src/services/tmdb-health.js';
import { openOnboardingPanel } from './onboarding-panel.js';
import { MOVIE_GENRE_CHOICES, genreName } from '../src/tmdb/genres.js';

const NAME = 'recommend';
const COUNT_OPTION = 'count';
const GENRE_OPTION = 'genre';
const MEMBER_OPTION = 'member';
const FROM_YEAR_OPTION = 'from_year';
const TO_YEAR_OPTION = 'to_year';
const MAX_RUNTIME_OPTION = 'max_runtime';
export const DEFAULT_COUNT = 3;
/** The whole request (model, database, TMDB lists) gets this long; the deferred token lives 15 min. */
const RECOMMEND_BUDGET_MS = 10_000;
/** Discord's bound on the year options, fixed at registration; the service checks against its own clock. */
const LATEST_YEAR = new Date().getUTCFullYear() + YEARS_AHEAD;

/** Above the picks of a member the panel would have opened for, when it had no films to offer. */
const NOTHING_TO_RATE =
  'Rate a few films you have seen with `/rate` or `/start` and your picks become personal. For now, your picks are below.';

/** "Arrival (2016)", "Arrival (2016) and Sicario (2015)", "A, B and C". */
function filmList(films: readonly SeedFilm[]): string {
  const labels = films.map((film) => movieLabel(film));
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}

/** "Rate 3 more films you have seen with `/rate` for personal picks." for a member with only a few ratings. */
function rateMoreLine(ratingsToGo: number | null, forSelf: boolean): string {
  if (ratingsToGo === null) return '';
  return forSelf
    ? ` Rate ${plural(ratingsToGo, 'more film')} you have seen with \`/rate\` for personal picks.`
    : ` Their picks get personal once they rate ${plural(ratingsToGo, 'more film')}.`;
}

/** The label of a pick TMDB's popularity carried, by the list it came from. */
const POPULAR_LABELS: Record<PopularListName, string> = {
  trending: 'Popular on TMDB this week',
  popular: 'Popular on TMDB right now',
  'top-rated': 'Among TMDB’s top rated',
  cached: 'Popular on TMDB',
};

/**
 * The one-line reason of a pick, as the service returned it: it names its strongest source, and names, counts or
 * only mentions the backers as the naming policy (GUIDE §9) allows, so this renders without deciding anything.
 */
export function reasonLine(reason: PickReason, forSelf: boolean): string {
  const you = forSelf ? 'you' : 'them';
  switch (reason.kind) {
    case 'similar-films':
      return `Because ${forSelf ? 'you' : 'they'} loved ${filmList(reason.seeds)}.`;
    case 'popular':
      return `${POPULAR_LABELS[reason.list]}.${rateMoreLine(reason.ratingsToGo, forSelf)}`;
    case 'server-favourite':
      return `Loved in this server: ${reason.average.toFixed(1)}★ from ${reason.raters} members.${rateMoreLine(reason.ratingsToGo, forSelf)}`;
    case 'named': {
      const parts = reason.named.map(({ userId, rating, agreements }, index) => {
        const what = rating === null ? 'gave it 👍' : `rated it ${stars(rating)}`;
        // How much the strongest named backer agrees ("agrees with you on 14 films").
        const basis = index === 0 ? ` (agrees with ${you} on ${plural(agreements, 'film')})` : '';
        return `${mention(userId)} ${what}${basis}`;
      });
      return `${parts.join(', ')}${reason.othersToo ? ', and other members who agree with ' + you + ' liked it too' : ''}.`;
    }
    case 'count': {
      const who = `${reason.backers} members who agree with ${you}`;
      return reason.averageRating === null
        ? `${who} liked it.`
        : `${who} rated it ${reason.averageRating.toFixed(1)}★ on average.`;
    }
    case 'similar-taste':
      return 'Members with similar taste liked it.';
  }
}

/** The line above the overview: predicted stars, or TMDB's list for a pick popularity carried, then the reason. */
export function pickHeadline(pick: RecommendationPick, forSelf: boolean): string {
  if (pick.reason.kind === 'popular') {
    return `**${POPULAR_LABELS[pick.reason.list]}**${rateMoreLine(pick.reason.ratingsToGo, forSelf)}`;
  }
  const label =
    pick.predicted === null
      ? '**Popular on TMDB**'
      : `**${forSelf ? 'You would' : 'They would'} probably rate it ${stars(pick.predicted)}** (${pick.predicted.toFixed(1)})`;
  return `${label}\n${reasonLine(pick.reason, forSelf)}`;
}

/** The request's filters, as the options gave them. */
export type PickFilters = Omit<PickCriteria, 'count'>;

/** The options as given; checked with checkPickCriteria, since a crafted payload may send anything. */
function readOptions(interaction: ChatInputCommandInteraction<'cached'>): { count: number; filters: PickFilters } {
  const { options } = interaction;
  const filters: PickFilters = {};
  for (const [name, key] of [
    [GENRE_OPTION, 'genreId'],
    [FROM_YEAR_OPTION, 'fromYear'],
    [TO_YEAR_OPTION, 'toYear'],
    [MAX_RUNTIME_OPTION, 'maxRuntime'],
  ] as const) {
    const value = options.getInteger(name);
    if (value !== null) filters[key] = value;
  }
  return { count: options.getInteger(COUNT_OPTION) ?? DEFAULT_COUNT, filters };
}

/** The filters in words ("Horror, 1990-1999, at most 110 minutes"), empty without any. */
function filtersText({ genreId, fromYear, toYear, maxRuntime }: PickFilters): string {
  const parts: string[] = [];
  if (genreId !== undefined) parts.push(genreName(genreId) ?? 'that genre');
  if (fromYear !== undefined && toYear !== undefined)
    parts.push(fromYear === toYear ? `${fromYear}` : `${fromYear}-${toYear}`);
  else if (fromYear !== undefined) parts.push(`from ${fromYear} on`);
  else if (toYear !== undefined) parts.push(`up to ${toYear}`);
  if (maxRuntime !== undefined) parts.push(`at most ${maxRuntime} minutes`);
  return parts.join(', ');
}

/** The answer when nothing passed: names the filters asked for, since they may be why. */
export function emptyMessage(filters: PickFilters, forSelf: boolean): string {
  const filtered = filtersText(filters);
  const none = `I have no picks for ${forSelf ? 'you' : 'them'}${filtered === '' ? '' : ` (${filtered})`} right now`;
  if (filtered !== '')
    return `${none}: try wider filters${forSelf ? ', or rate more films you have seen with `/rate`' : ''}.`;
  return forSelf
    ? `${none}. Rate a few films you have seen with \`/rate\` and I will find some.`
    : `${none}: they have not rated enough films yet.`;
}

/**
 * The answer when TMDB failed and nothing else was there: what failed, not "rate more films", which would not
 * help. With picks from films already stored, the line above them says where they come from.
 */
export function tmdbTrouble(state: Exclude<TmdbState, 'ok'>, hasPicks: boolean): string {
  if (state === 'key-rejected') {
    return hasPicks
      ? "Marquee's TMDB key is not working (tell the server admin): here are films I already know."
      : TMDB_KEY_REJECTED;
  }
  return hasPicks
    ? `${TMDB_NOT_ANSWERING}: here are films I already know.`
    : `${TMDB_NOT_ANSWERING}, and I know no films to suggest yet. Please try again in a few minutes.`;
}

/** Adds 👍 and 👎 under a card; a failure is logged, never shown (the picks are what matter). */
async function seedReactions(message: Message, log: Logger): Promise<void> {
  for (const emoji of Object.keys(FEEDBACK_EMOJI)) {
    try {
      await message.react(emoji);
    } catch (error) {
      log.warn({ err: error, messageId: message.id, emoji }, 'could not add a feedback reaction');
      return;
    }
  }
}

/** What picks are sent from: the slash command itself, or a control of the onboarding panel. */
export type PickInteraction = ChatInputCommandInteraction<'cached'> | ComponentInteraction;

/**
 * Where the cards go. 'reply': the first card is the deferred public reply. 'follow-up': the member's own message
 * (the onboarding panel, private) becomes `status` and every card follows in the channel.
 */
export type PickPlacement = { kind: 'reply' } | { kind: 'follow-up'; status: string };

async function sendPicks(
  interaction: PickInteraction,
  ctx: CommandContext,
  picks: readonly RecommendationPick[],
  targetId: string,
  tmdb: TmdbState,
  placement: PickPlacement,
): Promise<void> {
  const forSelf = targetId === interaction.user.id;
  const missing = missingPermissions(interaction.appPermissions, FEEDBACK_PERMISSIONS);
  const intro = [
    forSelf
      ? `**${plural(picks.length, 'pick')} for you**`
      : `**${plural(picks.length, 'pick')} for ${mention(targetId)}**`,
    ...(tmdb === 'ok' ? [] : [tmdbTrouble(tmdb, true)]),
    missing.length === 0
      ? forSelf
        ? 'React with 👍 or 👎 to teach Marquee what you like.'
        : `React with 👍 or 👎 to teach Marquee what you like: a reaction teaches the taste of whoever reacts, not ${mention(targetId)}’s.`
      : `Feedback with 👍/👎 needs the ${formatPermissionList(missing)} permission${missing.length === 1 ? '' : 's'} in this channel.`,
  ].join('\n');

  // One message per film, so a reaction always names exactly one film.
  if (placement.kind === 'follow-up')
    await interaction.editReply({ content: placement.status, embeds: [], components: [] });
  const messages: Message[] = [];
  for (const [index, pick] of picks.entries()) {
    const embeds = [movieCard({ movie: pick.movie, providers: pick.providers, headline: pickHeadline(pick, forSelf) })];
    const message = index === 0 ? { content: intro, embeds } : { embeds };
    messages.push(
      index === 0 && placement.kind === 'reply'
        ? await interaction.editReply(message)
        : await interaction.followUp(message),
    );
  }
  for (const [index, message] of messages.entries()) {
    const pick = picks[index]!;
    try {
      await ctx.services.feedback.recordCard({
        messageId: message.id,
        guildId: interaction.guildId,
        channelId: interaction.channelId,
        forUserId: targetId,
        pick,
      });
    } catch (error) {
      ctx.log.error({ err: error, messageId: message.id, movieId: pick.movie.tmdbId }, 'could not record a pick card');
    }
  }
  if (missing.length === 0) for (const message of messages) await seedReactions(message, ctx.log);
  ctx.log.info(
    { targetId, movieIds: picks.map(({ movie }) => movie.tmdbId), canReact: missing.length === 0 },
    'picks sent',
  );
}

/** Whose picks, how many and with which filters. */
export interface PickRequest {
  targetId: string;
  count: number;
  filters: PickFilters;
  /** The interaction's membership check, when the command already made one (each user is asked about once). */
  isGuildMember?: GuildMembership;
}

/**
 * Finds the picks and sends them (the interaction already deferred or answered): the cards, or what stood in the
 * way (no picks for these filters, TMDB failing) in the member's own message.
 */
export async function deliverPicks(
  interaction: PickInteraction,
  ctx: CommandContext,
  { targetId, count, filters, isGuildMember = guildMembership(interaction, ctx.log) }: PickRequest,
  placement: PickPlacement,
): Promise<void> {
  const picks = await ctx.services.recommendations.recommend({
    guildId: interaction.guildId,
    userId: targetId,
    count,
    ...filters,
    isGuildMember,
    signal: startDeadline(RECOMMEND_BUDGET_MS).signal,
  });
  // Read after the request, whose own TMDB calls it reflects.
  const tmdb = ctx.services.tmdb.state();
  if (picks.length === 0) {
    const content = tmdb === 'ok' ? emptyMessage(filters, targetId === interaction.user.id) : tmdbTrouble(tmdb, false);
    await interaction.editReply({ content, embeds: [], components: [] });
    return;
  }
  await sendPicks(interaction, ctx, picks, targetId, tmdb, placement);
}

/**
 * `/recommend [count] [genre] [member] [from_year] [to_year] [max_runtime]`: personal picks, one card per
 * film with 👍/👎 seeded, for the caller or for a member whose profile is public in this server (GUIDE §9).
 */
export default {
  data: new SlashCommandBuilder()
    .setName(NAME)
    .setDescription('Films picked for you by members with similar taste')
    .setContexts(InteractionContextType.Guild)
    .addIntegerOption((option) =>
      option
        .setName(COUNT_OPTION)
        .setDescription(`How many films (${MIN_PICKS}-${MAX_PICKS}, default ${DEFAULT_COUNT})`)
        .setMinValue(MIN_PICKS)
        .setMaxValue(MAX_PICKS),
    )
    .addIntegerOption((option) =>
      option
        .setName(GENRE_OPTION)
        .setDescription('Only films of this genre')
        .addChoices(...MOVIE_GENRE_CHOICES),
    )
    .addUserOption((option) =>
      option.setName(MEMBER_OPTION).setDescription('Picks for another member (if their profile is public)'),
    )
    .addIntegerOption((option) =>
      option
        .setName(FROM_YEAR_OPTION)
        .setDescription('Only films released in or after this year')
        .setMinValue(EARLIEST_YEAR)
        .setMaxValue(LATEST_YEAR),
    )
    .addIntegerOption((option) =>
      option
        .setName(TO_YEAR_OPTION)
        .setDescription('Only films released in or before this year')
        .setMinValue(EARLIEST_YEAR)
        .setMaxValue(LATEST_YEAR),
    )
    .addIntegerOption((option) =>
      option
        .setName(MAX_RUNTIME_OPTION)
        .setDescription(`Longest runtime in minutes (${MIN_RUNTIME}-${MAX_RUNTIME})`)
        .setMinValue(MIN_RUNTIME)
        .setMaxValue(MAX_RUNTIME),
    ),

  async execute(interaction, ctx) {
    const { count, filters } = readOptions(interaction);
    // Refused before deferring, so the refusal stays private.
    checkPickCriteria({ count, ...filters }, ctx.clock());
    const target = interaction.options.getUser(MEMBER_OPTION) ?? interaction.user;
    // One per interaction, so Discord is asked about each user at most once (target, then backers).
    const isGuildMember = guildMembership(interaction, ctx.log);
    if (target.id !== interaction.user.id) {
      if (target.bot)
        throw new UserFacingError('bot-member', 'Bots do not watch films, so Marquee has no picks for them.');
      // Refused before deferring, so the refusal stays between the bot and the member who asked.
      await ctx.services.profiles.assertVisible({ viewerId: interaction.user.id, targetId: target.id, isGuildMember });
    }
    const request = { targetId: target.id, count, filters, isGuildMember };
    // A member with too few ratings to have personal picks first gets the private "rate a few to start" panel:
    // decided before deferring (from a cached count), so the deferral is private from the start.
    if (target.id === interaction.user.id && (await ctx.services.onboarding.shouldOffer(target.id))) {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      if (await openOnboardingPanel(interaction, ctx, { count, ...filters })) return;
      await deliverPicks(interaction, ctx, request, { kind: 'follow-up', status: NOTHING_TO_RATE });
      return;
    }
    await interaction.deferReply();
    await deliverPicks(interaction, ctx, request, { kind: 'reply' });
  },
} satisfies Command;
