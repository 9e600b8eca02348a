/**
 * npm run register: registers Marquee's slash commands with Discord, to DISCORD_DEV_GUILD_ID when set
 * (instant, for development), otherwise globally (Discord may take a while to show them everywhere).
 */
import { loadDotEnv } from '../src/config.js';
import { registerCommands } from './lib/register.js';

loadDotEnv();
process.exitCode = await registerCommands({
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
