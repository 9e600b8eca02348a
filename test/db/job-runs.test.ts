import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/database.js';
import { createJobRunsRepository, type JobRunsRepository } from '../../src/db/repositories/job-runs.js';
import type { JobClaim } from '../../src/jobs/types.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

const silent = createLogger({ level: 'silent' });

describe.each(databaseKinds())('job runs repository on %s', (kind) => {
  let test: TestDatabase;
  /** A second connection pool on the same database: another process, as far as claims can tell. */
  let other: Database;
  let repo: JobRunsRepository;
  let otherRepo: JobRunsRepository;

  const slot = new Date('2026-12-01T20:00:00.000Z');
  const claim = (overrides: Partial<JobClaim> = {}): JobClaim => ({
    job: 'close-polls',
    dueAt: slot,
    startedAt: new Date('2026-12-01T20:00:00.250Z'),
    claimedBy: 'host-a:1',
    outcome: 'running',
    ...overrides,
  });

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    other = createDatabase(test.target, silent);
    repo = createJobRunsRepository(test.db.sequelize);
    otherRepo = createJobRunsRepository(other.sequelize);
  });
  afterAll(async () => {
    await other.close();
    await test.destroy();
  });
  beforeEach(async () => {
    await test.db.sequelize.query('DELETE FROM job_runs');
  });

  it('claims a slot once: the same job and slot again is refused, another slot or job is free', async () => {
    expect(await repo.claim(claim())).toBe(true);
    expect(
      await otherRepo.claim(claim({ claimedBy: 'host-b:2', startedAt: new Date('2026-12-01T20:00:01.250Z') })),
    ).toBe(false);
    expect(await repo.claim(claim({ dueAt: new Date('2026-12-02T20:00:00Z') }))).toBe(true);
    expect(await repo.claim(claim({ job: 'tmdb-cache' }))).toBe(true);
    const [run] = await repo.list('close-polls', 1);
    expect(run?.claimedBy).toBe('host-a:1');
  });

  it('lets exactly one of many simultaneous claims from two connections through', async () => {
    const attempts = Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? repo : otherRepo).claim(claim({ claimedBy: `host:${i}` })),
    );
    const results = await Promise.all(attempts);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await repo.list('close-polls')).toHaveLength(1);
  });

  it('records start, end, outcome and error, reading the same instants back', async () => {
    await repo.claim(claim());
    await repo.finish({
      job: 'close-polls',
      dueAt: slot,
      finishedAt: new Date('2026-12-01T20:00:03.125Z'),
      outcome: 'failed',
      error: 'Error: TMDB said no',
    });
    expect(await repo.list('close-polls')).toEqual([
      {
        job: 'close-polls',
        dueAt: slot,
        startedAt: new Date('2026-12-01T20:00:00.250Z'),
        finishedAt: new Date('2026-12-01T20:00:03.125Z'),
        outcome: 'failed',
        error: 'Error: TMDB said no',
        claimedBy: 'host-a:1',
      },
    ]);
  });

  it('records a skipped slot as finished in one insert, and finish() leaves it alone', async () => {
    expect(await repo.claim(claim({ outcome: 'skipped', error: '3600 s late' }))).toBe(true);
    await repo.finish({ job: 'close-polls', dueAt: slot, finishedAt: new Date(), outcome: 'succeeded', error: null });
    const [run] = await repo.list('close-polls');
    expect(run).toMatchObject({ outcome: 'skipped', error: '3600 s late', finishedAt: run?.startedAt });
  });

  it('gives back a running claim, so the slot can be claimed again, but never a finished one', async () => {
    await repo.claim(claim());
    await repo.release('close-polls', slot);
    expect(await otherRepo.claim(claim({ claimedBy: 'host-b:2' }))).toBe(true);
    await otherRepo.finish({
      job: 'close-polls',
      dueAt: slot,
      finishedAt: new Date(),
      outcome: 'succeeded',
      error: null,
    });
    await repo.release('close-polls', slot);
    expect(await repo.list('close-polls')).toHaveLength(1);
  });

  it('tells the latest slot claimed for a job, whatever its outcome, and null before any', async () => {
    expect(await repo.lastDueAt('close-polls')).toBeNull();
    await repo.claim(claim({ dueAt: new Date('2026-11-30T20:00:00Z') }));
    await repo.claim(claim({ dueAt: new Date('2026-12-01T20:00:00Z'), outcome: 'skipped' }));
    await repo.claim(claim({ job: 'tmdb-cache', dueAt: new Date('2026-12-05T04:15:00Z') }));
    expect(await repo.lastDueAt('close-polls')).toEqual(new Date('2026-12-01T20:00:00Z'));
  });

  it('prunes rows due before the cutoff but keeps each job’s latest, however old', async () => {
    for (const day of [1, 2, 3, 20]) {
      await repo.claim(claim({ dueAt: new Date(Date.UTC(2026, 10, day, 20)) }));
    }
    await repo.claim(claim({ job: 'yearly', dueAt: new Date('2026-01-01T00:00:00Z') }));
    expect(await repo.prune(new Date('2026-11-10T00:00:00Z'))).toBe(3);
    expect((await repo.list('close-polls')).map((run) => run.dueAt.getUTCDate())).toEqual([20]);
    expect(await repo.list('yearly')).toHaveLength(1);
  });
});
