import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commandDifferences, syncCommands } from '../../src/discord/command-sync.js';
import { createLogger } from '../../src/logger.js';
import { createLogCapture } from '../support/log-capture.js';

const rate = (description = 'Rate a film') =>
  new SlashCommandBuilder()
    .setName('rate')
    .setDescription(description)
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) => option.setName('movie').setDescription('Film').setRequired(true).setMaxLength(100))
    .addNumberOption((option) => option.setName('stars').setDescription('Stars').addChoices({ name: '★', value: 1 }))
    .toJSON();
const about = new SlashCommandBuilder().setName('about').setDescription('About Marquee').toJSON();

/** A command as Discord answers GET …/commands: ids, versions and its defaults added, nulls where we sent nothing. */
function asDiscordKeepsIt(command: ReturnType<typeof rate>) {
  return {
    ...command,
    id: '1',
    application_id: '2',
    version: '3',
    type: 1,
    default_member_permissions: null,
    nsfw: false,
    integration_types: [ApplicationIntegrationType.GuildInstall],
    name_localizations: null,
    description_localizations: null,
    options: command.options?.map((option) => ({ ...option, name_localizations: null })),
  };
}

describe('the commands Discord has against this version’s', () => {
  it('finds none missing or stale when Discord only added its own fields', () => {
    expect(commandDifferences([asDiscordKeepsIt(rate()), asDiscordKeepsIt(about)], [rate(), about])).toEqual({
      missing: [],
      stale: [],
      extra: [],
    });
  });

  it('finds missing, stale (another description, option or context) and extra commands', () => {
    const older = asDiscordKeepsIt(rate('Rate a film you saw'));
    const gone = { ...asDiscordKeepsIt(about), name: 'oldcommand' };
    expect(commandDifferences([older, gone], [rate(), about])).toEqual({
      missing: ['about'],
      stale: ['rate'],
      extra: ['oldcommand'],
    });
    const everywhere = { ...asDiscordKeepsIt(rate()), contexts: [0, 1, 2] };
    expect(commandDifferences([everywhere], [rate()]).stale).toEqual(['rate']);
  });

  it('registers missing commands, or only warns when told not to', async () => {
    const calls: string[] = [];
    const rest = {
      get: async (route: string) => (calls.push(`GET ${route}`), [asDiscordKeepsIt(about)]),
      put: async (route: string) => (calls.push(`PUT ${route}`), []),
    };
    const log = createLogCapture();
    const base = { rest, applicationId: '42', commands: [rate(), about], logger: log.logger };
    expect(await syncCommands({ ...base, autoRegister: false, devGuildId: '7' })).toBe('differ');
    expect(await syncCommands({ ...base, autoRegister: true })).toBe('registered');
    expect(calls).toEqual([
      'GET /applications/42/guilds/7/commands',
      'GET /applications/42/commands',
      'PUT /applications/42/commands',
    ]);
    expect(log.lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      "The slash commands registered in server 7 differ from this version's (/rate): run `npm run register`",
      'Registered the slash commands globally (Discord may take a while to show them everywhere)',
    ]);
    const current = {
      ...base,
      rest: { ...rest, get: async () => [asDiscordKeepsIt(rate()), asDiscordKeepsIt(about)] },
    };
    expect(await syncCommands({ ...current, autoRegister: true, logger: createLogger({ level: 'silent' }) })).toBe(
      'current',
    );
  });
});
