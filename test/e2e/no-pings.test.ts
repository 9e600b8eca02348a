import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, TMDB_BASE, type BotHarness } from '../support/bot-harness.js';
import { databaseKinds } from '../support/databases.js';
import { searchBody } from '../support/film-support.js';

const GUILD = '810000000000000501';
const CHANNEL = '820000000000000501';
const ALICE = '830000000000000501';
const ROLE_PING = '<@&810000000000000501>';
/** Everything a member can type that Discord would turn into a ping, were mentions allowed. */
const HOSTILE = ['@everyone', '@here', ROLE_PING, `<@${ALICE}>`];

/** Every command that echoes a film title the member typed, with the options besides the title. */
const FILM_COMMANDS = [
  { name: 'movie', options: {} },
  { name: 'rate', options: { stars: 4 } },
  { name: 'watched', subcommand: 'add', options: { stars: 3 } },
  { name: 'watched', subcommand: 'remove', options: {} },
  { name: 'watchlist', subcommand: 'add', options: {} },
  { name: 'watchlist', subcommand: 'remove', options: {} },
] as const;
const label = ({ name, ...rest }: (typeof FILM_COMMANDS)[number]) =>
  `/${name}${'subcommand' in rest ? ` ${rest.subcommand}` : ''}`;

const tmdb = () => nock(new URL(TMDB_BASE).origin);

/** Every request of the bot that carries message content, in the order sent, with the mentions it allowed. */
function messageBodies(bot: BotHarness): { content: string; allowed: unknown }[] {
  return bot.fake.requests
    .filter(({ method }) => method === 'POST' || method === 'PATCH')
    .map(({ body }) => body as Record<string, unknown> | undefined)
    .map((body) =>
      body && typeof body.data === 'object' && body.data !== null ? (body.data as Record<string, unknown>) : body,
    )
    .flatMap((body) =>
      typeof body?.content === 'string' ? [{ content: body.content, allowed: body.allowed_mentions }] : [],
    );
}

describe.each(databaseKinds())('text a member typed never pings, on %s', (kind) => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL }], members: [{ id: ALICE }] }],
      // A short lookup budget: TMDB "not answering" without the wait.
      services: { movies: { lookupBudgetMs: 100 } },
    });
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  afterAll(() => bot.close());

  /** Sends the command with `typed` as its film, and checks every message that echoes it allows no mention. */
  async function echoes(command: (typeof FILM_COMMANDS)[number], typed: string, expected: RegExp): Promise<void> {
    const before = messageBodies(bot).length;
    const edit = await bot.fake
      .slash({
        guildId: GUILD,
        channelId: CHANNEL,
        userId: ALICE,
        name: command.name,
        ...('subcommand' in command ? { subcommand: command.subcommand } : {}),
        options: { movie: typed, ...command.options },
      })
      // An edit of the private reply, or (after a public deferral, as /movie's) a private follow-up.
      .waitFor((event) => (event.kind === 'edit' || event.kind === 'followup') && event.message !== undefined);
    if (!edit.message) throw new Error('no message');

    expect(edit.message.content).toContain(typed);
    expect(edit.message.content).toMatch(expected);
    const sent = messageBodies(bot)
      .slice(before)
      .filter(({ content }) => content.includes(typed));
    expect(sent.length).toBeGreaterThan(0);
    for (const { allowed } of sent) expect(allowed).toEqual({ parse: [] });
  }

  describe.each(FILM_COMMANDS.map((command) => [label(command), command] as const))('%s', (_label, command) => {
    it.each(HOSTILE)('echoes “%s” when no film has that title, with every mention switched off', async (typed) => {
      tmdb().get('/3/search/movie').query(true).reply(200, searchBody([]));
      await echoes(command, typed, /^I found no film called/);
    });
  });

  it.each(FILM_COMMANDS.map((command) => [label(command), command] as const))(
    '%s echoes the title in the “which one?” menu with every mention switched off',
    async (_label, command) => {
      tmdb()
        .get('/3/search/movie')
        .query(true)
        .reply(
          200,
          searchBody([
            { id: 9_001, title: 'A party for @everyone', release_date: '2001-01-01' },
            { id: 9_002, title: 'Another party for @everyone', release_date: '2002-01-01' },
          ]),
        );
      // Another title than above: the catalog keeps TMDB's answer to a search for hours.
      await echoes(command, 'party @everyone', /^Several films match/);
    },
  );

  it('echoes the title when TMDB is not answering, with every mention switched off', async () => {
    tmdb().get('/3/search/movie').query(true).delay(120_000).reply(200, searchBody([]));
    await echoes(
      FILM_COMMANDS[1],
      '@here again',
      /^TMDB is not answering right now, and no film Marquee already knows/,
    );
  });

  it('echoes a time zone that is not one with every mention switched off', async () => {
    const reply = await bot.fake
      .slash({
        guildId: GUILD,
        channelId: CHANNEL,
        userId: ALICE,
        name: 'privacy',
        subcommand: 'settings',
        options: { timezone: '@everyone' },
      })
      .waitFor('reply');

    expect(reply.message.content).toContain('@everyone');
    const sent = messageBodies(bot).filter(({ content }) => content.includes('is not a time zone'));
    expect(sent.map(({ allowed }) => allowed)).toEqual([{ parse: [] }]);
  });
});
