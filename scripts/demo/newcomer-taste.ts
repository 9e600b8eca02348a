/**
 * How the demo's newcomer rates the films on her onboarding panel: as one taste cluster of the seeded server does.
 * She takes the cluster that likes the panel's first films best (so she has films to love), and rates each film
 * 3.5★ moved by twice how much more (or less) that cluster likes it than the server does, to the half star:
 *
 *   stars(f) = clamp(round₀.₅(3.5 + 2 · (mean_cluster(f) − mean_server(f))), 0.5, 5)
 *
 * so her ratings carry the cluster's taste plainly, and her neighbours turn out to be its members.
 */
import type { DemoRating } from '../../local-discord/index.js';
import type { SeedReport } from '../../src/seed/seed.js';

export interface NewcomerTaste {
  cluster: { id: number; label: string };
  /** Her stars for a film (3.5 for a film the cluster has not rated twice). */
  starsFor(tmdbId: number): number;
}

const mean = (values: readonly number[]) => values.reduce((total, value) => total + value, 0) / values.length;
const roundHalf = (value: number) => Math.min(5, Math.max(0.5, Math.round(value * 2) / 2));
/** A cluster's opinion of a film counts once this many of its members rated it. */
const MIN_RATERS = 2;

export function newcomerTaste(
  report: Pick<SeedReport, 'members' | 'clusters'>,
  ratings: readonly DemoRating[],
  firstFilms: readonly number[],
): NewcomerTaste {
  const clusterOf = new Map(report.members.map((member) => [member.userId, member.cluster]));
  const byFilm = new Map<number, { all: number[]; byCluster: Map<number, number[]> }>();
  for (const rating of ratings) {
    const film = byFilm.get(rating.movieId) ?? { all: [], byCluster: new Map<number, number[]>() };
    film.all.push(rating.score);
    const cluster = clusterOf.get(rating.userId);
    if (cluster !== undefined) film.byCluster.set(cluster, [...(film.byCluster.get(cluster) ?? []), rating.score]);
    byFilm.set(rating.movieId, film);
  }
  /** How much more cluster c likes film f than the server, or null without enough of its ratings. */
  const lift = (cluster: number, tmdbId: number): number | null => {
    const film = byFilm.get(tmdbId);
    const ours = film?.byCluster.get(cluster) ?? [];
    return film && ours.length >= MIN_RATERS ? mean(ours) - mean(film.all) : null;
  };
  const liking = (cluster: number) =>
    firstFilms.reduce((total, tmdbId) => total + Math.max(0, lift(cluster, tmdbId) ?? 0), 0);
  const [chosen] = [...report.clusters].sort((a, b) => liking(b.id) - liking(a.id) || a.id - b.id);
  const cluster = chosen ?? { id: 0, label: 'one group' };
  return {
    cluster,
    starsFor(tmdbId) {
      const difference = lift(cluster.id, tmdbId);
      return difference === null ? 3.5 : roundHalf(3.5 + 2 * difference);
    },
  };
}
