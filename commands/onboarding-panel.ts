import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  StringSelectMenuBuilder,
  StringSelectMenuOptionBuilder,
  escapeMarkdown,
  type ChatInputCommandInteraction,
} from 'discord.js';
import {
  component,
  customId,
  type CommandContext,
  type ComponentHandler,
  type ComponentInteraction,
} from '../src/discord/command.js';
import { COMPONENT_LIMITS } from '../src/discord/limits.js';
import { STAR_VALUES, isStarValue, movieLabel, plural, stars } from '../src/format.js';
import { checkPickCriteria, type PickCriteria } from '../src/services/recommendations/criteria.js';
import type { PanelFilm } from '../src/services/onboarding.js';
import { TMDB_SHORT_CREDIT } from '../src/tmdb/attribution.js';

/** The panel's controls belong to `/start` (customIds `start:<action>:…`), wherever the panel was opened. */
export const PANEL_COMMAND = 'start';
/** One select per film and a row of buttons: Discord's 5 rows. */
export const MAX_PANEL_FILMS = COMPONENT_LIMITS.rows - 1;
/** The select option of a film the member has not seen. */
const UNSEEN = 'unseen';

export interface PanelFilmRef {
  movieId: number;
  /** The member chose "Haven't seen it". */
  unseen: boolean;
}

/** Everything the panel's controls carry, so a click needs nothing kept in memory (and works after a restart). */
export interface PanelState {
  ownerId: string;
  /** Films of this page, in the order shown. */
  films: PanelFilmRef[];
  /** Where the next page starts in the list of films to offer, and whether anything comes after. */
  next: number;
  more: boolean;
  /**
   * Ratings given on earlier pages of this panel. This page's are read from the database (a page offers only films
   * the member had not rated), so two quick choices cannot miscount.
   */
  ratedBefore: number;
  /** What the picks that follow are asked for (the `/recommend` options that opened it). */
  criteria: PickCriteria;
}

/**
 * The state as customId arguments: `<owner>:<next>:<more>:<ratedBefore>:<films>:<criteria>`. Snowflakes and TMDB ids are
 * written in base 36 so that four films, the owner and every filter always fit in Discord's 100 characters (the
 * longest is about 90): films as `1a2b.-3c4d` (a minus: not seen), criteria as `c3g35f1990t1999r110`.
 */
export function encodePanelState({ ownerId, films, next, more, ratedBefore, criteria }: PanelState): string[] {
  const { count, genreId, fromYear, toYear, maxRuntime } = criteria;
  const filters = [
    `c${count}`,
    genreId === undefined ? '' : `g${genreId}`,
    fromYear === undefined ? '' : `f${fromYear}`,
    toYear === undefined ? '' : `t${toYear}`,
    maxRuntime === undefined ? '' : `r${maxRuntime}`,
  ].join('');
  return [
    BigInt(ownerId).toString(36),
    String(next),
    more ? '1' : '0',
    String(ratedBefore),
    films.map(({ movieId, unseen }) => `${unseen ? '-' : ''}${movieId.toString(36)}`).join('.'),
    filters,
  ];
}

function fromBase36(text: string): bigint | null {
  if (!/^[0-9a-z]{1,13}$/.test(text)) return null;
  let value = 0n;
  for (const digit of text) value = value * 36n + BigInt(Number.parseInt(digit, 36));
  return value;
}

const CRITERIA = /^c(\d)(?:g(\d{1,5}))?(?:f(\d{4}))?(?:t(\d{4}))?(?:r(\d{2,3}))?$/;

