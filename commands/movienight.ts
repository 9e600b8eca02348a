import {
  ActionRowBuilder,
  ChannelType,
  DiscordAPIError,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  StringSelectMenuOptionBuilder,
  TimestampStyles,
  escapeMarkdown,
  messageLink,
  time,
} from 'discord.js';
import { component, customId, type ChatInput, type Command, type CommandContext } from '../src/discord/command.js';
import { MOVIE_NIGHT_COMMAND, NIGHT_ACTIONS, POLL_EMOJI } from '../src/discord/movie-night-card.js';
import { formatPermissionList, missingPermissions } from '../src/discord/permissions.js';
import { UserFacingError } from '../src/errors.js';
import { STAR_VALUES, isStarValue, mention, movieLabel, plural, stars } from '../src/format.js';
import { ALL_GROUP_STRATEGIES } from '../src/recommender/index.js';
import { MAX_RUNTIME, MIN_RUNTIME } from '../src/services/recommendations/criteria.js';
import {
  DEFAULT_STRATEGY,
  MOVIE_NIGHT_LIMITS,
  type CallEnd,
  type CloseOutcome,
  type StartOutcome,
  type VoteOutcome,
} from '../src/services/movie-nights/index.js';
import { addScheduleSubcommands, scheduleAutocompletes, scheduleSubcommands } from './movienight-schedules.js';
import { MOVIE_GENRE_CHOICES } from '../src/tmdb/genres.js';
import { rateSummary } from './rate.js';

const NAME = MOVIE_NIGHT_COMMAND;
const OPTION = {
  voiceChannel: 'voice_channel',
  with: 'with',
  strategy: 'strategy',
  allowRewatch: 'allow_rewatch',
  genre: 'genre',
  maxRuntime: 'max_runtime',
  closesIn: 'closes_in',
  callMinutes: 'call_minutes',
} as const;
/** Room for 20 mentions (`<@` + 20 digits + `> `). */
const WITH_MAX_LENGTH = 500;
/** What a night posts and reads in its channel: messages with embeds, reactions seeded and read back. */
const NIGHT_PERMISSIONS = ['ViewChannel', 'SendMessages', 'EmbedLinks', 'AddReactions', 'ReadMessageHistory'] as const;
const STRATEGY_HELP: Record<string, string> = {
  borda: 'borda: ranks by everyone’s order of preference (default)',
  average: 'average: the highest mean fit',
  least_misery: 'least_misery: nobody’s fit low',
  average_without_misery: 'average_without_misery: the mean, vetoing films anyone would dislike',
  approval: 'approval: most members at 3.5★ or more',
  gfar: 'gfar: fair turns, a pick for each member',
};

/** Member ids from `with`: mentions (`<@id>`, `<@!id>`) or bare ids, separated by spaces or commas. */
export function parseWith(text: string): string[] {
  const tokens = text.split(/[\s,]+/).filter((token) => token !== '');
  const ids = tokens.map((token) => /^(?:<@!?(\d{17,20})>|(\d{17,20}))$/.exec(token)?.slice(1).find(Boolean));
  if (ids.some((id) => id === undefined)) {
    throw new UserFacingError(
      'bad-with',
      '`with` takes members: type @ and pick each one, e.g. `with:@Ana @Ben` (roles and other text are not members).',
    );
  }
  return [...new Set(ids as string[])];
}

