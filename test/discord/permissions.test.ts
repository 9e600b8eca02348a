import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { FEEDBACK_PERMISSIONS, formatPermissionList, missingPermissions } from '../../src/discord/permissions.js';

const { ViewChannel, SendMessages, EmbedLinks, AddReactions, ReadMessageHistory, Administrator } = PermissionFlagsBits;
const EVERYTHING_MARQUEE_USES = ViewChannel | SendMessages | EmbedLinks | AddReactions | ReadMessageHistory;

describe('missingPermissions', () => {
  it('lists nothing when the bot has every permission it uses', () => {
    expect(missingPermissions(new PermissionsBitField(EVERYTHING_MARQUEE_USES))).toEqual([]);
  });

  it('names the missing ones in reading order, whatever order the bits are in', () => {
    const bits = EVERYTHING_MARQUEE_USES & ~ReadMessageHistory & ~EmbedLinks;
    expect(missingPermissions(new PermissionsBitField(bits))).toEqual([
      { flag: 'EmbedLinks', name: 'Embed Links' },
      { flag: 'ReadMessageHistory', name: 'Read Message History' },
    ]);
  });

  it('lists all five when the bot has no permission in the channel', () => {
    expect(missingPermissions(0n).map(({ name }) => name)).toEqual([
      'View Channel',
      'Send Messages',
      'Embed Links',
      'Add Reactions',
      'Read Message History',
    ]);
  });

  it('treats Administrator as every permission, as Discord does', () => {
    expect(missingPermissions(new PermissionsBitField(Administrator))).toEqual([]);
  });

  it('checks only the permissions asked about', () => {
    const bits = ViewChannel | SendMessages | EmbedLinks | AddReactions;
    expect(missingPermissions(bits, FEEDBACK_PERMISSIONS)).toEqual([
      { flag: 'ReadMessageHistory', name: 'Read Message History' },
    ]);
    expect(missingPermissions(bits | ReadMessageHistory, FEEDBACK_PERMISSIONS)).toEqual([]);
  });
});

describe('formatPermissionList', () => {
  it('joins names as a sentence would', () => {
    expect(formatPermissionList(missingPermissions(0n, ['AddReactions']))).toBe('Add Reactions');
    expect(formatPermissionList(missingPermissions(0n, FEEDBACK_PERMISSIONS))).toBe(
      'Add Reactions and Read Message History',
    );
    expect(formatPermissionList(missingPermissions(0n, ['ViewChannel', 'SendMessages', 'EmbedLinks']))).toBe(
      'View Channel, Send Messages, and Embed Links',
    );
  });

  it('is empty for nothing missing', () => {
    expect(formatPermissionList([])).toBe('');
  });
});
