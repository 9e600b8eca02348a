/**
 * npm run register: registers Marquee's slash commands with Discord, to DISCORD_DEV_GUILD_ID when set
 * (instant, for development), otherwise globally (Discord may take a while to show them everywhere).
 */
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { commands } from '../commands/index.js';
import { loadConfig, loadDotEnv } from '../src/config.js';
import { runScript } from './lib/run-script.js';

await runScript(async () => {
  loadDotEnv();
  const { discord } = loadConfig(process.env, ['discord']);
  const applicationId = discord.applicationId ?? '';
  const rest = new REST(discord.apiBase ? { api: discord.apiBase } : {}).setToken(discord.token ?? '');
  const body = commands.map((command) => command.data.toJSON());
  const route = discord.devGuildId
    ? Routes.applicationGuildCommands(applicationId, discord.devGuildId)
    : Routes.applicationCommands(applicationId);
  try {
    const registered = (await rest.put(route, { body })) as unknown[];
    const where = discord.devGuildId ? `to server ${discord.devGuildId}` : 'globally (may take a while to appear)';
    console.log(`Registered ${registered.length} commands ${where}: ${body.map((c) => `/${c.name}`).join(' ')}`);
  } catch (error) {
    if (error instanceof DiscordAPIError) {
      throw new Error(`Discord refused the commands (HTTP ${error.status}, code ${error.code}): ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
});
