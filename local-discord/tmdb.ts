/**
 * A local TMDB on `node:http` for the load benchmark, the demo and end-to-end tests that want real HTTP: the
 * endpoints Marquee calls, answering in the shapes of TMDB's own examples (`reference/tmdb/examples`, copied
 * into test/fixtures/tmdb). `startFakeTmdb` serves a small generated catalogue; `startLocalTmdb` serves any
 * `LocalTmdbCatalogue` (the demo's is built from data/catalogue.json in ./catalogue-tmdb.ts).
 *
 * ```ts
 * const tmdb = await startFakeTmdb({ films: fakeFilms(50) });
 * // TMDB_API_BASE=tmdb.baseUrl, TMDB_TOKEN=tmdb.token
 * tmdb.setMode('key-rejected'); // every request now gets TMDB's 401 (status_code 7)
 * await tmdb.close();
 * ```
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as wait } from 'node:timers/promises';
import { MOVIE_GENRES, genreName } from '../src/tmdb/genres.js';

/** A film as a local TMDB serves it, in TMDB's terms. */
export interface TmdbFilm {
  id: number;
  title: string;
  originalTitle: string;
  /** ISO 639-1; left out of answers when unknown. */
  originalLanguage: string | null;
  /** `YYYY-MM-DD`, or `""` as TMDB sends for an unknown date. */
  releaseDate: string;
  genreIds: readonly number[];
  popularity: number;
  /** TMDB's 0-10 scale; 0 with `voteCount` 0 for a film nobody rated. */
  voteAverage: number;
  voteCount: number;
  runtime: number | null;
  /** `""` when unknown, as TMDB sends. */
  overview: string;
  imdbId: string | null;
}

/** Where a film can be watched, by region, as `movie/{id}/watch/providers` gives it (`results`). */
export type TmdbProviders = Record<string, unknown>;

/** What a local TMDB serves: its films, and how it answers searches, lists and related films. */
export interface LocalTmdbCatalogue {
  readonly films: readonly TmdbFilm[];
  /** `search/movie`: best match first. `year` is TMDB's `year` or `primary_release_year` filter. */
  search(query: string, filters: { year?: number }): readonly TmdbFilm[];
  /** `movie/popular`, `movie/top_rated`, `trending/movie/{day|week}`, in order. */
  list(name: TmdbListName): readonly TmdbFilm[];
  /** `movie/{id}/recommendations` or `movie/{id}/similar`, best first. */
  related(film: TmdbFilm, kind: 'recommendations' | 'similar'): readonly TmdbFilm[];
  providers(film: TmdbFilm): TmdbProviders;
}

export type TmdbListName = 'popular' | 'top_rated' | 'trending/day' | 'trending/week';

/** 'up' answers; 'down' answers TMDB's 503; 'key-rejected' answers TMDB's 401 to every request. */
export type FakeTmdbMode = 'up' | 'down' | 'key-rejected';

export interface LocalTmdbOptions {
  /** The API Read Access Token (Bearer) or API key (`api_key=`) it accepts. */
  token?: string;
  /** Added before every answer, as a real network would. */
  latencyMs?: number;
  mode?: FakeTmdbMode;
}

export interface FakeTmdbOptions extends LocalTmdbOptions {
  films?: readonly FakeFilm[];
}

export interface FakeTmdbRequest {
  path: string;
  status: number;
}

