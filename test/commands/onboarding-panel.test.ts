import { describe, expect, it } from 'vitest';
import { ComponentType, type APIStringSelectComponent } from 'discord-api-types/v10';
import {
  MAX_PANEL_FILMS,
  decodePanelState,
  encodePanelState,
  panelMessage,
  type PanelState,
} from '../../commands/onboarding-panel.js';
import { COMPONENT_LIMITS } from '../../src/discord/limits.js';
import { customId } from '../../src/discord/command.js';
import { movieSummary } from '../support/builders.js';

const now = new Date('2026-03-10T12:00:00Z');
const state: PanelState = {
  ownerId: '830000000000001101',
  films: [
    { movieId: 238, unseen: false },
    { movieId: 1_234_567, unseen: true },
  ],
  next: 12,
  more: true,
  ratedBefore: 3,
  criteria: { count: 5, genreId: 35, fromYear: 1990, toYear: 1999, maxRuntime: 110 },
};
const cached = (tmdbId: number) => ({
  ...movieSummary(tmdbId),
  runtime: null,
  imdbId: null,
  fetchedAt: now,
  detailsFetchedAt: null,
});

describe('the onboarding panel’s state in customIds', () => {
  it('comes back as it went in, with and without filters', () => {
    expect(decodePanelState(encodePanelState(state), now)).toEqual(state);
    const plain: PanelState = { ...state, films: [], more: false, ratedBefore: 0, criteria: { count: 3 } };
    expect(decodePanelState(encodePanelState(plain), now)).toEqual(plain);
  });

  it('fits Discord’s 100 characters at its longest: the largest ids, four films not seen, every filter', () => {
    const longest: PanelState = {
      ownerId: String(2n ** 64n - 1n),
      films: Array.from({ length: MAX_PANEL_FILMS }, () => ({ movieId: 2_147_483_647, unseen: true })),
      next: 9_999,
      more: true,
      ratedBefore: 99,
      criteria: { count: 5, genreId: 10_752, fromYear: 1874, toYear: 2031, maxRuntime: 600 },
    };
    const id = customId.build('start', 'rate', 3, ...encodePanelState(longest));
    expect(id.length).toBeLessThanOrEqual(COMPONENT_LIMITS.customId);
    expect(decodePanelState(customId.parse(id).args.slice(1), now)).toEqual(longest);
  });

  it.each([
    ['too few parts', ['abc']],
    ['an owner that is no snowflake', ['zz', '1', '1', '0', '', 'c3']],
    ['a film id that is no base-36 number', [...encodePanelState(state).slice(0, 4), 'x!y', 'c3']],
    ['five films', [...encodePanelState(state).slice(0, 4), '1.2.3.4.5', 'c3']],
    ['a genre TMDB does not use', [...encodePanelState(state).slice(0, 5), 'c3g1']],
    ['years the wrong way round', [...encodePanelState(state).slice(0, 5), 'c3f2000t1990']],
    ['six picks', [...encodePanelState(state).slice(0, 5), 'c6']],
  ])('refuses a crafted or stale state: %s', (_why, args) => {
    expect(decodePanelState(args, now)).toBeNull();
  });
});

describe('panelMessage', () => {
  it('fits Discord’s 5 rows: a select per film and one row of Next, Skip and Done', () => {
    const full: PanelState = {
      ...state,
      films: [1, 2, 3, 4].map((movieId) => ({ movieId, unseen: movieId === 2 })),
    };
    const films = [1, 2, 3, 4].map((id) => ({ movie: cached(id), rating: id === 1 ? 4.5 : null }));

    const message = panelMessage(full, films, 5);
    const rows = message.components.map((row) => row.toJSON());

    expect(rows).toHaveLength(COMPONENT_LIMITS.rows);
    const selects = rows.slice(0, 4).map((row) => row.components[0] as APIStringSelectComponent);
    expect(selects.every((select) => select.type === ComponentType.StringSelect)).toBe(true);
    // 3 on earlier pages and film 1 here. A rated film keeps its stars (no "Haven't seen it"); one marked not seen shows it chosen.
    expect(selects[0]?.options.find((option) => option.default)?.value).toBe('4.5');
    expect(selects[0]?.options.some((option) => option.value === 'unseen')).toBe(false);
    expect(selects[1]?.options.find((option) => option.default)?.value).toBe('unseen');
    expect(rows[4]?.components.map((button) => ('label' in button ? button.label : ''))).toEqual([
      'Next films',
      'Skip',
      'Done',
    ]);
    expect(message.content).toContain('4 of 5 rated');
    expect(message.embeds[0]?.toJSON().description).toBe(
      [
        '**1.** Film 1 (2001) · ★★★★½ (4.5)',
        "**2.** Film 2 (2001) · haven't seen it",
        '**3.** Film 3 (2001)',
        '**4.** Film 4 (2001)',
      ].join('\n'),
    );
  });
});
