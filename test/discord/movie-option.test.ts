import {
  ComponentType,
  MessageFlags,
  SlashCommandBuilder,
  type APIActionRowComponent,
  type APIStringSelectComponent,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import {
  answerMovieAutocomplete,
  deferAndResolveMovie,
  movieChoicesMessage,
  movieOption,
  starsOption,
} from '../../src/discord/movie-option.js';
import type { MovieResolution } from '../../src/services/movies.js';
import type { CachedMovie } from '../../src/tmdb/types.js';
import { movieDetails, movieSummary } from '../support/builders.js';

const cached = (id: number): CachedMovie => ({
  ...movieDetails(id),
  fetchedAt: new Date(0),
  detailsFetchedAt: new Date(0),
});

const log = createLogger({ level: 'silent' });

/** A chat command interaction that records how it was answered. */
function fakeCommand(movieValue: string) {
  const calls: { deferred?: unknown; edits: unknown[]; deleted?: boolean; followUps: unknown[] } = {
    edits: [],
    followUps: [],
  };
  const interaction = {
    user: { id: '100000000000000010' },
    options: { getString: (name: string) => (name === 'movie' ? movieValue : null) },
    deferReply: async (options: unknown) => {
      calls.deferred = options;
    },
    editReply: async (payload: unknown) => {
      calls.edits.push(payload);
    },
    deleteReply: async () => {
      calls.deleted = true;
    },
    followUp: async (payload: unknown) => {
      calls.followUps.push(payload);
    },
  } as unknown as ChatInputCommandInteraction<'cached'>;
  return { interaction, calls };
}

describe('film options', () => {
  it('makes the film option required, autocompleted and at most 100 characters', () => {
    const json = new SlashCommandBuilder().setName('rate').setDescription('Rate').addStringOption(movieOption).toJSON();

    expect(json.options?.[0]).toMatchObject({ name: 'movie', required: true, autocomplete: true, max_length: 100 });
  });

  it('offers exactly the ten half-star ratings, shown as stars', () => {
    const json = new SlashCommandBuilder()
      .setName('rate')
      .setDescription('Rate')
      .addNumberOption((option) => starsOption(option).setRequired(true))
      .toJSON();

    const choices = (json.options?.[0] as { choices?: { name: string; value: number }[] }).choices ?? [];
    expect(choices.map((choice) => choice.value)).toEqual([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
    expect(choices.find((choice) => choice.value === 3.5)?.name).toBe('★★★½');
    expect(choices.find((choice) => choice.value === 0.5)?.name).toBe('½');
  });
});

describe('movieChoicesMessage', () => {
  it('offers at most 25 candidates labelled "Title (Year)" within Discord’s limits', () => {
    const candidates = Array.from({ length: 30 }, (_, i) =>
      movieSummary(i + 1, { title: `${'Long title '.repeat(12)}${i}`, overview: 'x'.repeat(300) }),
    );

    const message = movieChoicesMessage('long', candidates, 'rate:pick:4.5');

    const row = (message.components?.[0] as { toJSON(): APIActionRowComponent<APIStringSelectComponent> }).toJSON();
    const menu = row.components[0];
    expect(menu?.type).toBe(ComponentType.StringSelect);
    expect(menu?.custom_id).toBe('rate:pick:4.5');
    expect(menu?.options).toHaveLength(25);
    for (const option of menu?.options ?? []) {
      expect(option.label.length).toBeLessThanOrEqual(100);
      expect(option.label).toMatch(/\(2001\)$/);
      expect(option.description?.length).toBeLessThanOrEqual(100);
    }
    expect(menu?.options[0]?.value).toBe('1');
  });
});

describe('answerMovieAutocomplete', () => {
  it('answers the film option with the movie service’s choices for this member', async () => {
    const asked: string[] = [];
    let answered: unknown;
    const interaction = {
      user: { id: '100000000000000010' },
      options: { getFocused: () => ({ name: 'movie', value: 'heat' }) },
      respond: async (choices: unknown) => {
        answered = choices;
      },
    } as unknown as AutocompleteInteraction<'cached'>;
    const ctx = {
      log,
      services: {
        movies: {
          autocomplete: async (userId: string, query: string) => {
            asked.push(`${userId}:${query}`);
            return [{ name: 'Heat (1995)', value: '949' }];
          },
        },
      },
    };

    await answerMovieAutocomplete(interaction, ctx);

    expect(asked).toEqual(['100000000000000010:heat']);
    expect(answered).toEqual([{ name: 'Heat (1995)', value: '949' }]);
  });
});

describe('deferAndResolveMovie', () => {
  const dunes: MovieResolution = {
    kind: 'choices',
    query: 'dune',
    candidates: [movieSummary(841), movieSummary(438_631)],
  };

  it.each(['550', 'Fight Club'])(
    'defers publicly when asked to, for a pick or typed text (%s), and returns the film',
    async (value) => {
      const { interaction, calls } = fakeCommand(value);
      const ctx = {
        log,
        services: {
          movies: { resolve: async (): Promise<MovieResolution> => ({ kind: 'movie', movie: cached(550) }) },
        },
      };

      const movie = await deferAndResolveMovie(interaction, ctx, {
        pickCustomId: 'movie:pick:public',
        visibility: 'public',
      });

      expect(movie?.tmdbId).toBe(550);
      expect(calls.deferred).toEqual({});
      expect(calls.edits).toEqual([]);
    },
  );

  it('defers ephemerally by default and shows a select menu when several films match', async () => {
    const { interaction, calls } = fakeCommand('dune');
    const ctx = { log, services: { movies: { resolve: async () => dunes } } };

    const movie = await deferAndResolveMovie(interaction, ctx, { pickCustomId: 'rate:pick:4' });

    expect(movie).toBeNull();
    expect(calls.deferred).toEqual({ flags: MessageFlags.Ephemeral });
    expect(calls.edits).toHaveLength(1);
    expect(calls.edits[0]).toMatchObject({ content: 'Several films match “dune”. Which one do you mean?' });
  });

  it('keeps the select menu private when a public answer needs a choice between several films', async () => {
    const { interaction, calls } = fakeCommand('1917');
    const ctx = { log, services: { movies: { resolve: async () => ({ ...dunes, query: '1917' }) } } };

    const movie = await deferAndResolveMovie(interaction, ctx, {
      pickCustomId: 'movie:pick:public',
      visibility: 'public',
    });

    expect(movie).toBeNull();
    expect(calls.deferred).toEqual({});
    expect(calls.deleted).toBe(true);
    expect(calls.edits).toEqual([]);
    expect(calls.followUps).toHaveLength(1);
    expect(calls.followUps[0]).toMatchObject({
      content: 'Several films match “1917”. Which one do you mean?',
      flags: MessageFlags.Ephemeral,
    });
  });
});
