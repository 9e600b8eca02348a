import { InteractionContextType, SlashCommandBuilder, escapeMarkdown } from 'discord.js';
import { customId, type Command, type CommandContext } from '../src/discord/command.js';
import { movieCard } from '../src/discord/embeds.js';
import { isStarValue, movieLabel, stars, type StarValue } from '../src/format.js';
import {
  answerMovieAutocomplete,
  deferAndResolveMovie,
  movieOption,
  filmPick,
  starsOption,
  STARS_OPTION_NAME,
  type FilmInteraction,
} from '../src/discord/movie-option.js';
import type { RateOutcome } from '../src/services/ratings.js';
import type { CachedMovie } from '../src/tmdb/types.js';

const NAME = 'rate';

/** "You rated **Heat (1995)** ★★★★½ (4.5). …": what a rating did, for the member alone. */
export function rateSummary(movie: CachedMovie, { stars: score, previous, loggedOn }: RateOutcome): string {
  const parts = [`You rated **${escapeMarkdown(movieLabel(movie))}** ${stars(score)} (${score}).`];
  if (previous !== null && previous !== score) parts.push(`It was ${stars(previous)} (${previous}) before.`);
  if (loggedOn) parts.push(`Logged as watched on ${loggedOn}.`);
  return parts.join(' ');
}

async function rateAndReply(
  interaction: FilmInteraction,
  ctx: CommandContext,
  movie: CachedMovie,
  score: StarValue,
): Promise<void> {
  const outcome = await ctx.services.ratings.rate({
    userId: interaction.user.id,
    movieId: movie.tmdbId,
    stars: score,
  });
  ctx.log.info({ movieId: movie.tmdbId, stars: score, replaced: outcome.previous !== null }, 'rated');
  const view = await ctx.services.movies.card({
    guildId: interaction.guildId,
    userId: interaction.user.id,
    movie,
  });
  await interaction.editReply({ content: rateSummary(movie, outcome), embeds: [movieCard(view)], components: [] });
}

/**
 * `/rate movie stars`: saves or replaces the rating and logs the film as watched the first time. The
 * reply is for the member alone: a rating is theirs to share (GUIDE §9).
 */
export default {
  data: new SlashCommandBuilder()
    .setName(NAME)
    .setDescription('Rate a film from ½ to 5 stars (also logs it as watched the first time)')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) => movieOption(option, 'The film to rate'))
    .addNumberOption((option) => starsOption(option).setRequired(true)),

  async execute(interaction, ctx) {
    // Checked before anything else: a crafted payload can send a value that is not one of the choices.
    const score = ctx.services.ratings.checkStars(interaction.options.getNumber(STARS_OPTION_NAME, true));
    const movie = await deferAndResolveMovie(interaction, ctx, { pickCustomId: customId.build(NAME, 'pick', score) });
    if (movie) await rateAndReply(interaction, ctx, movie, score);
  },

  autocomplete: answerMovieAutocomplete,

  components: {
    pick: filmPick({
      parse([score]) {
        const value = Number(score);
        return isStarValue(value) ? value : null;
      },
      run: (interaction, movie, score, ctx) => rateAndReply(interaction, ctx, movie, score),
    }),
  },
} satisfies Command;
