import { ButtonStyle, ComponentType, type APIEmbed } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { labelDemoFigures } from '../../scripts/demo/demo-figures.js';
import { plainText, renderText } from '../../scripts/demo/text.js';
import type { Transcript, TranscriptEntry, TranscriptMessage } from '../../scripts/demo/transcript.js';
import { botMessage } from '../support/demo-transcript.js';

const ANA = '830000000000000001';
const recordedAt = new Date('2026-03-06T19:30:00.000Z');
const closesAt = Date.UTC(2026, 2, 6, 19, 40) / 1_000;

function message(fields: Partial<TranscriptMessage> & Pick<TranscriptMessage, 'id'>): TranscriptEntry {
  return { kind: 'message', message: botMessage(fields) };
}

const card = (title: string, lines = 1): APIEmbed => ({
  title,
  url: 'https://www.themoviedb.org/movie/348',
  description: Array.from({ length: lines }, (_, k) => `line ${k + 1}`).join('\n'),
  fields: [
    { name: 'Runtime', value: '1 h 57 min', inline: true },
    { name: 'TMDB', value: '8.3/10 (21 votes)', inline: true },
    { name: 'Similar taste', value: `<@${ANA}> · 5 films\nand 2 other members` },
  ],
  footer: { text: 'Data: TMDB' },
});

const transcript: Transcript = {
  guildName: 'Film Club',
  channelName: 'film-club',
  botName: 'Marquee',
  memberNames: { [ANA]: 'Ana Lima' },
  recordedAt: recordedAt.toISOString(),
  notes: ['The figures are the demo server’s.'],
  entries: [
    { kind: 'scene', id: 'asks', title: 'Ana asks' },
    { kind: 'action', member: 'Ana Lima', text: '/recommend count: 4' },
    message({
      id: '1',
      ephemeral: true,
      visibleTo: 'Ana Lima',
      content: `**Posted** for <@${ANA}>: https://discord.com/channels/1/2/3. Closes <t:${closesAt}:t> (<t:${closesAt}:R>). See [the poll](https://discord.com/channels/1/2/3) \\*now\\*`,
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            { type: ComponentType.Button, custom_id: 'a', label: 'Next films', style: ButtonStyle.Primary },
            {
              type: ComponentType.Button,
              custom_id: 'b',
              label: '1',
              emoji: { name: '1️⃣' },
              style: ButtonStyle.Secondary,
              disabled: true,
            },
          ],
        },
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.StringSelect,
              custom_id: 'c',
              placeholder: '1. Alien (1979): your rating',
              options: [],
            },
          ],
        },
      ],
    }),
    { kind: 'action', member: 'Ana Lima', text: 'clicks [Next films]' },
    message({
      id: '2',
      edited: true,
      content: 'Popular on TMDB right now.',
      embeds: [card('Alien (1979)', 15), ...Array.from({ length: 6 }, (_, k) => card(`Film ${k + 2}`))],
      reactions: [
        { emoji: '👍', count: 1 },
        { emoji: '👎', count: 2 },
      ],
    }),
  ],
};

describe('the demo transcript as text', () => {
  const text = renderText(transcript, { width: 200 });

  it('opens with the server, the channel and the notes, then numbered scenes', () => {
    expect(text.split('\n').slice(0, 3)).toEqual([
      'Marquee offline demo · #film-club in Film Club',
      '',
      'The figures are the demo server’s.',
    ]);
    expect(text).toMatch(/\n── 1\. Ana asks ─+\n/);
  });

  it('writes commands as “Name: /command” and other actions as “Name does”', () => {
    expect(text).toContain('\nAna Lima: /recommend count: 4\n');
    expect(text).toContain('\nAna Lima clicks [Next films]\n');
  });

  it('says who alone sees an ephemeral answer, and marks a message shown again as edited', () => {
    expect(text).toContain('Marquee (only Ana Lima can see this):\n');
    expect(text).toContain('Marquee (edited):\n');
  });

  it('reads mentions, timestamps, links and markdown as a member would', () => {
    expect(text).toContain(
      '    Posted for @Ana Lima: [link to the message]. Closes 19:40 UTC (in 10 minutes). See the poll *now*\n',
    );
  });

  it('draws buttons, selects and reactions', () => {
    expect(text).toContain('    [Next films] [1️⃣ 1 (disabled)]\n    [▾ 1. Alien (1979): your rating]\n');
    expect(text).toContain('    👍 1  👎 2\n');
  });

  it('draws an embed: title, description, inline fields on one line, a list field under its name, footer', () => {
    expect(text).toContain(
      [
        '    ┌ Film 2',
        '    │ line 1',
        '    │ Runtime: 1 h 57 min · TMDB (demo figures): 8.3/10 (21 votes)',
        '    │ Similar taste:',
        '    │   @Ana Lima · 5 films',
        '    │   and 2 other members',
        '    └ Data: TMDB',
      ].join('\n'),
    );
  });

  it('cuts long descriptions and long lists of cards, counting what it left out', () => {
    expect(text).toContain('    │ line 12\n    │ … (3 more lines)\n');
    expect(text).not.toContain('line 13');
    expect(text).toContain('Film 5');
    expect(text).not.toContain('Film 6');
    expect(text).toContain('    … and 2 more cards\n');
  });

  it('labels what the bot attributes to TMDB as the demo’s figures', () => {
    expect(text).toContain('Popular on TMDB right now (demo list).');
    expect(labelDemoFigures('Drama · TMDB 7.9/10')).toBe('Drama · TMDB 7.9/10 (demo figure)');
    expect(labelDemoFigures('then TMDB’s top rated · Data: TMDB')).toBe(
      'then TMDB’s top rated (demo list) · Data: TMDB',
    );
    expect(labelDemoFigures('Data: TMDB')).toBe('Data: TMDB');
  });

  it('wraps long lines at the width, keeping the indent', () => {
    const narrow = plainText('word '.repeat(30).trim(), transcript);
    const wrapped = renderText({ ...transcript, entries: [message({ id: '9', content: narrow })] }, { width: 40 });
    const body = wrapped.split('\n').filter((line) => line.startsWith('    word'));
    expect(body.length).toBeGreaterThan(3);
    expect(body.every((line) => line.length <= 40)).toBe(true);
  });
});
