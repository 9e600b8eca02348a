import {
  EmbedBuilder,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { EMBED_LIMITS } from '../src/discord/limits.js';
import { UserFacingError } from '../src/errors.js';
import { movieLabel, plural, truncate } from '../src/format.js';
import type { PickSource } from '../src/recommender/index.js';
import type { ServerStats, SourceFigures } from '../src/services/stats.js';

/** Each source as the pick reasons speak of it. */
const SOURCE_LABELS: Record<PickSource, string> = {
  'similar-films': 'Films like ones members loved',
  neighbours: 'Members who agree',
  'server-favourites': 'This server’s favourites',
  popular: 'Popular on TMDB',
};

/** Cells of a bar: 20, so one cell is 5 %. */
const BAR_CELLS = 20;

/**
 * A text bar of count/total in a code span, `██████░░░░░░░░░░░░░░`: the chart is text rather than an image because
 * Discord shows it anywhere an embed shows (phones, screen readers read the figures beside it), it costs no native
 * image library, and with the exact counts printed next to each bar nothing is read off a picture.
 */
export function bar(count: number, total: number): string {
  const filled = total > 0 ? Math.round((count / total) * BAR_CELLS) : 0;
  return `\`${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)}\``;
}

/** "31%" of count/total, rounded to a whole percent. */
function percent(count: number, total: number): string {
  return `${Math.round((count / total) * 100)}%`;
}

function sourceText({ shown, thumbsUp, thumbsDown, ratedHigh, weight }: SourceFigures): string {
  const weightLine = `weight now ×${weight.toFixed(2)}`;
  if (shown === 0) return `No picks shown · ${weightLine}`;
  return [
    `👍 ${bar(thumbsUp, shown)} ${percent(thumbsUp, shown)} (${thumbsUp})`,
    `👎 ${bar(thumbsDown, shown)} ${percent(thumbsDown, shown)} (${thumbsDown})`,
    `${plural(shown, 'pick')} shown · ${ratedHigh} rated 4★ or more · ${weightLine}`,
  ].join('\n');
}

function totalText(sources: readonly SourceFigures[]): string {
  const sum = (key: 'shown' | 'thumbsUp' | 'thumbsDown' | 'ratedHigh') =>
    sources.reduce((total, source) => total + source[key], 0);
  const shown = sum('shown');
  if (shown === 0) return 'No picks were shown in this period.';
  return `${plural(shown, 'pick')} shown · 👍 ${percent(sum('thumbsUp'), shown)} (${sum('thumbsUp')}) · 👎 ${percent(sum('thumbsDown'), shown)} (${sum('thumbsDown')}) · ${sum('ratedHigh')} rated 4★ or more`;
}

function mostLovedText(stats: ServerStats): string {
  if (stats.mostLoved.length === 0) return 'No film has 3 ratings from members who share their taste yet.';
  return stats.mostLoved
    .map(
      ({ movie, average, raters }, index) =>
        `${index + 1}. ${movieLabel(movie)}: ${average.toFixed(1)}★ from ${plural(raters, 'member')}`,
    )
    .join('\n');
}

export function statsEmbed(stats: ServerStats): EmbedBuilder {
  return new EmbedBuilder()
    .setTitle(`Marquee in this server: the last ${stats.days} days`)
    .setDescription(
      [
        `Personal picks by the source that carried each. 👍, 👎 and ratings count when the member a pick was for gave them within ${plural(stats.windowDays, 'day')} of it: Marquee learns from those how much to weigh each source here.`,
        'The weight is how it scales that source now (×1 before any reaction; each /recommend draws around it).',
      ].join(' '),
    )
    .addFields(
      ...stats.sources.map((figures) => ({
        name: SOURCE_LABELS[figures.source],
        value: sourceText(figures),
      })),
      { name: 'All picks', value: totalText(stats.sources) },
      {
        name: 'Ratings',
        value: `${plural(stats.raters, 'member')} of this server gave ${plural(stats.ratings, 'rating')} (new or changed)`,
      },
      { name: 'Most loved here', value: truncate(mostLovedText(stats), EMBED_LIMITS.fieldValue) },
    );
}

/** `/stats`: for server managers, how picks landed here (per source), rating activity and the most-loved films. */
export default {
  data: new SlashCommandBuilder()
    .setName('stats')
    .setDescription('How picks landed in this server over the last 30 days (Manage Server)')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild),

  async execute(interaction, ctx) {
    // Discord hides the command from members without the permission by default, but a server can change that in its
    // integration settings: the bot checks for itself.
    if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
      throw new UserFacingError(
        'manage-server-required',
        '/stats is for members with the Manage Server permission in this server.',
      );
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const stats = await ctx.services.stats.forGuild(interaction.guildId, interaction.user.id);
    await interaction.editReply({ embeds: [statsEmbed(stats)] });
  },
} satisfies Command;
