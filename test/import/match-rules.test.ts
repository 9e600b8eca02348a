import { describe, expect, it } from 'vitest';
import { matchAnyYear, matchInYear, matchStored } from '../../src/import/match-rules.js';
import { movieSummary } from '../support/builders.js';

const dune2021 = movieSummary(438_631, { title: 'Dune', releaseDate: '2021-09-15' });
const dune1984 = movieSummary(841, { title: 'Dune', releaseDate: '1984-12-14' });
const duneTwo = movieSummary(693_134, { title: 'Dune: Part Two', releaseDate: '2024-02-27' });
const amelie = movieSummary(194, {
  title: 'Amélie',
  originalTitle: "Le Fabuleux Destin d'Amélie Poulain",
  releaseDate: '2001-04-25',
});

describe('matching a title and year confidently, never by a guess', () => {
  it('tells apart a title that exists twice by the year', () => {
    expect(matchAnyYear({ title: 'Dune', year: 2021 }, [duneTwo, dune2021, dune1984], true)).toEqual({
      kind: 'match',
      movie: dune2021,
    });
    expect(matchAnyYear({ title: 'Dune', year: 1984 }, [duneTwo, dune2021, dune1984], true)).toEqual({
      kind: 'match',
      movie: dune1984,
    });
  });

  it('allows a year either side (festival and release years differ), but not two', () => {
    expect(matchAnyYear({ title: 'Dune', year: 1985 }, [dune2021, dune1984], true).kind).toBe('match');
    expect(matchAnyYear({ title: 'Dune', year: 1986 }, [dune2021, dune1984], true).kind).toBe('none');
  });

  it('matches a row without a year only when one film of all has that title', () => {
    expect(matchAnyYear({ title: 'Dune', year: null }, [duneTwo, dune2021, dune1984], true)).toEqual({
      kind: 'ambiguous',
    });
    expect(matchAnyYear({ title: 'Dune: Part Two', year: null }, [duneTwo, dune2021], true)).toEqual({
      kind: 'match',
      movie: duneTwo,
    });
    // More results than one page: another film of that title may be on the next.
    expect(matchAnyYear({ title: 'Dune: Part Two', year: null }, [duneTwo], false)).toEqual({ kind: 'ambiguous' });
  });

  it('compares titles without case, accents or punctuation, and against the original title', () => {
    expect(matchInYear({ title: 'AMELIE' }, [amelie]).kind).toBe('match');
    expect(matchInYear({ title: "Le fabuleux destin d'Amélie Poulain" }, [amelie, dune2021]).kind).toBe('match');
  });

  it('takes the only result of a search in the year, or the one with that title, and nothing else', () => {
    // TMDB found one film for "Dune Part 2" in 2024: that is it, though the title differs.
    expect(matchInYear({ title: 'Dune Part 2' }, [duneTwo])).toEqual({ kind: 'match', movie: duneTwo });
    expect(matchInYear({ title: 'Dune' }, [duneTwo, dune2021])).toEqual({ kind: 'match', movie: dune2021 });
    expect(matchInYear({ title: 'Dune Part 2' }, [duneTwo, dune2021])).toEqual({ kind: 'none' });
    const twin = movieSummary(1, { title: 'Dune', releaseDate: '2021-01-01' });
    expect(matchInYear({ title: 'Dune' }, [dune2021, twin])).toEqual({ kind: 'ambiguous' });
  });

  it('matches a stored film only by exact title and year, never a row without a year', () => {
    expect(matchStored({ title: 'dune', year: 2021 }, [dune2021, dune1984])).toEqual({
      kind: 'match',
      movie: dune2021,
    });
    expect(matchStored({ title: 'Dune', year: 2022 }, [dune2021, dune1984])).toEqual({ kind: 'none' });
    expect(matchStored({ title: 'Dune', year: null }, [dune2021])).toEqual({ kind: 'none' });
  });
});
