import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { customId, type Command, type CommandContext } from '../src/discord/command.js';
import { movieCard } from '../src/discord/embeds.js';
import {
  answerMovieAutocomplete,
  deferAndResolveMovie,
  movieOption,
  filmPick,
  type FilmInteraction,
} from '../src/discord/movie-option.js';
import type { CachedMovie } from '../src/tmdb/types.js';

const NAME = 'movie';

async function showCard(interaction: FilmInteraction, ctx: CommandContext, movie: CachedMovie): Promise<void> {
  const view = await ctx.services.movies.card({
    guildId: interaction.guildId,
    userId: interaction.user.id,
    movie,
  });
  await interaction.editReply({ content: '', embeds: [movieCard(view)], components: [] });
}

/** `/movie movie:<autocomplete>`: the film's card, public when the film was picked from the suggestions. */
export default {
  data: new SlashCommandBuilder()
    .setName(NAME)
    .setDescription("A film's card: synopsis, ratings here and on TMDB, where to stream it")
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) => movieOption(option, 'The film to show')),

  async execute(interaction, ctx) {
    const movie = await deferAndResolveMovie(interaction, ctx, {
      pickCustomId: customId.build(NAME, 'pick'),
      visibility: 'public-when-known',
    });
    if (movie) await showCard(interaction, ctx, movie);
  },

  autocomplete: answerMovieAutocomplete,

  components: {
    pick: filmPick({ parse: () => ({}), run: (interaction, movie, _args, ctx) => showCard(interaction, ctx, movie) }),
  },
} satisfies Command;
