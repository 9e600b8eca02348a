import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { addScheduleSubcommands, scheduleAutocompletes, scheduleSubcommands } from './movienight-schedules.js';

/** `/movienight`: on this branch only the scheduled nights (commands/movienight-schedules.ts). */
export default {
  data: addScheduleSubcommands(
    new SlashCommandBuilder()
      .setName('movienight')
      .setDescription('Movie nights: pick a film together, and schedule weekly nights')
      .setContexts(InteractionContextType.Guild),
  ),
  subcommands: scheduleSubcommands,
  async autocomplete(interaction, ctx) {
    const answer = scheduleAutocompletes[interaction.options.getSubcommand(false) ?? ''];
    if (answer) await answer(interaction, ctx);
    else await interaction.respond([]);
  },
} satisfies Command;