/** The members named in `with`, checked with Discord: each must be in this server, and not a bot. */
async function namedMembers(interaction: ChatInput, ctx: CommandContext): Promise<string[]> {
  const text = interaction.options.getString(OPTION.with);
  if (text === null) return [];
  const ids = parseWith(text);
  if (ids.length > MOVIE_NIGHT_LIMITS.maxParticipants) {
    throw new UserFacingError(
      'night-too-many',
      `A movie night takes at most ${MOVIE_NIGHT_LIMITS.maxParticipants} members: name fewer in \`with\`.`,
    );
  }
  const members = await Promise.all(
    ids.map((id) =>
      interaction.guild.members.fetch({ user: id }).catch((error: unknown) => {
        const gone =
          error instanceof DiscordAPIError &&
          (error.code === RESTJSONErrorCodes.UnknownMember || error.code === RESTJSONErrorCodes.UnknownUser);
        if (!gone) ctx.log.warn({ err: error, memberId: id }, 'could not check a member named in with');
        return null;
      }),
    ),
  );
  for (const [index, member] of members.entries()) {
    const id = ids[index] ?? '';
    if (!member) {
      throw new UserFacingError('bad-with', `${mention(id)} is not a member of this server: name members of it only.`);
    }
    if (member.user.bot) {
      throw new UserFacingError('bad-with', `${mention(id)} is a bot, and bots do not watch films: name members only.`);
    }
  }
  return ids;
}

function startedText(outcome: StartOutcome, guildId: string, channelId: string): string {
  const link = messageLink(channelId, outcome.messageId, guildId);
  const closes = `${time(outcome.closesAt, TimestampStyles.ShortTime)} (${time(outcome.closesAt, TimestampStyles.RelativeTime)})`;
  return outcome.kind === 'poll'
    ? `Posted the movie night for ${plural(outcome.groupSize, 'member')}: ${link}. The poll closes ${closes}.`
    : `Nobody is in voice and nobody was named, so I posted a 🍿 call: ${link}. The picks are made ${closes} for everyone who reacted.`;
}

function callEndText(end: CallEnd, guildId: string, channelId: string): string {
  switch (end.kind) {
    case 'poll':
      return `Closed the 🍿 call: ${plural(end.joined, 'member')} joined. The poll: ${messageLink(channelId, end.cardMessageId, guildId)}`;
    case 'nobody':
      return 'Closed the 🍿 call: nobody joined, so there is no movie night this time.';
    case 'too-many':
      return `Closed the 🍿 call: ${end.joined} members joined, more than the ${end.max} a movie night can take.`;
    case 'no-picks':
      return 'Closed the 🍿 call, but I found no films for the group right now: try again in a few minutes.';
    case 'cancelled':
      return 'Cancelled the 🍿 call.';
  }
}

function closedText(outcome: CloseOutcome, guildId: string, channelId: string): string {
  if (outcome.kind === 'call') return callEndText(outcome.end, guildId, channelId);
  const result = outcome.result;
  if (!result) return 'Closed the poll.';
  return `Closed the poll: **${escapeMarkdown(movieLabel(result.winner.movie))}** won with ${plural(result.winner.votes, 'vote')}.`;
}

function voteText(outcome: VoteOutcome): string {
  const film = `**${escapeMarkdown(movieLabel(outcome.movie))}**`;
  if (outcome.kind === 'withdrawn') return `You took back your vote for ${film}.`;
  const from = outcome.replaced ? ` instead of ${escapeMarkdown(movieLabel(outcome.replaced))}` : '';
  return `You voted for ${film}${from}; click again to withdraw.`;
}

/** The end of `/movienight close|cancel`: the starter, or Manage Server. */
function endRequest(interaction: ChatInput) {
  return {
    channelId: interaction.channelId,
    userId: interaction.user.id,
    mayManage: interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild),
  };
}

