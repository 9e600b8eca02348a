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
const PRIVATE_OPTION = 'private';
/** Who sees the card, carried by the "which one?" select: `movie:pick:public` or `movie:pick:private`. */
const AUDIENCES = ['public', 'private'] as const;
type Audience = (typeof AUDIENCES)[number];

async function cardMessage(interaction: FilmInteraction, ctx: CommandContext, movie: CachedMovie) {
  const view = await ctx.services.movies.card({ guildId: interaction.guildId, userId: interaction.user.id, movie });
  return { content: '', embeds: [movieCard(view)], components: [] };
}

/**
 * The film chosen in the member's own "which one?" menu: a public card goes to the channel and the menu goes
 * away; a private card takes the menu's place.
 */
async function showChosen(
  interaction: FilmInteraction,
  ctx: CommandContext,
  movie: CachedMovie,
  audience: Audience,
): Promise<void> {
  const message = await cardMessage(interaction, ctx, movie);
  if (audience === 'private') {
    await interaction.editReply(message);
    return;
  }
  await interaction.followUp(message);
  await interaction.deleteReply().catch((error: unknown) => {
    ctx.log.warn({ err: error }, 'could not remove the film menu after showing the card');
  });
}

/**
 * `/movie movie:<autocomplete> [private]`: the film's card, for everyone in the channel unless `private`, the same
 * whether the film was picked from the suggestions or typed.
 */
export default {
  data: new SlashCommandBuilder()
    .setName(NAME)
    .setDescription("A film's card: synopsis, ratings here and on TMDB, where to stream it")
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) => movieOption(option, 'The film to show'))
    .addBooleanOption((option) =>
      option.setName(PRIVATE_OPTION).setDescription('Show the card to you alone (default: everyone in the channel)'),
    ),

  async execute(interaction, ctx) {
    const audience: Audience = interaction.options.getBoolean(PRIVATE_OPTION) === true ? 'private' : 'public';
    const movie = await deferAndResolveMovie(interaction, ctx, {
      pickCustomId: customId.build(NAME, 'pick', audience),
      visibility: audience === 'public' ? 'public' : 'ephemeral',
    });
    if (movie) await interaction.editReply(await cardMessage(interaction, ctx, movie));
  },

  autocomplete: answerMovieAutocomplete,

  components: {
    pick: filmPick({
      // A menu from before the option existed (`movie:pick`) was for typed text, which was private then.
      parse: ([audience = 'private']) => AUDIENCES.find((known) => known === audience) ?? null,
      run: (interaction, movie, audience, ctx) => showChosen(interaction, ctx, movie, audience),
    }),
  },
} satisfies Command;
