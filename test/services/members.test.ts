import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import { createMembersService } from '../../src/services/members.js';
import { snowflake } from '../support/builders.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

describe.each(databaseKinds())('the members service on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  const now = new Date('2026-06-01T00:00:00Z');
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  afterAll(() => test.destroy());

  it('counts as neighbours only members seen within the activity window', async () => {
    const members = createMembersService({ repos, clock: () => now, activeDays: 30 });
    await repos.guilds.touchMember(snowflake(1), snowflake(10), new Date('2026-05-15T00:00:00Z'));
    await repos.guilds.touchMember(snowflake(1), snowflake(11), new Date('2026-04-01T00:00:00Z'));
    expect(members.activeSince()).toEqual(new Date('2026-05-02T00:00:00Z'));
    expect(await members.activeMemberIds(snowflake(1))).toEqual([snowflake(10)]);
  });

  it('forgets only the guilds of its own shards that the bot is no longer in', async () => {
    const members = createMembersService({ repos, clock: () => now, activeDays: 30 });
    const [kept, left, otherShard] = [snowflake(21), snowflake(22), snowflake(23)];
    for (const guildId of [kept, left, otherShard]) await repos.guilds.touchMember(guildId, snowflake(10), now);

    const gone = await members.forgetGuildsLeftWhileAway(new Set([kept, snowflake(1)]), (guildId) => guildId !== otherShard);

    expect(gone).toEqual([left]);
    expect(await repos.guilds.ids()).toEqual(expect.arrayContaining([kept, otherShard]));
    expect(await repos.guilds.ids()).not.toContain(left);
  });
});
