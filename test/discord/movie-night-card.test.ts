import { describe, expect, it } from 'vitest';
import { embedLength } from '../../src/discord/embeds.js';
import { EMBED_LIMITS } from '../../src/discord/limits.js';
import { callMessage, fitLine, pollMessage, pollPosition, resultMessage } from '../../src/discord/movie-night-card.js';
import type { PollPickView, PollView } from '../../src/services/movie-nights/index.js';
import type { CachedMovie } from '../../src/tmdb/types.js';
import { movieDetails, snowflake } from '../support/builders.js';

const at = new Date('2026-03-01T20:00:00Z');
const movie = (id: number, overrides: Partial<CachedMovie> = {}): CachedMovie => ({
  ...movieDetails(id, { posterPath: `/p${id}.jpg`, genreIds: [18, 878], runtime: 116, voteAverage: 7.6 }),
  fetchedAt: at,
  detailsFetchedAt: at,
  ...overrides,
});
const members = Array.from({ length: 20 }, (_, k) => snowflake(900 + k));

function pick(position: number, overrides: Partial<PollPickView> = {}): PollPickView {
  return {
    position,
    movie: movie(100 + position),
    votes: position === 2 ? 3 : 0,
    why: { kind: 'everyone', lowest: 3.8 },
    fits: {
      named: members.map((userId) => ({ userId, hasRatings: true, stars: 4.25 })),
      others: { count: 0, average: null },
    },
    ...overrides,
  };
}

function poll(overrides: Partial<PollView> = {}): PollView {
  return {
    nightId: 7,
    guildId: snowflake(1),
    channelId: snowflake(2),
    status: 'open',
    closesAt: new Date('2026-03-01T20:10:00Z'),
    strategy: 'borda',
    allowRewatch: false,
    createdBy: members[0] ?? null,
    group: { size: 20, unnamedWithoutRatings: 0 },
    picks: [1, 2, 3, 4, 5].map((position) => pick(position)),
    totalVotes: 3,
    winnerPosition: null,
    ...overrides,
  };
}

describe('pollMessage', () => {
  it('shows five picks with facts, why, every named fit and the count, the leading poster large, buttons 1-5', () => {
    const { content, embeds, components } = pollMessage(poll());
    expect(content).toContain(`**Movie night** for 20 members, started by <@${members[0]}>`);
    expect(content).toContain('5 picks none of the group has seen, by the `borda` strategy');
    expect(content).toContain('Closes <t:1772395800:t> (<t:1772395800:R>)');
    expect(embeds).toHaveLength(5);
    const [first, second] = embeds.map((embed) => embed.data);
    expect(first?.title).toBe('1. Film 101 (2001)');
    expect(first?.url).toBe('https://www.themoviedb.org/movie/101');
    expect(first?.description).toBe(
      [
        '1 h 56 min · Drama, Science Fiction · TMDB 7.6/10',
        'Everyone should like it: nobody’s fit is below 3.8★.',
        `Fit: ${members.map((id) => `<@${id}> 4.3`).join(' · ')}`,
        '**0 votes**',
      ].join('\n'),
    );
    expect(second?.description?.endsWith('**3 votes**')).toBe(true);
    expect(first?.image?.url).toBe('https://image.tmdb.org/t/p/w342/p101.jpg');
    expect(second?.thumbnail?.url).toBe('https://image.tmdb.org/t/p/w342/p102.jpg');
    expect(embeds.at(-1)?.data.footer?.text).toBe('Data: TMDB');
    expect(components.flatMap((row) => row.components.map((button) => button.toJSON()))).toMatchObject(
      [1, 2, 3, 4, 5].map((n) => ({ custom_id: `movienight:vote:7:${n}`, label: `${n}` })),
    );
  });

  it('stays within Discord’s limits with 20 named members and the longest titles', () => {
    const long = poll({
      picks: [1, 2, 3, 4, 5].map((position) =>
        pick(position, { movie: movie(100 + position, { title: 'T'.repeat(300) }) }),
      ),
    });
    // Each fit line alone is over 500 characters; five long titles and the lines add up past 6000.
    const { embeds, content } = pollMessage({
      ...long,
      picks: long.picks.map((p) => ({ ...p, fits: { ...p.fits, named: [...p.fits.named, ...p.fits.named] } })),
    });
    expect(embedLength(embeds)).toBeLessThanOrEqual(EMBED_LIMITS.totalPerMessage);
    expect(embeds.every((embed) => (embed.data.title?.length ?? 0) <= EMBED_LIMITS.title)).toBe(true);
    expect(content.length).toBeLessThanOrEqual(2_000);
  });

  it('once closed, marks the winner with its poster large, says who won and takes the buttons away', () => {
    const { content, embeds, components } = pollMessage(poll({ status: 'closed', winnerPosition: 2, totalVotes: 4 }));
    expect(content).toContain('closed. 🏆 **Film 102 (2001)** won (4 votes in all).');
    expect(embeds[1]?.data.title).toBe('🏆 2. Film 102 (2001)');
    expect(embeds[1]?.data.image?.url).toContain('/p102.jpg');
    expect(embeds[0]?.data.image).toBeUndefined();
    expect(embeds[0]?.data.thumbnail?.url).toContain('/p101.jpg');
    expect(components).toEqual([]);
    expect(pollMessage(poll({ status: 'cancelled' })).content).toContain('cancelled, no film was chosen');
  });

  it('says how many members without ratings are not named', () => {
    expect(pollMessage(poll({ group: { size: 4, unnamedWithoutRatings: 2 } })).content).toContain(
      '2 members have no ratings yet: their fit is unknown.',
    );
  });
});

