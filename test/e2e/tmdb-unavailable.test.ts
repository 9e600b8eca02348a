import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MessageFlags } from 'discord-api-types/v10';
import { startBotHarness, TMDB_BASE, type BotHarness } from '../support/bot-harness.js';
import { databaseKinds } from '../support/databases.js';

const GUILD = '810000000000000301';
const CHANNEL = '820000000000000301';
const ALICE = '830000000000000301';

describe.each(databaseKinds())('commands while TMDB never answers, on %s', (kind) => {
  let bot: BotHarness;
  beforeAll(async () => {
    // A short lookup budget stands in for the real 8 s one: the same path, without the wait.
    bot = await startBotHarness({
      kind,
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL }], members: [{ id: ALICE }] }],
      services: { movies: { lookupBudgetMs: 50, providersBudgetMs: 50 } },
    });
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  afterAll(() => bot.close());

  it('defers at once, then edits the reply with a clear message instead of leaving the member waiting', async () => {
    nock(new URL(TMDB_BASE).origin).get(/.*/).query(true).times(20).delay(120_000).reply(200, {});

    const handle = bot.fake.slash({
      guildId: GUILD,
      channelId: CHANNEL,
      userId: ALICE,
      name: 'rate',
      options: { movie: '603', stars: 4 },
    });
    // The fake Discord refuses any callback later than Discord's 3 s, so a deferral that arrives was in time.
    await handle.waitFor('deferred');
    const edit = await handle.waitFor('edit');

    expect(edit.message.content).toMatch(/TMDB/);
    expect((edit.message.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(await bot.app.repos.ratings.listByUser(ALICE)).toEqual([]);
    expect(bot.logs.filter((line) => line.msg === 'interaction failed')).toEqual([]);
  });
});
