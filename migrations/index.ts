import type { Migration } from '../src/db/migrator.js';
import * as initialSchema from './2026.11.21T00.00.00.initial-schema.js';
import * as forgetTombstones from './2026.11.30T01.00.00.forget-tombstones.js';
import * as jobRuns from './2026.11.30T02.00.00.job-runs.js';
import * as relatedFilms from './2026.12.01T00.00.00.related-films.js';
import * as movieNights from './2026.12.02T00.00.00.movie-nights.js';
import * as imports from './2026.12.04T00.00.00.imports.js';
import * as schedules from './2026.12.05T00.00.00.schedules.js';

/** Every migration in order. A static list, so the compiled bot and `tsx` scripts find the same set. */
export const migrations: Migration[] = [
  { name: '2026.11.21T00.00.00.initial-schema', ...initialSchema },
  { name: '2026.11.30T01.00.00.forget-tombstones', ...forgetTombstones },
  { name: '2026.11.30T02.00.00.job-runs', ...jobRuns },
  { name: '2026.12.01T00.00.00.related-films', ...relatedFilms },
  { name: '2026.12.02T00.00.00.movie-nights', ...movieNights },
  { name: '2026.12.04T00.00.00.imports', ...imports },
  { name: '2026.12.05T00.00.00.schedules', ...schedules },
];
