import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { createDiaryService, parseDiaryDate, type DiaryService } from '../../src/services/diary.js';
import { createRatingService } from '../../src/services/ratings.js';
import { movieSummary, snowflake } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { createFilmTestCore, recordingTaste, type FilmTestCore } from '../support/film-support.js';

function refusalCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserFacingError);
    return (error as UserFacingError).code;
  }
  throw new Error('expected a refusal');
}

describe('diary dates', () => {
  // 03:00 UTC on 1 March 2026 is still 22:00 on 28 February in New York (EST, UTC−5; DST starts 8 March).
  const now = new Date('2026-03-01T03:00:00Z');

  it('reads today and yesterday in the member’s time zone', () => {
    expect(parseDiaryDate('today', now, 'America/New_York')).toBe('2026-02-28');
    expect(parseDiaryDate(' Yesterday ', now, 'America/New_York')).toBe('2026-02-27');
    expect(parseDiaryDate(null, now, 'America/New_York')).toBe('2026-02-28');
    expect(parseDiaryDate('today', now, 'UTC')).toBe('2026-03-01');
    expect(parseDiaryDate('yesterday', now, 'UTC')).toBe('2026-02-28');
  });

  it('accepts a past date and refuses one that is still in the future where the member is', () => {
    expect(parseDiaryDate('2026-02-28', now, 'America/New_York')).toBe('2026-02-28');
    expect(refusalCode(() => parseDiaryDate('2026-03-01', now, 'America/New_York'))).toBe('future-date');
    expect(parseDiaryDate('2026-03-01', now, 'UTC')).toBe('2026-03-01');
  });

  it('refuses malformed and impossible dates', () => {
    for (const bad of ['2026-02-30', '2026-2-3', '28/02/2026', 'last week', '2026-13-01', '1899-12-31']) {
      expect(refusalCode(() => parseDiaryDate(bad, now, 'UTC'))).toBe('bad-date');
    }
  });

  it('reads today in UTC for a member whose time zone is unknown', () => {
    expect(parseDiaryDate('today', now, 'Mars/Olympus_Mons')).toBe('2026-03-01');
  });
});

