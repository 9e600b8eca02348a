import { InteractionContextType, MessageFlags, SlashCommandBuilder, escapeMarkdown } from 'discord.js';
import { guildMembership } from '../src/discord/members.js';
import { customId, type Command, type CommandContext } from '../src/discord/command.js';
import { movieCard } from '../src/discord/embeds.js';
import { mention, movieLabel, plural, stars } from '../src/format.js';
import {
  answerMovieAutocomplete,
  deferAndResolveMovie,
  movieOption,
  pickedMovie,
  starsOption,
  STARS_OPTION_NAME,
  type FilmInteraction,
} from '../src/discord/movie-option.js';
import { MAX_PAGE, pageNumber, pagedListMessage } from '../src/discord/paging.js';
import { UserFacingError } from '../src/errors.js';
import type { CheckedDiaryEntry, DiaryPage } from '../src/services/diary.js';
import type { CachedMovie } from '../src/tmdb/types.js';

const NAME = 'watched';
/** Stands for "no stars" in a select menu's customId. */
const NO_STARS = '-';

/** One page of a diary: "Title (Year) — date — ★★★★" per entry, Previous/Next buttons when there are more. */
function diaryMessage(page: DiaryPage, viewerId: string) {
  const own = page.ownerId === viewerId;
  return pagedListMessage(NAME, page, {
    title: 'Films watched',
    heading:
      page.total === 0
        ? own
          ? 'Your diary is empty: log a film with `/watched add`.'
          : `${mention(page.ownerId)} has not logged any film yet.`
        : `${own ? 'Your diary' : `Diary of ${mention(page.ownerId)}`} · ${plural(page.total, 'entry', 'entries')}`,
    lines: page.lines.map((line) =>
      [escapeMarkdown(movieLabel(line)), line.watchedOn, line.stars === null ? null : stars(line.stars)].filter(Boolean).join(' — '),
    ),
  });
}

async function addAndReply(interaction: FilmInteraction, ctx: CommandContext, movie: CachedMovie, entry: CheckedDiaryEntry) {
  const userId = interaction.user.id;
  const outcome = await ctx.services.diary.add({ userId, movieId: movie.tmdbId, date: entry.watchedOn, stars: entry.stars });
  ctx.log.info({ movieId: movie.tmdbId, watchedOn: entry.watchedOn, stars: entry.stars }, 'logged a viewing');
  const text = [
    `Logged **${escapeMarkdown(movieLabel(movie))}** as watched on ${outcome.entry.watchedOn}`,
    outcome.stars === null ? '.' : ` and rated it ${stars(outcome.stars)} (${outcome.stars}).`,
    outcome.timesWatched > 1 ? ` That makes ${outcome.timesWatched} viewings in your diary.` : '',
  ].join('');
  const view = await ctx.services.movies.card({ guildId: interaction.guildId, userId, movie, providers: false, log: ctx.log });
  await interaction.editReply({ content: text, embeds: [movieCard(view)], components: [] });
}

async function removeAndReply(interaction: FilmInteraction, ctx: CommandContext, movie: CachedMovie) {
  const removed = await ctx.services.diary.removeLatest(interaction.user.id, movie.tmdbId);
  const label = escapeMarkdown(movieLabel(movie));
  if (!removed) throw new UserFacingError('diary-no-entry', `Your diary has no entry for **${label}**.`);
  await interaction.editReply({
    content: `Removed your diary entry for **${label}** on ${removed.watchedOn}. Your rating, if any, stays.`,
    embeds: [],
    components: [],
  });
}

/**
 * `/watched add|remove|list`: the member's diary. Replies are ephemeral; another member's diary is shown
 * only while they are in this server and their profile is public (GUIDE §9), checked again on every page.
 */
export default {
  data: new SlashCommandBuilder()
    .setName(NAME)
    .setDescription('Your film diary')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName('add')
        .setDescription('Log a film you watched (rewatches count)')
        .addStringOption((option) => movieOption(option, 'The film you watched'))
        .addStringOption((option) =>
          option.setName('date').setDescription('When: YYYY-MM-DD, today or yesterday (default today)').setMaxLength(10),
        )
        .addNumberOption((option) => starsOption(option, 'Rate it too (optional)')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('remove')
        .setDescription('Remove your latest diary entry for a film')
        .addStringOption((option) => movieOption(option, 'The film to remove')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('list')
        .setDescription('A diary, newest first')
        .addUserOption((option) => option.setName('member').setDescription('Whose diary (default: yours)'))
        .addIntegerOption((option) => option.setName('page').setDescription('Page number').setMinValue(1).setMaxValue(MAX_PAGE)),
    ),

  async execute(interaction, ctx) {
    const userId = interaction.user.id;
    switch (interaction.options.getSubcommand(true)) {
      case 'add': {
        // Date and stars are refused before anything is looked up or written.
        const entry = await ctx.services.diary.check({
          userId,
          date: interaction.options.getString('date'),
          stars: interaction.options.getNumber(STARS_OPTION_NAME),
        });
        const pickCustomId = customId.build(NAME, 'pick', 'add', entry.watchedOn, entry.stars ?? NO_STARS);
        const movie = await deferAndResolveMovie(interaction, ctx, { pickCustomId });
        if (movie) await addAndReply(interaction, ctx, movie, entry);
        return;
      }
      case 'remove': {
        const movie = await deferAndResolveMovie(interaction, ctx, { pickCustomId: customId.build(NAME, 'pick', 'remove') });
        if (movie) await removeAndReply(interaction, ctx, movie);
        return;
      }
      case 'list': {
        const owner = interaction.options.getUser('member') ?? interaction.user;
        const ownerInGuild = await guildMembership(interaction, ctx.log)(owner.id);
        const page = await ctx.services.diary.list({
          viewerId: userId,
          ownerId: owner.id,
          ownerInGuild,
          page: pageNumber(interaction.options.getInteger('page')),
        });
        await interaction.reply({ ...diaryMessage(page, userId), flags: MessageFlags.Ephemeral });
        return;
      }
      default:
        throw new UserFacingError('unknown-subcommand', 'That subcommand is no longer available.');
    }
  },

  autocomplete: answerMovieAutocomplete,

  async component(interaction, ctx) {
    const { action, args } = customId.parse(interaction.customId);
    const userId = interaction.user.id;
    if (action === 'page') {
      const [ownerId = '', page] = args;
      const ownerInGuild = await guildMembership(interaction, ctx.log)(ownerId);
      const diary = await ctx.services.diary.list({ viewerId: userId, ownerId, ownerInGuild, page: pageNumber(page) });
      await interaction.update(diaryMessage(diary, userId));
      return;
    }
    if (action === 'pick' && args[0] === 'add') {
      // The date was resolved when the command ran; it is checked again, as is everything in a customId.
      const [, date = '', starsArg = NO_STARS] = args;
      const entry = await ctx.services.diary.check({ userId, date, stars: starsArg === NO_STARS ? null : Number(starsArg) });
      await addAndReply(interaction, ctx, await pickedMovie(interaction, ctx), entry);
      return;
    }
    if (action === 'pick' && args[0] === 'remove') {
      await removeAndReply(interaction, ctx, await pickedMovie(interaction, ctx));
      return;
    }
    throw new UserFacingError('stale-component', 'That control is no longer available; run /watched again.');
  },
} satisfies Command;
