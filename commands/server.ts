import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { MANAGE_SERVER, assertManagesServer } from '../src/discord/manage-server.js';
import { MAX_REGION_INPUT_LENGTH } from '../src/services/guild-region.js';

const NAME = 'server';
const CODE_OPTION = 'code';

/**
 * `/server region code` (Manage Server): the country whose streaming services `/movie` and pick cards list in
 * this server. A code TMDB does not know is refused and nothing is written.
 */
export default {
  data: new SlashCommandBuilder()
    .setName(NAME)
    .setDescription('Settings of Marquee in this server (Manage Server)')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(MANAGE_SERVER)
    .addSubcommand((sub) =>
      sub
        .setName('region')
        .setDescription('The country where /movie and picks say a film streams')
        .addStringOption((option) =>
          option
            .setName(CODE_OPTION)
            .setDescription('Two-letter country code (ISO 3166-1), e.g. US, GB, DE')
            .setRequired(true)
            .setAutocomplete(true)
            .setMaxLength(MAX_REGION_INPUT_LENGTH),
        ),
    ),

  subcommands: {
    async region(interaction, ctx) {
      assertManagesServer(interaction, 'change where Marquee looks up streaming services');
      const region = await ctx.services.guildRegion.set(
        interaction.guildId,
        interaction.options.getString(CODE_OPTION, true),
      );
      ctx.log.info({ region: region.code }, 'server region set');
      await interaction.reply({
        content: `Where to watch is now looked up for **${region.name} (${region.code})** in this server: \`/movie\` and new picks show its streaming services.`,
        flags: MessageFlags.Ephemeral,
      });
    },
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    await interaction.respond(
      focused.name === CODE_OPTION ? ctx.services.guildRegion.choices(String(focused.value)) : [],
    );
  },
} satisfies Command;
