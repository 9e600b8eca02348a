import { ChannelType, InteractionResponseType, MessageFlags, type APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_PERMISSIONS, type InteractionHandle, type OptionsInput } from '../../local-discord/index.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { databaseKinds, emptyAllTables } from '../support/databases.js';
import { createManualClock, createManualTicker } from '../support/manual-clock.js';

const GUILD = '810000000000001501';
const MOVIES = '820000000000001501';
const LOCKED = '820000000000001502';
const CINEMA = '820000000000001503';
const HIDDEN_VOICE = '820000000000001504';
const ANNOUNCEMENTS = '820000000000001505';
const NO_EVENTS_GUILD = '810000000000001502';
const NO_EVENTS_CHANNEL = '820000000000001506';
const ADMIN_ROLE = '840000000000001501';
const ADMIN = '830000000000001501';
const MEMBER = '830000000000001502';

const isEphemeral = (message: APIMessage | undefined) => ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;

const FRIDAY_8PM_BERLIN = { day: 5, time: '20:00', timezone: 'Europe/Berlin', channel: MOVIES } as const;

describe.each(databaseKinds())('/movienight schedule, unschedule and schedules, on %s', (kind) => {
  let bot: BotHarness;
  // Tuesday 1 December 2026, 13:00 in Berlin.
  const clock = createManualClock('2026-12-01T12:00:00Z');

  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      jobs: { clock, ticker: createManualTicker() },
      guilds: [
        {
          id: GUILD,
          // Create Events and Connect on top of the invite's permissions: what the Events list needs.
          botPermissions: [...DEFAULT_BOT_PERMISSIONS, 'CreateEvents', 'Connect'],
          roles: [{ id: ADMIN_ROLE, name: 'Admins', permissions: ['ManageGuild'] }],
          channels: [
            { id: MOVIES, name: 'movies' },
            { id: LOCKED, name: 'staff', deniedBotPermissions: ['SendMessages', 'AddReactions'] },
            { id: CINEMA, name: 'Cinema', type: ChannelType.GuildVoice },
            { id: HIDDEN_VOICE, name: 'Private', type: ChannelType.GuildVoice, deniedBotPermissions: ['ViewChannel'] },
            { id: ANNOUNCEMENTS, name: 'news', type: ChannelType.GuildAnnouncement },
          ],
          members: [{ id: ADMIN, roles: [ADMIN_ROLE] }, { id: MEMBER }],
        },
        {
          // The invite's permissions only: no Create Events.
          id: NO_EVENTS_GUILD,
          roles: [{ id: ADMIN_ROLE, name: 'Admins', permissions: ['ManageGuild'] }],
          channels: [{ id: NO_EVENTS_CHANNEL, name: 'films' }],
          members: [{ id: ADMIN, roles: [ADMIN_ROLE] }],
        },
      ],
    });
  });
  beforeEach(async () => {
    await emptyAllTables(bot.app.database);
    await bot.app.jobs.refresh();
  });
  afterAll(() => bot.close());

  /** Runs a `/movienight` subcommand and returns its final answer (a reply, or the edit of a deferral). */
  async function movienight(subcommand: string, options: OptionsInput = {}, userId = ADMIN, guildId = GUILD) {
    const handle: InteractionHandle = bot.fake.slash({
      guildId,
      channelId: guildId === GUILD ? MOVIES : NO_EVENTS_CHANNEL,
      userId,
      name: 'movienight',
      subcommand,
      options,
    });
    // A refusal before the deferral is a reply; anything after it edits the deferred reply.
    const answer = await handle.waitFor(
      (event) =>
        event.kind === 'edit' ||
        (event.kind === 'callback' && event.callbackType === InteractionResponseType.ChannelMessageWithSource),
    );
    if (!answer.message) throw new Error('the answer carried no message');
    return { handle, message: answer.message };
  }

  const storedSchedules = () => bot.app.repos.schedules.all();
  const botPostsIn = (channelId: string) =>
    bot.fake.messagesIn(channelId).filter((message) => message.author.id === bot.fake.botUserId);

  it('schedules a Friday night at 20:00 Berlin time, privately confirmed, with its Discord event and job', async () => {
    const { message } = await movienight('schedule', {
      ...FRIDAY_8PM_BERLIN,
      voice_channel: CINEMA,
      strategy: 'borda',
    });

    const [stored] = await storedSchedules();
    expect(stored).toMatchObject({
      guildId: GUILD,
      channelId: MOVIES,
      voiceChannelId: CINEMA,
      strategy: 'borda',
      cron: '0 20 * * 5',
      timeZone: 'Europe/Berlin',
      createdBy: ADMIN,
    });
    const id = stored?.id ?? 0;
    // Friday 4 December 20:00 CET = 19:00 UTC = 1796410800 s.
    expect(message.content).toBe(
      [
        `📅 Scheduled movie night #${id}: **Fridays at 20:00** (Europe/Berlin) in <#${MOVIES}>, for whoever is in <#${CINEMA}>, picks by borda.`,
        'The first one is <t:1796410800:F> (<t:1796410800:R>).',
        'The next night is in the server’s Events list; Marquee moves it on after each night.',
      ].join('\n'),
    );
    expect(isEphemeral(message)).toBe(true);
    expect(bot.fake.scheduledEvents(GUILD)).toEqual([
      expect.objectContaining({
        id: stored?.eventId,
        name: 'Movie night',
        channel_id: CINEMA,
        entity_type: 2,
        status: 1,
        scheduled_start_time: '2026-12-04T19:00:00.000Z',
        description: `This week's movie night. Marquee posts film picks in #movies when it starts. (Scheduled night #${id}.)`,
      }),
    ]);
    expect(bot.app.jobs.names()).toContain(`schedule:${id}`);
    expect(botPostsIn(MOVIES)).toEqual([]);
  });

  it('makes an event outside voice an external one in the text channel, three hours long', async () => {
    await movienight('schedule', { ...FRIDAY_8PM_BERLIN, channel: ANNOUNCEMENTS, time: '21:30' });
    expect(bot.fake.scheduledEvents(GUILD).at(-1)).toMatchObject({
      entity_type: 3,
      channel_id: null,
      entity_metadata: { location: '#news on Discord' },
      scheduled_start_time: '2026-12-04T20:30:00.000Z',
      scheduled_end_time: '2026-12-04T23:30:00.000Z',
    });
  });

  describe('refuses bad input with a private message, writing nothing', () => {
    it.each([
      [
        'a time that is none',
        { ...FRIDAY_8PM_BERLIN, time: '25:00' },
        ADMIN,
        /^"25:00" is not a time of day: give it as HH:MM on a 24-hour clock, e\.g\. 20:00 or 19:30\.$/,
      ],
      [
        'a time zone that is none',
        { ...FRIDAY_8PM_BERLIN, timezone: 'Mars/Olympus' },
        ADMIN,
        /^"Mars\/Olympus" is not a time zone Marquee knows\. Use an IANA name/,
      ],
      [
        'a misspelt time zone',
        { ...FRIDAY_8PM_BERLIN, timezone: 'Europe/Berln' },
        ADMIN,
        /Did you mean Europe\/Berlin\?/,
      ],
      [
        'a channel the bot cannot post in',
        { ...FRIDAY_8PM_BERLIN, channel: LOCKED },
        ADMIN,
        new RegExp(
          `^Marquee cannot post movie nights in <#${LOCKED}>: it lacks Send Messages and Add Reactions there\\.`,
        ),
      ],
      [
        'a voice channel as the text channel',
        { ...FRIDAY_8PM_BERLIN, channel: CINEMA },
        ADMIN,
        /is not a text channel/,
      ],
      [
        'a voice channel the bot cannot see',
        { ...FRIDAY_8PM_BERLIN, voice_channel: HIDDEN_VOICE },
        ADMIN,
        /^Marquee cannot see <#\d+>, so it could not tell who is in it/,
      ],
      [
        'a member without Manage Server',
        FRIDAY_8PM_BERLIN,
        MEMBER,
        /^Only members with the Manage Server permission can schedule or remove movie nights/,
      ],
    ])('%s', async (_case, options, userId, expected) => {
      const events = bot.fake.scheduledEvents(GUILD).length;
      const { message } = await movienight('schedule', options, userId);
      expect(message.content).toMatch(expected);
      expect(isEphemeral(message)).toBe(true);
      expect(await storedSchedules()).toEqual([]);
      expect(bot.fake.scheduledEvents(GUILD)).toHaveLength(events);
      expect(botPostsIn(MOVIES)).toEqual([]);
      expect(bot.logs.filter((line) => line.msg === 'interaction failed')).toEqual([]);
    });

    it('unscheduling a schedule that does not exist, or as a member without Manage Server', async () => {
      await movienight('schedule', FRIDAY_8PM_BERLIN);
      const [stored] = await storedSchedules();
      const missing = await movienight('unschedule', { schedule: (stored?.id ?? 0) + 1 });
      expect(missing.message.content).toBe(
        `This server has no scheduled movie night #${(stored?.id ?? 0) + 1}: /movienight schedules lists the ones it has.`,
      );
      expect(isEphemeral(missing.message)).toBe(true);
      const notAllowed = await movienight('unschedule', { schedule: stored?.id ?? 0 }, MEMBER);
      expect(notAllowed.message.content).toMatch(/^Only members with the Manage Server permission/);
      expect(await storedSchedules()).toHaveLength(1);
    });
  });

  it('lists the server’s nights to anyone, warning where the bot can no longer post', async () => {
    await movienight('schedule', FRIDAY_8PM_BERLIN);
    await movienight('schedule', { day: 0, time: '18:00', timezone: 'America/New_York', channel: ANNOUNCEMENTS });
    // A night scheduled before its channel was closed to the bot: it would fail silently, so the list says so.
    const locked = await bot.app.repos.schedules.insert({
      guildId: GUILD,
      channelId: LOCKED,
      voiceChannelId: null,
      strategy: null,
      cron: '0 19 * * 6',
      timeZone: 'UTC',
      createdBy: ADMIN,
      createdAt: clock.now(),
    });
    // And one whose channel was deleted since.
    const deleted = await bot.app.repos.schedules.insert({
      guildId: GUILD,
      channelId: '820000000000001599',
      voiceChannelId: null,
      strategy: null,
      cron: '0 21 * * 6',
      timeZone: 'UTC',
      createdBy: ADMIN,
      createdAt: clock.now(),
    });
    const [friday, sunday] = await storedSchedules();

    const { message } = await movienight('schedules', {}, MEMBER);
    expect(message.embeds).toEqual([
      expect.objectContaining({
        title: 'Scheduled movie nights (4 of at most 10)',
        description: [
          `**#${friday?.id}** · **Fridays at 20:00** (Europe/Berlin) in <#${MOVIES}>, for whoever answers the 🍿 call · next <t:1796410800:F> (<t:1796410800:R>)`,
          // Saturday 5 December 19:00 and 21:00 UTC.
          `**#${locked.id}** · **Saturdays at 19:00** (UTC) in <#${LOCKED}>, for whoever answers the 🍿 call · next <t:1796497200:F> (<t:1796497200:R>)`,
          '⚠️ Marquee can no longer post there: it lacks Send Messages and Add Reactions.',
          `**#${deleted.id}** · **Saturdays at 21:00** (UTC) in <#820000000000001599>, for whoever answers the 🍿 call · next <t:1796504400:F> (<t:1796504400:R>)`,
          '⚠️ That channel no longer exists: unschedule this night.',
          // Sunday 6 December 18:00 in New York (UTC−5) = 23:00 UTC.
          `**#${sunday?.id}** · **Sundays at 18:00** (America/New_York) in <#${ANNOUNCEMENTS}>, for whoever answers the 🍿 call · next <t:1796598000:F> (<t:1796598000:R>)`,
        ].join('\n'),
      }),
    ]);
    expect(isEphemeral(message)).toBe(true);
  });

  it('says so when nothing is scheduled', async () => {
    const { message } = await movienight('schedules', {}, MEMBER);
    expect(message.content).toMatch(/^No movie nights are scheduled in this server/);
  });

  it('unschedules a night: the row, its job and its Discord event go', async () => {
    await movienight('schedule', { ...FRIDAY_8PM_BERLIN, voice_channel: CINEMA });
    const [stored] = await storedSchedules();
    const eventId = stored?.eventId;
    expect(bot.fake.scheduledEvents(GUILD).map((event) => event.id)).toContain(eventId);

    const { message } = await movienight('unschedule', { schedule: stored?.id ?? 0 });
    expect(message.content).toBe(
      `Removed movie night #${stored?.id}: **Fridays at 20:00** (Europe/Berlin) in <#${MOVIES}>, for whoever is in <#${CINEMA}>.`,
    );
    expect(await storedSchedules()).toEqual([]);
    expect(bot.app.jobs.names()).not.toContain(`schedule:${stored?.id}`);
    expect(bot.fake.scheduledEvents(GUILD).map((event) => event.id)).not.toContain(eventId);
  });

  it('keeps the schedule when the bot may not create events, and tells the admin what to grant', async () => {
    const { message } = await movienight(
      'schedule',
      { ...FRIDAY_8PM_BERLIN, channel: NO_EVENTS_CHANNEL },
      ADMIN,
      NO_EVENTS_GUILD,
    );
    expect(message.content).toContain(
      'No Discord event: Marquee lacks Create Events (and, for a voice channel, View Channel and Connect there).',
    );
    expect(await bot.app.repos.schedules.listForGuild(NO_EVENTS_GUILD)).toMatchObject([{ eventId: null }]);
    expect(bot.fake.scheduledEvents(NO_EVENTS_GUILD)).toEqual([]);
  });

  describe('autocomplete', () => {
    it('offers the member’s own time zone first when nothing is typed yet', async () => {
      await bot.app.services.privacy.updateSettings(ADMIN, { timezone: 'Asia/Tokyo' });
      const answer = await bot.fake
        .autocomplete({
          guildId: GUILD,
          channelId: MOVIES,
          userId: ADMIN,
          name: 'movienight',
          subcommand: 'schedule',
          options: { timezone: '' },
          focused: 'timezone',
        })
        .waitFor('autocomplete');
      expect(answer.choices.slice(0, 3)).toEqual([
        { name: 'Asia/Tokyo', value: 'Asia/Tokyo' },
        { name: 'UTC', value: 'UTC' },
        { name: 'Africa/Abidjan', value: 'Africa/Abidjan' },
      ]);
      expect(answer.choices).toHaveLength(25);
    });

    it('offers time zones matching what is typed, typos included', async () => {
      const answer = await bot.fake
        .autocomplete({
          guildId: GUILD,
          channelId: MOVIES,
          userId: ADMIN,
          name: 'movienight',
          subcommand: 'schedule',
          options: { timezone: 'Berln' },
          focused: 'timezone',
        })
        .waitFor('autocomplete');
      expect(answer.choices).toEqual([{ name: 'Europe/Berlin', value: 'Europe/Berlin' }]);
    });

    it('offers the server’s schedules to unschedule', async () => {
      await movienight('schedule', FRIDAY_8PM_BERLIN);
      const [stored] = await storedSchedules();
      const answer = await bot.fake
        .autocomplete({
          guildId: GUILD,
          channelId: MOVIES,
          userId: ADMIN,
          name: 'movienight',
          subcommand: 'unschedule',
          options: { schedule: '' },
          focused: 'schedule',
        })
        .waitFor('autocomplete');
      expect(answer.choices).toEqual([
        { name: `#${stored?.id} · Fridays at 20:00 (Europe/Berlin) · #movies`, value: stored?.id },
      ]);
    });
  });
});
