import {
  MessageFlags,
  type AutocompleteInteraction,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import type { AppContext } from '../context.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { customId, type Command, type CommandContext } from './command.js';

export const GENERIC_APOLOGY = 'Sorry, something went wrong on our side. It has been logged; please try again in a moment.';
export const GUILD_ONLY = 'Marquee works inside servers: use its commands in a server channel.';
export const COMMAND_GONE = 'That command is no longer available.';
/** For a button, select or form of a known command that nothing handles (any more). */
export const CONTROL_GONE = 'That is no longer available; run the command again.';

/**
 * Whether everyone sees the original response (what `editReply` overwrites). `deferReply`/`reply` set
 * `ephemeral` to true or false; `deferUpdate` leaves it null, and the original is then the message the
 * button or select sits on.
 */
function originalIsPublic(interaction: RepliableInteraction): boolean {
  if (interaction.ephemeral !== null) return !interaction.ephemeral;
  const message = 'message' in interaction ? interaction.message : null;
  return !message?.flags.has(MessageFlags.Ephemeral);
}

/**
 * Sends an ephemeral message whatever state the interaction is in (GUIDE §2). An ephemeral deferral is
 * edited. After a public `deferReply`, the public "thinking…" reply is deleted first and the message
 * follows ephemerally: Discord turns a follow-up sent straight after a deferral into an edit of it and
 * ignores its ephemeral flag. Should the deletion fail, nothing more is sent (the message stays private).
 * After a `deferUpdate` on a public message, that message is left as it is.
 */
export async function replyEphemeral(interaction: RepliableInteraction, content: string, log: Logger): Promise<void> {
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ content, flags: MessageFlags.Ephemeral });
    return;
  }
  if (interaction.deferred && !interaction.replied) {
    if (!originalIsPublic(interaction)) {
      await interaction.editReply({ content, embeds: [], components: [] });
      return;
    }
    if (interaction.ephemeral === false) {
      try {
        await interaction.deleteReply();
      } catch (error) {
        log.warn({ err: error }, 'could not delete the public deferred reply; the message was not sent');
        return;
      }
    }
  }
  await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
}

function describe(interaction: Interaction): { kind: string; command: string } {
  if (interaction.isChatInputCommand()) return { kind: 'command', command: interaction.commandName };
  if (interaction.isContextMenuCommand()) return { kind: 'context-menu', command: interaction.commandName };
  if (interaction.isAutocomplete()) return { kind: 'autocomplete', command: interaction.commandName };
  // Buttons, selects and forms carry `command:action:…` customIds (see `customId`).
  if (interaction.isMessageComponent()) return { kind: 'component', command: customId.parse(interaction.customId).command };
  if (interaction.isModalSubmit()) return { kind: 'modal', command: customId.parse(interaction.customId).command };
  return { kind: 'other', command: '' };
}

/**
 * The one place that catches errors from commands. A UserFacingError becomes an ephemeral reply with its
 * message; anything else is logged with the interaction's ids and the member gets a short apology.
 * Every chat command first records the member as seen in the guild (the neighbourhood of that server).
 * Every interaction gets an answer: one that no command handles is told it is no longer available.
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
        if (interaction.isRepliable()) await replyEphemeral(interaction, COMMAND_GONE, log);
        else if (interaction.isAutocomplete()) await interaction.respond([]);
        return;
      }
      if (!interaction.inCachedGuild()) {
        if (interaction.isRepliable()) await replyEphemeral(interaction, GUILD_ONLY, log);
        else if (interaction.isAutocomplete()) await interaction.respond([]);
        return;
      }
      if (interaction.isAutocomplete()) {
        await command.autocomplete?.(interaction, commandCtx);
        if (!interaction.responded) await interaction.respond([]);
      } else if (interaction.isChatInputCommand()) {
        await ctx.services.members.seen(interaction.guildId, interaction.user.id, interaction.createdAt);
        await command.execute(interaction, commandCtx);
      } else if (interaction.isMessageComponent() && command.component) {
        await command.component(interaction, commandCtx);
      } else if (interaction.isRepliable()) {
        // A control or form the command has no handler for (e.g. from an older version): say so, never stay silent.
        log.warn('unhandled interaction');
        await replyEphemeral(interaction, CONTROL_GONE, log);
      }
    } catch (error) {
      if (interaction.isAutocomplete()) {
        log.error({ err: error }, 'autocomplete failed');
        await answerAutocompleteFailure(interaction);
      } else if (interaction.isRepliable()) {
        if (error instanceof UserFacingError) {
          log.info({ code: error.code }, 'refused');
          await replyEphemeral(interaction, error.message, log).catch((replyError: unknown) =>
            log.warn({ err: replyError }, 'could not send the refusal'),
          );
        } else {
          log.error({ err: error }, 'interaction failed');
          await replyEphemeral(interaction, GENERIC_APOLOGY, log).catch((replyError: unknown) =>
            log.warn({ err: replyError }, 'could not send the apology'),
          );
        }
      }
    } finally {
      log.info({ latencyMs: Math.round(performance.now() - started) }, 'interaction handled');
    }
  };
}