/** The state back from customId arguments, or null when anything is off (a stale or crafted control). */
export function decodePanelState(args: readonly string[], now: Date): PanelState | null {
  const [owner = '', next = '', more = '', ratedBefore = '', films = '', filters = ''] = args;
  if (args.length !== 6) return null;
  const ownerId = fromBase36(owner);
  if (ownerId === null || ownerId < 10n ** 16n || ownerId >= 2n ** 64n) return null;
  if (!/^\d{1,4}$/.test(next) || !/^[01]$/.test(more) || !/^\d{1,2}$/.test(ratedBefore)) return null;
  const refs = films === '' ? [] : films.split('.');
  if (refs.length > MAX_PANEL_FILMS) return null;
  const parsedFilms: PanelFilmRef[] = [];
  for (const ref of refs) {
    const unseen = ref.startsWith('-');
    const id = fromBase36(unseen ? ref.slice(1) : ref);
    if (id === null || id < 1n || id > 2_147_483_647n) return null;
    parsedFilms.push({ movieId: Number(id), unseen });
  }
  const match = CRITERIA.exec(filters);
  if (!match) return null;
  const [, count, genreId, fromYear, toYear, maxRuntime] = match;
  const criteria: PickCriteria = { count: Number(count) };
  if (genreId) criteria.genreId = Number(genreId);
  if (fromYear) criteria.fromYear = Number(fromYear);
  if (toYear) criteria.toYear = Number(toYear);
  if (maxRuntime) criteria.maxRuntime = Number(maxRuntime);
  try {
    checkPickCriteria(criteria, now);
  } catch {
    return null;
  }
  return {
    ownerId: ownerId.toString(),
    films: parsedFilms,
    next: Number(next),
    more: more === '1',
    ratedBefore: Number(ratedBefore),
    criteria,
  };
}

/** "½ (0.5)" … "★★★★★ (5)", best first. */
const STAR_OPTIONS = [...STAR_VALUES].reverse().map((value) => ({ label: `${stars(value)} (${value})`, value }));

function filmSelect(state: PanelState, slot: number, film: PanelFilm | undefined, ref: PanelFilmRef) {
  // Within the placeholder's 150 characters with the number and ": your rating".
  const label = film ? movieLabel(film.movie, 130) : `TMDB film ${ref.movieId}`;
  const rating = film?.rating ?? null;
  const options = [
    // A rating stays a rating here (its stars can change); "Haven't seen it" is for films not rated.
    ...(rating === null
      ? [new StringSelectMenuOptionBuilder().setLabel("Haven't seen it").setValue(UNSEEN).setDefault(ref.unseen)]
      : []),
    ...STAR_OPTIONS.map(({ label: starLabel, value }) =>
      new StringSelectMenuOptionBuilder()
        .setLabel(starLabel)
        .setValue(String(value))
        .setDefault(rating === value),
    ),
  ];
  return new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(
    new StringSelectMenuBuilder()
      .setCustomId(customId.build(PANEL_COMMAND, 'rate', slot, ...encodePanelState(state)))
      .setPlaceholder(`${slot + 1}. ${label}: your rating`)
      .addOptions(options),
  );
}

function filmLine(index: number, ref: PanelFilmRef, film: PanelFilm | undefined): string {
  const label = film ? escapeMarkdown(movieLabel(film.movie)) : `TMDB film ${ref.movieId}`;
  const rating = film?.rating ?? null;
  const status = rating !== null ? ` · ${stars(rating)} (${rating})` : ref.unseen ? " · haven't seen it" : '';
  return `**${index + 1}.** ${label}${status}`;
}

/** Ratings given in this panel: on earlier pages, and on this one as the films now stand. */
function ratedSoFar(state: PanelState, films: readonly PanelFilm[]): number {
  const onPage = new Set(state.films.map((ref) => ref.movieId));
  return state.ratedBefore + films.filter((film) => film.rating !== null && onPage.has(film.movie.tmdbId)).length;
}