export interface LocalTmdb {
  /** Includes `/3`, as `TMDB_API_BASE`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly requests: readonly FakeTmdbRequest[];
  setMode(mode: FakeTmdbMode): void;
  close(): Promise<void>;
}

export interface FakeTmdb extends LocalTmdb {
  readonly films: readonly FakeFilm[];
}

const DEFAULTS = {
  token: 'fake-tmdb-token.for-local-use-only',
  latencyMs: 0,
  mode: 'up',
} as const satisfies Required<LocalTmdbOptions>;

/** TMDB's genre ids in the order `genre/movie/list` gives them (names from src/tmdb/genres.ts). */
const GENRE_IDS = [
  28, 12, 16, 35, 80, 99, 18, 10751, 14, 36, 27, 10402, 9648, 10749, 878, 10770, 53, 10752, 37,
] as const satisfies readonly (keyof typeof MOVIE_GENRES)[];

/** TMDB's page size for lists and searches. */
export const TMDB_PAGE_SIZE = 20;

/** A `results[]` entry of TMDB's list endpoints (`movie-popular-list.json`). */
export function tmdbListItem(film: TmdbFilm) {
  return {
    adult: false,
    backdrop_path: null,
    genre_ids: [...film.genreIds],
    id: film.id,
    ...(film.originalLanguage === null ? {} : { original_language: film.originalLanguage }),
    original_title: film.originalTitle,
    overview: film.overview,
    popularity: film.popularity,
    poster_path: null,
    release_date: film.releaseDate,
    title: film.title,
    video: false,
    vote_average: film.voteAverage,
    vote_count: film.voteCount,
  };
}

/** `movie/{id}/external_ids` (`movie-external-ids.json`): only the IMDb id is known. */
export function tmdbExternalIds(film: TmdbFilm) {
  return {
    id: film.id,
    imdb_id: film.imdbId,
    wikidata_id: null,
    facebook_id: null,
    instagram_id: null,
    twitter_id: null,
  };
}

/** `movie/{id}/watch/providers` (`movie-watch-providers.json`). */
export function tmdbWatchProviders(film: TmdbFilm, results: TmdbProviders) {
  return { id: film.id, results };
}

/**
 * `movie/{id}` (`movie-details.json`), with the `append_to_response` parts asked for. What a local catalogue does
 * not know is left as TMDB leaves it (empty lists, `""`, 0), never made up.
 */
export function tmdbDetails(film: TmdbFilm, append: readonly string[] = [], providers: TmdbProviders = {}) {
  const parts: Record<string, unknown> = {};
  for (const part of append) {
    if (part === 'credits') parts.credits = { id: film.id, cast: [], crew: [] };
    else if (part === 'keywords') parts.keywords = { id: film.id, keywords: [] };
    else if (part === 'external_ids') parts.external_ids = tmdbExternalIds(film);
    else if (part === 'watch/providers') parts['watch/providers'] = { results: providers };
  }
  return {
    adult: false,
    backdrop_path: null,
    belongs_to_collection: null,
    budget: 0,
    genres: film.genreIds.map((id) => ({ id, name: genreName(id) ?? 'Drama' })),
    homepage: '',
    id: film.id,
    imdb_id: film.imdbId,
    origin_country: [],
    ...(film.originalLanguage === null ? {} : { original_language: film.originalLanguage }),
    original_title: film.originalTitle,
    overview: film.overview,
    popularity: film.popularity,
    poster_path: null,
    production_companies: [],
    production_countries: [],
    release_date: film.releaseDate,
    revenue: 0,
    runtime: film.runtime ?? 0,
    spoken_languages: [],
    status: 'Released',
    tagline: '',
    title: film.title,
    video: false,
    vote_average: film.voteAverage,
    vote_count: film.voteCount,
    ...parts,
  };
}

/** One page of a list envelope: `{ page, results, total_pages, total_results }`; `extra` goes on each result. */
export function tmdbPage(films: readonly TmdbFilm[], pageNumber: number, extra: Record<string, unknown> = {}) {
  const start = (pageNumber - 1) * TMDB_PAGE_SIZE;
  return {
    page: pageNumber,
    results: films.slice(start, start + TMDB_PAGE_SIZE).map((film) => ({ ...tmdbListItem(film), ...extra })),
    total_pages: Math.max(1, Math.ceil(films.length / TMDB_PAGE_SIZE)),
    total_results: films.length,
  };
}

/** TMDB's error bodies (`error-401.json`, `error-404.json`; 503 is its "service offline" code 9). */
const ERRORS = {
  401: { status_code: 7, status_message: 'Invalid API key: You must be granted a valid key.', success: false },
  404: { status_code: 34, status_message: 'The resource you requested could not be found.', success: false },
  503: { status_code: 9, status_message: 'Service offline: This service is temporarily offline.', success: false },
} as const;

type Answer = { status: 200; body: unknown } | { status: keyof typeof ERRORS };

const LISTS = /^\/3\/(movie\/(popular|top_rated)|trending\/movie\/(day|week))$/;
const MOVIE = /^\/3\/movie\/(\d+)(?:\/(watch\/providers|recommendations|similar|external_ids))?$/;
const FIND = /^\/3\/find\/(tt\d+)$/;

/** A year filter (`year`, `primary_release_year`) as a number, when it is one. */
function yearFilter(query: URLSearchParams): { year?: number } {
  const raw = query.get('primary_release_year') ?? query.get('year');
  return raw !== null && /^\d{4}$/.test(raw) ? { year: Number(raw) } : {};
}

/** TMDB's answer to one request, from the catalogue. */
function answer(
  catalogue: LocalTmdbCatalogue,
  byId: ReadonlyMap<number, TmdbFilm>,
  path: string,
  query: URLSearchParams,
) {
  const pageNumber = Math.min(500, Math.max(1, Number(query.get('page') ?? '1') || 1));
  const ok = (body: unknown): Answer => ({ status: 200, body });
  if (path === '/3/configuration') {
    return ok({ images: { secure_base_url: 'https://image.tmdb.org/t/p/' }, change_keys: [] });
  }
  if (path === '/3/genre/movie/list') {
    return ok({ genres: GENRE_IDS.map((id) => ({ id, name: MOVIE_GENRES[id] })) });
  }
  if (path === '/3/search/movie') {
    return ok(tmdbPage(catalogue.search(query.get('query') ?? '', yearFilter(query)), pageNumber));
  }
  const list = LISTS.exec(path);
  if (list) {
    const name: TmdbListName = list[2] ? (list[2] as 'popular' | 'top_rated') : `trending/${list[3] as 'day' | 'week'}`;
    return ok(tmdbPage(catalogue.list(name), pageNumber, name.startsWith('trending') ? { media_type: 'movie' } : {}));
  }
  const find = FIND.exec(path);
  if (find) {
    const found = catalogue.films.filter((film) => film.imdbId === find[1]);
    return ok({
      movie_results: found.map((film) => ({ ...tmdbListItem(film), media_type: 'movie' })),
      person_results: [],
      tv_results: [],
      tv_episode_results: [],
      tv_season_results: [],
    });
  }
  const movie = MOVIE.exec(path);
  const film = movie ? byId.get(Number(movie[1])) : undefined;
  if (!movie || !film) return { status: 404 } as const;
  switch (movie[2]) {
    case 'watch/providers':
      return ok(tmdbWatchProviders(film, catalogue.providers(film)));
    case 'external_ids':
      return ok(tmdbExternalIds(film));
    case 'recommendations':
      return ok(tmdbPage(catalogue.related(film, 'recommendations'), pageNumber, { media_type: 'movie' }));
    case 'similar':
      return ok(tmdbPage(catalogue.related(film, 'similar'), pageNumber));
    default: {
      const append = (query.get('append_to_response') ?? '').split(',').filter((part) => part !== '');
      return ok(tmdbDetails(film, append, catalogue.providers(film)));
    }
  }
}

/** Starts a local TMDB serving `catalogue` on a free loopback port. */
export async function startLocalTmdb(
  catalogue: LocalTmdbCatalogue,
  options: LocalTmdbOptions = {},
): Promise<LocalTmdb> {
  const config = { ...DEFAULTS, ...options };
  const byId = new Map(catalogue.films.map((film) => [film.id, film]));
  const requests: FakeTmdbRequest[] = [];
  let mode = config.mode;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const authorized =
      request.headers.authorization === `Bearer ${config.token}` || url.searchParams.get('api_key') === config.token;
    const result: Answer =
      mode === 'down'
        ? { status: 503 }
        : mode === 'key-rejected' || !authorized
          ? { status: 401 }
          : answer(catalogue, byId, url.pathname, url.searchParams);
    if (config.latencyMs > 0) await wait(config.latencyMs);
    requests.push({ path: `${url.pathname}${url.search}`, status: result.status });
    const body = result.status === 200 ? result.body : ERRORS[result.status];
    response.writeHead(result.status, { 'content-type': 'application/json;charset=utf-8' }).end(JSON.stringify(body));
  }

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${String(port)}/3`,
    token: config.token,
    requests,
    setMode(next) {
      mode = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

export interface FakeFilm {
  id: number;
  title: string;
  /** `YYYY-MM-DD`, or `""` as TMDB sends for an unknown date. */
  releaseDate: string;
  genreIds: readonly number[];
  popularity: number;
  runtime: number | null;
  overview: string;
}

const ADJECTIVES = ['Silent', 'Last', 'Crimson', 'Hidden', 'Endless', 'Broken', 'Golden', 'Midnight', 'Lost', 'Wild'];
const NOUNS = ['Harbor', 'Garden', 'Frontier', 'Signal', 'Orchard', 'Machine', 'River', 'Letter', 'Empire', 'Summer'];

/** `count` films with ids from 10_001, titles "The Silent Harbor", Zipf-like popularity, genres in turn. */
export function fakeFilms(count: number): FakeFilm[] {
  return Array.from({ length: count }, (_, index) => {
    const adjective = ADJECTIVES[index % ADJECTIVES.length] ?? '';
    const noun = NOUNS[Math.floor(index / ADJECTIVES.length) % NOUNS.length] ?? '';
    const round = Math.floor(index / (ADJECTIVES.length * NOUNS.length));
    const genre = (offset: number) => GENRE_IDS[(index + offset) % GENRE_IDS.length] ?? 18;
    return {
      id: 10_001 + index,
      title: `The ${adjective} ${noun}${round > 0 ? ` ${round + 1}` : ''}`,
      releaseDate: `${1960 + (index % 65)}-0${1 + (index % 9)}-1${index % 10}`,
      genreIds: [genre(0), genre(7)],
      popularity: Math.round((1_000 / (index + 1)) * 1_000) / 1_000,
      runtime: 80 + ((index * 7) % 90),
      overview: `A made-up film for local runs (${index + 1}).`,
    };
  });
}

/** The made-up films in TMDB's terms: made-up vote figures too, as the films themselves are. */
function fakeTmdbFilm(film: FakeFilm): TmdbFilm {
  return {
    ...film,
    originalTitle: film.title,
    originalLanguage: 'en',
    voteAverage: 6.5,
    voteCount: 1_886,
    imdbId: `tt${String(film.id).padStart(7, '0')}`,
  };
}

/** The generated films: titles searched by substring, every list by popularity, related = all others. */
function fakeCatalogue(films: readonly FakeFilm[]): LocalTmdbCatalogue {
  const byPopularity = films.map(fakeTmdbFilm).sort((a, b) => b.popularity - a.popularity || a.id - b.id);
  const yearOf = (film: TmdbFilm) => Number(film.releaseDate.slice(0, 4));
  return {
    films: byPopularity,
    search(query, { year }) {
      const needle = query.trim().toLowerCase();
      return byPopularity.filter(
        (film) => film.title.toLowerCase().includes(needle) && (year === undefined || yearOf(film) === year),
      );
    },
    list: () => byPopularity,
    related: (film) => byPopularity.filter((other) => other.id !== film.id),
    providers(film) {
      const provider = { logo_path: '/peURlLlr8jggOwK53fJ5wdQl05y.jpg', provider_id: 2, provider_name: 'Apple TV' };
      return {
        US: {
          link: `https://www.themoviedb.org/movie/${film.id}/watch?locale=US`,
          rent: [{ ...provider, display_priority: 4 }],
          buy: [{ ...provider, display_priority: 4 }],
        },
      };
    },
  };
}

/** Starts a fake TMDB of generated films (200 unless given) on a free loopback port. */
export async function startFakeTmdb(options: FakeTmdbOptions = {}): Promise<FakeTmdb> {
  const films = options.films && options.films.length > 0 ? options.films : fakeFilms(200);
  const server = await startLocalTmdb(fakeCatalogue(films), options);
  return Object.assign(server, { films });
}
