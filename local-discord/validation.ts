import { z } from 'zod';
import { ApplicationCommandOptionType, ApplicationCommandType, MessageFlags } from 'discord-api-types/v10';
import { emptyMessage, invalidFormBody, type FieldIssue } from './errors.js';

/**
 * The limits Discord enforces on what a bot sends (developer docs; GUIDE §3), so a renderer that
 * overflows fails here with a 50035 exactly as it would in production.
 */

type Path = readonly PropertyKey[];

function collect(schema: z.ZodType, value: unknown, path: Path, issues: FieldIssue[]): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  for (const issue of result.error.issues) issues.push({ path: [...path, ...issue.path], ...describe(issue) });
}

function describe(issue: z.core.$ZodIssue): { code: string; message: string } {
  switch (issue.code) {
    case 'too_big':
      return { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${String(issue.maximum)} or fewer in length.` };
    case 'too_small':
      return { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${String(issue.minimum)} or more in length.` };
    case 'invalid_type':
      return issue.input === undefined
        ? { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }
        : { code: 'BASE_TYPE_BAD_TYPE', message: issue.message };
    default:
      return { code: 'INVALID_FORM_BODY', message: issue.message };
  }
}

const embedSchema = z.looseObject({
  title: z.string().max(256).nullish(),
  description: z.string().max(4096).nullish(),
  fields: z
    .array(z.looseObject({ name: z.string().min(1).max(256), value: z.string().min(1).max(1024) }))
    .max(25)
    .nullish(),
  footer: z.looseObject({ text: z.string().max(2048) }).nullish(),
  author: z.looseObject({ name: z.string().max(256) }).nullish(),
});
type EmbedInput = z.infer<typeof embedSchema>;

const customId = z.string().min(1).max(100);
const buttonSchema = z.looseObject({
  type: z.literal(2),
  custom_id: customId.optional(),
  label: z.string().max(80).optional(),
});
const selectSchema = z.looseObject({
  type: z.union([z.literal(3), z.literal(5), z.literal(6), z.literal(7), z.literal(8)]),
  custom_id: customId,
  placeholder: z.string().max(150).nullish(),
  options: z
    .array(
      z.looseObject({
        label: z.string().min(1).max(100),
        value: z.string().min(1).max(100),
        description: z.string().max(100).nullish(),
      }),
    )
    .max(25)
    .optional(),
});
const actionRowSchema = z.looseObject({
  type: z.literal(1),
  components: z
    .array(z.discriminatedUnion('type', [buttonSchema, selectSchema]))
    .min(1)
    .max(5),
});

const messageSchema = z.looseObject({
  content: z.string().max(2000).nullish(),
  embeds: z.array(embedSchema).max(10).nullish(),
  attachments: z
    .array(z.looseObject({ id: z.union([z.string(), z.number()]) }))
    .max(10)
    .nullish(),
  flags: z.number().int().nullish(),
  components: z.array(z.unknown()).nullish(),
});

