import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from '../logger.js';
import { COMPONENT_LIMITS } from './limits.js';
import type { Services } from '../services/index.js';

/**
 * What a command handler gets: the use cases, a logger bound to this interaction, and the clock. Never
 * repositories, the database or the TMDB client: commands are glue (GUIDE §1).
 */
export interface CommandContext {
  services: Services;
  log: Logger;
  clock: () => Date;
}

export type ChatInput = ChatInputCommandInteraction<'cached'>;
export type ComponentInteraction = MessageComponentInteraction<'cached'>;
type Handler<Interaction> = (interaction: Interaction, ctx: CommandContext) => Promise<void>;

/**
 * A button or select of a command, reached through the `command:action:arg…` customId the router dispatches.
 * Anything a customId carries can be stale or crafted, so `parse` reads it first; the router answers what
 * `parse` rejects and clicks by anyone but `ownerId` once, for every command.
 */
export interface ComponentAction<Args> {
  /** The action's arguments, or null when they no longer make sense (answered as a control that is gone). */
  parse(args: readonly string[], interaction: ComponentInteraction): Args | null;
  /** Only this member may use the control (e.g. their own list, their own deletion). */
  ownerId?(args: Args): string;
  run(interaction: ComponentInteraction, args: Args, ctx: CommandContext): Promise<void>;
}

/** A component action with its argument type hidden, so one command can declare several kinds. */
export interface ComponentHandler {
  handle(
    interaction: ComponentInteraction,
    args: readonly string[],
    ctx: CommandContext,
  ): { kind: 'gone' } | { kind: 'not-yours' } | { kind: 'run'; done: Promise<void> };
}

/** Declares a component action: `components: { page: component({ parse, ownerId, run }) }`. */
export function component<Args>(action: ComponentAction<Args>): ComponentHandler {
  return {
    handle(interaction, rawArgs, ctx) {
      const args = action.parse(rawArgs, interaction);
      if (args === null) return { kind: 'gone' };
      if (action.ownerId && action.ownerId(args) !== interaction.user.id) return { kind: 'not-yours' };
      return { kind: 'run', done: action.run(interaction, args, ctx) };
    },
  };
}

interface CommandBase {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  autocomplete?: Handler<AutocompleteInteraction<'cached'>>;
  /** Buttons and selects by action: a customId `${name}:${action}:…` reaches `components[action]`. */
  components?: Readonly<Record<string, ComponentHandler>>;
}

/**
 * One slash command: `data` is a discord.js builder; either one `execute`, or one handler per subcommand
 * (the router answers a subcommand that is no longer there).
 */
export type Command = CommandBase &
  (
    | { execute: Handler<ChatInput>; subcommands?: never }
    | { subcommands: Readonly<Record<string, Handler<ChatInput>>>; execute?: never }
  );

/** Builds and parses `customId`s of the form `command:action:arg…` (each ≤ 100 characters in all). */
export const customId = {
  build(command: string, action: string, ...args: (string | number)[]): string {
    const id = [command, action, ...args].join(':');
    if (id.length > COMPONENT_LIMITS.customId) {
      throw new Error(`customId longer than ${COMPONENT_LIMITS.customId} characters: ${id}`);
    }
    return id;
  },
  parse(id: string): { command: string; action: string; args: string[] } {
    const [command = '', action = '', ...args] = id.split(':');
    return { command, action, args };
  },
};
