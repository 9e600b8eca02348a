import { assertManagesServer } from '../src/discord/manage-server.js';
import {
  ChannelType,
  EmbedBuilder,
  MessageFlags,
  TimestampStyles,
  time,
  type AutocompleteInteraction,
  type SlashCommandBuilder,
  type SlashCommandSubcommandsOnlyBuilder,
} from 'discord.js';
import {
  nightChannelState,
  requirePostableTextChannel,
  requireVisibleVoiceChannel,
} from '../src/discord/channel-checks.js';
import type { ChatInput, CommandContext } from '../src/discord/command.js';
import { CHOICE_LIMITS } from '../src/discord/limits.js';
import { formatPermissionList, type MissingPermission } from '../src/discord/permissions.js';
import { truncate } from '../src/format.js';
import {
  SCHEDULE_STRATEGIES,
  WEEKDAYS,
  describeSlot,
  type Schedule,
  type ScheduleEventOutcome,
} from '../src/services/schedules/index.js';
import { TIME_ZONES, matchTimeZones } from '../src/time.js';

/** The `/movienight` subcommands of scheduled nights, and their options. */
export const SCHEDULE_SUBCOMMANDS = { schedule: 'schedule', unschedule: 'unschedule', list: 'schedules' } as const;
const OPTION = {
  day: 'day',
  time: 'time',
  timezone: 'timezone',
  channel: 'channel',
  voiceChannel: 'voice_channel',
  strategy: 'strategy',
  schedule: 'schedule',
} as const;

const CHANGE = 'schedule or remove movie nights (/movienight schedules shows the ones planned)';

type Builder = SlashCommandBuilder | SlashCommandSubcommandsOnlyBuilder;

