import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { TMDB_NOT_ANSWERING } from '../src/services/tmdb-health.js';
import { PANEL_COMMAND, openOnboardingPanel, panelComponents } from './onboarding-panel.js';
import { DEFAULT_COUNT, deliverPicks } from './recommend.js';

/**
 * `/start`: the private "rate a few to start" panel, which `/recommend` also opens for a member with too few
 * ratings; its controls (`start:…`) are handled here whichever command opened it.
 */
export default {
  data: new SlashCommandBuilder()
    .setName(PANEL_COMMAND)
    .setDescription('Rate a few films you have seen, so your picks are yours from the start')
    .setContexts(InteractionContextType.Guild),

  async execute(interaction, ctx) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    if (await openOnboardingPanel(interaction, ctx, { count: DEFAULT_COUNT })) return;
    const why =
      ctx.services.tmdb.state() === 'ok'
        ? 'I have no more films to suggest here right now (you may have rated them all).'
        : `${TMDB_NOT_ANSWERING}, and nobody in this server has rated a film you have not.`;
    await interaction.editReply({ content: `${why} Rate any film you have seen with \`/rate\`.` });
  },

  components: panelComponents(deliverPicks),
} satisfies Command;
