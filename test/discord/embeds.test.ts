import { describe, expect, it } from 'vitest';
import { embedLength, movieCard } from '../../src/discord/embeds.js';
import { EMBED_LIMITS } from '../../src/discord/limits.js';
import { TMDB_SHORT_CREDIT } from '../../src/tmdb/attribution.js';
import type { CachedMovie } from '../../src/tmdb/types.js';
import { movieDetails } from '../support/builders.js';

const at = new Date('2026-01-01T00:00:00Z');
const movie = (overrides: Partial<CachedMovie> = {}): CachedMovie => ({
  ...movieDetails(11, {
    title: 'Star Wars',
    releaseDate: '1977-05-25',
    genreIds: [12, 28],
    runtime: 121,
    posterPath: '/p.jpg',
  }),
  fetchedAt: at,
  detailsFetchedAt: at,
  ...overrides,
});
const field = (card: ReturnType<typeof movieCard>, name: string) =>
  card.data.fields?.find((f) => f.name === name)?.value;

describe('movieCard', () => {
  it('shows title with year, poster, runtime, genres, TMDB rating and the TMDB credit', () => {
    const card = movieCard({ movie: movie() });
    expect(card.data.title).toBe('Star Wars (1977)');
    expect(card.data.url).toBe('https://www.themoviedb.org/movie/11');
    expect(card.data.thumbnail?.url).toBe('https://image.tmdb.org/t/p/w342/p.jpg');
    expect(field(card, 'Runtime')).toBe('2 h 01 min');
    expect(field(card, 'Genres')).toBe('Adventure, Action');
    expect(field(card, 'TMDB')).toBe('7.0/10 (100 votes)');
    expect(card.data.footer?.text).toBe(TMDB_SHORT_CREDIT);
  });

  it('counts TMDB votes in words that fit the number', () => {
    expect(field(movieCard({ movie: movie({ voteAverage: 5, voteCount: 1 }) }), 'TMDB')).toBe('5.0/10 (1 vote)');
    expect(field(movieCard({ movie: movie({ voteAverage: 8.1, voteCount: 14_210 }) }), 'TMDB')).toBe(
      '8.1/10 (14,210 votes)',
    );
  });

  it('shows the server average only once at least 3 members rated the film', () => {
    expect(field(movieCard({ movie: movie(), guildStats: { count: 2, average: 4 } }), 'This server')).toBe(
      'Rated by 2 members',
    );
    expect(field(movieCard({ movie: movie(), guildStats: { count: 3, average: 4.5 } }), 'This server')).toBe(
      '★★★★½ 4.5 from 3 members',
    );
  });

  it('credits JustWatch whenever it shows where to stream', () => {
    const card = movieCard({
      movie: movie(),
      providers: {
        tmdbId: 11,
        region: 'US',
        link: 'https://www.themoviedb.org/movie/11/watch?locale=US',
        flatrate: [{ providerId: 337, name: 'Disney Plus', logoPath: null, displayPriority: 1 }],
        rent: [],
        buy: [],
        free: [],
        ads: [],
      },
    });
    expect(field(card, 'Where to watch (US)')).toContain('Stream: Disney Plus');
    expect(card.data.footer?.text).toContain('JustWatch');
  });

  it('shows the viewer’s own rating, diary and watchlist state', () => {
    const card = movieCard({ movie: movie(), own: { rating: 3.5, watchlisted: true, timesWatched: 2 } });
    expect(field(card, 'You')).toBe('★★★½ (3.5) · watched 2 times · on your watchlist');
  });

  it('gives the description only what is left of the 6000 characters when the other parts are long', () => {
    const card = movieCard({
      movie: movie({ title: 't'.repeat(1_000), overview: 'o'.repeat(10_000) }),
      headline: 'h'.repeat(5_000),
      footerNote: 'f'.repeat(2_000),
    });

    // Title 256 (cut); footer 2000 + ' · ' + 'Data: TMDB' = 2013; fields Runtime 7 + 10, Genres 6 + 17,
    // TMDB 4 + 18 = 62. That leaves 6000 - 256 - 2013 - 62 = 3669 for the description.
    expect(card.data.title).toHaveLength(256);
    expect(card.data.footer?.text).toHaveLength(2_013);
    expect(card.data.description).toHaveLength(3_669);
    expect(embedLength([card])).toBe(EMBED_LIMITS.totalPerMessage);
  });

  it('stays within Discord’s embed limits whatever TMDB sends', () => {
    const card = movieCard({
      movie: movie({ title: 't'.repeat(1_000), overview: 'o'.repeat(10_000) }),
      headline: 'h'.repeat(5_000),
    });
    expect(card.data.title?.length).toBeLessThanOrEqual(EMBED_LIMITS.title);
    expect(card.data.description?.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(embedLength([card])).toBeLessThanOrEqual(EMBED_LIMITS.totalPerMessage);
  });
});
