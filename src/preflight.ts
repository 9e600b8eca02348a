import { z } from 'zod';
import type { Config } from './config.js';
import { startDeadline } from './deadline.js';
import { StartupError } from './errors.js';
import type { Logger } from './logger.js';
import { explainDiscordFailure, explainTmdbFailure, STARTUP_MESSAGES } from './startup-errors.js';

export interface PreflightDeps {
  config: Config;
  /** A GET on Discord's REST API with the bot token (discord.js's `client.rest.get`). */
  discordGet(route: `/${string}`): Promise<unknown>;
  /** One cheap TMDB request with the configured key. */
  tmdbCheck(signal: AbortSignal): Promise<unknown>;
  logger: Logger;
  /** How long the TMDB check may take before the bot starts without it. */
  tmdbBudgetMs?: number;
}

const applicationSchema = z.looseObject({ id: z.string() });

/**
 * `npm start`'s checks before it touches the database: Discord answers and takes the token (and the token is the
 * configured application's), and TMDB takes the key. A StartupError stops the start with one plain sentence;
 * TMDB merely not answering is logged and the bot starts anyway (it serves stored films meanwhile).
 */
export async function preflight({ config, discordGet, tmdbCheck, logger, tmdbBudgetMs = 5_000 }: PreflightDeps) {
  logger.info(`Checking Discord (${config.discord.apiBase ?? 'discord.com'}) and TMDB…`);
  let application: z.infer<typeof applicationSchema>;
  try {
    application = applicationSchema.parse(await discordGet('/applications/@me'));
  } catch (error) {
    throw explainDiscordFailure(error, config.discord.apiBase) ?? error;
  }
  const configured = config.discord.applicationId;
  if (configured !== undefined && configured !== application.id) {
    throw new StartupError(STARTUP_MESSAGES.applicationMismatch(configured, application.id));
  }

  const deadline = startDeadline(tmdbBudgetMs);
  try {
    await tmdbCheck(deadline.signal);
  } catch (error) {
    const explained = explainTmdbFailure(error, config.tmdb);
    if (!explained) throw error;
    if ('fatal' in explained) throw explained.fatal;
    logger.warn(explained.warning);
  } finally {
    deadline.cancel();
  }
}
