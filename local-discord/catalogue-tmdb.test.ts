import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueFilm } from '../src/seed/catalogue.js';
import { createTmdbClient, type TmdbClient } from '../src/tmdb/client.js';
import { movieDetailsSchema, movieListSchema } from '../src/tmdb/schemas.js';
import {
  computeDemoFigures,
  genreOverlap,
  yearCloseness,
  type DemoRating,
  type FigureFilm,
} from './catalogue-figures.js';
import { catalogueTmdb, figureFilm, normaliseSearch, splitYear, startCatalogueTmdb } from './catalogue-tmdb.js';
import { tmdbDetails, tmdbPage, type LocalTmdb } from './tmdb.js';

const film = (
  tmdbId: number,
  title: string,
  year: number,
  genreIds: CatalogueFilm['genreIds'],
  runtime: number,
  imdbId: string,
  originalTitle = title,
): CatalogueFilm => ({ tmdbId, imdbId, title, originalTitle, year, genreIds, runtime });

const ALIEN = film(348, 'Alien', 1979, [27, 878], 117, 'tt0078748');
const ALIENS = film(679, 'Aliens', 1986, [28, 53, 878], 137, 'tt0090605');
const MATRIX = film(603, 'The Matrix', 1999, [28, 878], 136, 'tt0133093');
const TOY_STORY = film(862, 'Toy Story', 1995, [16, 12, 10751, 35], 81, 'tt0114709');
const BLADE_RUNNER_2049 = film(335_984, 'Blade Runner 2049', 2017, [878, 18], 164, 'tt1856101');
const AMELIE = film(194, 'Amélie', 2001, [35, 10749], 122, 'tt0211915', "Le Fabuleux Destin d'Amélie Poulain");
const FILMS = [ALIEN, ALIENS, MATRIX, TOY_STORY, BLADE_RUNNER_2049, AMELIE];

const rate = (userId: string, movieId: number, score: number, ratedAt?: Date): DemoRating => ({
  userId,
  movieId,
  score,
  ...(ratedAt ? { ratedAt } : {}),
});

