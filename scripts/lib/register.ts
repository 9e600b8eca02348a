import { DiscordAPIError, REST, Routes } from 'discord.js';
import { commands } from '../../commands/index.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { explainDiscordFailure } from '../../src/startup-errors.js';

export interface RegisterDeps {
  env: Readonly<Record<string, string | undefined>>;
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * `npm run register`: registers the slash commands with Discord, in DISCORD_DEV_GUILD_ID when set (instant, for
 * development), otherwise globally (Discord may take a while to show them everywhere). Says what it does, and on
 * an expected failure prints one plain sentence with the fix (no stack trace). Returns the exit code.
 */
export async function registerCommands({ env, out, err }: RegisterDeps): Promise<number> {
  let discord;
  try {
    ({ discord } = loadConfig(env, ['discord']));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(
      `${ConfigError.explain(error.problems, 'npm run register')}\n\n` +
        'Copy .env.example to .env and fill it in (README.md, "Running the bot", says where each value comes from).\n',
    );
    return 1;
  }
  const applicationId = discord.applicationId ?? '';
  const rest = new REST(discord.apiBase ? { api: discord.apiBase } : {}).setToken(discord.token ?? '');
  const body = commands.map((command) => command.data.toJSON());
  const route = discord.devGuildId
    ? Routes.applicationGuildCommands(applicationId, discord.devGuildId)
    : Routes.applicationCommands(applicationId);
  const where = discord.devGuildId ? `in server ${discord.devGuildId}` : 'globally';
  out(`Registering ${body.length} slash commands ${where} with ${discord.apiBase ?? 'discord.com'}…\n`);
  try {
    const registered = (await rest.put(route, { body })) as unknown[];
    out(
      `Registered ${registered.length} commands ${where}${discord.devGuildId ? '' : ' (Discord may take a while to show them everywhere)'}: ` +
        `${body.map((command) => `/${command.name}`).join(' ')}\n`,
    );
    return 0;
  } catch (error) {
    const expected = explainDiscordFailure(error, discord.apiBase);
    if (expected) {
      err(`${expected.message}\n`);
      return 1;
    }
    if (error instanceof DiscordAPIError) {
      const hint =
        error.status === 404 || error.code === 10_002
          ? ' Check DISCORD_APPLICATION_ID (and DISCORD_DEV_GUILD_ID: the bot must be in that server).'
          : error.status === 403
            ? ' Invite the bot to that server first (README, "Running the bot").'
            : '';
      err(`Discord refused the commands (HTTP ${error.status}, code ${error.code}): ${error.message}.${hint}\n`);
      return 1;
    }
    throw error;
  }
}