/** `<nightId>` from a customId, or null. */
function nightIdOf(value: string | undefined): number | null {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * `/movienight suggest|close|cancel`: five group picks for the members in voice (or a 🍿 call when nobody is there),
 * a poll by buttons and number reactions that closes on time, and the result (README "Movie night").
 */
export default {
  data: addScheduleSubcommands(
    new SlashCommandBuilder()
      .setName(NAME)
      .setDescription('Movie nights: five picks for the people in voice and a poll, or a weekly night')
      .setContexts(InteractionContextType.Guild)
      .addSubcommand((sub) =>
        sub
          .setName('suggest')
          .setDescription('Picks for the members in voice (or a 🍿 call to join), then a poll')
          .addChannelOption((option) =>
            option
              .setName(OPTION.voiceChannel)
              .setDescription('The voice channel whose members watch (default: yours)')
              .addChannelTypes(ChannelType.GuildVoice, ChannelType.GuildStageVoice),
          )
          .addStringOption((option) =>
            option
              .setName(OPTION.with)
              .setDescription('More members who watch: @mention each, e.g. @Ana @Ben')
              .setMaxLength(WITH_MAX_LENGTH),
          )
          .addStringOption((option) =>
            option
              .setName(OPTION.strategy)
              .setDescription(`How the group's tastes are combined (default ${DEFAULT_STRATEGY})`)
              .addChoices(
                ...ALL_GROUP_STRATEGIES.map((strategy) => ({
                  name: STRATEGY_HELP[strategy] ?? strategy,
                  value: strategy,
                })),
              ),
          )
          .addBooleanOption((option) =>
            option.setName(OPTION.allowRewatch).setDescription('Also films someone has already seen (default: no)'),
          )
          .addIntegerOption((option) =>
            option
              .setName(OPTION.genre)
              .setDescription('Only films of this genre')
              .addChoices(...MOVIE_GENRE_CHOICES),
          )
          .addIntegerOption((option) =>
            option
              .setName(OPTION.maxRuntime)
              .setDescription(`Longest runtime in minutes (${MIN_RUNTIME}-${MAX_RUNTIME})`)
              .setMinValue(MIN_RUNTIME)
              .setMaxValue(MAX_RUNTIME),
          )
          .addIntegerOption((option) =>
            option
              .setName(OPTION.closesIn)
              .setDescription(`Minutes until the poll closes (default ${MOVIE_NIGHT_LIMITS.pollMinutes.default})`)
              .setMinValue(MOVIE_NIGHT_LIMITS.pollMinutes.min)
              .setMaxValue(MOVIE_NIGHT_LIMITS.pollMinutes.max),
          )
          .addIntegerOption((option) =>
            option
              .setName(OPTION.callMinutes)
              .setDescription(
                `Nobody in voice: minutes the 🍿 call stays open (default ${MOVIE_NIGHT_LIMITS.callMinutes.default})`,
              )
              .setMinValue(MOVIE_NIGHT_LIMITS.callMinutes.min)
              .setMaxValue(MOVIE_NIGHT_LIMITS.callMinutes.max),
          ),
      )
      .addSubcommand((sub) =>
        sub.setName('close').setDescription('Close this channel’s movie night now (its starter or Manage Server)'),
      )
      .addSubcommand((sub) =>
        sub.setName('cancel').setDescription('Cancel this channel’s movie night without a winner'),
      ),
  ),

  // The scheduled nights' subcommands and their autocomplete live in ./movienight-schedules.ts.
  async autocomplete(interaction, ctx) {
    const answer = scheduleAutocompletes[interaction.options.getSubcommand(false) ?? ''];
    if (answer) await answer(interaction, ctx);
    else await interaction.respond([]);
  },

  subcommands: {
    ...scheduleSubcommands,
    async suggest(interaction, ctx) {
      const missing = missingPermissions(interaction.appPermissions, NIGHT_PERMISSIONS);
      if (missing.length > 0) {
        throw new UserFacingError(
          'night-bot-permissions',
          `A movie night needs Marquee to have ${formatPermissionList(missing)} in this channel: ask a server admin, or use another channel.`,
        );
      }
      const { options } = interaction;
      const voiceChannelId = options.getChannel(OPTION.voiceChannel)?.id ?? interaction.member.voice.channelId;
      // Checking the members named asks Discord: deferred first, so the 3 seconds never run out.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const withUserIds = await namedMembers(interaction, ctx);
      const outcome = await ctx.services.movieNights.start({
        guildId: interaction.guildId,
        channelId: interaction.channelId,
        voiceChannelId: voiceChannelId ?? undefined,
        withUserIds,
        strategy: options.getString(OPTION.strategy) ?? undefined,
        allowRewatch: options.getBoolean(OPTION.allowRewatch) ?? undefined,
        genreId: options.getInteger(OPTION.genre) ?? undefined,
        maxRuntime: options.getInteger(OPTION.maxRuntime) ?? undefined,
        closesInMinutes: options.getInteger(OPTION.closesIn) ?? undefined,
        callMinutes: options.getInteger(OPTION.callMinutes) ?? undefined,
        createdBy: interaction.user.id,
      });
      ctx.log.info({ nightId: outcome.nightId, kind: outcome.kind }, 'movie night started');
      await interaction.editReply({ content: startedText(outcome, interaction.guildId, interaction.channelId) });
    },

    async close(interaction, ctx) {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const outcome = await ctx.services.movieNights.close(endRequest(interaction));
      await interaction.editReply({ content: closedText(outcome, interaction.guildId, interaction.channelId) });
    },

    async cancel(interaction, ctx) {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const { kind } = await ctx.services.movieNights.cancel(endRequest(interaction));
      await interaction.editReply({
        content: kind === 'poll' ? 'Cancelled the poll: no film was chosen.' : 'Cancelled the 🍿 call.',
      });
    },
  },

  components: {
    // movienight:vote:<nightId>:<position>
    [NIGHT_ACTIONS.vote]: component({
      parse([night, position]) {
        const nightId = nightIdOf(night);
        const at = Number(position);
        return nightId !== null && Number.isInteger(at) && at >= 1 && at <= POLL_EMOJI.length
          ? { nightId, position: at }
          : null;
      },
      async run(interaction, { nightId, position }, ctx) {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        const outcome = await ctx.services.movieNights.vote({
          guildId: interaction.guildId,
          nightId,
          userId: interaction.user.id,
          position,
        });
        await interaction.editReply({ content: voteText(outcome) });
      },
    }),

    // movienight:watchlist:<nightId>
    [NIGHT_ACTIONS.watchlist]: component({
      parse: ([night]) => nightIdOf(night),
      async run(interaction, nightId, ctx) {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        const { movie, added } = await ctx.services.movieNights.addWinnerToWatchlist({
          guildId: interaction.guildId,
          nightId,
          userId: interaction.user.id,
        });
        const film = `**${escapeMarkdown(movieLabel(movie))}**`;
        await interaction.editReply({
          content: added ? `Added ${film} to your watchlist.` : `${film} is already on your watchlist.`,
        });
      },
    }),

    // movienight:rate:<nightId>: the stars to choose from, for the member alone.
    [NIGHT_ACTIONS.rate]: component({
      parse: ([night]) => nightIdOf(night),
      async run(interaction, nightId, ctx) {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        const movie = await ctx.services.movieNights.winner({ guildId: interaction.guildId, nightId });
        const menu = new StringSelectMenuBuilder()
          .setCustomId(customId.build(NAME, NIGHT_ACTIONS.stars, nightId))
          .setPlaceholder('Your rating')
          .addOptions(
            STAR_VALUES.map((value) =>
              new StringSelectMenuOptionBuilder().setLabel(`${stars(value)} (${value})`).setValue(String(value)),
            ),
          );
        await interaction.editReply({
          content: `How many stars for **${escapeMarkdown(movieLabel(movie))}**? (Rating it also logs it as watched.)`,
          components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
        });
      },
    }),

    // movienight:stars:<nightId>, the select's value the stars.
    [NIGHT_ACTIONS.stars]: component({
      parse([night], interaction) {
        const nightId = nightIdOf(night);
        const value = interaction.isStringSelectMenu() ? Number(interaction.values[0]) : Number.NaN;
        return nightId !== null && isStarValue(value) ? { nightId, score: value } : null;
      },
      async run(interaction, { nightId, score }, ctx) {
        await interaction.deferUpdate();
        const movie = await ctx.services.movieNights.winner({ guildId: interaction.guildId, nightId });
        const outcome = await ctx.services.ratings.rate({
          userId: interaction.user.id,
          movieId: movie.tmdbId,
          stars: score,
        });
        await interaction.editReply({ content: rateSummary(movie, outcome), components: [] });
      },
    }),
  },
} satisfies Command;