/** The panel as the member sees it: the films of this page with their state, one select each, Next/Skip/Done. */
export function panelMessage(state: PanelState, films: readonly PanelFilm[], goal: number) {
  const byId = new Map(films.map((film) => [film.movie.tmdbId, film]));
  const shown = state.films.slice(0, MAX_PANEL_FILMS);
  const rated = ratedSoFar(state, films);
  const heading = `**Rate a few films to start** · ${rated} of ${goal} rated`;
  const guide =
    shown.length === 0
      ? 'That is every film I have to suggest for now: **Done** shows your picks, and `/rate` takes any other film you have seen.'
      : `Rate the films you have seen ("Haven't seen it" for the others): your picks then come from members who agree with you and from films like the ones you loved. They follow after ${plural(goal, 'rating')}, or when you press **Done**.`;
  const embed = new EmbedBuilder()
    .setTitle('Have you seen these?')
    .setDescription(
      shown.length === 0
        ? 'No more films to suggest.'
        : shown.map((ref, index) => filmLine(index, ref, byId.get(ref.movieId))).join('\n'),
    )
    .setFooter({ text: `This server's most-rated films, then TMDB's top rated · ${TMDB_SHORT_CREDIT}` });
  const args = encodePanelState(state);
  const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(customId.build(PANEL_COMMAND, 'next', ...args))
      .setLabel('Next films')
      .setStyle(ButtonStyle.Primary)
      .setDisabled(!state.more),
    new ButtonBuilder()
      .setCustomId(customId.build(PANEL_COMMAND, 'skip', ...args))
      .setLabel('Skip')
      .setStyle(ButtonStyle.Secondary),
    new ButtonBuilder()
      .setCustomId(customId.build(PANEL_COMMAND, 'done', ...args))
      .setLabel('Done')
      .setStyle(ButtonStyle.Success)
      .setDisabled(rated === 0),
  );
  return {
    content: `${heading}\n${guide}`,
    embeds: [embed],
    components: [...shown.map((ref, slot) => filmSelect(state, slot, byId.get(ref.movieId), ref)), buttons],
  };
}

/** The first page of films from `from`, as a state carrying what the panel had (`ratedBefore`, the picks asked for). */
async function loadPage(
  ctx: CommandContext,
  guildId: string,
  base: Pick<PanelState, 'ownerId' | 'ratedBefore' | 'criteria'>,
  from: number,
): Promise<{ state: PanelState; films: PanelFilm[] }> {
  const page = await ctx.services.onboarding.page({ guildId, userId: base.ownerId, from, size: MAX_PANEL_FILMS });
  return {
    state: {
      ...base,
      films: page.films.map((movie) => ({ movieId: movie.tmdbId, unseen: false })),
      next: page.next,
      more: page.more,
    },
    films: page.films.map((movie) => ({ movie, rating: null })),
  };
}

/** Shows the first page in the member's deferred private reply; false (nothing sent) when there is no film to offer. */
export async function openOnboardingPanel(
  interaction: ChatInputCommandInteraction<'cached'>,
  ctx: CommandContext,
  criteria: PickCriteria,
): Promise<boolean> {
  const base = { ownerId: interaction.user.id, ratedBefore: 0, criteria };
  const { state, films } = await loadPage(ctx, interaction.guildId, base, 0);
  if (films.length === 0) return false;
  await interaction.editReply(panelMessage(state, films, ctx.services.onboarding.goal));
  ctx.log.info({ movieIds: state.films.map((film) => film.movieId) }, 'onboarding panel opened');
  return true;
}

/** Sends the member's picks after the panel (the panel's own message already answered): `/recommend`'s cards. */
export type FollowWithPicks = (
  interaction: ComponentInteraction,
  ctx: CommandContext,
  request: { targetId: string; count: number; filters: Omit<PickCriteria, 'count'> },
  placement: { kind: 'follow-up'; status: string },
) => Promise<void>;

/** The page's films as they stand now: the member's ratings from the database. */
const filmsNow = (ctx: CommandContext, state: PanelState) =>
  ctx.services.onboarding.films(
    state.ownerId,
    state.films.map((film) => film.movieId),
  );

