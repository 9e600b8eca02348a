import { InteractionContextType, MessageFlags, SlashCommandBuilder, escapeMarkdown } from 'discord.js';
import { customId, type Command, type CommandContext } from '../src/discord/command.js';
import { movieCard } from '../src/discord/embeds.js';
import { movieLabel, plural } from '../src/format.js';
import {
  answerMovieAutocomplete,
  deferAndResolveMovie,
  movieOption,
  filmPick,
  type FilmInteraction,
} from '../src/discord/movie-option.js';
import { MAX_PAGE, pageButton, pageNumber, pagedListMessage } from '../src/discord/paging.js';
import { UserFacingError } from '../src/errors.js';
import type { WatchlistPage } from '../src/services/watchlist.js';
import type { CachedMovie } from '../src/tmdb/types.js';

const NAME = 'watchlist';

function watchlistMessage(page: WatchlistPage) {
  return pagedListMessage(NAME, page, {
    title: 'Your watchlist',
    heading:
      page.total === 0
        ? 'Your watchlist is empty: add a film with `/watchlist add`.'
        : `${plural(page.total, 'film')} to watch, latest first`,
    lines: page.lines.map((line) => escapeMarkdown(movieLabel(line))),
  });
}

async function addAndReply(interaction: FilmInteraction, ctx: CommandContext, movie: CachedMovie) {
  const userId = interaction.user.id;
  const { added } = await ctx.services.watchlist.add(userId, movie.tmdbId);
  const label = escapeMarkdown(movieLabel(movie));
  const view = await ctx.services.movies.card({
    guildId: interaction.guildId,
    userId,
    movie,
    providers: false,
  });
  await interaction.editReply({
    content: added ? `Added **${label}** to your watchlist.` : `**${label}** is already on your watchlist.`,
    embeds: [movieCard(view)],
    components: [],
  });
}

async function removeAndReply(interaction: FilmInteraction, ctx: CommandContext, movie: CachedMovie) {
  const label = escapeMarkdown(movieLabel(movie));
  if (!(await ctx.services.watchlist.remove(interaction.user.id, movie.tmdbId))) {
    throw new UserFacingError('watchlist-missing', `**${label}** is not on your watchlist.`);
  }
  await interaction.editReply({ content: `Removed **${label}** from your watchlist.`, embeds: [], components: [] });
}

/** `/watchlist add|remove|list`: the films the member means to watch. Replies are for the member alone. */
export default {
  data: new SlashCommandBuilder()
    .setName(NAME)
    .setDescription('The films you mean to watch')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName('add')
        .setDescription('Add a film to your watchlist')
        .addStringOption((option) => movieOption(option, 'The film to add')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('remove')
        .setDescription('Remove a film from your watchlist')
        .addStringOption((option) => movieOption(option, 'The film to remove')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('list')
        .setDescription('Your watchlist, latest first')
        .addIntegerOption((option) =>
          option.setName('page').setDescription('Page number').setMinValue(1).setMaxValue(MAX_PAGE),
        ),
    ),

  subcommands: {
    async add(interaction, ctx) {
      const movie = await deferAndResolveMovie(interaction, ctx, { pickCustomId: customId.build(NAME, 'pick', 'add') });
      if (movie) await addAndReply(interaction, ctx, movie);
    },
    async remove(interaction, ctx) {
      const movie = await deferAndResolveMovie(interaction, ctx, {
        pickCustomId: customId.build(NAME, 'pick', 'remove'),
      });
      if (movie) await removeAndReply(interaction, ctx, movie);
    },
    async list(interaction, ctx) {
      const page = await ctx.services.watchlist.list(
        interaction.user.id,
        pageNumber(interaction.options.getInteger('page')),
      );
      await interaction.reply({ ...watchlistMessage(page), flags: MessageFlags.Ephemeral });
    },
  },

  autocomplete: answerMovieAutocomplete,

  components: {
    // A watchlist is shown to its owner only.
    page: pageButton({
      ownerOnly: true,
      run: async (interaction, { ownerId, page }, ctx) => {
        await interaction.update(watchlistMessage(await ctx.services.watchlist.list(ownerId, page)));
      },
    }),
    pick: filmPick({
      parse: ([what]) => (what === 'add' || what === 'remove' ? what : null),
      run: (interaction, movie, what, ctx) =>
        what === 'add' ? addAndReply(interaction, ctx, movie) : removeAndReply(interaction, ctx, movie),
    }),
  },
} satisfies Command;