describe('the demo figures, from a server’s ratings', () => {
  it('counts the ratings of each film and maps their mean stars onto TMDB’s 0-10 scale', () => {
    const figures = computeDemoFigures(FILMS.map(figureFilm), [
      rate('a', ALIEN.tmdbId, 4),
      rate('b', ALIEN.tmdbId, 5),
      rate('c', ALIEN.tmdbId, 3.5),
      rate('a', MATRIX.tmdbId, 2.5),
      // A film outside the catalogue counts nowhere.
      rate('a', 999_999, 5),
    ]);
    // (4 + 5 + 3.5) / 3 = 4.1667 stars → 8.333 of 10.
    expect(figures.films.get(ALIEN.tmdbId)).toEqual({
      voteCount: 3,
      voteAverage: 8.333,
      popularity: 3,
      recentDay: 0,
      recentWeek: 0,
    });
    expect(figures.films.get(MATRIX.tmdbId)).toMatchObject({ voteCount: 1, voteAverage: 5, popularity: 1 });
    // Nobody rated it: 0 votes and 0 average, as TMDB answers for such a film (cards then show no TMDB figure).
    expect(figures.films.get(AMELIE.tmdbId)).toMatchObject({ voteCount: 0, voteAverage: 0, popularity: 0 });
    expect(figures.films.has(999_999)).toBe(false);
  });

  it('counts ratings of the last day and week before the latest rating, for the trending lists', () => {
    const latest = new Date('2026-03-10T12:00:00Z');
    const daysBefore = (days: number) => new Date(latest.getTime() - days * 86_400_000);
    const figures = computeDemoFigures(FILMS.map(figureFilm), [
      rate('a', ALIEN.tmdbId, 4, latest),
      rate('b', ALIEN.tmdbId, 4, daysBefore(3)),
      rate('c', ALIEN.tmdbId, 4, daysBefore(30)),
      rate('a', MATRIX.tmdbId, 4),
    ]);
    expect(figures.films.get(ALIEN.tmdbId)).toMatchObject({ recentDay: 1, recentWeek: 2, voteCount: 3 });
    // Undated ratings count towards the votes, never as recent.
    expect(figures.films.get(MATRIX.tmdbId)).toMatchObject({ recentDay: 0, recentWeek: 0, voteCount: 1 });
  });

  it('measures genre overlap and year closeness as the formula says', () => {
    expect(genreOverlap([27, 878], [28, 53, 878])).toBeCloseTo(1 / 4);
    expect(genreOverlap([35], [28])).toBe(0);
    expect(yearCloseness(1979, 1979)).toBe(1);
    expect(yearCloseness(1979, 1989, 10)).toBe(0.5);
  });

  describe('related films', () => {
    // Film 1 and four films that each relate to it in one way.
    const films: FigureFilm[] = [
      { tmdbId: 1, genreIds: [27, 878], year: 1980 },
      // Same genres and year, liked by nobody who liked film 1.
      { tmdbId: 2, genreIds: [27, 878], year: 1980 },
      // Same genres, 40 years later.
      { tmdbId: 3, genreIds: [27, 878], year: 2020 },
      // No genre in common, but liked by the ten members who liked film 1.
      { tmdbId: 4, genreIds: [35], year: 2000 },
      // Nothing in common, and no shared liker.
      { tmdbId: 5, genreIds: [10402], year: 1980 },
    ];
    const members = Array.from({ length: 10 }, (_, k) => `m${k}`);
    const ratings = [
      ...members.flatMap((userId) => [rate(userId, 1, 4.5), rate(userId, 4, 5)]),
      // Rated low together: dislikes are no co-likes.
      rate('x', 1, 1),
      rate('x', 5, 1),
      rate('y', 2, 4),
    ];
    const figures = computeDemoFigures(films, ratings);

    it('puts films the same members liked first, then shared genres, closer years before farther ones', () => {
      // Film 4: 0.6 · (10/√(10·10)) · 10/(10+5) + 0 + 0.1 · 1/(1+20/10) = 0.4 + 0.0333 = 0.433.
      // Film 2: 0.3 · 1 + 0.1 · 1 = 0.4. Film 3: 0.3 + 0.1 · 1/(1+4) = 0.32. Film 5: shares nothing, left out.
      expect(figures.recommendations.get(1)).toEqual([4, 2, 3]);
    });

    it('lists in `similar` only films of shared genres, by genres then years', () => {
      expect(figures.similar.get(1)).toEqual([2, 3]);
      expect(figures.similar.get(4)).toEqual([]);
    });

    it('is symmetric in co-likes: film 4 relates back to film 1 first', () => {
      expect(figures.recommendations.get(4)?.[0]).toBe(1);
    });
  });
});

describe('the catalogue’s search, as the bot sends queries', () => {
  const catalogue = catalogueTmdb(FILMS, computeDemoFigures(FILMS.map(figureFilm), []));
  const titles = (query: string, year?: number) =>
    catalogue.search(query, year === undefined ? {} : { year }).map((found) => found.title);

  it('finds “alien 1979” and “Alien (1979)”: a trailing year narrows the title', () => {
    expect(titles('alien 1979')).toEqual(['Alien']);
    expect(titles('Alien (1979)')).toEqual(['Alien']);
    expect(titles('aliens 1986')).toEqual(['Aliens']);
  });

  it('puts the exact title first, then titles that start with it', () => {
    expect(titles('alien')).toEqual(['Alien', 'Aliens']);
    expect(titles('ALIEN', 1986)).toEqual(['Aliens']);
  });

  it('keeps a year that belongs to the title (“Blade Runner 2049”)', () => {
    expect(titles('blade runner 2049')).toEqual(['Blade Runner 2049']);
  });

  it('matches the original title, without accents or punctuation, and words in any position', () => {
    expect(titles('amelie')).toEqual(['Amélie']);
    expect(titles('fabuleux destin')).toEqual(['Amélie']);
    expect(titles('matrix')).toEqual(['The Matrix']);
    expect(titles('zzz')).toEqual([]);
  });

  it('normalises and splits text as documented', () => {
    expect(normaliseSearch("  Le Fabuleux Destin d'Amélie  ")).toBe('le fabuleux destin d amelie');
    expect(splitYear('alien 1979')).toEqual({ title: 'alien', year: 1979 });
    expect(splitYear('apollo 13')).toBeNull();
    expect(splitYear('1917')).toBeNull();
  });
});

