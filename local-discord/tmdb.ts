/**
 * A fake TMDB on `node:http` for the load benchmark, the demo and end-to-end tests that want real HTTP: the
 * endpoints Marquee calls, answering in the shapes of TMDB's own examples (`reference/tmdb/examples`, copied
 * into test/fixtures/tmdb), from a small generated catalogue.
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

/** 'up' answers; 'down' answers TMDB's 503; 'key-rejected' answers TMDB's 401 to every request. */
export type FakeTmdbMode = 'up' | 'down' | 'key-rejected';

export interface FakeTmdbOptions {
  /** The API Read Access Token (Bearer) or API key (`api_key=`) it accepts. */
  token?: string;
  films?: readonly FakeFilm[];
  /** Added before every answer, as a real network would. */
  latencyMs?: number;
  mode?: FakeTmdbMode;
}

export interface FakeTmdbRequest {
  path: string;
  status: number;
}

export interface FakeTmdb {
  /** Includes `/3`, as `TMDB_API_BASE`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly films: readonly FakeFilm[];
  readonly requests: readonly FakeTmdbRequest[];
  setMode(mode: FakeTmdbMode): void;
  close(): Promise<void>;
}

const DEFAULTS = {
  token: 'fake-tmdb-token.for-local-use-only',
  films: [],
  latencyMs: 0,
  mode: 'up',
} as const satisfies Required<Omit<FakeTmdbOptions, 'films'>> & { films: readonly FakeFilm[] };

/** TMDB's English genre names (`genre/movie/list?language=en`). */
const GENRES = [
  [28, 'Action'],
  [12, 'Adventure'],
  [16, 'Animation'],
  [35, 'Comedy'],
  [80, 'Crime'],
  [99, 'Documentary'],
  [18, 'Drama'],
  [10751, 'Family'],
  [14, 'Fantasy'],
  [36, 'History'],
  [27, 'Horror'],
  [10402, 'Music'],
  [9648, 'Mystery'],
  [10749, 'Romance'],
  [878, 'Science Fiction'],
  [10770, 'TV Movie'],
  [53, 'Thriller'],
  [10752, 'War'],
  [37, 'Western'],
] as const;

const ADJECTIVES = ['Silent', 'Last', 'Crimson', 'Hidden', 'Endless', 'Broken', 'Golden', 'Midnight', 'Lost', 'Wild'];
const NOUNS = ['Harbor', 'Garden', 'Frontier', 'Signal', 'Orchard', 'Machine', 'River', 'Letter', 'Empire', 'Summer'];

/** `count` films with ids from 10_001, titles "The Silent Harbor", Zipf-like popularity, genres in turn. */
export function fakeFilms(count: number): FakeFilm[] {
  return Array.from({ length: count }, (_, index) => {
    const adjective = ADJECTIVES[index % ADJECTIVES.length] ?? '';
    const noun = NOUNS[Math.floor(index / ADJECTIVES.length) % NOUNS.length] ?? '';
    const round = Math.floor(index / (ADJECTIVES.length * NOUNS.length));
    const genre = (offset: number) => GENRES[(index + offset) % GENRES.length]?.[0] ?? 18;
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

/** A `results[]` entry of TMDB's list endpoints (`movie-popular-list.json`). */
function listItem(film: FakeFilm) {
  return {
    adult: false,
    backdrop_path: null,
    genre_ids: [...film.genreIds],
    id: film.id,
    original_language: 'en',
    original_title: film.title,
    overview: film.overview,
    popularity: film.popularity,
    poster_path: null,
    release_date: film.releaseDate,
    title: film.title,
    video: false,
    vote_average: 6.5,
    vote_count: 1_886,
  };
}

/** `movie/{id}` (`movie-details.json`). */
function details(film: FakeFilm) {
  return {
    adult: false,
    backdrop_path: null,
    belongs_to_collection: null,
    budget: 0,
    genres: film.genreIds.map((id) => ({ id, name: GENRES.find(([genreId]) => genreId === id)?.[1] ?? 'Drama' })),
    homepage: '',
    id: film.id,
    imdb_id: `tt${String(film.id).padStart(7, '0')}`,
    origin_country: ['US'],
    original_language: 'en',
    original_title: film.title,
    overview: film.overview,
    popularity: film.popularity,
    poster_path: null,
    production_companies: [],
    production_countries: [{ iso_3166_1: 'US', name: 'United States of America' }],
    release_date: film.releaseDate,
    revenue: 0,
    runtime: film.runtime,
    spoken_languages: [{ english_name: 'English', iso_639_1: 'en', name: 'English' }],
    status: 'Released',
    tagline: '',
    title: film.title,
    video: false,
    vote_average: 6.5,
    vote_count: 1_886,
  };
}

/** `movie/{id}/watch/providers` (`movie-watch-providers.json`), one region. */
function providers(film: FakeFilm) {
  const provider = { logo_path: '/peURlLlr8jggOwK53fJ5wdQl05y.jpg', provider_id: 2, provider_name: 'Apple TV' };
  return {
    id: film.id,
    results: {
      US: {
        link: `https://www.themoviedb.org/movie/${film.id}/watch?locale=US`,
        rent: [{ ...provider, display_priority: 4 }],
        buy: [{ ...provider, display_priority: 4 }],
      },
    },
  };
}

const PAGE_SIZE = 20;

function page(films: readonly FakeFilm[], pageNumber: number) {
  const start = (pageNumber - 1) * PAGE_SIZE;
  return {
    page: pageNumber,
    results: films.slice(start, start + PAGE_SIZE).map(listItem),
    total_pages: Math.max(1, Math.ceil(films.length / PAGE_SIZE)),
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

/** Starts a fake TMDB on a free loopback port. */
export async function startFakeTmdb(options: FakeTmdbOptions = {}): Promise<FakeTmdb> {
  const config = { ...DEFAULTS, ...options };
  const films = config.films.length > 0 ? config.films : fakeFilms(200);
  const byId = new Map(films.map((film) => [film.id, film]));
  const byPopularity = [...films].sort((a, b) => b.popularity - a.popularity || a.id - b.id);
  const requests: FakeTmdbRequest[] = [];
  let mode = config.mode;

  function answer(path: string, query: URLSearchParams): Answer {
    const pageNumber = Math.min(500, Math.max(1, Number(query.get('page') ?? '1') || 1));
    if (path === '/3/configuration') {
      return { status: 200, body: { images: { secure_base_url: 'https://image.tmdb.org/t/p/' }, change_keys: [] } };
    }
    if (path === '/3/genre/movie/list')
      return { status: 200, body: { genres: GENRES.map(([id, name]) => ({ id, name })) } };
    if (path === '/3/search/movie') {
      const needle = (query.get('query') ?? '').trim().toLowerCase();
      return {
        status: 200,
        body: page(
          byPopularity.filter((film) => film.title.toLowerCase().includes(needle)),
          pageNumber,
        ),
      };
    }
    if (/^\/3\/(movie\/(popular|top_rated)|trending\/movie\/(day|week))$/.test(path)) {
      return { status: 200, body: page(byPopularity, pageNumber) };
    }
    const movie = /^\/3\/movie\/(\d+)(\/(watch\/providers|recommendations|similar))?$/.exec(path);
    const film = movie ? byId.get(Number(movie[1])) : undefined;
    if (!movie || !film) return { status: 404 };
    if (movie[3] === 'watch/providers') return { status: 200, body: providers(film) };
    if (movie[3])
      return {
        status: 200,
        body: page(
          byPopularity.filter((other) => other.id !== film.id),
          pageNumber,
        ),
      };
    return { status: 200, body: details(film) };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const authorized =
      request.headers.authorization === `Bearer ${config.token}` || url.searchParams.get('api_key') === config.token;
    const result: Answer =
      mode === 'down'
        ? { status: 503 }
        : mode === 'key-rejected' || !authorized
          ? { status: 401 }
          : answer(url.pathname, url.searchParams);
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
    films,
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
