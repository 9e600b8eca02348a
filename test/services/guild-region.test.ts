import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { createGuildRegionService, parseRegion, regionChoices } from '../../src/services/guild-region.js';
import { snowflake } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { createFilmTestCore, type FilmTestCore } from '../support/film-support.js';

describe('parseRegion', () => {
  it('takes a two-letter code in any case, or a country’s name as TMDB spells it', () => {
    expect(parseRegion('GB')).toBe('GB');
    expect(parseRegion(' de ')).toBe('DE');
    expect(parseRegion('Germany')).toBe('DE');
    expect(parseRegion('united kingdom')).toBe('GB');
    // Kosovo: not in ISO 3166-1 itself, but TMDB uses XK.
    expect(parseRegion('xk')).toBe('XK');
  });

  it.each(['XX', 'USA', 'UK', 'SU', '', 'Narnia'])('refuses “%s” with the way to get it right', (input) => {
    expect(() => parseRegion(input)).toThrow(UserFacingError);
    try {
      parseRegion(input);
    } catch (error) {
      expect((error as UserFacingError).code).toBe('bad-region');
      expect((error as UserFacingError).message).toMatch(/two-letter/);
    }
  });
});

describe('regionChoices', () => {
  it('puts the code itself first, then names starting with the text, then names with a word starting with it', () => {
    expect(regionChoices('ca').slice(0, 3)).toEqual([
      { name: 'Canada (CA)', value: 'CA' },
      { name: 'Cambodia (KH)', value: 'KH' },
      { name: 'Cameroon (CM)', value: 'CM' },
    ]);
    expect(regionChoices('kingdom')).toEqual([{ name: 'United Kingdom (GB)', value: 'GB' }]);
  });

  it('offers at most 25', () => {
    expect(regionChoices('')).toHaveLength(25);
  });
});

describe.each(databaseKinds())('guild region service on %s', (kind) => {
  let film: FilmTestCore;
  const guild = snowflake(1);

  beforeAll(async () => {
    film = await createFilmTestCore(kind);
  });
  afterAll(() => film.destroy());
  beforeEach(() => film.reset());

  it('is the configured region until an admin sets one, for a guild that has no row yet too', async () => {
    const regions = createGuildRegionService(film.core);
    expect(await regions.get(guild)).toEqual({ code: 'US', name: 'United States of America', isDefault: true });

    expect(await regions.set(guild, 'fr')).toEqual({ code: 'FR', name: 'France', isDefault: false });
    expect(await regions.get(guild)).toEqual({ code: 'FR', name: 'France', isDefault: false });
    expect(await regions.set(guild, 'Japan')).toMatchObject({ code: 'JP' });
    expect(await film.core.repos.guilds.region(guild)).toBe('JP');
  });

  it('writes nothing for a code TMDB does not know', async () => {
    const regions = createGuildRegionService(film.core);
    await expect(regions.set(guild, 'ZZ')).rejects.toThrow(UserFacingError);
    expect(await film.count('guilds')).toBe(0);
  });
});