describe('fitLine', () => {
  it('names who may be named, "no ratings yet" where so, and the others as a count with their average from 3 on', () => {
    expect(
      fitLine({
        named: [
          { userId: '1', hasRatings: true, stars: 4.6 },
          { userId: '2', hasRatings: false, stars: null },
        ],
        others: { count: 3, average: 3.94 },
      }),
    ).toBe('Fit: <@1> 4.6 · <@2> no ratings yet · 3 others 3.9 on average');
    expect(fitLine({ named: [], others: { count: 2, average: null } })).toBe('Fit: 2 members');
    expect(fitLine({ named: [], others: { count: 0, average: null } })).toBe('');
  });
});

describe('resultMessage', () => {
  it('shows the winner’s card, how it won, a link to the poll, and the watchlist and rating buttons', () => {
    const view = poll({ status: 'closed', winnerPosition: 2 });
    const winner = view.picks[1]!;
    const { content, embeds, components } = resultMessage({
      nightId: 7,
      guildId: view.guildId,
      channelId: view.channelId,
      cardMessageId: snowflake(3),
      winner,
      basis: 'votes',
      totalVotes: 4,
      groupSize: 20,
      poll: view,
    });
    expect(content).toBe(
      `🍿 **Tonight’s film: Film 102 (2001)** ([the poll](https://discord.com/channels/${view.guildId}/${view.channelId}/${snowflake(3)}))\nIt won with 3 of 4 votes.`,
    );
    expect(embeds[0]?.data.title).toBe('Film 102 (2001)');
    expect(embeds[0]?.data.image?.url).toContain('/p102.jpg');
    expect(components[0]?.components.map((button) => button.toJSON())).toMatchObject([
      { custom_id: 'movienight:watchlist:7', label: 'Add to my watchlist' },
      { custom_id: 'movienight:rate:7', label: 'Watched it? Rate it' },
    ]);
  });
});

describe('callMessage', () => {
  const call = { nightId: 7, guildId: '1', channelId: '2', createdBy: null, closesAt: at, pollMinutes: 10 };

  it('asks to react with 🍿, then says how the call ended', () => {
    expect(callMessage({ ...call, end: null }).content).toContain('react with 🍿 to join');
    expect(callMessage({ ...call, end: { kind: 'nobody' } }).content).toContain(
      'nobody joined, so there is no movie night this time',
    );
    expect(callMessage({ ...call, end: { kind: 'too-many', joined: 23, max: 20 } }).content).toContain(
      '23 members joined, more than the 20 a movie night can take',
    );
    expect(callMessage({ ...call, end: { kind: 'poll', joined: 2, cardMessageId: '3' } }).content).toContain(
      'the call closed with 2 members. Vote here: https://discord.com/channels/1/2/3',
    );
  });
});

describe('pollPosition', () => {
  it('reads the number reactions 1-5 and nothing else', () => {
    expect(['1️⃣', '5️⃣', '6️⃣', '🍿', null].map(pollPosition)).toEqual([1, 5, null, null, null]);
  });
});
