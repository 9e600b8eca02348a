import type { MovieNightService } from '../services/movie-nights/index.js';
import { CATCH_UP } from './catch-up.js';
import type { JobDefinition } from './types.js';

/**
 * Movie-night deadlines, every minute: closes every 🍿 call and poll whose time has passed, retries a step whose
 * lease ran out and posts a result nobody posted. An in-process timer armed to the next deadline calls the same
 * sweep on the second; this job is what makes closing survive a restart or a crash (the sweep after a restart finds
 * what came due meanwhile). Each close is claimed by a conditional UPDATE, so it happens once across processes.
 * Catch-up `always`: a due poll still wants closing, however late.
 */
export function movieNightDeadlinesJob(movieNights: Pick<MovieNightService, 'closeDue'>): JobDefinition {
  return {
    name: 'movie-night-deadlines',
    cron: '* * * * *',
    timeZone: 'UTC',
    catchUp: CATCH_UP.always,
    async run({ signal, log }) {
      await movieNights.closeDue({ signal, log });
    },
  };
}
