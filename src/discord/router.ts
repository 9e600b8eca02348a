import { MessageFlags, type AutocompleteInteraction, type Interaction, type RepliableInteraction } from 'discord.js';
import { UserFacingError } from '../errors.js';
import { withLogFields, type Logger } from '../logger.js';
import { customId, type ChatInput, type Command, type CommandContext, type ComponentInteraction } from './command.js';
import { checkOptions, optionRefusal } from './option-check.js';
import type { Services } from '../services/index.js';
import type { InteractionOutcome, MetricsPort } from '../metrics-port.js';

export const GENERIC_APOLOGY =
  'Sorry, something went wrong on our side. It has been logged; please try again in a moment.';
export const GUILD_ONLY = 'Marquee works inside servers: use its commands in a server channel.';
/** Discord would not show the bot a server an interaction came from (e.g. the bot is not a member of it). */
export const GUILD_UNREACHABLE =
  'Marquee cannot see this server yet. If it was just added, try again in a minute; otherwise ask a server admin to invite it again.';
export const COMMAND_GONE = 'That command is no longer available.';
/** For a button, select or form that nothing handles (any more), e.g. from an older version or after a restart. */
export const controlGone = (command: string): string => `That control is no longer available; run /${command} again.`;
export const NOT_YOURS = 'Only the member who opened this can use it.';
export const SUBCOMMAND_GONE = 'That subcommand is no longer available.';

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

/** The command an interaction belongs to and its kind, as logs and metrics name them. */
export function describeInteraction(interaction: Interaction): { kind: string; command: string } {
  if (interaction.isChatInputCommand()) return { kind: 'command', command: interaction.commandName };
  if (interaction.isContextMenuCommand()) return { kind: 'context-menu', command: interaction.commandName };
  if (interaction.isAutocomplete()) return { kind: 'autocomplete', command: interaction.commandName };
  // Buttons, selects and forms carry `command:action:…` customIds (see `customId`).
  if (interaction.isMessageComponent())
    return { kind: 'component', command: customId.parse(interaction.customId).command };
  if (interaction.isModalSubmit()) return { kind: 'modal', command: customId.parse(interaction.customId).command };
  return { kind: 'other', command: '' };
}

/** What the router needs besides the commands: the use cases, the root logger and the clock. */
export interface RouterDeps {
  services: Services;
  logger: Logger;
  clock: () => Date;
  /** Told how each interaction ended (for /metrics). */
  metrics?: Pick<MetricsPort, 'interactionHandled'>;
}

/** Runs the handler of a subcommand, or says the subcommand is gone (e.g. registered by an older version). */
async function runChatInput(command: Command, interaction: ChatInput, ctx: CommandContext): Promise<void> {
  if (command.execute) return command.execute(interaction, ctx);
  const handler = command.subcommands[interaction.options.getSubcommand(false) ?? ''];
  if (!handler) throw new UserFacingError('unknown-subcommand', SUBCOMMAND_GONE);
  return handler(interaction, ctx);
}

/** Dispatches a button or select to the action its command declared; stale and foreign clicks are refused here. */
async function runComponent(command: Command, interaction: ComponentInteraction, ctx: CommandContext): Promise<void> {
  const { action, args } = customId.parse(interaction.customId);
  const outcome = command.components?.[action]?.handle(interaction, args, ctx) ?? { kind: 'gone' };
  if (outcome.kind === 'gone') throw new UserFacingError('control-gone', controlGone(command.data.name));
  if (outcome.kind === 'not-yours') throw new UserFacingError('not-yours', NOT_YOURS);
  return outcome.done;
}

/**
 * The one place that catches errors from commands. A UserFacingError becomes an ephemeral reply with its
 * message; anything else is logged with the interaction's ids and the member gets a short apology.
 * Every interaction gets an answer: one that no command handles is told it is no longer available, options
 * from an older registration of a command are refused naming the option, and an interaction from a server the
 * client has not cached is served as from a server just joined.
 * After each chat command, the member is recorded as seen in the guild (the neighbourhood of that server),
 * stamped with the time the interaction arrived, so a deletion that happened meanwhile wins (see `members.seen`).
 */
