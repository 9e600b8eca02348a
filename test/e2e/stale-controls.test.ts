import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  type APIMessage,
} from 'discord.js';
import { commands } from '../../commands/index.js';
import type { Command } from '../../src/discord/command.js';
import { controlGone, NOT_YOURS, SUBCOMMAND_GONE } from '../../src/discord/router.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { databaseKinds } from '../support/databases.js';

const GUILD = '810000000000000401';
const CHANNEL = '820000000000000401';
const ALICE = '830000000000000401';
const BOB = '830000000000000402';

const isEphemeral = (message: APIMessage) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
const button = (customId: string) => [
  new ActionRowBuilder<ButtonBuilder>()
    .addComponents(new ButtonBuilder().setCustomId(customId).setLabel('Go').setStyle(ButtonStyle.Primary))
    .toJSON(),
];
const select = (customId: string) => [
  new ActionRowBuilder<StringSelectMenuBuilder>()
    .addComponents(new StringSelectMenuBuilder().setCustomId(customId).addOptions({ label: 'A film', value: '550' }))
    .toJSON(),
];

/** A command whose registration (an older version's, say) lists a subcommand the bot no longer handles. */
const shrunk: Command = {
  data: new SlashCommandBuilder()
    .setName('shrunk')
    .setDescription('Lost a subcommand')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) => sub.setName('kept').setDescription('Still here'))
    .addSubcommand((sub) => sub.setName('dropped').setDescription('Gone')),
  subcommands: {
    async kept(interaction) {
      await interaction.reply('kept');
    },
  },
};

describe.each(databaseKinds())('stale and foreign controls on %s', (kind) => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      commands: [...commands, shrunk],
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL }], members: [{ id: ALICE }, { id: BOB }] }],
    });
  });
  afterAll(() => bot.close());

  const click = async (customId: string, userId = ALICE) => {
    const message = bot.fake.createMessage({
      channelId: CHANNEL,
      authorId: bot.fake.botUserId,
      components: button(customId),
    });
    return (await bot.fake.button({ userId, messageId: message.id, customId }).waitFor('reply')).message;
  };
  const choose = async (customId: string, value: string) => {
    const message = bot.fake.createMessage({
      channelId: CHANNEL,
      authorId: bot.fake.botUserId,
      components: select(customId),
    });
    return (
      await bot.fake.selectMenu({ userId: ALICE, messageId: message.id, customId, values: [value] }).waitFor('reply')
    ).message;
  };

  const withControls = ['rate', 'movie', 'watched', 'watchlist', 'privacy'] as const;

  it.each(withControls)(
    'answers a control /%s no longer has with the router’s one message, privately',
    async (name) => {
      const reply = await click(`${name}:retired-action:1`);
      expect(reply.content).toBe(controlGone(name));
      expect(isEphemeral(reply)).toBe(true);
    },
  );

  it.each(['rate:pick:4', 'movie:pick', 'watched:pick:remove', 'watchlist:pick:add'])(
    'answers a film select (%s) whose chosen value is no film id as gone, changing nothing',
    async (customId) => {
      const reply = await choose(customId, 'not-a-film');
      expect(reply.content).toBe(controlGone(customId.split(':')[0] ?? ''));
      expect(await bot.app.repos.ratings.listByUser(ALICE)).toEqual([]);
    },
  );

  it.each(['rate:pick:7', 'rate:pick:abc', 'watchlist:pick:archive', 'watched:pick:rewatch'])(
    'answers a film select whose own arguments (%s) no longer make sense as gone',
    async (customId) => {
      const reply = await choose(customId, '550');
      expect(reply.content).toBe(controlGone(customId.split(':')[0] ?? ''));
    },
  );

  it('refuses another member’s watchlist page buttons', async () => {
    const reply = await click(`watchlist:page:${ALICE}:2`, BOB);
    expect(reply.content).toBe(NOT_YOURS);
    expect(isEphemeral(reply)).toBe(true);
  });

  it('refuses a delete confirmation clicked by anyone but the member who asked, deleting nothing', async () => {
    await bot.app.repos.guilds.touchMember(GUILD, ALICE, new Date());
    const reply = await click(`privacy:delete-confirm:${ALICE}`, BOB);
    expect(reply.content).toBe(NOT_YOURS);
    expect(await bot.app.repos.guilds.isMember(GUILD, ALICE)).toBe(true);
  });

  it('answers a subcommand the bot no longer handles', async () => {
    const reply = await bot.fake
      .slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'shrunk', subcommand: 'dropped', options: {} })
      .waitFor('reply');
    expect(reply.message.content).toBe(SUBCOMMAND_GONE);
    expect(isEphemeral(reply.message)).toBe(true);
  });
});