describe.each(databaseKinds())('diary service on %s', (kind) => {
  let film: FilmTestCore;
  let diary: DiaryService;
  let listener: ReturnType<typeof recordingTaste>;
  const guild = snowflake(1);
  const alice = snowflake(10);
  const bob = snowflake(11);
  const t0 = new Date('2026-01-01T00:00:00Z');

  beforeAll(async () => {
    film = await createFilmTestCore(kind, new Date('2026-03-10T12:00:00Z'));
  });
  afterAll(() => film.destroy());
  beforeEach(async () => {
    await film.reset();
    await film.core.repos.movies.upsertSummaries(
      Array.from({ length: 12 }, (_, i) =>
        movieSummary(100 + i, { title: `Film ${i}`, releaseDate: `${2000 + i}-06-01` }),
      ),
      t0,
    );
    listener = recordingTaste();
    const ratings = createRatingService(film.core, { taste: listener.taste });
    diary = createDiaryService(film.core, { ratings, pageSize: 5 });
  });

  describe('add', () => {
    it('adds an entry per viewing: rewatches count', async () => {
      await diary.add({ userId: alice, movieId: 100, date: '2026-01-05' });
      const second = await diary.add({ userId: alice, movieId: 100, date: 'yesterday' });

      expect(second.entry).toMatchObject({ movieId: 100, watchedOn: '2026-03-09' });
      expect(second.timesWatched).toBe(2);
      expect(second.stars).toBeNull();
      expect(await film.count('ratings')).toBe(0);
    });

    it('rates the film in the same step, replacing an earlier rating', async () => {
      await diary.add({ userId: alice, movieId: 100, stars: 3 });
      const outcome = await diary.add({ userId: alice, movieId: 100, stars: 4.5 });

      expect(outcome).toMatchObject({ stars: 4.5, previousStars: 3, timesWatched: 2 });
      expect((await film.core.repos.ratings.get(alice, 100))?.score).toBe(4.5);
      expect(listener.calls).toEqual([`rating:${alice}:100:3`, `rating:${alice}:100:4.5`]);
    });

    it('writes neither the entry nor the rating when the rating fails', async () => {
      const failingRatings = {
        ...film.core.repos.ratings,
        upsert: () => Promise.reject(new Error('constraint')),
      };
      const core = { ...film.core, repos: { ...film.core.repos, ratings: failingRatings } };
      const failing = createDiaryService(core, { ratings: createRatingService(core, { taste: listener.taste }) });

      await expect(failing.add({ userId: alice, movieId: 100, stars: 4 })).rejects.toThrow('constraint');

      expect(await film.count('watch_log')).toBe(0);
      expect(await film.count('users')).toBe(0);
      expect(listener.calls).toEqual([]);
    });

    it('refuses, plainly and writing nothing, a film the movies table does not hold', async () => {
      // The catalog only logs a failed store write, so a resolved film can arrive without its row.
      await expect(diary.add({ userId: alice, movieId: 999, stars: 4 })).rejects.toMatchObject({
        code: 'movie-not-stored',
      });

      expect(await film.count('watch_log')).toBe(0);
      expect(await film.count('ratings')).toBe(0);
      expect(await film.count('users')).toBe(0);
    });

    it('refuses a future date or stars outside the choices and writes nothing', async () => {
      await expect(diary.add({ userId: alice, movieId: 100, date: '2026-03-11' })).rejects.toMatchObject({
        code: 'future-date',
      });
      await expect(diary.add({ userId: alice, movieId: 100, date: 'soon' })).rejects.toMatchObject({
        code: 'bad-date',
      });
      await expect(diary.add({ userId: alice, movieId: 100, stars: 6 })).rejects.toMatchObject({ code: 'bad-stars' });

      expect(await film.count('watch_log')).toBe(0);
      expect(await film.count('users')).toBe(0);
    });
  });

  it('removes the latest viewing of a film and keeps the rating', async () => {
    await diary.add({ userId: alice, movieId: 100, date: '2026-02-01', stars: 4 });
    await diary.add({ userId: alice, movieId: 100, date: '2026-01-01' });

    expect(await diary.removeLatest(alice, 100)).toMatchObject({ watchedOn: '2026-02-01' });
    expect(await diary.removeLatest(alice, 100)).toMatchObject({ watchedOn: '2026-01-01' });
    expect(await diary.removeLatest(alice, 100)).toBeNull();
    expect((await film.core.repos.ratings.get(alice, 100))?.score).toBe(4);
  });

  describe('list', () => {
    async function logTwelve() {
      // Film i watched on 2026-01-(i+1): the newest entry is Film 11.
      for (let i = 0; i < 12; i += 1) {
        await diary.add({
          userId: alice,
          movieId: 100 + i,
          date: `2026-01-${String(i + 1).padStart(2, '0')}`,
          stars: i === 11 ? 4 : null,
        });
      }
    }

    it('pages the diary newest first with titles, years and the current rating', async () => {
      await logTwelve();

      const first = await diary.list({ viewerId: alice, ownerId: alice, ownerInGuild: true });
      // 12 entries at 5 per page: pages of 5, 5 and 2.
      expect(first).toMatchObject({ page: 1, pageCount: 3, total: 12 });
      expect(first.lines.map((line) => line.title)).toEqual(['Film 11', 'Film 10', 'Film 9', 'Film 8', 'Film 7']);
      expect(first.lines[0]).toMatchObject({ watchedOn: '2026-01-12', releaseDate: '2011-06-01', stars: 4 });
      expect(first.lines[1]?.stars).toBeNull();

      const last = await diary.list({ viewerId: alice, ownerId: alice, ownerInGuild: true, page: 3 });
      expect(last.lines.map((line) => line.title)).toEqual(['Film 1', 'Film 0']);
    });

    it('shows the last page for a page number past the end', async () => {
      await logTwelve();

      expect(await diary.list({ viewerId: alice, ownerId: alice, ownerInGuild: true, page: 40 })).toMatchObject({
        page: 3,
        pageCount: 3,
      });
    });

    it('shows another member’s diary only while they are in the guild and their profile is public', async () => {
      await diary.add({ userId: bob, movieId: 105, date: '2026-02-02' });
      await film.core.repos.guilds.touchMember(guild, bob, t0);

      const shown = await diary.list({ viewerId: alice, ownerId: bob, ownerInGuild: true });
      expect(shown.lines.map((line) => line.movieId)).toEqual([105]);

      await expect(diary.list({ viewerId: alice, ownerId: bob, ownerInGuild: false })).rejects.toMatchObject({
        code: 'member-not-in-guild',
      });

      await film.core.repos.users.updateSettings(bob, { publicProfile: false });
      await expect(diary.list({ viewerId: alice, ownerId: bob, ownerInGuild: true })).rejects.toMatchObject({
        code: 'profile-private',
      });
      // A private profile still shows its owner their own diary.
      expect((await diary.list({ viewerId: bob, ownerId: bob, ownerInGuild: true })).total).toBe(1);
    });
  });
});
