import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { AppContext } from '../context.js';
import type { Logger } from '../logger.js';

/** What a command handler gets: the application's services plus a logger bound to this interaction. */
export interface CommandContext extends AppContext {
  log: Logger;
}

/**
 * One slash command. `data` is a discord.js builder; components (buttons, selects) whose `customId`
 * starts with `${name}:` are routed to `component`.
 */
export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction<'cached'>, ctx: CommandContext): Promise<void>;
  component?(interaction: MessageComponentInteraction<'cached'>, ctx: CommandContext): Promise<void>;
}

/** Builds and parses `customId`s of the form `command:action:arg…` (each ≤ 100 characters in all). */
export const customId = {
  build(command: string, action: string, ...args: (string | number)[]): string {
    const id = [command, action, ...args].join(':');
    if (id.length > 100) throw new Error(`customId longer than 100 characters: ${id}`);
    return id;
  },
  parse(id: string): { command: string; action: string; args: string[] } {
    const [command = '', action = '', ...args] = id.split(':');
    return { command, action, args };
  },
};
