import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
} from 'discord.js';
import { component, customId, type ChatInput, type Command, type CommandContext } from '../src/discord/command.js';
import { CHOICE_LIMITS } from '../src/discord/limits.js';
import { plural, truncate } from '../src/format.js';
import type { UserSettings } from '../src/services/member-settings.js';
import type { DeletionReport, PrivacyExport, SettingsChanges, SettingsUpdate } from '../src/services/privacy.js';

const NAME = 'privacy';
const OPTION = {
  shareTaste: 'share_taste',
  showName: 'show_name',
  publicProfile: 'public_profile',
  timezone: 'timezone',
} as const;
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

/** One line per switch, in the words of GUIDE §9. */
const SWITCHES = [
  {
    key: 'shareTaste',
    label: 'Share taste',
    explain: 'your ratings shape picks for other members of the servers where you use Marquee.',
  },
  {
    key: 'showName',
    label: 'Show name',
    explain:
      'other members may see you named in pick reasons and among their similar members, while you are in that server.',
  },
  {
    key: 'publicProfile',
    label: 'Public profile',
    explain: 'members of servers you share may see your profile, diary and picks.',
  },
] as const satisfies readonly { key: keyof UserSettings; label: string; explain: string }[];

const LABELS: Record<keyof UserSettings, string> = {
  shareTaste: 'share taste',
  showName: 'show name',
  publicProfile: 'public profile',
  timezone: 'time zone',
};

function settingsText({ settings, changed }: SettingsUpdate, asked: boolean): string {
  const lines = [
    '**Your privacy settings**',
    ...SWITCHES.map(
      ({ key, label, explain }) =>
        `${settings[key] ? '✅' : '⬜'} **${label}**: ${settings[key] ? 'on' : 'off'} — ${explain}`,
    ),
    `🕒 **Time zone**: ${settings.timezone} — what "today" and "yesterday" mean in your diary.`,
    '',
  ];
  if (!asked) lines.push('Change one with `/privacy settings`, e.g. `show_name:True` or `timezone:Europe/Paris`.');
  else if (changed.length === 0) lines.push('Nothing changed: those already were your settings.');
  else lines.push(`Updated: ${changed.map((key) => LABELS[key]).join(', ')}.`);
  return lines.join('\n');
}

function exportSummary(data: PrivacyExport): string {
  const parts = [
    plural(data.ratings.length, 'rating'),
    plural(data.diary.length, 'diary entry', 'diary entries'),
    plural(data.watchlist.length, 'watchlist film'),
    plural(data.feedback.length, 'reaction to picks', 'reactions to picks'),
    plural(data.recommendations.length, 'pick card'),
    plural(data.memberships.length, 'server'),
  ];
  return [
    `Everything Marquee stores about you is in the attached JSON file: ${parts.join(', ')}, your settings and any movie-night votes.`,
    'ratings.csv and diary.csv are your ratings and diary in Letterboxd’s format: import them on letterboxd.com (Settings → Import) or back into Marquee with `/import letterboxd`.',
  ].join('\n');
}

function deletionSummary(report: DeletionReport): string {
  const parts = [
    [report.ratings, 'rating'],
    [report.diaryEntries, 'diary entry', 'diary entries'],
    [report.watchlist, 'watchlist film'],
    [report.feedback, 'reaction to picks', 'reactions to picks'],
    [report.recommendationMessages, 'pick card made for you', 'pick cards made for you'],
    [report.nightVotes, 'movie-night vote'],
    [report.nightParticipations, 'movie-night place'],
    [report.memberships, 'server membership'],
  ] as const;
  const deleted = parts.filter(([count]) => count > 0).map(([count, one, many]) => plural(count, one, many));
  if (deleted.length === 0 && !report.settings)
    return 'Marquee held nothing about you, so there was nothing to delete.';
  return [
    `Deleted ${deleted.length ? `${deleted.join(', ')} and your settings` : 'your settings'}.`,
    'Marquee no longer stores anything about you; other members’ picks stop using your ratings.',
    'Using a Marquee command again starts a fresh, empty profile.',
  ].join('\n');
}

async function exportData(interaction: ChatInput, ctx: CommandContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const [data, letterboxd] = await Promise.all([
    ctx.services.privacy.export(interaction.user.id),
    ctx.services.privacy.letterboxd(interaction.user.id),
  ]);
  const file = new AttachmentBuilder(Buffer.from(JSON.stringify(data, null, 2)), {
    name: `marquee-data-${interaction.user.id}.json`,
    description: 'Everything Marquee stores about you',
  });
  const ratings = new AttachmentBuilder(Buffer.from(letterboxd.ratings), {
    name: 'ratings.csv',
    description: 'Your ratings, in Letterboxd’s format',
  });
  const diary = new AttachmentBuilder(Buffer.from(letterboxd.diary), {
    name: 'diary.csv',
    description: 'Your diary, in Letterboxd’s format',
  });
  await interaction.editReply({ content: exportSummary(data), files: [file, ratings, diary] });
}

