import { EmbedBuilder, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { guildMembership } from '../src/discord/members.js';
import type { Command } from '../src/discord/command.js';
import { mention, plural, stars, truncate } from '../src/format.js';
import { EMBED_LIMITS } from '../src/discord/limits.js';
import { UserFacingError } from '../src/errors.js';
import type { ProfileView, SimilarTaste } from '../src/services/profiles.js';
import { TMDB_SHORT_CREDIT } from '../src/tmdb/attribution.js';

const NAME = 'profile';
const MEMBER_OPTION = 'member';

function similarText(similar: SimilarTaste, isSelf: boolean): string {
  const their = isSelf ? 'your' : 'their';
  switch (similar.kind) {
    case 'not-sharing':
      return isSelf
        ? 'You keep your taste to yourself: your ratings shape only your own picks, and nobody is shown as similar to you. `/privacy settings share_taste:True` changes that.'
        : 'This member keeps their taste to themselves.';
    case 'unavailable':
      return 'Not available right now; try again in a moment.';
    case 'members': {
      const { named, unnamedCount } = similar;
      if (named.length === 0 && unnamedCount === 0) return 'Nobody here has rated enough of the same films yet.';
      if (named.length === 0) {
        return `${plural(unnamedCount, 'other member')} ${unnamedCount === 1 ? 'shares' : 'share'} ${their} taste.`;
      }
      const lines = named.map(({ userId, coRated }) => `${mention(userId)} · ${plural(coRated, 'film')} rated by both`);
      if (unnamedCount > 0) lines.push(`and ${plural(unnamedCount, 'other member')}`);
      return lines.join('\n');
    }
  }
}

function profileEmbed(view: ProfileView, name: string, avatarUrl: string): EmbedBuilder {
  const { counts, averageRating, favouriteGenres, isSelf } = view;
  return new EmbedBuilder()
    .setAuthor({ name, iconURL: avatarUrl })
    .setTitle(isSelf ? 'Your Marquee profile' : 'Marquee profile')
    .addFields(
      { name: 'Ratings', value: String(counts.ratings), inline: true },
      { name: 'Diary', value: plural(counts.diaryEntries, 'entry', 'entries'), inline: true },
      { name: 'Watchlist', value: plural(counts.watchlist, 'film'), inline: true },
      {
        name: 'Average rating',
        value: averageRating === null ? 'No ratings yet' : `${stars(averageRating)} ${averageRating.toFixed(1)}`,
        inline: true,
      },
      {
        name: 'Favourite genres',
        value: favouriteGenres.length
          ? favouriteGenres.map(({ name: genre, films }) => `${genre} (${films})`).join(', ')
          : 'Rate films 4★ or more to find out',
        inline: true,
      },
      // Five members by default fit easily; a larger configured count must not break Discord's 1024 per field.
      {
        name: 'Similar taste in this server',
        value: truncate(similarText(view.similar, isSelf), EMBED_LIMITS.fieldValue),
      },
    )
    .setFooter({ text: TMDB_SHORT_CREDIT });
}

/** `/profile [member]`: counts, average, favourite genres and taste neighbours, within GUIDE §9. */
export default {
  data: new SlashCommandBuilder()
    .setName(NAME)
    .setDescription('Ratings, favourite genres and similar members: yours or another member’s')
    .setContexts(InteractionContextType.Guild)
    .addUserOption((option) => option.setName(MEMBER_OPTION).setDescription('Whose profile (yours when left out)')),

  async execute(interaction, ctx) {
    const target = interaction.options.getUser(MEMBER_OPTION) ?? interaction.user;
    if (target.bot) throw new UserFacingError('bot-profile', 'Bots have no Marquee profile.');
    // Discord resolves a user option to a member only when they are in this guild at that moment.
    const resolved = interaction.options.getMember(MEMBER_OPTION);
    const request = {
      guildId: interaction.guildId,
      viewerId: interaction.user.id,
      targetId: target.id,
      isGuildMember: guildMembership(interaction, ctx.log),
    };
    // Refusals are checked before deferring, so they stay between the bot and the member who asked.
    await ctx.services.profiles.assertVisible(request);
    await interaction.deferReply();
    const view = await ctx.services.profiles.get(request);
    const name = (resolved ?? target).displayName;
    await interaction.editReply({
      embeds: [profileEmbed(view, name, (resolved ?? target).displayAvatarURL())],
    });
  },
} satisfies Command;
