import { InteractionContextType, MessageFlags, SlashCommandBuilder, escapeMarkdown } from 'discord.js';
import { guildMembership } from '../src/discord/members.js';
import { customId, type Command, type CommandContext } from '../src/discord/command.js';
import { movieCard } from '../src/discord/embeds.js';
import { mention, movieLabel, plural, stars } from '../src/format.js';
import {
  answerMovieAutocomplete,
  deferAndResolveMovie,
  movieOption,
  filmPick,
  starsOption,
  STARS_OPTION_NAME,
  type FilmInteraction,
} from '../src/discord/movie-option.js';
import { MAX_PAGE, pageButton, pageNumber, pagedListMessage } from '../src/discord/paging.js';
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
      [escapeMarkdown(movieLabel(line)), line.watchedOn, line.stars === null ? null : stars(line.stars)]
        .filter(Boolean)
        .join(' — '),
    ),
  });
}

async function addAndReply(
  interaction: FilmInteraction,
  ctx: CommandContext,
  movie: CachedMovie,
  entry: CheckedDiaryEntry,
) {
  const userId = interaction.user.id;
  const outcome = await ctx.services.diary.add({
    userId,
    movieId: movie.tmdbId,
    date: entry.watchedOn,
    stars: entry.stars,
  });
  ctx.log.info({ movieId: movie.tmdbId, watchedOn: entry.watchedOn, stars: entry.stars }, 'logged a viewing');
  const text = [
    `Logged **${escapeMarkdown(movieLabel(movie))}** as watched on ${outcome.entry.watchedOn}`,
    outcome.stars === null ? '.' : ` and rated it ${stars(outcome.stars)} (${outcome.stars}).`,
    outcome.timesWatched > 1 ? ` That makes ${outcome.timesWatched} viewings in your diary.` : '',
  ].join('');
  const view = await ctx.services.movies.card({
    guildId: interaction.guildId,
    userId,
    movie,
    providers: false,
  });
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
          option
            .setName('date')
            .setDescription('When: YYYY-MM-DD, today or yesterday (default today)')
            .setMaxLength(10),
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
        .addIntegerOption((option) =>
          option.setName('page').setDescription('Page number').setMinValue(1).setMaxValue(MAX_PAGE),
        ),
    ),

  subcommands: {
    async add(interaction, ctx) {
      // Date and stars are refused before anything is looked up or written.
      const entry = await ctx.services.diary.check({
        userId: interaction.user.id,
        date: interaction.options.getString('date'),
        stars: interaction.options.getNumber(STARS_OPTION_NAME),
      });
      const pickCustomId = customId.build(NAME, 'pick', 'add', entry.watchedOn, entry.stars ?? NO_STARS);
      const movie = await deferAndResolveMovie(interaction, ctx, { pickCustomId });
      if (movie) await addAndReply(interaction, ctx, movie, entry);
    },
    async remove(interaction, ctx) {
      const movie = await deferAndResolveMovie(interaction, ctx, {
        pickCustomId: customId.build(NAME, 'pick', 'remove'),
      });
      if (movie) await removeAndReply(interaction, ctx, movie);
    },
    async list(interaction, ctx) {
      const owner = interaction.options.getUser('member') ?? interaction.user;
      const page = await ctx.services.diary.list({
        viewerId: interaction.user.id,
        ownerId: owner.id,
        ownerInGuild: await guildMembership(interaction, ctx.log)(owner.id),
        page: pageNumber(interaction.options.getInteger('page')),
      });
      await interaction.reply({ ...diaryMessage(page, interaction.user.id), flags: MessageFlags.Ephemeral });
    },
  },

  autocomplete: answerMovieAutocomplete,

  components: {
    // Anyone the diary may be shown to may page through it: visibility is checked again on every page.
    page: pageButton({
      ownerOnly: false,
      async run(interaction, { ownerId, page }, ctx) {
        const viewerId = interaction.user.id;
        const ownerInGuild = await guildMembership(interaction, ctx.log)(ownerId);
        const diary = await ctx.services.diary.list({ viewerId, ownerId, ownerInGuild, page });
        await interaction.update(diaryMessage(diary, viewerId));
      },
    }),
    pick: filmPick({
      parse([what, date = '', starsArg = NO_STARS]) {
        if (what === 'remove') return { what } as const;
        return what === 'add'
          ? ({ what, date, stars: starsArg === NO_STARS ? null : Number(starsArg) } as const)
          : null;
      },
      async run(interaction, movie, pick, ctx) {
        if (pick.what === 'remove') return removeAndReply(interaction, ctx, movie);
        // The date was resolved when the command ran; it is checked again, as is everything in a customId.
        const entry = await ctx.services.diary.check({
          userId: interaction.user.id,
          date: pick.date,
          stars: pick.stars,
        });
        return addAndReply(interaction, ctx, movie, entry);
      },
    }),
  },
} satisfies Command;
