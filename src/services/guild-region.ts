import type { CoreDeps } from '../context.js';
import { normaliseTitle } from '../db/repositories/movies.js';
import { UserFacingError } from '../errors.js';
import { truncate } from '../format.js';
import { TMDB_COUNTRIES, countryName, isCountryCode, type CountryCode } from '../tmdb/countries.js';

/** The country a server's "where to watch" and TMDB lists are for. */
export interface GuildRegion {
  code: string;
  /** TMDB's English name of the country. */
  name: string;
  /** True when the server has set none and Marquee's configured region (`TMDB_REGION`) applies. */
  isDefault: boolean;
}

export interface RegionChoice {
  /** "Germany (DE)". */
  name: string;
  value: CountryCode;
}

/** Autocomplete answers at most this many (Discord's limit). */
const MAX_CHOICES = 25;
/** Longest text the region option takes: a country's name fits. */
export const MAX_REGION_INPUT_LENGTH = 60;

const COUNTRIES = Object.entries(TMDB_COUNTRIES) as [CountryCode, string][];
/** Case, accents and punctuation aside, as film titles are matched. */
const fold = normaliseTitle;

/**
 * What a member typed as a region, as a code TMDB knows: a two-letter code in any case ("de"), or a country's
 * name as TMDB spells it ("Germany"). Anything else is refused with the way to get it right.
 */
export function parseRegion(input: string): CountryCode {
  const text = input.trim();
  const code = text.toUpperCase();
  if (isCountryCode(code)) return code;
  const byName = COUNTRIES.find(([, name]) => fold(name) === fold(text));
  if (byName) return byName[0];
  const shown = truncate(text, MAX_REGION_INPUT_LENGTH);
  throw new UserFacingError(
    'bad-region',
    text === ''
      ? 'Name a country by its two-letter code (e.g. US, GB, DE): suggestions appear as you type.'
      : `“${shown}” is not a country code TMDB knows. Use a two-letter ISO 3166-1 code such as US, GB, DE or FR (suggestions appear as you type); nothing was changed.`,
  );
}

/** Countries for what the member typed: the code itself first, then names starting with it, then names with a word starting with it. */
export function regionChoices(query: string): RegionChoice[] {
  const needle = fold(query);
  const rank = ([code, name]: [CountryCode, string]): number => {
    if (needle === '') return 3;
    if (code.toLowerCase() === needle) return 0;
    const folded = fold(name);
    if (folded.startsWith(needle)) return 1;
    if (folded.includes(` ${needle}`)) return 2;
    return -1;
  };
  return COUNTRIES.map((country) => ({ country, rank: rank(country) }))
    .filter(({ rank: r }) => r >= 0)
    .sort((a, b) => a.rank - b.rank || a.country[1].localeCompare(b.country[1]))
    .slice(0, MAX_CHOICES)
    .map(({ country: [code, name] }) => ({ name: `${name} (${code})`, value: code }));
}

/** Each server's TMDB region: where `/movie` and pick cards say a film streams. */
export function createGuildRegionService({ repos, config }: Pick<CoreDeps, 'repos' | 'config'>) {
  return {
    async get(guildId: string): Promise<GuildRegion> {
      const stored = await repos.guilds.region(guildId);
      const code = stored ?? config.tmdb.region.toUpperCase();
      return { code, name: countryName(code), isDefault: stored === null };
    },

    /** Checks the region (UserFacingError 'bad-region', nothing written) and stores it for the server. */
    async set(guildId: string, input: string): Promise<GuildRegion> {
      const code = parseRegion(input);
      await repos.guilds.setRegion(guildId, code);
      return { code, name: countryName(code), isDefault: false };
    },

    choices: regionChoices,
  };
}

export type GuildRegionService = ReturnType<typeof createGuildRegionService>;
