import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, TMDB_BASE, type BotHarness } from '../support/bot-harness.js';
import { databaseKinds } from '../support/databases.js';
import { searchBody } from '../support/film-support.js';

const GUILD = '810000000000000501';
const CHANNEL = '820000000000000501';
const ALICE = '830000000000000501';
const ROLE_PING = '<@&810000000000000501>';

/** Every request of the bot that carries message content, with the mentions it allowed. */
function messageBodies(bot: BotHarness): { content: unknown; allowed: unknown }[] {
  return bot.fake
    .requestsTo('POST', /./)
    .concat(bot.fake.requestsTo('PATCH', /./))
    .map(({ body }) => body as Record<string, unknown> | undefined)
    .map((body) =>
      body && typeof body.data === 'object' && body.data !== null ? (body.data as Record<string, unknown>) : body,
    )
    .filter((body): body is Record<string, unknown> => typeof body?.content === 'string')
    .map((body) => ({ content: body.content, allowed: body.allowed_mentions }));
}

describe.each(databaseKinds())('text a member typed never pings, on %s', (kind) => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL }], members: [{ id: ALICE }] }],
    });
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => bot.close());

  it.each(['@everyone', '@here', ROLE_PING, `<@${ALICE}>`])(
    'echoes the film title “%s” with every mention switched off',
    async (typed) => {
      nock(new URL(TMDB_BASE).origin).get('/3/search/movie').query(true).reply(200, searchBody([]));
      const reply = await bot.fake
        .slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'movie', options: { movie: typed } })
        .waitFor('edit');

      expect(reply.message.content).toContain(typed);
      const sent = messageBodies(bot).filter(({ content }) => String(content).includes(typed));
      expect(sent.length).toBeGreaterThan(0);
      for (const { allowed } of sent) expect(allowed).toEqual({ parse: [] });
    },
  );

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
    const sent = messageBodies(bot).filter(({ content }) => String(content).includes('is not a time zone'));
    expect(sent.map(({ allowed }) => allowed)).toEqual([{ parse: [] }]);
  });
});
