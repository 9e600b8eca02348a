import {
  ApplicationCommandOptionType,
  DiscordjsErrorCodes,
  type APIApplicationCommandOption,
  type CommandInteractionOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { UserFacingError } from '../errors.js';

/** What the member can do about options from an older version of a command: their Discord client caches commands. */
const RELOAD = 'Reload Discord (Ctrl+R, or reopen the app) and try again.';

export const optionMissing = (command: string, option: string): string =>
  `/${command} arrived without its \`${option}\` option, probably from an older version of the command. ${RELOAD}`;
export const optionMalformed = (command: string, option: string): string =>
  `/${command} arrived with a \`${option}\` option Marquee cannot read, probably from an older version of the command. ${RELOAD}`;

const GROUPING: ReadonlySet<ApplicationCommandOptionType> = new Set([
  ApplicationCommandOptionType.Subcommand,
  ApplicationCommandOptionType.SubcommandGroup,
]);

/** Whether a value Discord sent fits the option type the command declares now. */
function fits(type: ApplicationCommandOptionType, value: CommandInteractionOption['value']): boolean {
  switch (type) {
    case ApplicationCommandOptionType.String:
      return typeof value === 'string';
    case ApplicationCommandOptionType.Integer:
      return typeof value === 'number' && Number.isSafeInteger(value);
    case ApplicationCommandOptionType.Number:
      return typeof value === 'number' && Number.isFinite(value);
    case ApplicationCommandOptionType.Boolean:
      return typeof value === 'boolean';
    default:
      // Users, channels, roles, mentionables and attachments arrive as ids.
      return typeof value === 'string' && /^\d{1,20}$/.test(value);
  }
}

/**
 * Checks the options of a slash command against the command as this version declares it, before any handler
 * runs: Discord sends what the member's client knew, which can be an older registration (fewer options,
 * another type). A required option that is missing, or one of another type, is refused as a UserFacingError
 * ('option-missing', 'option-malformed') naming it; options this version no longer declares are ignored. An
 * unknown subcommand is left to the router, which says it is gone.
 */
export function checkOptions(
  command: RESTPostAPIChatInputApplicationCommandsJSONBody,
  sent: readonly CommandInteractionOption[],
): void {
  let declared: readonly APIApplicationCommandOption[] = command.options ?? [];
  let given: readonly CommandInteractionOption[] = sent;
  for (;;) {
    const grouping = given.find((option) => GROUPING.has(option.type));
    if (!grouping) break;
    const match = declared.find((option) => option.name === grouping.name && option.type === grouping.type);
    if (!match || !('options' in match)) return;
    declared = match.options ?? [];
    given = grouping.options ?? [];
  }
  for (const option of declared) {
    const value = given.find((candidate) => candidate.name === option.name);
    if (!value) {
      if ('required' in option && option.required) {
        throw new UserFacingError('option-missing', optionMissing(command.name, option.name));
      }
      continue;
    }
    if (value.type !== option.type || !fits(option.type, value.value)) {
      throw new UserFacingError('option-malformed', optionMalformed(command.name, option.name));
    }
  }
}

/** discord.js's codes for an option a handler read, with what each means to the member. */
const OPTION_ERRORS: ReadonlyMap<string, 'option-missing' | 'option-malformed'> = new Map([
  [DiscordjsErrorCodes.CommandInteractionOptionNotFound, 'option-missing'],
  [DiscordjsErrorCodes.CommandInteractionOptionType, 'option-malformed'],
  [DiscordjsErrorCodes.CommandInteractionOptionEmpty, 'option-malformed'],
]);

/**
 * discord.js's own complaint about an option a handler read (`getString(name, true)` on a missing option, a
 * wrong type), as the refusal `checkOptions` gives; null for any other error. A safety net for what the
 * check cannot see, e.g. an option a handler reads that its builder does not declare.
 */
export function optionRefusal(error: unknown, command: string): UserFacingError | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  const refusal = typeof code === 'string' ? OPTION_ERRORS.get(code) : undefined;
  if (!refusal) return null;
  // discord.js names the option in quotes: `Required option "stars" not found.`
  const option = /"([^"]+)"/.exec(error.message)?.[1] ?? 'an';
  return refusal === 'option-missing'
    ? new UserFacingError(refusal, optionMissing(command, option), { cause: error })
    : new UserFacingError(refusal, optionMalformed(command, option), { cause: error });
}
