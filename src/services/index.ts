import type { CoreDeps } from '../context.js';
import { createDiaryService } from './diary.js';
import { createFeedbackService } from './feedback.js';
import { createMembersService } from './members.js';
import { createMovieService } from './movies.js';
import { createNamingPolicy } from './naming-policy.js';
import { createPrivacyService } from './privacy.js';
import { createProfileService } from './profiles.js';
import { createRatingService } from './ratings.js';
import { createRecommendationService } from './recommendations/index.js';
import { createWatchlistService } from './watchlist.js';

/** Builds every use case once, wiring the ones that depend on each other. */
export function createServices(core: CoreDeps) {
  const members = createMembersService({ repos: core.repos, clock: core.clock, activeDays: core.config.memberActiveDays });
  const naming = createNamingPolicy({ users: core.repos.users });
  const recommendations = createRecommendationService(core, { members, naming });
  const ratings = createRatingService(core, { taste: recommendations });
  return {
    members,
    recommendations,
    ratings,
    feedback: createFeedbackService(core, { taste: recommendations }),
    movies: createMovieService(core, { members }),
    diary: createDiaryService(core, { ratings }),
    watchlist: createWatchlistService(core),
    profiles: createProfileService(core, { similarMembers: recommendations.similarMembers, naming }),
    privacy: createPrivacyService(core, { taste: recommendations }),
  };
}

export type Services = ReturnType<typeof createServices>;
