import { describe, expect, it, onTestFinished } from 'vitest';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  Status,
  type ClientEvents,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { createDiscordClient } from '../src/discord/client.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './index.js';

const GUILD = '200000000000000001';
const TEXT = '300000000000000001';
const QUIET = '300000000000000002';
const VOICE = '300000000000000003';
const ALICE = '400000000000000001';
const BOB = '400000000000000002';
const STRANGER = '400000000000000099';

const rateCommand = new SlashCommandBuilder()
  .setName('rate')
  .setDescription('Rate a film')
  .addStringOption((o) => o.setName('movie').setDescription('The film').setRequired(true).setAutocomplete(true))
  .addNumberOption((o) => o.setName('stars').setDescription('Stars').setRequired(true))
  .addUserOption((o) => o.setName('member').setDescription('On behalf of'));

const baseOptions: FakeDiscordOptions = {
  guilds: [
    {
      id: GUILD,
      name: 'Film club',
      channels: [
        { id: TEXT, name: 'films' },
        { id: QUIET, name: 'announcements', deniedBotPermissions: ['AddReactions'] },
        { id: VOICE, name: 'cinema', type: ChannelType.GuildVoice },
      ],
      members: [
        { id: ALICE, username: 'alice' },
        { id: BOB, username: 'bob' },
      ],
      voiceStates: [{ userId: ALICE, channelId: VOICE }],
    },
  ],
  users: [{ id: STRANGER, username: 'stranger' }],
  commands: [rateCommand.toJSON()],
};

/** A fake plus a real discord.js client logged in to it; both are closed when the test ends. */
async function setup(options: FakeDiscordOptions = baseOptions): Promise<{ fake: FakeDiscord; client: Client }> {
  const fake = await startFakeDiscord(options);
  onTestFinished(() => fake.close());
  const client = await fake.login(createDiscordClient({ apiBase: fake.apiBase }));
  return { fake, client };
}

function onInteraction(client: Client, handler: (interaction: Interaction) => Promise<unknown>): void {
  client.on(Events.InteractionCreate, (interaction) => {
    void handler(interaction);
  });
}

/** The next `event` on the client, failing within 5 s (with what the fake refused lately) instead of the test timeout. */
function nextEvent<Event extends keyof ClientEvents>(
  fake: FakeDiscord,
  client: Client,
  event: Event,
): Promise<ClientEvents[Event]> {
  const seen: ClientEvents[Event][] = [];
  client.once(event, (...args) => {
    seen.push(args);
  });
  return fake.waitUntil(() => seen[0], { description: `${event} on the client` });
}

async function textChannel(client: Client, id: string): Promise<TextChannel> {
  const channel = await client.channels.fetch(id);
  if (channel?.type !== ChannelType.GuildText) throw new Error(`channel ${id} is not a text channel`);
  return channel;
}

