import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Repositories } from './db/repositories/index.js';
import type { Logger } from './logger.js';
import type { Services } from './services/index.js';
import type { MovieCatalog } from './tmdb/catalog.js';
import type { TmdbClient } from './tmdb/client.js';

/** What every service factory may use; built once in the composition root (src/app.ts). */
export interface CoreDeps {
  config: Config;
  logger: Logger;
  clock: () => Date;
  database: Database;
  repos: Repositories;
  tmdb: TmdbClient;
  catalog: MovieCatalog;
}

/** What commands get: the core plus the use cases. Tests build it from fakes the same way. */
export interface AppContext extends CoreDeps {
  services: Services;
}
