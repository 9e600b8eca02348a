import {
  InteractionContextType,
  MessageFlags,
  MessageFlagsBitField,
  SlashCommandBuilder,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/discord/command.js';
import { controlGone, createInteractionRouter, replyEphemeral } from '../../src/discord/router.js';
import { noServices } from '../support/builders.js';
import type { Logger } from '../../src/logger.js';

/** A logger that keeps the messages of its warnings. */
function recordingLogger() {
  const warnings: string[] = [];
  const logger = {
    child: () => logger,
    info: () => undefined,
    error: () => undefined,
    warn: (...args: unknown[]) => void warnings.push(String(args.at(-1))),
  };
  return { logger: logger as unknown as Logger, warnings };
}

/** A repliable interaction in a given response state that records what the bot sent through it. */
function fakeRepliable(state: {
  deferred?: boolean;
  replied?: boolean;
  ephemeral?: boolean | null;
  messageFlags?: number;
}) {
  const calls: { method: string; payload?: unknown }[] = [];
  const record = (method: string) => async (payload?: unknown) => void calls.push({ method, payload });
  const interaction = {
    deferred: state.deferred ?? false,
    replied: state.replied ?? false,
    ephemeral: state.ephemeral ?? null,
    ...(state.messageFlags === undefined ? {} : { message: { flags: new MessageFlagsBitField(state.messageFlags) } }),
    reply: record('reply'),
    editReply: record('editReply'),
    followUp: record('followUp'),
    deleteReply: record('deleteReply'),
  };
  return { interaction, calls };
}

describe('replyEphemeral', () => {
  const { logger } = recordingLogger();
  const send = async (state: Parameters<typeof fakeRepliable>[0]) => {
    const { interaction, calls } = fakeRepliable(state);
    await replyEphemeral(interaction as unknown as RepliableInteraction, 'Only for you.', logger);
    return calls.map(({ method }) => method);
  };

  it('edits an ephemeral deferral, or an ephemeral message whose update was deferred', async () => {
    expect(await send({ deferred: true, ephemeral: true })).toEqual(['editReply']);
    expect(await send({ deferred: true, ephemeral: null, messageFlags: MessageFlags.Ephemeral })).toEqual([
      'editReply',
    ]);
  });

  it('deletes a public deferral before following up ephemerally', async () => {
    expect(await send({ deferred: true, ephemeral: false })).toEqual(['deleteReply', 'followUp']);
  });

  it('follows up without touching a public message whose update was deferred, or once something was sent', async () => {
    expect(await send({ deferred: true, ephemeral: null, messageFlags: 0 })).toEqual(['followUp']);
    expect(await send({ deferred: true, replied: true, ephemeral: false })).toEqual(['followUp']);
    expect(await send({ replied: true, ephemeral: false })).toEqual(['followUp']);
  });

  it('sends nothing when the public deferral cannot be deleted, since a follow-up would then show publicly', async () => {
    const { logger: log, warnings } = recordingLogger();
    const { interaction, calls } = fakeRepliable({ deferred: true, ephemeral: false });
    interaction.deleteReply = async () => {
      throw new Error('Unknown Message');
    };

    await replyEphemeral(interaction as unknown as RepliableInteraction, 'Only for you.', log);

    expect(calls).toEqual([]);
    expect(warnings).toEqual(['could not delete the public deferred reply; the message was not sent']);
  });
});

describe('createInteractionRouter', () => {
  it('answers a form submitted for a known command that has no handler for it, instead of staying silent', async () => {
    const command: Command = {
      data: new SlashCommandBuilder()
        .setName('night')
        .setDescription('Movie night')
        .setContexts(InteractionContextType.Guild),
      async execute() {},
    };
    const { logger, warnings } = recordingLogger();
    const route = createInteractionRouter([command], { logger, services: noServices(), clock: () => new Date(0) });
    const { interaction, calls } = fakeRepliable({});
    const modal = {
      ...interaction,
      id: '900000000000000100',
      customId: 'night:suggest:1',
      user: { id: '830000000000000001' },
      guildId: '810000000000000001',
      isChatInputCommand: () => false,
      isContextMenuCommand: () => false,
      isAutocomplete: () => false,
      isMessageComponent: () => false,
      isModalSubmit: () => true,
      isRepliable: () => true,
      inCachedGuild: () => true,
    };

    await route(modal as unknown as Interaction);

    expect(calls).toEqual([
      { method: 'reply', payload: { content: controlGone('night'), flags: MessageFlags.Ephemeral } },
    ]);
    expect(warnings).toContain('unhandled interaction');
  });
});