async function askToDelete(interaction: ChatInput): Promise<void> {
  const userId = interaction.user.id;
  const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(customId.build(NAME, 'delete-confirm', userId))
      .setLabel('Delete everything')
      .setStyle(ButtonStyle.Danger),
    new ButtonBuilder()
      .setCustomId(customId.build(NAME, 'delete-cancel', userId))
      .setLabel('Cancel')
      .setStyle(ButtonStyle.Secondary),
  );
  await interaction.reply({
    content: [
      '**Delete everything Marquee stores about you?**',
      'Your ratings, diary, watchlist, reactions to picks, settings, movie-night votes and memberships, in every server. This cannot be undone.',
      'Other members’ data stays. `/privacy export` first if you want a copy.',
    ].join('\n'),
    components: [buttons],
    flags: MessageFlags.Ephemeral,
  });
}

async function showOrUpdateSettings(interaction: ChatInput, ctx: CommandContext): Promise<void> {
  const { options } = interaction;
  const changes: SettingsChanges = {};
  const shareTaste = options.getBoolean(OPTION.shareTaste);
  const showName = options.getBoolean(OPTION.showName);
  const publicProfile = options.getBoolean(OPTION.publicProfile);
  const timezone = options.getString(OPTION.timezone);
  if (shareTaste !== null) changes.shareTaste = shareTaste;
  if (showName !== null) changes.showName = showName;
  if (publicProfile !== null) changes.publicProfile = publicProfile;
  if (timezone !== null) changes.timezone = timezone;
  const asked = Object.keys(changes).length > 0;
  const update = asked
    ? await ctx.services.privacy.updateSettings(interaction.user.id, changes)
    : { settings: await ctx.services.privacy.settings(interaction.user.id), changed: [] };
  if (update.changed.length) ctx.log.info({ changed: update.changed }, 'privacy settings changed');
  await interaction.reply({ content: settingsText(update, asked), flags: MessageFlags.Ephemeral });
}

/** `/privacy export|delete|settings` (GUIDE §9). Every reply is for the member alone. */
export default {
  data: new SlashCommandBuilder()
    .setName(NAME)
    .setDescription('Your data in Marquee: export it, delete it, choose who sees what')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName('export')
        .setDescription('Get everything Marquee stores about you (JSON), and your ratings and diary for Letterboxd'),
    )
    .addSubcommand((sub) =>
      sub.setName('delete').setDescription('Delete everything Marquee stores about you (asks first)'),
    )
    .addSubcommand((sub) =>
      sub
        .setName('settings')
        .setDescription('See or change who sees your taste, name and profile, and your time zone')
        .addBooleanOption((option) =>
          option
            .setName(OPTION.shareTaste)
            .setDescription('Let your ratings shape picks for other members (default on)'),
        )
        .addBooleanOption((option) =>
          option
            .setName(OPTION.showName)
            .setDescription('Let others see your name in pick reasons and similar members (default off)'),
        )
        .addBooleanOption((option) =>
          option
            .setName(OPTION.publicProfile)
            .setDescription('Let members of shared servers see your profile and diary (default on)'),
        )
        .addStringOption((option) =>
          option
            .setName(OPTION.timezone)
            .setDescription('Your time zone for "today" in the diary, e.g. Europe/Paris')
            .setMaxLength(64)
            .setAutocomplete(true),
        ),
    ),

  subcommands: {
    export: exportData,
    delete: askToDelete,
    settings: showOrUpdateSettings,
  },

  async autocomplete(interaction) {
    const typed = interaction.options.getFocused().trim().toLowerCase().replaceAll(' ', '_');
    const zones = typed ? TIME_ZONES.filter((zone) => zone.toLowerCase().includes(typed)) : TIME_ZONES;
    const choices = zones
      .slice(0, CHOICE_LIMITS.count)
      .map((zone) => ({ name: truncate(zone, CHOICE_LIMITS.name), value: zone }));
    await interaction.respond(choices);
  },

  components: {
    // The buttons are ephemeral, but a crafted payload could still name someone else: the router refuses it.
    'delete-cancel': component({
      parse: ([ownerId]) => ownerId ?? null,
      ownerId: (ownerId) => ownerId,
      async run(interaction) {
        await interaction.update({ content: 'Cancelled: nothing was deleted.', components: [] });
      },
    }),
    'delete-confirm': component({
      parse: ([ownerId]) => ownerId ?? null,
      ownerId: (ownerId) => ownerId,
      async run(interaction, ownerId, ctx) {
        // Components never record the member as seen, so this click does not recreate the member.
        await interaction.deferUpdate();
        const report = await ctx.services.privacy.deleteEverything(ownerId);
        ctx.log.info({ ...report }, 'member data deleted');
        await interaction.editReply({ content: deletionSummary(report), components: [] });
      },
    }),
  },
} satisfies Command;
