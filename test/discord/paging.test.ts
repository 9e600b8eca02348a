import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { EMBED_LIMITS } from '../../src/discord/limits.js';
import { MAX_PAGE, pageButtons, pageNumber, pagedListMessage } from '../../src/discord/paging.js';

const owner = '100000000000000010';

describe('pageNumber', () => {
  it('reads a page from a customId or an option', () => {
    expect(pageNumber('2')).toBe(2);
    expect(pageNumber(7)).toBe(7);
    expect(pageNumber(null)).toBe(1);
    expect(pageNumber(undefined)).toBe(1);
  });

  it('turns whatever a crafted customId or option holds into a safe page, never Infinity or NaN', () => {
    // Number('1e400') is Infinity, which once reached SQL as OFFSET Infinity.
    expect(pageNumber('1e400')).toBe(1);
    expect(pageNumber('-1e400')).toBe(1);
    expect(pageNumber('abc')).toBe(1);
    expect(pageNumber('')).toBe(1);
    expect(pageNumber('0')).toBe(1);
    expect(pageNumber(-3)).toBe(1);
    expect(pageNumber('2.9')).toBe(2);
    expect(pageNumber('1e9')).toBe(MAX_PAGE);
    expect(pageNumber(Number.MAX_SAFE_INTEGER)).toBe(MAX_PAGE);
  });
});

describe('pageButtons', () => {
  const buttons = (page: number, pageCount: number) =>
    pageButtons('watched', owner, page, pageCount).flatMap(
      (row) => (row.toJSON() as APIActionRowComponent<APIButtonComponentWithCustomId>).components,
    );

  it('adds no buttons to a single page', () => {
    expect(buttons(1, 1)).toEqual([]);
  });

  it('routes Previous and Next back to the command with the owner and the page, disabled at the ends', () => {
    expect(buttons(1, 3).map((b) => [b.label, b.custom_id, b.disabled])).toEqual([
      ['Previous', `watched:page:${owner}:0`, true],
      ['Next', `watched:page:${owner}:2`, false],
    ]);
    expect(buttons(3, 3).map((b) => [b.custom_id, b.disabled])).toEqual([
      [`watched:page:${owner}:2`, false],
      [`watched:page:${owner}:4`, true],
    ]);
  });
});

describe('pagedListMessage', () => {
  const embedOf = (message: ReturnType<typeof pagedListMessage>) =>
    (message.embeds?.[0] as { toJSON(): APIEmbed }).toJSON();

  it('shows the heading, a blank line, one line per entry, the page in the footer and the buttons', () => {
    const message = pagedListMessage(
      'watchlist',
      { ownerId: owner, page: 2, pageCount: 3 },
      {
        title: 'Your watchlist',
        heading: '21 films to watch, latest first',
        lines: ['Heat (1995)', 'Dune (1984)'],
      },
    );

    const embed = embedOf(message);
    expect(embed.title).toBe('Your watchlist');
    expect(embed.description).toBe('21 films to watch, latest first\n\nHeat (1995)\nDune (1984)');
    expect(embed.footer?.text).toBe('Page 2 of 3 · Data: TMDB');
    expect(message.components).toHaveLength(1);
  });

  it('shows only the heading for an empty list, without buttons', () => {
    const message = pagedListMessage(
      'watchlist',
      { ownerId: owner, page: 1, pageCount: 1 },
      {
        title: 'Your watchlist',
        heading: 'Your watchlist is empty.',
        lines: [],
      },
    );

    expect(embedOf(message).description).toBe('Your watchlist is empty.');
    expect(message.components).toEqual([]);
  });

  it('cuts a page too long for one embed (a large configured page size) to Discord’s description limit', () => {
    // 50 lines of 202-203 characters, about 10,100 in all; the cut at 4096 falls inside a run of x.
    const lines = Array.from({ length: 50 }, (_, i) => `${'x'.repeat(200)} ${i}`);
    const list = { ownerId: owner, page: 1, pageCount: 1 };

    const embed = embedOf(pagedListMessage('watched', list, { title: 'Films watched', heading: 'h', lines }));

    expect(embed.description).toHaveLength(EMBED_LIMITS.description);
    expect(embed.description?.endsWith('…')).toBe(true);
  });
});