function embedLength(embed: EmbedInput): number {
  const fields = embed.fields ?? [];
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

export interface MessageCheck {
  /** Where the message sits in the request body: `[]` for channel messages, `['data']` for callbacks. */
  path?: Path;
  /** Creating (not editing) a message: it needs content, an embed, a component, a file or a sticker. */
  create: boolean;
  fileCount: number;
}

export type MessageBody = z.infer<typeof messageSchema>;

/** Returns the body when it keeps within Discord's limits; throws Discord's 50035 / 50006 error otherwise. */
export function checkMessage(body: unknown, { path = [], create, fileCount }: MessageCheck): MessageBody {
  const issues: FieldIssue[] = [];
  const parsed = messageSchema.safeParse(body);
  if (!parsed.success) {
    collect(messageSchema, body, path, issues);
    throw invalidFormBody(issues);
  }
  const message = parsed.data;
  const embeds = message.embeds ?? [];
  if (embeds.reduce((sum, e) => sum + embedLength(e), 0) > 6_000) {
    issues.push({
      path: [...path, 'embeds'],
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: 'Embed size exceeds maximum size of 6000',
    });
  }
  const components = message.components ?? [];
  // Components V2 layouts (flag 1 << 15) are not action rows; their own limits are not modelled here.
  if (((message.flags ?? 0) & MessageFlags.IsComponentsV2) === 0) {
    collect(z.array(actionRowSchema).max(5), components, [...path, 'components'], issues);
    components.forEach((row, i) => {
      const parsedRow = actionRowSchema.safeParse(row);
      if (
        parsedRow.success &&
        parsedRow.data.components.length > 1 &&
        parsedRow.data.components.some((c) => c.type !== 2)
      ) {
        issues.push({
          path: [...path, 'components', i, 'components'],
          code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
          message: 'A select menu must be alone in its action row',
        });
      }
    });
  }
  if (issues.length > 0) throw invalidFormBody(issues);
  const empty =
    (message.content ?? '').length === 0 &&
    embeds.length === 0 &&
    components.length === 0 &&
    fileCount === 0 &&
    !('sticker_ids' in message) &&
    !('poll' in message);
  if (create && empty) throw emptyMessage();
  return message;
}

const choiceSchema = z.looseObject({
  name: z.string().min(1).max(100),
  value: z.union([z.string().max(100), z.number()]),
});

/** Autocomplete answers: at most 25 choices, names 1-100 characters, string values at most 100. */
export function checkAutocompleteData(data: unknown): void {
  const issues: FieldIssue[] = [];
  collect(z.looseObject({ choices: z.array(choiceSchema).max(25) }), data, ['data'], issues);
  if (issues.length > 0) throw invalidFormBody(issues);
}

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const nameSchema = z
  .string()
  .regex(NAME, 'Command name is invalid')
  .refine((name) => name === name.toLowerCase(), 'Command name must be lowercase');

const optionSchema = z.looseObject({
  type: z.number().int().min(1).max(11),
  name: nameSchema,
  description: z.string().min(1).max(100),
  required: z.boolean().optional(),
  autocomplete: z.boolean().optional(),
  choices: z.array(choiceSchema).max(25).optional(),
  options: z.array(z.unknown()).max(25).optional(),
});
type OptionInput = z.infer<typeof optionSchema>;

const commandSchema = z.looseObject({
  type: z.number().int().optional(),
  name: z.string().min(1).max(32),
  description: z.string().max(100).optional(),
  options: z.array(z.unknown()).max(25).optional(),
  default_member_permissions: z.string().nullish(),
  contexts: z.array(z.number().int().min(0).max(2)).nullish(),
  integration_types: z.array(z.number().int().min(0).max(1)).nullish(),
});
export type CommandInput = z.infer<typeof commandSchema>;

const SUBCOMMAND_TYPES: ReadonlySet<number> = new Set([
  ApplicationCommandOptionType.Subcommand,
  ApplicationCommandOptionType.SubcommandGroup,
]);

/** Checks one option list and recurses into subcommands; returns the characters it counts towards the 8000. */
function checkOptions(options: readonly unknown[], path: Path, issues: FieldIssue[]): number {
  let size = 0;
  let seenOptional = false;
  const names = new Set<string>();
  const parsed: OptionInput[] = [];
  options.forEach((raw, i) => {
    const result = optionSchema.safeParse(raw);
    if (!result.success) {
      collect(optionSchema, raw, [...path, i], issues);
      return;
    }
    const option = result.data;
    parsed.push(option);
    const at = [...path, i];
    if (names.has(option.name)) {
      issues.push({
        path: [...at, 'name'],
        code: 'APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME',
        message: 'Option names must be unique',
      });
    }
    names.add(option.name);
    if (option.required === true && seenOptional) {
      issues.push({
        path: [...at, 'required'],
        code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        message: 'Required options must be placed before non-required options',
      });
    }
    if (option.required !== true && !SUBCOMMAND_TYPES.has(option.type)) seenOptional = true;
    if (option.autocomplete === true && (option.choices?.length ?? 0) > 0) {
      issues.push({
        path: [...at, 'autocomplete'],
        code: 'AUTOCOMPLETE_CHOICES',
        message: 'Autocomplete and choices are mutually exclusive',
      });
    }
    size += option.name.length + option.description.length;
    for (const choice of option.choices ?? []) size += choice.name.length + String(choice.value).length;
    if (option.options) size += checkOptions(option.options, [...at, 'options'], issues);
  });
  const subcommands = parsed.filter((o) => SUBCOMMAND_TYPES.has(o.type)).length;
  if (subcommands > 0 && subcommands < parsed.length) {
    issues.push({
      path,
      code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
      message: 'Subcommands and subcommand groups cannot be mixed with other options',
    });
  }
  return size;
}

/** Validates a bulk-overwrite body; returns the parsed commands when every one is acceptable. */
export function checkCommands(body: unknown): CommandInput[] {
  const issues: FieldIssue[] = [];
  const list = z.array(z.unknown()).max(110).safeParse(body);
  if (!list.success) {
    collect(z.array(z.unknown()).max(110), body, [], issues);
    throw invalidFormBody(issues);
  }
  const commands: CommandInput[] = [];
  const seen = new Set<string>();
  list.data.forEach((raw, i) => {
    const command = checkCommand(raw, [i], issues);
    if (!command) return;
    const key = `${String(command.type ?? ApplicationCommandType.ChatInput)}:${command.name}`;
    if (seen.has(key)) {
      issues.push({
        path: [i, 'name'],
        code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
        message: `Application command names must be unique`,
      });
    }
    seen.add(key);
    commands.push(command);
  });
  const chatInput = commands.filter(
    (c) => (c.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput,
  );
  if (chatInput.length > 100) {
    issues.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer chat input commands.' });
  }
  if (issues.length > 0) throw invalidFormBody(issues);
  return commands;
}

/** Validates one command; pushes its issues and returns it when its shape could be read. */
export function checkCommand(raw: unknown, path: Path, issues: FieldIssue[]): CommandInput | undefined {
  const result = commandSchema.safeParse(raw);
  if (!result.success) {
    collect(commandSchema, raw, path, issues);
    return undefined;
  }
  const command = result.data;
  const chatInput = (command.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput;
  if (chatInput) {
    collect(nameSchema, command.name, [...path, 'name'], issues);
    collect(z.string().min(1).max(100), command.description, [...path, 'description'], issues);
  }
  const size =
    command.name.length +
    (command.description?.length ?? 0) +
    checkOptions(command.options ?? [], [...path, 'options'], issues);
  if (size > 8_000) {
    issues.push({ path, code: 'APPLICATION_COMMAND_TOO_LARGE', message: 'Command exceeds maximum size (8000)' });
  }
  return command;
}