export function createInteractionRouter(commands: readonly Command[], deps: RouterDeps) {
  const byName = new Map(commands.map((command) => [command.data.name, command]));
  const definitions = new Map(commands.map((command) => [command.data.name, command.data.toJSON()]));

  /**
   * An interaction from a server the client has not cached (its GUILD_CREATE has not arrived, or was lost) is
   * from a server the bot has just joined: the server is fetched and cached as GUILD_CREATE would, and the
   * member's command runs. Only a server Discord will not show the bot is refused.
   */
  async function cacheGuild(interaction: Interaction, log: Logger): Promise<boolean> {
    if (interaction.inCachedGuild()) return true;
    if (!interaction.inRawGuild()) return false;
    try {
      await interaction.client.guilds.fetch(interaction.guildId);
      // Its channel too: messages sent there (a pick card, its reactions) need it cached.
      if (interaction.channelId) await interaction.client.channels.fetch(interaction.channelId);
      log.info('interaction from a server not in the cache: fetched it as one just joined');
      return interaction.inCachedGuild();
    } catch (error) {
      log.warn({ err: error }, 'interaction from a server Discord would not show');
      return false;
    }
  }

  async function answerAutocompleteFailure(interaction: AutocompleteInteraction): Promise<void> {
    if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
  }

  async function handle(interaction: Interaction, name: string, kind: string): Promise<void> {
    const started = performance.now();
    let outcome: InteractionOutcome = 'ok';
    // Our clock, as the deletions that `seen` must respect use it (Discord's id time could be skewed from ours).
    const arrivedAt = deps.clock();
    // Every line logged while handling this interaction carries its ids (bound in `route`).
    const log = deps.logger;
    const ctx: CommandContext = { services: deps.services, log, clock: deps.clock };
    const command = byName.get(name);
    try {
      if (!command) {
        outcome = 'gone';
        log.warn('unknown interaction');
        if (interaction.isRepliable()) await replyEphemeral(interaction, COMMAND_GONE, log);
        else if (interaction.isAutocomplete()) await interaction.respond([]);
        return;
      }
      if (!(await cacheGuild(interaction, log)) || !interaction.inCachedGuild()) {
        outcome = 'refused';
        const message = interaction.guildId === null ? GUILD_ONLY : GUILD_UNREACHABLE;
        if (interaction.isRepliable()) await replyEphemeral(interaction, message, log);
        else if (interaction.isAutocomplete()) await interaction.respond([]);
        return;
      }
      if (interaction.isAutocomplete()) {
        await command.autocomplete?.(interaction, ctx);
        if (!interaction.responded) await interaction.respond([]);
      } else if (interaction.isChatInputCommand()) {
        try {
          // Options from an older registration of the command are refused, naming the option, before any handler runs.
          const definition = definitions.get(name);
          if (definition) checkOptions(definition, interaction.options.data);
          await runChatInput(command, interaction, ctx);
        } finally {
          // After the answer, so neither the defer nor the command's own writes wait on it.
          await recordSeen(deps.services, interaction, arrivedAt, log);
        }
      } else if (interaction.isMessageComponent()) {
        await runComponent(command, interaction, ctx);
      } else if (interaction.isRepliable()) {
        // A form the command has no handler for (e.g. from an older version): say so, never stay silent.
        outcome = 'gone';
        log.warn('unhandled interaction');
        await replyEphemeral(interaction, controlGone(name), log);
      }
    } catch (error) {
      outcome = error instanceof UserFacingError ? 'refused' : 'failed';
      if (interaction.isAutocomplete()) {
        log.error({ err: error }, 'autocomplete failed');
        await answerAutocompleteFailure(interaction);
      } else if (interaction.isRepliable()) {
        const refusal = error instanceof UserFacingError ? error : optionRefusal(error, name);
        if (refusal) {
          outcome = 'refused';
          log.info({ code: refusal.code }, 'refused');
          await replyEphemeral(interaction, refusal.message, log).catch((replyError: unknown) =>
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
      deps.metrics?.interactionHandled({ command: name, kind, outcome });
    }
  }

  return function route(interaction: Interaction): Promise<void> {
    const { kind, command } = describeInteraction(interaction);
    const fields = {
      command,
      kind,
      userId: interaction.user.id,
      guildId: interaction.guildId,
      interactionId: interaction.id,
    };
    return withLogFields(fields, () => handle(interaction, command, kind));
  };
}

/** A failure only logs: the member already has their answer, and the next command records them again. */
function recordSeen(services: Services, interaction: ChatInput, at: Date, log: Logger): Promise<void> {
  return services.members.seen(interaction.guildId, interaction.user.id, at).then(
    () => undefined,
    (error: unknown) => log.warn({ err: error }, 'could not record the member as seen'),
  );
}
