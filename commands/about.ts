import { EmbedBuilder, InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { missingPermissions, type BotChannelPermission } from '../src/discord/permissions.js';
import type { GuildRegion } from '../src/services/guild-region.js';
import { JUSTWATCH_CREDIT, TMDB_ATTRIBUTION } from '../src/tmdb/attribution.js';

const TMDB_URL = 'https://www.themoviedb.org';
const JUSTWATCH_URL = 'https://www.justwatch.com';

/** What each permission is for, so a server admin knows what they give up by withholding it. */
const PERMISSION_PURPOSES = {
  ViewChannel: 'to see this channel at all',
  SendMessages: 'to post in this channel',
  EmbedLinks: 'to show film cards in its own posts',
  AddReactions: 'to add 👍 and 👎 under picks for feedback, and 🍿 and the numbers of a movie night',
  ReadMessageHistory: 'to read reactions on older picks and movie-night polls',
} as const satisfies Record<BotChannelPermission, string>;

const ABOUT = [
  'Marquee helps this server decide what to watch. Log what you watched with `/watched`, rate it with `/rate`,',
  'keep a `/watchlist`, ask `/recommend` for picks, and `/movienight` for five picks for everyone in voice and a poll. New here? `/start` offers a few films to rate, so picks are yours from the first.',
].join(' ');

const HOW_PICKS_ARE_MADE = [
  'Picks come from members of this server whose ratings resemble yours: films they rated highly that you have not seen.',
  'A new member first gets a few films to rate (`/start`), and films popular on TMDB until Marquee knows their taste.',
  'React 👍 or 👎 to a pick to teach it; 👎 also hides the film from your picks.',
].join(' ');

const PRIVACY = [
  '**Share taste** (on by default): your ratings shape picks for other members of the servers where you use Marquee.',
  '**Show name** (off by default): you may be named in others’ pick reasons and similar members; otherwise they see a count.',
  '**Public profile** (on by default): members of servers you share may see your profile and diary.',
  '`/privacy settings` changes them; `/privacy export` gives you all your data; `/privacy delete` removes it.',
].join('\n');

function regionText({ code, name, isDefault }: GuildRegion): string {
  return isDefault
    ? `${name} (${code}), Marquee's default. Members with Manage Server can change it with \`/server region\`.`
    : `${name} (${code}), set with \`/server region\`.`;
}

function permissionsText(missing: ReturnType<typeof missingPermissions>): string {
  if (missing.length === 0) return 'Marquee has every permission it uses in this channel.';
  return [
    'Marquee lacks these permissions in this channel:',
    ...missing.map(({ flag, name }) => `• **${name}**, ${PERMISSION_PURPOSES[flag]}`),
    'Slash commands still answer; a server admin can grant these in the channel or role settings.',
  ].join('\n');
}

/** `/about`: what Marquee is, how picks are made, privacy, credits, and what the bot lacks in this channel. */
export default {
  data: new SlashCommandBuilder()
    .setName('about')
    .setDescription('What Marquee is, how it picks films, your privacy, credits and missing permissions')
    .setContexts(InteractionContextType.Guild),

  async execute(interaction, ctx) {
    // Discord sends the bot's permissions in this channel with every interaction: no cache needed.
    const missing = missingPermissions(interaction.appPermissions);
    const region = await ctx.services.guildRegion.get(interaction.guildId);
    const embed = new EmbedBuilder()
      .setTitle('Marquee')
      .setDescription(ABOUT)
      .setThumbnail(interaction.client.user.displayAvatarURL())
      .addFields(
        { name: 'How picks are made', value: HOW_PICKS_ARE_MADE },
        { name: 'Your privacy', value: PRIVACY },
        { name: 'Where to watch is shown for', value: regionText(region) },
        { name: 'Permissions here', value: permissionsText(missing) },
        {
          name: 'Credits',
          value: [
            TMDB_ATTRIBUTION,
            `Film data and images: [TMDB](${TMDB_URL}).`,
            `${JUSTWATCH_CREDIT} ([JustWatch](${JUSTWATCH_URL})).`,
          ].join('\n'),
        },
      );
    await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral });
  },
} satisfies Command;