/** The panel edited in place to say what happens, then the picks in the channel. */
async function finish(
  interaction: ComponentInteraction,
  ctx: CommandContext,
  state: PanelState,
  rated: number,
  followWithPicks: FollowWithPicks,
): Promise<void> {
  const closed = { content: 'Finding your picks…', embeds: [], components: [] };
  if (interaction.deferred || interaction.replied) await interaction.editReply(closed);
  else await interaction.update(closed);
  const status =
    rated === 0
      ? 'No films rated this time: your picks are below. `/start` opens this panel again whenever you like.'
      : `Thanks: you rated ${plural(rated, 'film')}. Your picks are below; every film you rate (\`/rate\`, \`/start\`) makes them more yours.`;
  const { count, ...filters } = state.criteria;
  ctx.log.info({ rated }, 'onboarding panel finished');
  await followWithPicks(interaction, ctx, { targetId: state.ownerId, count, filters }, { kind: 'follow-up', status });
}

const button = (run: (interaction: ComponentInteraction, state: PanelState, ctx: CommandContext) => Promise<void>) =>
  component<PanelState>({
    parse: (args, interaction) => decodePanelState(args, interaction.createdAt),
    ownerId: (state) => state.ownerId,
    run,
  });

/**
 * The panel's controls, for `/start`'s `components`: a select per film (a rating, or "Haven't seen it"), Next
 * (the next page), Skip and Done (the picks follow; Done once something was rated). Each rating goes through the
 * rating service as `/rate`'s does; at `goal` ratings the picks follow by themselves. Only the member who opened
 * the panel may use it: the router answers anyone else.
 */
export function panelComponents(followWithPicks: FollowWithPicks): Record<string, ComponentHandler> {
  /** Skip and Done: the picks follow, whatever was rated. */
  const close = button(async (interaction, state, ctx) => {
    ctx.services.onboarding.dismiss(state.ownerId);
    const rated = ratedSoFar(state, await filmsNow(ctx, state));
    await finish(interaction, ctx, state, rated, followWithPicks);
  });
  return {
    rate: component<{ state: PanelState; slot: number; choice: number | typeof UNSEEN }>({
      parse([slot = '', ...args], interaction) {
        const state = decodePanelState(args, interaction.createdAt);
        const index = /^\d$/.test(slot) ? Number(slot) : -1;
        const value = interaction.isStringSelectMenu() ? interaction.values[0] : undefined;
        const choice = value === UNSEEN ? UNSEEN : isStarValue(Number(value)) ? Number(value) : null;
        if (!state || index < 0 || index >= state.films.length || choice === null) return null;
        return { state, slot: index, choice };
      },
      ownerId: ({ state }) => state.ownerId,
      async run(interaction, { state, slot, choice }, ctx) {
        await interaction.deferUpdate();
        const { onboarding } = ctx.services;
        if (choice !== UNSEEN) {
          await onboarding.rate({ userId: state.ownerId, movieId: state.films[slot]!.movieId, stars: choice });
        }
        const films = await filmsNow(ctx, state);
        // A film rated is no longer "not seen", whatever was chosen before.
        const ratedIds = new Set(films.filter((film) => film.rating !== null).map((film) => film.movie.tmdbId));
        const refs = state.films.map((ref, index) => ({
          ...ref,
          unseen: (index === slot ? choice === UNSEEN : ref.unseen) && !ratedIds.has(ref.movieId),
        }));
        const next = { ...state, films: refs };
        const rated = ratedSoFar(next, films);
        if (rated >= onboarding.goal) await finish(interaction, ctx, next, rated, followWithPicks);
        else await interaction.editReply(panelMessage(next, films, onboarding.goal));
      },
    }),

    next: button(async (interaction, state, ctx) => {
      await interaction.deferUpdate();
      const ratedBefore = ratedSoFar(state, await filmsNow(ctx, state));
      const { state: next, films } = await loadPage(ctx, interaction.guildId, { ...state, ratedBefore }, state.next);
      await interaction.editReply(panelMessage(next, films, ctx.services.onboarding.goal));
    }),

    skip: close,
    done: close,
  };
}
