import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../../src/discord/command.js';
import { UserFacingError } from '../../src/errors.js';
import { GENERIC_APOLOGY } from '../../src/discord/router.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { databaseKinds } from '../support/databases.js';

const GUILD = '810000000000000001';
const CHANNEL = '820000000000000001';
const ALICE = '830000000000000001';

/** Commands that exercise the router itself: one that crashes, one that refuses, one that answers. */
const testCommands: Command[] = [
  {
    data: new SlashCommandBuilder().setName('explode').setDescription('Throws').setContexts(InteractionContextType.Guild),
    async execute() {
      throw new Error('database exploded: secret-internal-detail');
    },
  },
  {
    data: new SlashCommandBuilder().setName('refuse').setDescription('Refuses').setContexts(InteractionContextType.Guild),
    async execute() {
      throw new UserFacingError('not-allowed', 'You cannot do that here.');
    },
  },
  {
    data: new SlashCommandBuilder().setName('hello').setDescription('Says hello').setContexts(InteractionContextType.Guild),
    async execute(interaction) {
      await interaction.deferReply();
      await interaction.editReply('hello');
    },
  },
];

describe.each(databaseKinds())('the interaction router on %s', (kind) => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      commands: testCommands,
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL }], members: [{ id: ALICE }] }],
    });
  });
  afterAll(() => bot.close());

  it('answers an unknown exception with an ephemeral apology and logs it with the interaction ids', async () => {
    const handle = bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'explode' });
    const reply = await handle.waitFor('reply');
    expect(reply.message.content).toBe(GENERIC_APOLOGY);
    expect(reply.message.flags ?? 0).toBe(MessageFlags.Ephemeral);
    expect(reply.message.content).not.toContain('secret-internal-detail');
    const logged = bot.logs.find((line) => line.msg === 'interaction failed');
    expect(logged).toMatchObject({ command: 'explode', userId: ALICE, guildId: GUILD, interactionId: handle.id });
  });

  it('shows a UserFacingError’s own message, ephemerally', async () => {
    const reply = await bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'refuse' }).waitFor('reply');
    expect(reply.message.content).toBe('You cannot do that here.');
    expect(reply.message.flags ?? 0).toBe(MessageFlags.Ephemeral);
  });

  it('records the member as seen in the guild before running a command', async () => {
    await bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'hello' }).waitFor('edit');
    expect(await bot.app.ctx.repos.guilds.isMember(GUILD, ALICE)).toBe(true);
  });

  it('retries a request that Discord answered with 429 and still delivers the answer', async () => {
    const limit = bot.fake.inject429({ method: 'PATCH', path: /^\/webhooks\//, retryAfterSeconds: 0.05 });
    const edit = await bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'hello' }).waitFor('edit');
    expect(edit.message.content).toBe('hello');
    expect(limit.hits).toBe(1);
  });

  it('deletes the guild’s own data when the bot is removed from it, keeping members’ ratings', async () => {
    await bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'hello' }).waitFor('edit');
    bot.fake.removeGuild(GUILD);
    await vi.waitFor(async () => expect(await bot.app.ctx.repos.guilds.isMember(GUILD, ALICE)).toBe(false));
    expect(await bot.app.ctx.repos.users.exists(ALICE)).toBe(true);
  });
});
