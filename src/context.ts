import type { Config } from './config.js';
import type { Repositories } from './db/repositories/index.js';
import type { Logger } from './logger.js';
import type { MovieCatalog } from './tmdb/catalog.js';
import type { TmdbStatus } from './tmdb/status.js';

/**
 * What every service factory may use; built once in the composition root (src/app.ts). The database and the
 * raw TMDB client stay there: services reach data through repositories (and `repos.unitOfWork`) and TMDB
 * through the read-through catalog.
 */
export interface CoreDeps {
  config: Config;
  logger: Logger;
  clock: () => Date;
  repos: Repositories;
  catalog: MovieCatalog;
  /** How TMDB answered lately (default: fine), so a failure can be told to members as what it is. */
  tmdbStatus?: TmdbStatus;
}
