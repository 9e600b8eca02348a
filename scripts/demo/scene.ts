/**
 * The demo's scene driver: members act through the local Discord (slash commands, clicks, selects, reactions,
 * voice), the real bot answers, and both are recorded in the transcript. Each interaction is waited on until the
 * bot's router logged it handled (after every message it sent) and the work it started in the background is done,
 * so the next step sees what this one changed, and the story plays the same way every run.
 */
import {
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIMessage,
} from 'discord-api-types/v10';
import type { App } from '../../src/app.js';
import type { FakeDiscord, InteractionHandle } from '../../local-discord/index.js';
import type { BotLog } from './bot-log.js';
import type { Transcript, TranscriptMessage } from './transcript.js';

export interface Member {
  id: string;
  name: string;
}

export interface SceneDeps {
  fake: FakeDiscord;
  app: App;
  log: BotLog;
  guildId: string;
  /** The text channel where the story plays. */
  channelId: string;
  transcript: Transcript;
  /** How long one step may take before the demo gives up. */
  stepTimeoutMs?: number;
}

export interface StepOptions {
  /** Record the member's action only, not the bot's answer (a later step shows the message as it ends up). */
  quiet?: boolean;
}

export interface StepResult {
  handle: InteractionHandle;
  /** The interaction's own message (the reply, or the message a control sits on), as it stands now. */
  original: APIMessage | undefined;
  /** Everything the step produced, as it stands now: the original, follow-ups, new messages in the channel. */
  messages: APIMessage[];
}

const isEphemeral = (message: APIMessage) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
const byId = (a: APIMessage, b: APIMessage) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1);

/** A message's action rows (the transcript keeps only rows of buttons and selects). */
function actionRows(message: APIMessage): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return (message.components ?? []).filter(
    (row): row is APIActionRowComponent<APIComponentInMessageActionRow> => row.type === ComponentType.ActionRow,
  );
}

/** The custom id of the control on `message` whose label (or placeholder) is `label`, for a step to click. */
export function controlId(message: APIMessage, label: string | RegExp): string {
  for (const row of actionRows(message)) {
    for (const component of row.components) {
      const text =
        component.type === ComponentType.Button
          ? 'label' in component
            ? component.label
            : undefined
          : component.type === ComponentType.StringSelect
            ? component.placeholder
            : undefined;
      const matches = typeof label === 'string' ? text === label : text !== undefined && label.test(text);
      if (matches && 'custom_id' in component) return component.custom_id;
    }
  }
  throw new Error(`the bot's message has no control labelled ${String(label)}`);
}