describe('the catalogue’s local TMDB, read by the real TMDB client', () => {
  let tmdb: LocalTmdb;
  let client: TmdbClient;
  // Alien: three raters (8.333); Aliens and The Matrix co-liked with it by the same three; Toy Story by one.
  const ratings = ['a', 'b', 'c'].flatMap((userId, k) => [
    rate(userId, ALIEN.tmdbId, [4, 5, 3.5][k]!),
    rate(userId, ALIENS.tmdbId, 4.5),
    rate(userId, MATRIX.tmdbId, 4),
  ]);
  ratings.push(rate('d', TOY_STORY.tmdbId, 5));
  const figures = computeDemoFigures(FILMS.map(figureFilm), ratings);

  beforeAll(async () => {
    tmdb = await startCatalogueTmdb({ films: FILMS, figures });
    client = createTmdbClient({ baseUrl: tmdb.baseUrl, token: tmdb.token, maxRetries: 0 });
  });
  afterAll(() => tmdb.close());

  it('answers details with the catalogue’s facts and the server’s figures; what it does not know is empty', async () => {
    const details = await client.movieDetails(ALIEN.tmdbId, { append: ['external_ids', 'watch/providers', 'credits'] });
    expect(details).toMatchObject({
      tmdbId: 348,
      title: 'Alien',
      releaseDate: '1979-01-01',
      genreIds: [27, 878],
      runtime: 117,
      imdbId: 'tt0078748',
      voteAverage: 8.333,
      voteCount: 3,
      popularity: 3,
      posterPath: null,
      overview: null,
      externalIds: { imdbId: 'tt0078748' },
      credits: { cast: [], crew: [] },
      watchProviders: {},
    });
    const providers = await client.watchProviders(ALIEN.tmdbId, 'US');
    expect([providers.link, providers.flatrate, providers.rent]).toEqual([null, [], []]);
    await expect(client.movieDetails(1)).rejects.toMatchObject({ kind: 'not-found', statusCode: 34 });
  });

  it('searches as the bot does, with a year filter too', async () => {
    expect((await client.searchMovies('alien 1979')).results.map((movie) => movie.tmdbId)).toEqual([348]);
    expect(
      (await client.searchMovies('alien', { primaryReleaseYear: 1986 })).results.map((movie) => movie.tmdbId),
    ).toEqual([679]);
    expect(await client.findByImdbId('tt0090605')).toMatchObject({ tmdbId: 679, title: 'Aliens' });
    expect(await client.findByImdbId('tt0000001')).toBeNull();
  });

  it('ranks the lists by the server’s figures', async () => {
    // Popular: by ratings (3, 3, 3, 1, then nobody's, by id).
    expect((await client.popular()).results.map((movie) => movie.tmdbId)).toEqual([348, 603, 679, 862, 194, 335984]);
    // Top rated: only films with 3 votes or more, by average: Aliens 9.0, Alien 8.333, The Matrix 8.0.
    expect((await client.topRated()).results.map((movie) => movie.tmdbId)).toEqual([679, 348, 603]);
    expect((await client.trending('week')).totalResults).toBe(FILMS.length);
  });

  it('answers a film’s recommendations with co-liked films first, and similar with shared genres', async () => {
    const recommended = (await client.recommendations(ALIEN.tmdbId)).results.map((movie) => movie.tmdbId);
    expect(recommended.slice(0, 2).sort()).toEqual([603, 679]);
    expect(recommended).not.toContain(ALIEN.tmdbId);
    // Toy Story and Amélie share no genre with Alien and no liker.
    expect(recommended).not.toContain(TOY_STORY.tmdbId);
    expect(recommended).not.toContain(AMELIE.tmdbId);
    const similar = (await client.similar(ALIEN.tmdbId)).results.map((movie) => movie.tmdbId);
    expect(similar).toEqual(expect.arrayContaining([679, 603, 335984]));
    expect(similar).toHaveLength(3);
  });

  it('builds shapes the project’s schemas accept directly too', () => {
    const [served] = catalogueTmdb(FILMS, figures).films;
    expect(movieDetailsSchema.parse(tmdbDetails(served!, ['keywords']))).toMatchObject({ keywords: [] });
    const page = movieListSchema.parse(tmdbPage(catalogueTmdb(FILMS, figures).films, 1, { media_type: 'movie' }));
    expect(page).toMatchObject({ page: 1, totalPages: 1, totalResults: 6 });
  });
});
