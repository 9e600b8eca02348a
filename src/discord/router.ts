import {
  MessageFlags,
  type AutocompleteInteraction,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import type { AppContext } from '../context.js';
import { UserFacingError } from '../errors.js';
import { customId, type Command, type CommandContext } from './command.js';

export const GENERIC_APOLOGY = 'Sorry, something went wrong on our side. It has been logged; please try again in a moment.';
export const GUILD_ONLY = 'Marquee works inside servers: use its commands in a server channel.';

/** Sends an ephemeral message whatever state the interaction is in (GUIDE §2). */
export async function replyEphemeral(interaction: RepliableInteraction, content: string): Promise<void> {
  if (interaction.deferred && !interaction.replied) {
    await interaction.editReply({ content, embeds: [], components: [] });
  } else if (interaction.replied) {
    await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.reply({ content, flags: MessageFlags.Ephemeral });
  }
}

function describe(interaction: Interaction): { kind: string; command: string } {
  if (interaction.isChatInputCommand()) return { kind: 'command', command: interaction.commandName };
  if (interaction.isAutocomplete()) return { kind: 'autocomplete', command: interaction.commandName };
  if (interaction.isMessageComponent()) return { kind: 'component', command: customId.parse(interaction.customId).command };
  return { kind: 'other', command: '' };
}

/**
 * The one place that catches errors from commands. A UserFacingError becomes an ephemeral reply with its
 * message; anything else is logged with the interaction's ids and the member gets a short apology.
 * Every chat command first records the member as seen in the guild (the neighbourhood of that server).
 */
export function createInteractionRouter(commands: readonly Command[], ctx: AppContext) {
  const byName = new Map(commands.map((command) => [command.data.name, command]));

  async function answerAutocompleteFailure(interaction: AutocompleteInteraction): Promise<void> {
    if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
  }

  return async function route(interaction: Interaction): Promise<void> {
    const started = performance.now();
    const { kind, command: name } = describe(interaction);
    const log = ctx.logger.child({
      command: name,
      kind,
      userId: interaction.user.id,
      guildId: interaction.guildId,
      interactionId: interaction.id,
    });
    const commandCtx: CommandContext = { ...ctx, log };
    const command = byName.get(name);
    try {
      if (!command) {
        log.warn('unknown interaction');
        if (interaction.isRepliable()) await replyEphemeral(interaction, 'That command is no longer available.');
        else if (interaction.isAutocomplete()) await interaction.respond([]);
        return;
      }
      if (!interaction.inCachedGuild()) {
        if (interaction.isRepliable()) await replyEphemeral(interaction, GUILD_ONLY);
        else if (interaction.isAutocomplete()) await interaction.respond([]);
        return;
      }
      if (interaction.isAutocomplete()) {
        await command.autocomplete?.(interaction, commandCtx);
        if (!interaction.responded) await interaction.respond([]);
      } else if (interaction.isChatInputCommand()) {
        await ctx.services.members.seen(interaction.guildId, interaction.user.id);
        await command.execute(interaction, commandCtx);
      } else if (interaction.isMessageComponent() && command.component) {
        await command.component(interaction, commandCtx);
      }
    } catch (error) {
      if (interaction.isAutocomplete()) {
        log.error({ err: error }, 'autocomplete failed');
        await answerAutocompleteFailure(interaction);
      } else if (interaction.isRepliable()) {
        if (error instanceof UserFacingError) {
          log.info({ code: error.code }, 'refused');
          await replyEphemeral(interaction, error.message).catch((replyError: unknown) =>
            log.warn({ err: replyError }, 'could not send the refusal'),
          );
        } else {
          log.error({ err: error }, 'interaction failed');
          await replyEphemeral(interaction, GENERIC_APOLOGY).catch((replyError: unknown) =>
            log.warn({ err: replyError }, 'could not send the apology'),
          );
        }
      }
    } finally {
      log.info({ latencyMs: Math.round(performance.now() - started) }, 'interaction handled');
    }
  };
}