async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string) {
  const giveUpAt = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > giveUpAt) throw new Error(`the demo waited too long for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export type Scene = ReturnType<typeof createScene>;

export function createScene({ fake, app, log, guildId, channelId, transcript, stepTimeoutMs = 20_000 }: SceneDeps) {
  /** Who may see each ephemeral message (the member whose interaction made it). */
  const audience = new Map<string, string>();
  const shown = new Set<string>();
  const names = new Map(Object.entries(transcript.memberNames ?? {}));
  const nameOf = (userId: string) => names.get(userId) ?? 'member';

  function record(message: APIMessage): void {
    const ephemeral = isEphemeral(message);
    const visibleTo = audience.get(message.id);
    const entry: TranscriptMessage = {
      id: message.id,
      author: message.author.bot ? transcript.botName : nameOf(message.author.id),
      bot: message.author.bot === true,
      ephemeral,
      ...(ephemeral && visibleTo ? { visibleTo } : {}),
      content: message.content,
      embeds: structuredClone(message.embeds),
      components: structuredClone(actionRows(message)),
      reactions: (message.reactions ?? []).map((reaction) => ({
        emoji: reaction.emoji.name ?? '?',
        count: reaction.count,
      })),
      edited: shown.has(message.id),
    };
    shown.add(message.id);
    transcript.entries.push({ kind: 'message', message: entry });
  }

  const current = (messageId: string): APIMessage => {
    const message = fake.message(messageId);
    if (!message) throw new Error(`message ${messageId} is gone`);
    return message;
  };

  async function settle(handle: InteractionHandle): Promise<void> {
    await fake.waitUntil(() => log.handled(handle.id), {
      timeoutMs: stepTimeoutMs,
      description: `the bot to finish ${handle.payload.id}`,
    });
    await app.background.whenIdle();
  }

  async function step(member: Member, text: string, start: () => InteractionHandle, options: StepOptions) {
    const before = new Set(fake.messagesIn(channelId).map((message) => message.id));
    transcript.entries.push({ kind: 'action', member: member.name, text });
    const handle = start();
    await settle(handle);
    const ids = new Set<string>();
    const original = handle.original;
    for (const event of handle.events)
      if (event.message && isEphemeral(event.message)) audience.set(event.message.id, member.name);
    if (original) ids.add(original.id);
    for (const event of handle.followups) if (event.message) ids.add(event.message.id);
    for (const message of fake.messagesIn(channelId)) if (!before.has(message.id)) ids.add(message.id);
    const messages = [...ids].map(current);
    const ordered = [
      ...messages.filter((message) => message.id === original?.id),
      ...messages.filter((message) => message.id !== original?.id).sort(byId),
    ];
    if (!options.quiet) for (const message of ordered) record(message);
    const result: StepResult = { handle, original: original && current(original.id), messages: ordered };
    return result;
  }

  return {
    heading(id: string, title: string): void {
      transcript.entries.push({ kind: 'scene', id, title });
    },

    /** `/name [subcommand] options…`, as the member types it. */
    slash(
      member: Member,
      name: string,
      options: Readonly<Record<string, string | number | boolean>> = {},
      { subcommand, ...stepOptions }: StepOptions & { subcommand?: string } = {},
    ): Promise<StepResult> {
      const typed = Object.entries(options).map(([key, value]) => `${key}: ${String(value)}`);
      const text = ['/' + name, subcommand, ...typed].filter(Boolean).join(' ');
      return step(
        member,
        text,
        () =>
          fake.slash({
            guildId,
            channelId,
            userId: member.id,
            name,
            options,
            ...(subcommand ? { subcommand } : {}),
          }),
        stepOptions,
      );
    },

    /** A button click; `label` is what the member sees on it. */
    click(member: Member, message: APIMessage, label: string | RegExp, options: StepOptions = {}): Promise<StepResult> {
      const customId = controlId(message, label);
      const named = typeof label === 'string' ? label : (/\[(.*)\]/.exec(String(label))?.[1] ?? 'a button');
      return step(
        member,
        `clicks [${named}]`,
        () => fake.button({ userId: member.id, messageId: message.id, customId }),
        options,
      );
    },

    /** A choice in a select menu: `placeholder` finds the menu, `describe` says what the member chose. */
    select(
      member: Member,
      message: APIMessage,
      placeholder: string | RegExp,
      value: string,
      describe: string,
      options: StepOptions = {},
    ): Promise<StepResult> {
      const customId = controlId(message, placeholder);
      return step(
        member,
        describe,
        () => fake.selectMenu({ userId: member.id, messageId: message.id, customId, values: [value] }),
        options,
      );
    },

    /** A reaction; `until` is what the bot is done with once it handled it (reactions get no answer). */
    async react(member: Member, message: APIMessage, emoji: string, describe: string, until: () => Promise<boolean>) {
      transcript.entries.push({ kind: 'action', member: member.name, text: describe });
      fake.reactionAdd({ userId: member.id, messageId: message.id, emoji });
      await eventually(until, stepTimeoutMs, `the bot to take ${member.name}'s ${emoji}`);
      await app.background.whenIdle();
    },

    /** The member joins a voice channel (its name as the member sees it). */
    async voice(member: Member, voiceChannelId: string, channelName: string): Promise<void> {
      transcript.entries.push({
        kind: 'action',
        member: member.name,
        text: `joins the voice channel 🔊 ${channelName}`,
      });
      fake.voiceStateUpdate({ guildId, userId: member.id, channelId: voiceChannelId });
      await fake.waitUntil(
        () => app.client.guilds.cache.get(guildId)?.voiceStates.cache.get(member.id)?.channelId === voiceChannelId,
        { timeoutMs: stepTimeoutMs, description: `the bot to see ${member.name} in voice` },
      );
    },

    /** Records a message as it stands now (shown before: marked edited). */
    show(messageId: string): APIMessage {
      const message = current(messageId);
      record(message);
      return message;
    },

    current,
    wait: <T>(check: () => Promise<T | undefined | null | false>, what: string) =>
      eventually(check, stepTimeoutMs, what),
  };
}
