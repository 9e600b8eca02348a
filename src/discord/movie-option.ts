import {
  ActionRowBuilder,
  MessageFlags,
  StringSelectMenuBuilder,
  StringSelectMenuOptionBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type SlashCommandNumberOption,
  type SlashCommandStringOption,
} from 'discord.js';
import type { Logger } from '../logger.js';
import type { MovieService } from '../services/movies.js';
import type { CachedMovie, MovieSummary } from '../tmdb/types.js';
import { component, type CommandContext, type ComponentHandler, type ComponentInteraction } from './command.js';
import { CHOICE_LIMITS } from './limits.js';
import { STAR_VALUES, movieLabel, parseTmdbId, stars, truncate } from '../format.js';

/** The name every film option uses, so one autocomplete handler serves them all. */
export const MOVIE_OPTION_NAME = 'movie';
/**
 * What the film option accepts: as long as a suggestion's label, so a picked suggestion always fits. The
 * movie service refuses longer text itself, since a crafted payload may send more.
 */
const MOVIE_QUERY_MAX_LENGTH = CHOICE_LIMITS.name;

/** What a film command finishes with: the slash command itself, or the select menu that picked the film. */
export type FilmInteraction = ChatInputCommandInteraction<'cached'> | ComponentInteraction;

/** Configures a required, autocompleted film option: `.addStringOption(movieOption)`. */
export function movieOption(
  option: SlashCommandStringOption,
  description = 'The film: pick one as you type',
): SlashCommandStringOption {
  return option
    .setName(MOVIE_OPTION_NAME)
    .setDescription(description)
    .setRequired(true)
    .setAutocomplete(true)
    .setMaxLength(MOVIE_QUERY_MAX_LENGTH);
}

export const STARS_OPTION_NAME = 'stars';

/**
 * The ten half-star ratings as choices shown `★★★½` (Discord shows only these, but a crafted payload
 * can send any number: services check it again). Required or not is the caller's call.
 */
export function starsOption(
  option: SlashCommandNumberOption,
  description = 'Your rating, from ½ to 5 stars',
): SlashCommandNumberOption {
  return option
    .setName(STARS_OPTION_NAME)
    .setDescription(description)
    .addChoices(...STAR_VALUES.map((value) => ({ name: stars(value), value })));
}

/** Answers autocomplete for the film option (any other focused option gets no choices). Never deferred: it must answer in time. */
export async function answerMovieAutocomplete(
  interaction: AutocompleteInteraction<'cached'>,
  ctx: { services: { movies: Pick<MovieService, 'autocomplete'> }; log: Logger },
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== MOVIE_OPTION_NAME) {
    await interaction.respond([]);
    return;
  }
  const choices = await ctx.services.movies.autocomplete(interaction.user.id, String(focused.value));
  await interaction.respond(choices);
}

/** The ephemeral "which one?" message: a select menu of the candidates, "Title (Year)", value the TMDB id. */
export function movieChoicesMessage(
  query: string,
  candidates: readonly MovieSummary[],
  pickCustomId: string,
): { content: string; embeds: []; components: ActionRowBuilder<StringSelectMenuBuilder>[] } {
  const menu = new StringSelectMenuBuilder()
    .setCustomId(pickCustomId)
    .setPlaceholder('Choose the film')
    .addOptions(
      candidates.slice(0, CHOICE_LIMITS.count).map((movie) => {
        const option = new StringSelectMenuOptionBuilder()
          .setLabel(movieLabel(movie, CHOICE_LIMITS.name))
          .setValue(String(movie.tmdbId));
        return movie.overview ? option.setDescription(truncate(movie.overview, CHOICE_LIMITS.description)) : option;
      }),
    );
  return {
    content: `Several films match “${truncate(query, MOVIE_QUERY_MAX_LENGTH)}”. Which one do you mean?`,
    embeds: [],
    components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
  };
}

export interface DeferAndResolveOptions {
  /** customId of the select menu shown when several films match (built with `customId.build(command, 'pick', …)`). */
  pickCustomId: string;
  /**
   * 'ephemeral' (default): the reply is only for the member. 'public': everyone sees the answer, however the film
   * was entered. A select menu to choose between several films, or a refusal, is still for the member alone: the
   * public "thinking…" reply is then deleted and the member alone is told (the command's `filmPick` then posts
   * the chosen film publicly).
   */
  visibility?: 'ephemeral' | 'public';
}

/**
 * Defers the reply, then turns the command's film option (an id or typed text) into a film. When several
 * films match, the reply becomes a select menu and the result is null: the command finishes in its
 * `filmPick` action. Refusals (unknown id, no match, too long) are UserFacingErrors.
 */
export async function deferAndResolveMovie(
  interaction: ChatInputCommandInteraction<'cached'>,
  ctx: { services: { movies: Pick<MovieService, 'resolve'> }; log: Logger },
  { pickCustomId, visibility = 'ephemeral' }: DeferAndResolveOptions,
): Promise<CachedMovie | null> {
  const value = interaction.options.getString(MOVIE_OPTION_NAME, true);
  const isPublic = visibility === 'public';
  await interaction.deferReply(isPublic ? {} : { flags: MessageFlags.Ephemeral });
  const resolution = await ctx.services.movies.resolve(value);
  if (resolution.kind === 'movie') return resolution.movie;
  const choices = movieChoicesMessage(resolution.query, resolution.candidates, pickCustomId);
  if (isPublic) {
    // A select menu is for the member who asked: Discord would turn a follow-up straight after the deferral into an edit.
    await interaction.deleteReply();
    await interaction.followUp({ ...choices, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.editReply(choices);
  }
  return null;
}

/**
 * The select menu's action of a film command: `deferAndResolveMovie` shows it when several films match, and
 * the command finishes here. `parse` reads the command's own arguments from the customId; the chosen film
 * (the select's value) is checked too, then the update is deferred and the film loaded before `run`.
 */
export function filmPick<Args>(action: {
  parse(args: readonly string[]): Args | null;
  run(interaction: ComponentInteraction, movie: CachedMovie, args: Args, ctx: CommandContext): Promise<void>;
}): ComponentHandler {
  return component({
    parse(args, interaction) {
      const movieId = interaction.isStringSelectMenu() ? parseTmdbId(interaction.values[0] ?? '') : null;
      const own = action.parse(args);
      return movieId === null || own === null ? null : { movieId, own };
    },
    async run(interaction, { movieId, own }, ctx) {
      await interaction.deferUpdate();
      await action.run(interaction, await ctx.services.movies.getMovie(movieId), own, ctx);
    },
  });
}
