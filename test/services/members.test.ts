import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueryTypes } from 'sequelize';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import { createMembersService } from '../../src/services/members.js';
import { createPrivacyService } from '../../src/services/privacy.js';
import { DAY_MS } from '../../src/time.js';
import { snowflake } from '../support/builders.js';
import { createTestDatabase, databaseKinds, emptyAllTables, type TestDatabase } from '../support/databases.js';
import { recordingTaste } from '../support/film-support.js';

/** A promise the test settles itself, to hold a unit of work open at a chosen point. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe.each(databaseKinds())('the members service on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  const now = new Date('2026-06-01T00:00:00Z');
  const guild = snowflake(1);
  const alice = snowflake(10);
  const second = (offset: number) => new Date(now.getTime() + offset * 1_000);

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  afterAll(() => test.destroy());
  beforeEach(() => emptyAllTables(test.db));

  const count = async (table: string, where = '1 = 1', replacements: Record<string, unknown> = {}) => {
    const sql = `SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`;
    const [row] = await test.db.sequelize.query<{ n: string | number }>(sql, { type: QueryTypes.SELECT, replacements });
    return Number(row?.n);
  };
  const isStored = async (userId: string) => (await count('users', 'id = :userId', { userId })) > 0;
  /** Whether a session of this PostgreSQL database is waiting for a lock another one holds. */
  const someoneWaitsForALock = async () =>
    (await count('pg_stat_activity', `datname = current_database() AND wait_event_type = 'Lock'`)) > 0;
  const services = (overrides: Partial<Repositories> = {}, clock = () => now) => {
    const all = { ...repos, ...overrides };
    return {
      members: createMembersService({ repos: all, clock, activeDays: 30 }),
      privacy: createPrivacyService({ repos: all, clock }, { taste: recordingTaste().taste }),
    };
  };

  it('counts as neighbours only members seen within the activity window', async () => {
    const { members } = services();
    await repos.guilds.touchMember(guild, alice, new Date('2026-05-15T00:00:00Z'));
    await repos.guilds.touchMember(guild, snowflake(11), new Date('2026-04-01T00:00:00Z'));
    expect(members.activeSince()).toEqual(new Date('2026-05-02T00:00:00Z'));
    expect(await members.activeMemberIds(guild)).toEqual([alice]);
  });

  it('forgets only the guilds of its own shards that the bot is no longer in', async () => {
    const { members } = services();
    const [kept, left, otherShard] = [snowflake(21), snowflake(22), snowflake(23)];
    for (const guildId of [kept, left, otherShard]) await repos.guilds.touchMember(guildId, alice, now);

    const gone = await members.forgetGuildsLeftWhileAway(new Set([kept, guild]), (guildId) => guildId !== otherShard);

    expect(gone).toEqual([left]);
    expect(await repos.guilds.ids()).toEqual(expect.arrayContaining([kept, otherShard]));
    expect(await repos.guilds.ids()).not.toContain(left);
  });

  describe('seen, when it runs after the command', () => {
    it('records the member, the guild and the membership at the time the interaction was created', async () => {
      const { members } = services();
      expect(await members.seen(guild, alice, second(-5))).toBe(true);
      expect(await repos.guilds.activeMemberIds(guild, second(-5))).toEqual([alice]);
      expect(await repos.guilds.activeMemberIds(guild, second(-4))).toEqual([]);
    });

    it('writes nothing for a command created before the member deleted their data, and records one created after', async () => {
      const { members, privacy } = services();
      await members.seen(guild, alice, second(-60));
      await privacy.deleteEverything(alice);

      expect(await members.seen(guild, alice, second(-1))).toBe(false);
      expect(await members.seen(guild, alice, now)).toBe(false);
      expect(await isStored(alice)).toBe(false);
      expect(await count('guild_members')).toBe(0);

      expect(await members.seen(guild, alice, second(1))).toBe(true);
      expect(await repos.guilds.isMember(guild, alice)).toBe(true);
    });

    it('writes nothing for a command created before the bot left the guild, not even the member, and records one created after', async () => {
      const { members } = services();
      await members.seen(guild, snowflake(11), second(-60));
      await members.forgetGuild(guild);

      expect(await members.seen(guild, alice, second(-1))).toBe(false);
      expect(await repos.guilds.ids()).toEqual([]);
      expect(await isStored(alice)).toBe(false);

      expect(await members.seen(guild, alice, second(1))).toBe(true);
      expect(await repos.guilds.ids()).toEqual([guild]);
    });

    it('also respects the tombstones of guilds forgotten at start, for having been left while offline', async () => {
      const { members } = services();
      await members.seen(guild, alice, second(-60));
      await members.forgetGuildsLeftWhileAway(new Set(), () => true);

      expect(await members.seen(guild, alice, second(-1))).toBe(false);
      expect(await repos.guilds.ids()).toEqual([]);
    });

    it('refuses a stamp older than the tombstones are kept, which could predate a deletion no longer on record', async () => {
      const { members } = services();
      expect(await members.seen(guild, alice, new Date(now.getTime() - DAY_MS))).toBe(false);
      expect(await isStored(alice)).toBe(false);
    });

    it('closes the race when the delete commits while the seen waits: the seen then writes nothing', async () => {
      const hold = gate();
      const deleted = gate();
      const { members, privacy } = services({
        users: {
          ...repos.users,
          delete: async (userId, options) => {
            const existed = await repos.users.delete(userId, options);
            deleted.open();
            await hold.opened;
            return existed;
          },
        },
      });
      await members.seen(guild, alice, second(-60));

      const deleting = privacy.deleteEverything(alice);
      await deleted.opened;
      // The delete's unit of work holds its tombstone, uncommitted; a command created before it records now.
      const seeing = members.seen(guild, alice, second(-1));
      if (kind === 'postgres') await vi.waitFor(async () => expect(await someoneWaitsForALock()).toBe(true));
      hold.open();

      expect(await seeing).toBe(false);
      await deleting;
      expect(await isStored(alice)).toBe(false);
      expect(await count('guild_members')).toBe(0);
    });

    it('closes the race when the seen checked first: the delete waits for it and then removes what it wrote', async () => {
      const hold = gate();
      const checked = gate();
      const { members, privacy } = services({
        guilds: {
          ...repos.guilds,
          touchMember: async (...args) => {
            checked.open();
            await hold.opened;
            return repos.guilds.touchMember(...args);
          },
        },
      });

      const seeing = members.seen(guild, alice, second(-1));
      await checked.opened;
      // The seen found no tombstone and holds its locks; a delete arriving now must wait for it.
      const deleting = privacy.deleteEverything(alice);
      if (kind === 'postgres') await vi.waitFor(async () => expect(await someoneWaitsForALock()).toBe(true));
      hold.open();

      expect(await seeing).toBe(true);
      expect(await deleting).toMatchObject({ memberships: 1, settings: true });
      expect(await isStored(alice)).toBe(false);
      expect(await count('guild_members')).toBe(0);
    });
  });

  // SQLite runs every writer one at a time by design, so this is a property of PostgreSQL's shared locks alone.
  if (kind === 'postgres') {
    it('lets members of one guild be seen at once: only a forgetting makes them wait', async () => {
      const hold = gate();
      const checked = gate();
      const { members } = services({
        guilds: {
          ...repos.guilds,
          touchMember: async (guildId, userId, ...rest) => {
            if (userId === alice) {
              checked.open();
              await hold.opened;
            }
            return repos.guilds.touchMember(guildId, userId, ...rest);
          },
        },
      });

      const aliceSeen = members.seen(guild, alice, second(-1));
      await checked.opened;
      // Alice's unit of work holds the guild's lock (shared) until the gate opens; Bob's goes through meanwhile.
      expect(await members.seen(guild, snowflake(11), second(-1))).toBe(true);
      hold.open();
      expect(await aliceSeen).toBe(true);
      expect(await repos.guilds.activeMemberIds(guild, second(-1))).toEqual([alice, snowflake(11)]);
    });
  }

  describe('tombstones', () => {
    it('hold only the id and the time, and are pruned a day after they were written', async () => {
      let clock = now;
      const { privacy, members } = services({}, () => clock);
      await privacy.deleteEverything(alice);
      await members.forgetGuild(guild);
      const columns = await test.db.sequelize.query<Record<string, unknown>>('SELECT * FROM member_tombstones', {
        type: QueryTypes.SELECT,
      });
      expect(columns.map((row) => Object.keys(row).sort())).toEqual([['forgotten_at', 'user_id']]);

      clock = new Date(now.getTime() + DAY_MS + 1);
      await privacy.deleteEverything(snowflake(11));

      expect(await count('member_tombstones', 'user_id = :alice', { alice })).toBe(0);
      expect(await count('member_tombstones')).toBe(1);
      expect(await count('guild_tombstones')).toBe(0);
    });

    it('expired ones are pruned at start even when nothing is forgotten', async () => {
      const { privacy } = services();
      await privacy.deleteEverything(alice);
      const later = services({}, () => new Date(now.getTime() + 2 * DAY_MS));

      await later.members.forgetGuildsLeftWhileAway(new Set(), () => false);

      expect(await count('member_tombstones')).toBe(0);
    });
  });
});
