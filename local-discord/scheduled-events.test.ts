import { describe, expect, it, onTestFinished } from 'vitest';
import {
  ChannelType,
  DiscordAPIError,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  GuildScheduledEventStatus,
  REST,
  Routes,
  type APIGuildScheduledEvent,
} from 'discord.js';
import { DEFAULT_BOT_PERMISSIONS, startFakeDiscord, type FakeDiscord } from './index.js';

const GUILD = '200000000000000101';
const LIMITED_GUILD = '200000000000000102';
const TEXT = '300000000000000101';
const VOICE = '300000000000000102';
const CLOSED_VOICE = '300000000000000103';
const LIMITED_TEXT = '300000000000000104';

async function setup(): Promise<{ fake: FakeDiscord; rest: REST }> {
  const fake = await startFakeDiscord({
    guilds: [
      {
        id: GUILD,
        botPermissions: [...DEFAULT_BOT_PERMISSIONS, 'CreateEvents', 'Connect'],
        channels: [
          { id: TEXT, name: 'films' },
          { id: VOICE, name: 'cinema', type: ChannelType.GuildVoice },
          { id: CLOSED_VOICE, name: 'closed', type: ChannelType.GuildVoice, deniedBotPermissions: ['Connect'] },
        ],
      },
      { id: LIMITED_GUILD, channels: [{ id: LIMITED_TEXT }] },
    ],
  });
  onTestFinished(() => fake.close());
  const rest = new REST({ api: fake.apiBase, retries: 0 }).setToken(fake.token);
  return { fake, rest };
}

const voiceEvent = (channelId: string) => ({
  name: 'Movie night',
  privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
  scheduled_start_time: '2026-12-04T19:00:00.000Z',
  entity_type: GuildScheduledEventEntityType.Voice,
  channel_id: channelId,
});

async function refusal(request: Promise<unknown>): Promise<{ status: number; code: unknown }> {
  const error = await request.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DiscordAPIError)) throw new Error('the request was not refused');
  return { status: error.status, code: error.code };
}

describe('the fake Discord’s guild scheduled events', () => {
  it('creates a voice event, lists it, starts it, and deletes it', async () => {
    const { fake, rest } = await setup();
    const created = (await rest.post(Routes.guildScheduledEvents(GUILD), {
      body: { ...voiceEvent(VOICE), description: 'Weekly' },
    })) as APIGuildScheduledEvent;
    expect(created).toMatchObject({
      guild_id: GUILD,
      channel_id: VOICE,
      creator_id: fake.botUserId,
      status: GuildScheduledEventStatus.Scheduled,
      scheduled_end_time: null,
      entity_metadata: null,
    });
    expect(await rest.get(Routes.guildScheduledEvents(GUILD))).toEqual([created]);

    await rest.patch(Routes.guildScheduledEvent(GUILD, created.id), {
      body: { status: GuildScheduledEventStatus.Active },
    });
    expect(fake.scheduledEvents(GUILD)[0]?.status).toBe(GuildScheduledEventStatus.Active);
    // Active → Scheduled is no transition Discord makes.
    expect(
      await refusal(
        rest.patch(Routes.guildScheduledEvent(GUILD, created.id), {
          body: { status: GuildScheduledEventStatus.Scheduled },
        }),
      ),
    ).toEqual({ status: 400, code: 50_035 });

    await rest.delete(Routes.guildScheduledEvent(GUILD, created.id));
    expect(fake.scheduledEvents(GUILD)).toEqual([]);
    expect(await refusal(rest.delete(Routes.guildScheduledEvent(GUILD, created.id)))).toEqual({
      status: 404,
      code: 10_070,
    });
  });

  it('wants a location and an end for an external event, and no channel', async () => {
    const { rest } = await setup();
    const external = {
      name: 'Movie night',
      privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
      scheduled_start_time: '2026-12-04T19:00:00.000Z',
      entity_type: GuildScheduledEventEntityType.External,
    };
    expect(await refusal(rest.post(Routes.guildScheduledEvents(GUILD), { body: external }))).toEqual({
      status: 400,
      code: 50_035,
    });
    const created = (await rest.post(Routes.guildScheduledEvents(GUILD), {
      body: {
        ...external,
        entity_metadata: { location: '#films' },
        scheduled_end_time: '2026-12-04T22:00:00.000Z',
      },
    })) as APIGuildScheduledEvent;
    expect(created).toMatchObject({ channel_id: null, entity_metadata: { location: '#films' } });
  });

  it('refuses a voice event in a text channel, and a bot without the permissions', async () => {
    const { rest } = await setup();
    expect(await refusal(rest.post(Routes.guildScheduledEvents(GUILD), { body: voiceEvent(TEXT) }))).toEqual({
      status: 400,
      code: 50_035,
    });
    // No Connect in that voice channel.
    expect(await refusal(rest.post(Routes.guildScheduledEvents(GUILD), { body: voiceEvent(CLOSED_VOICE) }))).toEqual({
      status: 403,
      code: 50_013,
    });
    // The invite's permissions only: neither Create Events nor Manage Events.
    expect(
      await refusal(
        rest.post(Routes.guildScheduledEvents(LIMITED_GUILD), {
          body: {
            name: 'Movie night',
            privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
            scheduled_start_time: '2026-12-04T19:00:00.000Z',
            scheduled_end_time: '2026-12-04T22:00:00.000Z',
            entity_type: GuildScheduledEventEntityType.External,
            entity_metadata: { location: 'Discord' },
          },
        }),
      ),
    ).toEqual({ status: 403, code: 50_013 });
  });
});
