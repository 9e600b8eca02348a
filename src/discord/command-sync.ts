import { Routes, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { z } from 'zod';
import type { Logger } from '../logger.js';

/** What Discord keeps of an option that changes what members see or send; its own additions are left out. */
interface CanonicalOption {
  type: number;
  name: string;
  description: string;
  required: boolean;
  autocomplete: boolean;
  choices: { name: string; value: string | number }[];
  bounds: (number | null)[];
  channelTypes: number[];
  options: CanonicalOption[];
}

const optionSchema: z.ZodType<CanonicalOption> = z.lazy(() =>
  z
    .looseObject({
      type: z.number(),
      name: z.string(),
      description: z.string().default(''),
      required: z.boolean().nullish(),
      autocomplete: z.boolean().nullish(),
      choices: z.array(z.looseObject({ name: z.string(), value: z.union([z.string(), z.number()]) })).nullish(),
      min_value: z.number().nullish(),
      max_value: z.number().nullish(),
      min_length: z.number().nullish(),
      max_length: z.number().nullish(),
      channel_types: z.array(z.number()).nullish(),
      options: z.array(optionSchema).nullish(),
    })
    .transform((option) => ({
      type: option.type,
      name: option.name,
      description: option.description,
      required: option.required ?? false,
      autocomplete: option.autocomplete ?? false,
      choices: (option.choices ?? []).map(({ name, value }) => ({ name, value })),
      bounds: [option.min_value, option.max_value, option.min_length, option.max_length].map((bound) => bound ?? null),
      channelTypes: [...(option.channel_types ?? [])].sort(),
      options: option.options ?? [],
    })),
);

const commandSchema = z
  .looseObject({
    type: z.number().nullish(),
    name: z.string(),
    description: z.string().default(''),
    options: z.array(optionSchema).nullish(),
    contexts: z.array(z.number()).nullish(),
    default_member_permissions: z.string().nullish(),
    nsfw: z.boolean().nullish(),
  })
  .transform((command) => ({
    name: command.name,
    canonical: JSON.stringify({
      type: command.type ?? 1,
      description: command.description,
      options: command.options ?? [],
      contexts: command.contexts ? [...command.contexts].sort() : null,
      permissions: command.default_member_permissions ?? null,
      nsfw: command.nsfw ?? false,
    }),
  }));

export interface CommandDifferences {
  /** This version's commands that Discord does not have. */
  missing: string[];
  /** Commands Discord has in another shape (options, descriptions, …). */
  stale: string[];
  /** Commands Discord has that this version no longer declares. */
  extra: string[];
}

/** How the commands Discord has registered differ from this version's, compared by what members see and send. */
export function commandDifferences(
  registered: unknown,
  wanted: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
): CommandDifferences {
  const theirs = new Map(
    z
      .array(commandSchema)
      .parse(registered)
      .map((command) => [command.name, command.canonical]),
  );
  const ours = new Map(
    z
      .array(commandSchema)
      .parse(wanted)
      .map((command) => [command.name, command.canonical]),
  );
  return {
    missing: [...ours.keys()].filter((name) => !theirs.has(name)),
    stale: [...ours].filter(([name, shape]) => theirs.has(name) && theirs.get(name) !== shape).map(([name]) => name),
    extra: [...theirs.keys()].filter((name) => !ours.has(name)),
  };
}

export interface CommandSyncDeps {
  rest: {
    get(route: `/${string}`): Promise<unknown>;
    put(route: `/${string}`, options: { body: unknown }): Promise<unknown>;
  };
  applicationId: string;
  /** DISCORD_DEV_GUILD_ID: the commands live in that server (instant) rather than globally. */
  devGuildId?: string | undefined;
  commands: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  /** Register when they differ; otherwise only warn (AUTO_REGISTER_COMMANDS=false). */
  autoRegister: boolean;
  logger: Logger;
}

export type CommandSyncOutcome = 'current' | 'registered' | 'differ';

/**
 * At ready: compares the commands registered for this application (in the dev server, else globally) with this
 * version's, and registers them when they are missing or stale (or warns, when told not to). Forgetting
 * `npm run register` then costs nothing, and an upgrade brings its commands with it.
 */
export async function syncCommands(deps: CommandSyncDeps): Promise<CommandSyncOutcome> {
  const { rest, applicationId, devGuildId, commands, autoRegister, logger } = deps;
  const route = devGuildId
    ? Routes.applicationGuildCommands(applicationId, devGuildId)
    : Routes.applicationCommands(applicationId);
  const where = devGuildId ? `in server ${devGuildId}` : 'globally';
  const differences = commandDifferences(await rest.get(route), commands);
  const changed = [...differences.missing, ...differences.stale, ...differences.extra];
  if (changed.length === 0) {
    logger.debug({ where }, 'slash commands are current');
    return 'current';
  }
  if (!autoRegister) {
    logger.warn(
      { ...differences, where },
      `The slash commands registered ${where} differ from this version's (${changed.map((name) => `/${name}`).join(' ')}): run \`npm run register\``,
    );
    return 'differ';
  }
  await rest.put(route, { body: commands });
  logger.info(
    { ...differences, where },
    `Registered the slash commands ${where}${devGuildId ? '' : ' (Discord may take a while to show them everywhere)'}`,
  );
  return 'registered';
}
