import { AttachmentBuilder } from 'discord.js';
import { describe, expect, it, vi } from 'vitest';
import type { ChatInput } from '../../src/discord/command.js';
import { createProgressReply } from '../../src/discord/progress-reply.js';
import { createLogger } from '../../src/logger.js';
import { MINUTE_MS, SECOND_MS } from '../../src/time.js';

const MEMBER = '100000000000000001';
const ARRIVED = new Date('2026-03-10T12:00:00Z');

/** An interaction as far as the progress reply uses it: edits, DMs and the channel, each recorded. */
function fakeInteraction({ dmsOpen = true }: { dmsOpen?: boolean } = {}) {
  const events: string[] = [];
  const interaction = {
    user: {
      id: MEMBER,
      send: vi.fn(async ({ content }: { content: string }) => {
        if (!dmsOpen) throw new Error('Cannot send messages to this user');
        events.push(`dm: ${content}`);
      }),
    },
    channelId: '200000000000000001',
    channel: {
      isSendable: () => true,
      send: vi.fn(async ({ content }: { content: string }) => void events.push(`channel: ${content}`)),
    },
    editReply: vi.fn(async ({ content }: { content: string }) => void events.push(`edit: ${content}`)),
  };
  return { interaction, typed: interaction as unknown as ChatInput, events };
}

function setup(options: { dmsOpen?: boolean } = {}) {
  let now = ARRIVED.getTime();
  const fake = fakeInteraction(options);
  const reply = createProgressReply(fake.typed, {
    clock: () => new Date(now),
    arrivedAt: ARRIVED,
    log: createLogger({ level: 'silent' }),
  });
  return {
    ...fake,
    reply,
    advance: (ms: number) => void (now += ms),
    /** Lets queued edits reach the fake. */
    flush: () => new Promise<void>((resolve) => setImmediate(resolve)),
  };
}

const summary = {
  private: { content: 'Imported 3 of 4 rows.', files: [new AttachmentBuilder(Buffer.from('x'), { name: 'u.csv' })] },
  public: 'your import finished.',
};

describe('the reply of a long import', () => {
  it('edits at most every 2 s of the injected clock, never while an edit is on its way', async () => {
    const { reply, events, advance, flush } = setup();
    reply.begin('started');
    await flush();
    reply.update('too soon');
    advance(1_999);
    reply.update('still too soon');
    advance(1);
    reply.update('2 s later');
    reply.update('while that edit is sent');
    await flush();
    advance(2 * SECOND_MS);
    reply.update('2 s after that');
    await flush();

    expect(events).toEqual(['edit: started', 'edit: 2 s later', 'edit: 2 s after that']);
  });

  it('does not send its first content over progress already shown', async () => {
    const { reply, events, advance, flush } = setup();
    advance(3 * SECOND_MS);
    reply.update('progress');
    reply.begin('started');
    await flush();
    expect(events).toEqual(['edit: progress']);
  });

  it('stops editing before the token expires, saying once where the summary will come, and sends it by DM', async () => {
    const { reply, events, advance, flush, interaction } = setup();
    advance(13 * MINUTE_MS);
    reply.update('at 13 minutes');
    await flush();
    advance(MINUTE_MS);
    reply.update('at 14 minutes');
    await flush();
    advance(10 * SECOND_MS);
    reply.update('later');
    advance(20 * MINUTE_MS);
    reply.update('much later');
    const route = await reply.finish(summary);

    expect(route).toBe('dm');
    expect(events).toEqual([
      'edit: at 13 minutes',
      expect.stringMatching(
        /^edit: at 14 minutes\nThis reply can only change for 15 minutes: the summary will come as a direct message/,
      ),
      'dm: Imported 3 of 4 rows.',
    ]);
    expect(interaction.user.send).toHaveBeenCalledWith(
      expect.objectContaining({ files: summary.private.files, allowedMentions: { parse: [] } }),
    );
  });

  it('puts the summary in the reply while the token lives', async () => {
    const { reply, events, advance, interaction } = setup();
    advance(5 * MINUTE_MS);
    expect(await reply.finish(summary)).toBe('reply');
    expect(events).toEqual(['edit: Imported 3 of 4 rows.']);
    expect(interaction.editReply).toHaveBeenCalledWith(expect.objectContaining({ files: summary.private.files }));
  });

  it('falls back to the channel, pinging only the member, when the token expired and DMs are closed', async () => {
    const { reply, events, advance, interaction } = setup({ dmsOpen: false });
    advance(16 * MINUTE_MS);
    expect(await reply.finish(summary)).toBe('channel');
    expect(events).toEqual([`channel: <@${MEMBER}> your import finished.`]);
    expect(interaction.channel.send).toHaveBeenCalledWith(
      expect.objectContaining({ allowedMentions: { parse: [], users: [MEMBER] } }),
    );
    expect(interaction.editReply).not.toHaveBeenCalled();
  });
});