/** Adds `schedule`, `unschedule` and `schedules` to the `/movienight` builder (the command file composes them). */
export function addScheduleSubcommands(builder: Builder): SlashCommandSubcommandsOnlyBuilder {
  return builder
    .addSubcommand((sub) =>
      sub
        .setName(SCHEDULE_SUBCOMMANDS.schedule)
        .setDescription('Schedule a weekly movie night at a local time (needs Manage Server)')
        .addIntegerOption((option) =>
          option
            .setName(OPTION.day)
            .setDescription('Day of the week')
            .setRequired(true)
            .addChoices(WEEKDAYS.map(({ name, value }) => ({ name, value }))),
        )
        .addStringOption((option) =>
          option
            .setName(OPTION.time)
            .setDescription('Time of day on a 24-hour clock, HH:MM, e.g. 20:00')
            .setRequired(true)
            .setMaxLength(16),
        )
        .addStringOption((option) =>
          option
            .setName(OPTION.timezone)
            .setDescription('Time zone the time is in, e.g. Europe/Berlin (type a city)')
            .setRequired(true)
            .setMaxLength(64)
            .setAutocomplete(true),
        )
        .addChannelOption((option) =>
          option
            .setName(OPTION.channel)
            .setDescription('Text channel the night is posted in')
            .setRequired(true)
            .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
        )
        .addChannelOption((option) =>
          option
            .setName(OPTION.voiceChannel)
            .setDescription('Voice channel whose members the picks are for (default: whoever answers the 🍿 call)')
            .addChannelTypes(ChannelType.GuildVoice, ChannelType.GuildStageVoice),
        )
        .addStringOption((option) =>
          option
            .setName(OPTION.strategy)
            .setDescription('How the group’s tastes are combined (default: the movie night’s)')
            .addChoices(SCHEDULE_STRATEGIES.map((strategy) => ({ name: strategy, value: strategy }))),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName(SCHEDULE_SUBCOMMANDS.unschedule)
        .setDescription('Remove a scheduled movie night (needs Manage Server)')
        .addIntegerOption((option) =>
          option
            .setName(OPTION.schedule)
            .setDescription('The schedule to remove (its number in /movienight schedules)')
            .setRequired(true)
            .setMinValue(1)
            .setAutocomplete(true),
        ),
    )
    .addSubcommand((sub) =>
      sub.setName(SCHEDULE_SUBCOMMANDS.list).setDescription('The movie nights scheduled in this server'),
    );
}

/** `<t:…:F> (<t:…:R>)`: each member reads it in their own time zone. */
const when = (at: Date) => `${time(at, TimestampStyles.LongDateTime)} (${time(at, TimestampStyles.RelativeTime)})`;

/** `**Fridays at 20:00** (Europe/Berlin) in #movies, for whoever is in 🔊 Cinema, picks by borda`. */
function describeSchedule(schedule: Schedule): string {
  const parts = [`**${describeSlot(schedule)}** (${schedule.timeZone}) in <#${schedule.channelId}>`];
  parts.push(
    schedule.voiceChannelId === null
      ? 'for whoever answers the 🍿 call'
      : `for whoever is in <#${schedule.voiceChannelId}>`,
  );
  if (schedule.strategy !== null) parts.push(`picks by ${schedule.strategy}`);
  return parts.join(', ');
}

function eventLine(event: ScheduleEventOutcome): string | null {
  switch (event.kind) {
    case 'created':
      return 'The next night is in the server’s Events list; Marquee moves it on after each night.';
    case 'not-allowed':
      return 'No Discord event: Marquee lacks Create Events (and, for a voice channel, View Channel and Connect there). Grant them to list the nights in the server’s Events; the schedule works either way.';
    case 'failed':
      return 'Discord did not take the event for the Events list; the schedule works anyway, and Marquee tries again after the first night.';
    case 'off':
      return null;
  }
}

async function schedule(interaction: ChatInput, ctx: CommandContext): Promise<void> {
  assertManagesServer(interaction, CHANGE);
  const { options } = interaction;
  const channel = options.getChannel(OPTION.channel, true);
  const voice = options.getChannel(OPTION.voiceChannel);
  await requirePostableTextChannel(interaction, channel);
  if (voice) await requireVisibleVoiceChannel(interaction, voice);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { schedule: created, event } = await ctx.services.schedules.create({
    guildId: interaction.guildId,
    channelId: channel.id,
    voiceChannelId: voice?.id ?? null,
    strategy: options.getString(OPTION.strategy),
    weekday: options.getInteger(OPTION.day, true),
    time: options.getString(OPTION.time, true),
    timeZone: options.getString(OPTION.timezone, true),
    createdBy: interaction.user.id,
  });
  ctx.log.info({ scheduleId: created.id, event: event.kind }, 'movie night scheduled');
  const lines = [
    `📅 Scheduled movie night #${created.id}: ${describeSchedule(created)}.`,
    `The first one is ${when(created.nextAt)}.`,
    eventLine(event),
  ];
  await interaction.editReply({ content: lines.filter((line) => line !== null).join('\n') });
}

async function unschedule(interaction: ChatInput, ctx: CommandContext): Promise<void> {
  assertManagesServer(interaction, CHANGE);
  const id = interaction.options.getInteger(OPTION.schedule, true);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { schedule: removed, eventCancelled } = await ctx.services.schedules.remove(interaction.guildId, id);
  ctx.log.info({ scheduleId: removed.id, eventCancelled }, 'movie night unscheduled');
  const event =
    eventCancelled === false
      ? '\nIts Discord event could not be deleted: a member with Manage Events can delete it from the Events list.'
      : '';
  await interaction.editReply({
    content: `Removed movie night #${removed.id}: ${describeSchedule(removed)}.${event}`,
  });
}

/** What keeps a schedule from posting: its channel was deleted, or the bot lost permissions there. */
export type ScheduleTrouble = 'gone' | MissingPermission[];

/**
 * `/movienight schedules` as an embed (its description holds 4096 characters: ten schedules with warnings fit, where
 * a message's 2000 would not). Each line says when, where and for whom, and what would keep the night from posting.
 */
export function scheduleListEmbed(
  schedules: readonly { schedule: Schedule; trouble: ScheduleTrouble }[],
  maxPerGuild: number,
): EmbedBuilder {
  const lines: string[] = [];
  for (const { schedule: entry, trouble } of schedules) {
    lines.push(`**#${entry.id}** · ${describeSchedule(entry)} · next ${when(entry.nextAt)}`);
    // A channel deleted or closed to the bot after scheduling would make the night fail silently: say so here.
    if (trouble === 'gone') lines.push('⚠️ That channel no longer exists: unschedule this night.');
    else if (trouble.length > 0) {
      lines.push(`⚠️ Marquee can no longer post there: it lacks ${formatPermissionList(trouble)}.`);
    }
  }
  return new EmbedBuilder()
    .setTitle(`Scheduled movie nights (${schedules.length} of at most ${maxPerGuild})`)
    .setDescription(lines.join('\n'));
}

async function list(interaction: ChatInput, ctx: CommandContext): Promise<void> {
  const schedules = await ctx.services.schedules.list(interaction.guildId);
  if (schedules.length === 0) {
    await interaction.reply({
      content:
        'No movie nights are scheduled in this server. Members with Manage Server can add one with `/movienight schedule`.',
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const rows = await Promise.all(
    schedules.map(async (entry) => ({
      schedule: entry,
      trouble: await nightChannelState(interaction.guild, entry.channelId),
    })),
  );
  await interaction.reply({
    embeds: [scheduleListEmbed(rows, ctx.services.schedules.maxPerGuild)],
    flags: MessageFlags.Ephemeral,
  });
}

/** The subcommand handlers, for the `/movienight` command's `subcommands`. */
export const scheduleSubcommands = {
  [SCHEDULE_SUBCOMMANDS.schedule]: schedule,
  [SCHEDULE_SUBCOMMANDS.unschedule]: unschedule,
  [SCHEDULE_SUBCOMMANDS.list]: list,
} as const;

type Autocomplete = (interaction: AutocompleteInteraction<'cached'>, ctx: CommandContext) => Promise<void>;

/**
 * Time zones containing what was typed, or close to it on a typo. With nothing typed: the member's own zone (from
 * `/privacy settings`) first, then UTC and the rest A-Z.
 */
const timeZoneAutocomplete: Autocomplete = async (interaction, ctx) => {
  const typed = interaction.options.getFocused();
  let zones: readonly string[];
  if (typed.trim() === '') {
    const own = (await ctx.services.privacy.settings(interaction.user.id)).timezone;
    zones = [own, ...TIME_ZONES.filter((zone) => zone !== own)];
  } else {
    zones = matchTimeZones(typed, CHOICE_LIMITS.count);
  }
  await interaction.respond(
    zones.slice(0, CHOICE_LIMITS.count).map((zone) => ({ name: truncate(zone, CHOICE_LIMITS.name), value: zone })),
  );
};

/** The server's schedules (`#3 · Fridays at 20:00 (Europe/Berlin) · #movies`) whose label contains what was typed. */
const scheduleIdAutocomplete: Autocomplete = async (interaction, ctx) => {
  const typed = String(interaction.options.getFocused()).trim().toLowerCase().replace(/^#/, '');
  const choices = (await ctx.services.schedules.list(interaction.guildId))
    .map((entry) => {
      const channel = interaction.guild.channels.cache.get(entry.channelId)?.name;
      const label = `#${entry.id} · ${describeSlot(entry)} (${entry.timeZone})${channel ? ` · #${channel}` : ''}`;
      return { name: truncate(label, CHOICE_LIMITS.name), value: entry.id };
    })
    .filter((choice) => choice.name.toLowerCase().includes(typed));
  await interaction.respond(choices.slice(0, CHOICE_LIMITS.count));
};

/** Autocomplete by subcommand, for the `/movienight` command's `autocomplete`. */
export const scheduleAutocompletes: Readonly<Record<string, Autocomplete>> = {
  [SCHEDULE_SUBCOMMANDS.schedule]: timeZoneAutocomplete,
  [SCHEDULE_SUBCOMMANDS.unschedule]: scheduleIdAutocomplete,
};
