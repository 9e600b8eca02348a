import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type APIMessage,
} from 'discord.js';
import { component, type Command } from '../../src/discord/command.js';
import { UserFacingError } from '../../src/errors.js';
import { controlGone, GENERIC_APOLOGY } from '../../src/discord/router.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { databaseKinds } from '../support/databases.js';

const GUILD = '810000000000000001';
const CHANNEL = '820000000000000001';
const ALICE = '830000000000000001';

const isEphemeral = (message: APIMessage | undefined) => ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;

/**
 * Commands that exercise the router itself: one that crashes, one that refuses, one that answers, two
 * that fail after a public deferral, and one whose button fails after deferring the update.
 */
const testCommands: Command[] = [
  {
    data: new SlashCommandBuilder()
      .setName('explode')
      .setDescription('Throws')
      .setContexts(InteractionContextType.Guild),
    async execute() {
      throw new Error('database exploded: secret-internal-detail');
    },
  },
  {
    data: new SlashCommandBuilder()
      .setName('refuse')
      .setDescription('Refuses')
      .setContexts(InteractionContextType.Guild),
    async execute() {
      throw new UserFacingError('not-yours', 'You cannot do that here.');
    },
  },
  {
    data: new SlashCommandBuilder()
      .setName('hello')
      .setDescription('Says hello')
      .setContexts(InteractionContextType.Guild),
    async execute(interaction) {
      await interaction.deferReply();
      await interaction.editReply('hello');
    },
  },
  {
    data: new SlashCommandBuilder()
      .setName('public-refuse')
      .setDescription('Refuses late')
      .setContexts(InteractionContextType.Guild),
    async execute(interaction) {
      await interaction.deferReply();
      throw new UserFacingError('profile-private', 'Only you should read this.');
    },
  },
  {
    data: new SlashCommandBuilder()
      .setName('public-explode')
      .setDescription('Throws late')
      .setContexts(InteractionContextType.Guild),
    async execute(interaction) {
      await interaction.deferReply();
      throw new Error('exploded after a public deferral');
    },
  },
  {
    data: new SlashCommandBuilder()
      .setName('poll')
      .setDescription('Has buttons')
      .setContexts(InteractionContextType.Guild),
    async execute(interaction) {
      await interaction.reply('poll');
    },
    components: {
      vote: component({
        parse: ([choice]) => choice ?? null,
        async run(interaction) {
          await interaction.deferUpdate();
          throw new UserFacingError('control-gone', 'That poll is closed.');
        },
      }),
    },
  },
];

/** A public message of the bot's carrying one button with that customId. */
const buttonRow = (customId: string) => [
  new ActionRowBuilder<ButtonBuilder>()
    .addComponents(new ButtonBuilder().setCustomId(customId).setLabel('Go').setStyle(ButtonStyle.Primary))
    .toJSON(),
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
    const reply = await bot.fake
      .slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'refuse' })
      .waitFor('reply');
    expect(reply.message.content).toBe('You cannot do that here.');
    expect(reply.message.flags ?? 0).toBe(MessageFlags.Ephemeral);
  });

  it('tells the member alone about a refusal after a public deferral: the public reply is deleted first', async () => {
    const handle = bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'public-refuse' });

    const followup = await handle.waitFor('followup');

    expect(followup.message.content).toBe('Only you should read this.');
    expect(isEphemeral(followup.message)).toBe(true);
    // Discord turns a follow-up sent straight after a deferral into a public edit of it: delete, then follow up.
    expect(handle.events.map((event) => event.kind)).toEqual(['callback', 'delete', 'followup']);
    expect(isEphemeral(handle.events[0]?.message)).toBe(false);
    expect(bot.fake.messagesIn(CHANNEL).map((message) => message.content)).not.toContain('Only you should read this.');
    expect(bot.fake.message(handle.events[0]?.message?.id ?? '')).toBeUndefined();
  });

  it('apologises to the member alone after a public deferral, deleting the public reply', async () => {
    const handle = bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'public-explode' });

    const followup = await handle.waitFor('followup');

    expect(followup.message.content).toBe(GENERIC_APOLOGY);
    expect(isEphemeral(followup.message)).toBe(true);
    expect(handle.events.map((event) => event.kind)).toEqual(['callback', 'delete', 'followup']);
  });

  it('leaves a public message alone when its button fails after deferring the update, and tells the clicker alone', async () => {
    const poll = bot.fake.createMessage({
      channelId: CHANNEL,
      authorId: bot.fake.botUserId,
      content: 'poll',
      components: buttonRow('poll:vote:1'),
    });
    const handle = bot.fake.button({ userId: ALICE, messageId: poll.id, customId: 'poll:vote:1' });

    const followup = await handle.waitFor('followup');

    expect(followup.message.content).toBe('That poll is closed.');
    expect(isEphemeral(followup.message)).toBe(true);
    expect(handle.events.map((event) => event.kind)).toEqual(['callback', 'followup']);
    expect(bot.fake.message(poll.id)?.content).toBe('poll');
  });

  it('answers a button of a known command that has no component handler instead of staying silent', async () => {
    const old = bot.fake.createMessage({
      channelId: CHANNEL,
      authorId: bot.fake.botUserId,
      content: 'old',
      components: buttonRow('hello:again'),
    });

    const reply = await bot.fake.button({ userId: ALICE, messageId: old.id, customId: 'hello:again' }).waitFor('reply');

    expect(reply.message.content).toBe(controlGone('hello'));
    expect(isEphemeral(reply.message)).toBe(true);
    expect(bot.logs.find((line) => line.msg === 'refused' && line.command === 'hello')).toMatchObject({
      kind: 'component',
      code: 'control-gone',
    });
  });

  it('records the member as seen in the guild when they run a command', async () => {
    await bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'hello' }).waitFor('edit');
    await vi.waitFor(async () => expect(await bot.app.repos.guilds.isMember(GUILD, ALICE)).toBe(true));
  });

  it('retries a request that Discord answered with 429 and still delivers the answer', async () => {
    const limit = bot.fake.inject429({ method: 'PATCH', path: /^\/webhooks\//, retryAfterSeconds: 0.05 });
    const edit = await bot.fake
      .slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'hello' })
      .waitFor('edit');
    expect(edit.message.content).toBe('hello');
    expect(limit.hits).toBe(1);
  });

  it('on start, deletes the data of a guild the bot was removed from while offline, and keeps the guilds it is in', async () => {
    const goneGuild = '810000000000000099';
    await bot.app.repos.guilds.touchMember(goneGuild, ALICE, new Date());
    await bot.app.repos.guilds.touchMember(GUILD, ALICE, new Date());
    await bot.restart();
    await vi.waitFor(async () => expect(await bot.app.repos.guilds.ids()).not.toContain(goneGuild));
    expect(await bot.app.repos.guilds.ids()).toContain(GUILD);
  });

  it('deletes the guild’s own data when the bot is removed from it, keeping members’ ratings', async () => {
    await bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'hello' }).waitFor('edit');
    bot.fake.removeGuild(GUILD);
    await vi.waitFor(async () => expect(await bot.app.repos.guilds.isMember(GUILD, ALICE)).toBe(false));
    expect(await bot.app.database.models.User.count({ where: { id: ALICE } })).toBe(1);
  });
});
