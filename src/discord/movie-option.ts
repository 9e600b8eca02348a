import {
  ActionRowBuilder,
  MessageFlags,
  StringSelectMenuBuilder,
  StringSelectMenuOptionBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type MessageComponentInteraction,
  type SlashCommandNumberOption,
  type SlashCommandStringOption,
} from 'discord.js';
import { UserFacingError } from '../errors.js';
import type { CachedMovie, MovieSummary } from '../tmdb/types.js';
import type { CommandContext } from './command.js';
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
export type FilmInteraction = ChatInputCommandInteraction<'cached'> | MessageComponentInteraction<'cached'>;

/** Configures a required, autocompleted film option: `.addStringOption(movieOption)`. */
export function movieOption(option: SlashCommandStringOption, description = 'The film: pick one as you type'): SlashCommandStringOption {
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
export function starsOption(option: SlashCommandNumberOption, description = 'Your rating, from ½ to 5 stars'): SlashCommandNumberOption {
  return option
    .setName(STARS_OPTION_NAME)
    .setDescription(description)
    .addChoices(...STAR_VALUES.map((value) => ({ name: stars(value), value })));
}

/** Answers autocomplete for the film option (any other focused option gets no choices). Never deferred: it must answer in time. */
export async function answerMovieAutocomplete(interaction: AutocompleteInteraction<'cached'>, ctx: CommandContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== MOVIE_OPTION_NAME) {
    await interaction.respond([]);
    return;
  }
  const choices = await ctx.services.movies.autocomplete(interaction.user.id, String(focused.value), ctx.log);
  await interaction.respond(choices);
}

/** The ephemeral "which one?" message: a select menu of the candidates, "Title (Year)", value the TMDB id. */
export function movieChoicesMessage(query: string, candidates: readonly MovieSummary[], pickCustomId: string): InteractionEditReplyOptions {
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
   * 'ephemeral' (default): the reply is only for the member. 'public-when-known': a film we store (an
   * autocomplete pick) gets a public reply; typed text stays ephemeral, since it may end in a select menu
   * or a refusal meant for the member alone. A stored film can still fail to resolve (TMDB down or the id
   * gone when its details are fetched): the router then deletes the public "thinking…" reply and tells
   * the member alone.
   */
  visibility?: 'ephemeral' | 'public-when-known';
}

/**
 * Defers the reply, then turns the command's film option (an id or typed text) into a film. When several
 * films match, the reply becomes a select menu and the result is null: the command finishes in its
 * component handler through `pickedMovie`. Refusals (unknown id, no match, too long) are UserFacingErrors.
 */
export async function deferAndResolveMovie(
  interaction: ChatInputCommandInteraction<'cached'>,
  ctx: CommandContext,
  { pickCustomId, visibility = 'ephemeral' }: DeferAndResolveOptions,
): Promise<CachedMovie | null> {
  const value = interaction.options.getString(MOVIE_OPTION_NAME, true);
  const isPublic = visibility === 'public-when-known' && (await ctx.services.movies.isStored(value));
  await interaction.deferReply(isPublic ? {} : { flags: MessageFlags.Ephemeral });
  const resolution = await ctx.services.movies.resolve(value, ctx.log);
  if (resolution.kind === 'movie') return resolution.movie;
  await interaction.editReply(movieChoicesMessage(resolution.query, resolution.candidates, pickCustomId));
  return null;
}

/**
 * The film chosen in a select menu from `deferAndResolveMovie`. Defers the update first, so the command
 * then answers with `interaction.editReply`, replacing the menu.
 */
export async function pickedMovie(interaction: MessageComponentInteraction<'cached'>, ctx: CommandContext): Promise<CachedMovie> {
  const id = interaction.isStringSelectMenu() ? parseTmdbId(interaction.values[0] ?? '') : null;
  if (id === null) throw new UserFacingError('bad-pick', 'That choice is not a film I know; run the command again.');
  await interaction.deferUpdate();
  return ctx.services.movies.getMovie(id);
}