describe('fake Discord with the real discord.js client', () => {
  it('logs in with only non-privileged intents and caches the guild, its channels, members and voice states', async () => {
    const { fake, client } = await setup();

    const guild = client.guilds.cache.get(GUILD);
    expect(guild?.name).toBe('Film club');
    expect(guild?.channels.cache.map((c) => c.id).sort()).toEqual([TEXT, QUIET, VOICE]);
    expect(guild?.members.me?.id).toBe(fake.botUserId);
    const voice = guild?.channels.cache.get(VOICE);
    expect(voice?.isVoiceBased() ? [...voice.members.keys()] : undefined).toEqual([ALICE]);
    // Guilds (1) + GuildVoiceStates (1 << 7 = 128) + GuildMessageReactions (1 << 10 = 1024) = 1153.
    expect(fake.identifies.map((i) => i.intents)).toEqual([
      GatewayIntentBits.Guilds | GatewayIntentBits.GuildVoiceStates | GatewayIntentBits.GuildMessageReactions,
    ]);
    expect(fake.identifies[0]?.intents).toBe(1153);
  });

  it('lets the bot compute its channel permissions from the overwrites sent in GUILD_CREATE', async () => {
    const { client } = await setup();
    const guild = client.guilds.cache.get(GUILD);
    const me = guild?.members.me;
    if (!guild || !me) throw new Error('guild not cached');

    const quiet = guild.channels.cache.get(QUIET)?.permissionsFor(me);
    const open = guild.channels.cache.get(TEXT)?.permissionsFor(me);
    expect(quiet?.has(PermissionFlagsBits.AddReactions)).toBe(false);
    expect(quiet?.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(open?.has([PermissionFlagsBits.AddReactions, PermissionFlagsBits.ReadMessageHistory])).toBe(true);
  });

  it('rejects an IDENTIFY that asks for a privileged intent', async () => {
    const fake = await startFakeDiscord(baseOptions);
    onTestFinished(() => fake.close());
    const greedy = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent],
      rest: { api: fake.apiBase },
    });
    onTestFinished(() => greedy.destroy());

    await expect(greedy.login(fake.token)).rejects.toThrow(/disallowed intents/i);
    expect(fake.identifies).toEqual([]);
  });

  it('records an ephemeral reply with the option types of the registered command', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const stars = interaction.options.getNumber('stars', true);
      const member = interaction.options.getMember('member');
      await interaction.reply({
        content: `${interaction.options.getString('movie', true)}: ${String(stars)} by ${interaction.user.id} for ${member ? 'a member' : 'nobody'}`,
        flags: MessageFlags.Ephemeral,
      });
    });

    const handle = fake.slash({
      channelId: TEXT,
      userId: ALICE,
      name: 'rate',
      options: { movie: '603', stars: 4.5, member: BOB },
    });
    const reply = await handle.waitFor('reply');

    expect(reply.message.content).toBe(`603: 4.5 by ${ALICE} for a member`);
    expect(reply.message.flags).toBe(MessageFlags.Ephemeral);
    expect(handle.callbacks.map((c) => c.callbackType)).toEqual([4]);
    expect(fake.messagesIn(TEXT)).toEqual([]);
    // The registered /rate declares `stars` as a Number option (type 10), not an Integer.
    expect(handle.payload.data).toMatchObject({
      name: 'rate',
      options: [{ name: 'movie' }, { name: 'stars', type: 10 }, { name: 'member', type: 6 }],
    });
  });

  it('resolves a user option for someone outside the guild as a user without a member', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const user = interaction.options.getUser('member');
      const member = interaction.options.getMember('member');
      await interaction.reply(`${user?.username ?? 'none'} / ${member ? 'member' : 'not a member'}`);
    });

    const handle = fake.slash({
      channelId: TEXT,
      userId: ALICE,
      name: 'rate',
      options: { movie: '603', stars: 3, member: STRANGER },
    });

    expect((await handle.waitFor('reply')).message.content).toBe('stranger / not a member');
  });

  it('records a deferred reply, then the edit of @original, and keeps the message in channel history', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await interaction.editReply({ content: 'Your picks', embeds: [{ title: 'The Matrix (1999)' }] });
    });

    const handle = fake.slash({ channelId: TEXT, userId: BOB, name: 'recommend' });
    const deferred = await handle.waitFor('deferred');
    const edit = await handle.waitFor('edit');

    expect(deferred.message?.flags).toBe(MessageFlags.Loading);
    expect(edit.message.content).toBe('Your picks');
    expect(edit.message.embeds[0]?.title).toBe('The Matrix (1999)');
    expect(handle.original?.flags).toBe(0);
    expect(fake.messagesIn(TEXT).map((m) => m.id)).toEqual([edit.message.id]);
  });

  it('answers an autocomplete with the choices the bot responds', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const typed = interaction.options.getFocused();
      await interaction.respond([{ name: `${typed} (1999)`, value: '603' }]);
    });

    const handle = fake.autocomplete({
      channelId: TEXT,
      userId: ALICE,
      name: 'rate',
      options: { movie: 'The Mat' },
      focused: 'movie',
    });
    const answer = await handle.waitFor('autocomplete');

    expect(answer.choices).toEqual([{ name: 'The Mat (1999)', value: '603' }]);
    expect(handle.choices).toEqual(answer.choices);
  });

  it('refuses autocomplete choices beyond Discord limits with a 50035', async () => {
    const { fake, client } = await setup();
    const errors: unknown[] = [];
    onInteraction(client, async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const choices = Array.from({ length: 26 }, (_, i) => ({ name: `Film ${String(i)}`, value: String(i) }));
      await interaction.respond(choices).catch((error: unknown) => errors.push(error));
    });

    const handle = fake.autocomplete({
      channelId: TEXT,
      userId: ALICE,
      name: 'rate',
      options: { movie: 'x' },
      focused: 'movie',
    });
    const rejected = await handle.waitFor((e) => e.kind === 'rejected');

    expect(rejected.error?.code).toBe(50_035);
    await fake.waitUntil(() => errors.length > 0);
    expect(errors[0]).toBeInstanceOf(DiscordAPIError);
  });

  it('refuses an edit whose embeds exceed 6000 characters in total, and records it on the handle', async () => {
    const { fake, client } = await setup();
    const errors: unknown[] = [];
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      // Two descriptions of 3500 each pass the 4096 limit per embed but make 7000 > 6000 for the message.
      const embeds = [{ description: 'a'.repeat(3_500) }, { description: 'b'.repeat(3_500) }];
      await interaction.editReply({ embeds }).catch((error: unknown) => errors.push(error));
    });

    const handle = fake.slash({ channelId: TEXT, userId: ALICE, name: 'recommend' });
    const rejected = await handle.waitFor((e) => e.kind === 'rejected');
    await fake.waitUntil(() => errors.length > 0);

    expect(rejected.error).toMatchObject({
      status: 400,
      code: 50_035,
      errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } },
    });
    expect(errors[0]).toMatchObject({ status: 400, code: 50_035 });
    expect(handle.edits).toEqual([]);
  });

  it('records follow-ups after the reply, as separate channel messages', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply('Pick 1');
      await interaction.followUp('Pick 2');
      await interaction.followUp({ content: 'Only you can see this', flags: MessageFlags.Ephemeral });
    });

    const handle = fake.slash({ channelId: TEXT, userId: ALICE, name: 'recommend' });
    await handle.waitFor((e) => e.kind === 'followup' && e.message?.content === 'Only you can see this');

    expect(handle.followups.map((f) => f.message?.content)).toEqual(['Pick 2', 'Only you can see this']);
    expect(fake.messagesIn(TEXT).map((m) => m.content)).toEqual(['Pick 1', 'Pick 2']);
  });

  it('parses a multipart reply and keeps the uploaded file', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const json = JSON.stringify({ ratings: [{ movieId: 603, stars: 4.5 }] });
      await interaction.reply({
        content: 'Your data',
        files: [{ attachment: Buffer.from(json), name: 'marquee-export.json' }],
        flags: MessageFlags.Ephemeral,
      });
    });

    const handle = fake.slash({ channelId: TEXT, userId: ALICE, name: 'privacy', subcommand: 'export' });
    const reply = await handle.waitFor('reply');

    expect(reply.message.content).toBe('Your data');
    expect(reply.files.map((f) => f.name)).toEqual(['marquee-export.json']);
    expect(JSON.parse(reply.files[0]?.data.toString('utf8') ?? '')).toEqual({
      ratings: [{ movieId: 603, stars: 4.5 }],
    });
    expect(reply.message.attachments.map((a) => a.filename)).toEqual(['marquee-export.json']);
    expect(fake.filesOf(reply.message.id).map((f) => f.name)).toEqual(['marquee-export.json']);
  });

  it('serves a file attached to an attachment option at the URL the interaction carries', async () => {
    const importCommand = new SlashCommandBuilder()
      .setName('import')
      .setDescription('Import')
      .addAttachmentOption((o) => o.setName('file').setDescription('The file').setRequired(true));
    const { fake, client } = await setup({ ...baseOptions, commands: [importCommand.toJSON()] });
    const seen: { name: string; size: number; url: string; body: string }[] = [];
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const file = interaction.options.getAttachment('file', true);
      const body = await (await fetch(file.url)).text();
      seen.push({ name: file.name, size: file.size, url: file.url, body });
      await interaction.reply({ content: 'got it', flags: MessageFlags.Ephemeral });
    });

    const csv = 'Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Heat,1995,,4\n';
    const handle = fake.slash({
      channelId: TEXT,
      userId: ALICE,
      name: 'import',
      attachments: { file: { name: 'ratings.csv', data: Buffer.from(csv), size: 9_000_000 } },
    });
    await handle.waitFor('reply');

    expect(seen).toEqual([
      {
        name: 'ratings.csv',
        size: 9_000_000,
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/attachments\//),
        body: csv,
      },
    ]);
    expect(() =>
      fake.slash({
        channelId: TEXT,
        userId: ALICE,
        name: 'import',
        attachments: { other: { name: 'x', data: Buffer.from('') } },
      }),
    ).toThrow(/has no attachment option 'other'/);
  });

  it('delivers direct messages, and refuses them with 50007 to a user who takes none', async () => {
    const { fake, client } = await setup({
      ...baseOptions,
      users: [{ id: STRANGER, username: 'stranger', acceptsDms: false }],
    });

    const sent = await (await client.users.fetch(ALICE)).send({ content: 'Your import finished.' });
    const refused = await (await client.users.fetch(STRANGER)).send('Hello').catch((error: unknown) => error);

    expect(fake.directMessagesTo(ALICE).map((message) => message.content)).toEqual(['Your import finished.']);
    expect(sent.channel.type).toBe(ChannelType.DM);
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect((refused as DiscordAPIError).code).toBe(50_007);
    expect(fake.directMessagesTo(STRANGER)).toEqual([]);
  });

  it('routes a button click on a reply and records the update of that message', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('privacy:confirm').setLabel('Delete').setStyle(ButtonStyle.Danger),
        );
        await interaction.reply({ content: 'Sure?', components: [row], flags: MessageFlags.Ephemeral });
      } else if (interaction.isButton()) {
        await interaction.update({ content: `Deleted (${interaction.customId})`, components: [] });
      }
    });

    const command = fake.slash({ channelId: TEXT, userId: ALICE, name: 'privacy', subcommand: 'delete' });
    const reply = await command.waitFor('reply');
    const click = fake.button({ userId: ALICE, messageId: reply.message.id, customId: 'privacy:confirm' });
    const update = await click.waitFor('update');

    expect(update.message.content).toBe('Deleted (privacy:confirm)');
    expect(fake.message(reply.message.id)?.components).toEqual([]);
  });

  it('returns the callback resource when discord.js asks for it with with_response', async () => {
    const { fake, client } = await setup();
    const seen: string[] = [];
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const response = await interaction.reply({ content: 'Saved', withResponse: true });
      const fetched = await interaction.fetchReply();
      seen.push(`${response.resource?.message?.content ?? ''} = ${fetched.content}`);
      await interaction.deleteReply();
    });

    const handle = fake.slash({ channelId: TEXT, userId: ALICE, name: 'rate', options: { movie: '603', stars: 5 } });
    const deleted = await handle.waitFor((e) => e.kind === 'delete');

    expect(seen).toEqual(['Saved = Saved']);
    expect(fake.requestsTo('POST', '/interactions/:id/:token/callback')[0]?.query).toEqual({ with_response: 'true' });
    expect(fake.message(deleted.message?.id ?? '')).toBeUndefined();
  });

  it('edits the component message after a deferred update from a select menu', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (interaction) => {
      if (!interaction.isStringSelectMenu()) return;
      await interaction.deferUpdate();
      await interaction.editReply({ content: `Chose ${interaction.values.join(', ')}`, components: [] });
    });
    const menu = fake.createMessage({ channelId: TEXT, authorId: fake.botUserId, content: 'Which one?' });

    const handle = fake.selectMenu({ userId: BOB, messageId: menu.id, customId: 'resolve:rate', values: ['603'] });
    const edit = await handle.waitFor('edit');

    expect(handle.callbacks.map((c) => c.callbackType)).toEqual([6]);
    expect(edit.message.id).toBe(menu.id);
    expect(fake.message(menu.id)?.content).toBe('Chose 603');
  });

  it('serves a 429 on an interaction callback that discord.js retries within the deadline', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply('after the wait');
    });
    const limit = fake.inject429({ method: 'POST', path: /^\/interactions\/.+\/callback$/, retryAfterSeconds: 0.05 });

    const handle = fake.slash({ channelId: TEXT, userId: ALICE, name: 'rate', options: { movie: '1', stars: 1 } });
    const reply = await handle.waitFor('reply');

    expect(reply.message.content).toBe('after the wait');
    expect(limit.hits).toBe(1);
    expect(fake.requestsTo('POST', '/interactions/:id/:token/callback').map((r) => r.status)).toEqual([429, 204]);
  });

  it('refuses a second acknowledgement of the same interaction with 40060', async () => {
    const { fake, client } = await setup();
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply('first');
      // Bypasses discord.js's own guard to send what a buggy router would.
      await client.rest
        .post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
          body: { type: 4, data: { content: 'again' } },
          auth: false,
        })
        .catch(() => undefined);
    });

    const handle = fake.slash({ channelId: TEXT, userId: ALICE, name: 'twice' });

    expect((await handle.waitFor((e) => e.kind === 'rejected')).error?.code).toBe(40_060);
    expect(handle.callbacks.map((c) => c.message?.content)).toEqual(['first']);
  });

  it('refuses a callback that comes after the interaction deadline with 10062', async () => {
    // The fake's clock is injected: the bot "takes" 3.5 s by moving it, so no test waits on real time.
    let nowMs = 0;
    const { fake, client } = await setup({ ...baseOptions, now: () => nowMs });
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      nowMs += 3_500;
      await interaction.reply('too late').catch(() => undefined);
    });

    const handle = fake.slash({ channelId: TEXT, userId: ALICE, name: 'late' });

    expect((await handle.waitFor((e) => e.kind === 'rejected')).error?.code).toBe(10_062);
    expect(handle.acknowledged).toBe(false);
  });

  it('adds reactions through the channel message API and dispatches them back to the bot', async () => {
    const { fake, client } = await setup();
    const seen: string[] = [];
    client.on(Events.MessageReactionAdd, (reaction, user) => {
      seen.push(`${reaction.emoji.name ?? ''} by ${user.id}`);
    });
    const channel = await textChannel(client, TEXT);

    const message = await channel.send('The Matrix (1999)');
    await message.react('👍');
    await message.react('👎');
    await fake.waitUntil(() => seen.length === 2, { description: 'the bot to see its own reactions' });

    expect(fake.reactionsOn(message.id)).toEqual({ '👍': [fake.botUserId], '👎': [fake.botUserId] });
    expect(seen).toEqual([`👍 by ${fake.botUserId}`, `👎 by ${fake.botUserId}`]);
    expect(fake.requestsTo('PUT', '/channels/:c/messages/:m/reactions/:e/@me').map((r) => r.status)).toEqual([
      204, 204,
    ]);
  });

  it('serves a 429 that discord.js waits out and retries successfully', async () => {
    const { fake, client } = await setup();
    const channel = await textChannel(client, TEXT);
    const message = await channel.send('Card');
    const limit = fake.inject429({
      method: 'PUT',
      path: '/channels/:c/messages/:m/reactions/:e/@me',
      retryAfterSeconds: 0.05,
    });

    await message.react('👍');

    expect(limit.hits).toBe(1);
    expect(fake.requestsTo('PUT', '/channels/:c/messages/:m/reactions/:e/@me').map((r) => r.status)).toEqual([
      429, 204,
    ]);
    expect(fake.reactionsOn(message.id)['👍']).toEqual([fake.botUserId]);
  });

  it('gives a 403 DiscordAPIError 50013 where the bot lacks Add Reactions', async () => {
    const { fake, client } = await setup();
    const channel = await textChannel(client, QUIET);
    const message = await channel.send('Card without feedback');

    const error = await message.react('👍').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 403, code: 50_013 });
    expect(fake.reactionsOn(message.id)).toEqual({});
  });

  it('answers GET member with 10007 for a user who is not in the guild', async () => {
    const { client } = await setup();
    const guild = client.guilds.cache.get(GUILD);

    await expect(guild?.members.fetch({ user: STRANGER, force: true })).rejects.toMatchObject({
      status: 404,
      code: 10_007,
    });
    await expect(guild?.members.fetch({ user: BOB, force: true })).resolves.toMatchObject({ id: BOB });
    await expect(client.users.fetch(STRANGER)).resolves.toMatchObject({ username: 'stranger' });
  });

  it('stores registered commands with stable ids and rejects an invalid one with 50035', async () => {
    const { fake, client } = await setup({ ...baseOptions, commands: [] });
    const guild = client.guilds.cache.get(GUILD);
    if (!guild) throw new Error('guild not cached');

    const first = await guild.commands.set([rateCommand.toJSON()]);
    const second = await guild.commands.set([rateCommand.toJSON()]);
    const invalid = await guild.commands
      .set([{ name: 'Bad Name', description: 'x' }])
      .catch((caught: unknown) => caught);

    expect([...second.keys()]).toEqual([...first.keys()]);
    expect(fake.commands(GUILD).map((c) => c.name)).toEqual(['rate']);
    expect(invalid).toMatchObject({ status: 400, code: 50_035 });
  });

  it('records routes it does not serve as 404s', async () => {
    const { fake, client } = await setup();

    await expect(client.rest.get('/guilds/1/audit-logs')).rejects.toMatchObject({ status: 404 });

    expect(fake.unhandledRequests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /guilds/1/audit-logs']);
  });

  it('dispatches voice state updates to voice channel members', async () => {
    const { fake, client } = await setup();
    const updated = nextEvent(fake, client, Events.VoiceStateUpdate);

    fake.voiceStateUpdate({ guildId: GUILD, userId: BOB, channelId: VOICE });
    await updated;

    const voice = client.guilds.cache.get(GUILD)?.channels.cache.get(VOICE);
    expect(voice?.isVoiceBased() ? [...voice.members.keys()].sort() : undefined).toEqual([ALICE, BOB]);
  });

  it('tells the bot it was removed from a guild with GUILD_DELETE', async () => {
    const { fake, client } = await setup();
    const removed = nextEvent(fake, client, Events.GuildDelete);

    fake.removeGuild(GUILD);
    const [guild] = await removed;

    expect(guild.id).toBe(GUILD);
    expect(client.guilds.cache.has(GUILD)).toBe(false);
  });

  it('stops a client it did not log in when it closes, instead of leaving it reconnecting', async () => {
    const fake = await startFakeDiscord(baseOptions);
    const client = createDiscordClient({ apiBase: fake.apiBase });
    onTestFinished(() => client.destroy());
    const ready = nextEvent(fake, client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
    const disconnected = nextEvent(fake, client, Events.ShardDisconnect);

    await fake.close();
    await disconnected;

    expect(client.ws.shards.first()?.status).toBe(Status.Disconnected);
  });

  it('after a restart, a new client gets a reaction on an old message as a partial it can fetch', async () => {
    const fake = await startFakeDiscord(baseOptions);
    onTestFinished(() => fake.close());
    const before = await fake.login(createDiscordClient({ apiBase: fake.apiBase }));
    const old = await (await textChannel(before, TEXT)).send('Yesterday’s pick: Alien (1979)');
    await before.destroy();

    const after = await fake.login(createDiscordClient({ apiBase: fake.apiBase }));
    const received = nextEvent(fake, after, Events.MessageReactionAdd);
    fake.reactionAdd({ userId: ALICE, messageId: old.id, emoji: '👍' });
    const [reaction, user] = await received;

    expect(reaction.partial).toBe(true);
    expect(reaction.message.partial).toBe(true);
    const full = await reaction.fetch();
    expect(full.message.content).toBe('Yesterday’s pick: Alien (1979)');
    expect(full.count).toBe(1);
    expect(user.id).toBe(ALICE);
    expect(fake.identifies).toHaveLength(2);
  });
});
