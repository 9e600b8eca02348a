import { describe, expect, it } from 'vitest';
import { DEFAULT_USER_SETTINGS, type User } from '../../src/db/repositories/users.js';
import { createNamingPolicy } from '../../src/services/naming-policy.js';

/** A users store that knows only `showName` for the ids given. */
function usersWith(showName: Record<string, boolean>) {
  return {
    async getMany(userIds: readonly string[]): Promise<Map<string, User>> {
      return new Map(
        userIds.flatMap((id) =>
          id in showName ? [[id, { id, ...DEFAULT_USER_SETTINGS, showName: showName[id] === true }]] : [],
        ),
      );
    },
  };
}

describe('naming policy (GUIDE §9)', () => {
  it('names only members who allow it and are still in the guild, asking Discord only about those who allow it', async () => {
    const naming = createNamingPolicy({ users: usersWith({ ann: true, ben: false, cat: true }) });
    const asked: string[] = [];
    const isGuildMember = async (userId: string) => {
      asked.push(userId);
      return userId !== 'cat';
    };

    // `dan` was never stored: Marquee's default keeps his name hidden. `ann` appears twice (two picks).
    const nameable = await naming.nameable(['ann', 'ben', 'cat', 'dan', 'ann'], isGuildMember);

    expect([...nameable]).toEqual(['ann']);
    expect(asked).toEqual(['ann', 'cat']);
  });

  it('asks nothing when there is nobody to name', async () => {
    const naming = createNamingPolicy({
      users: {
        getMany: async () => {
          throw new Error('not asked');
        },
      },
    });
    expect([...(await naming.nameable([], async () => true))]).toEqual([]);
  });

  it('lets unnamed members be counted only from 3 on, so a count never points at one or two people', () => {
    const naming = createNamingPolicy({ users: usersWith({}) });
    expect([0, 1, 2, 3, 10].map((members) => naming.mayCount(members))).toEqual([false, false, false, true, true]);
  });
});
