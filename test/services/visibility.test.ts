import { describe, expect, it } from 'vitest';
import { DEFAULT_USER_SETTINGS, type User } from '../../src/db/repositories/users.js';
import { UserFacingError } from '../../src/errors.js';
import { assertCanView, VISIBILITY_REFUSALS } from '../../src/services/visibility.js';

const viewer = '100000000000000010';
const owner = '100000000000000011';

/** A users repository holding only the owner, with `publicProfile` as given; remembers whom it was asked about. */
function users(publicProfile: boolean) {
  const asked: string[] = [];
  return {
    asked,
    get: async (userId: string): Promise<User> => {
      asked.push(userId);
      return { id: userId, ...DEFAULT_USER_SETTINGS, publicProfile };
    },
  };
}

async function refusal(promise: Promise<void>): Promise<UserFacingError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UserFacingError);
  return error as UserFacingError;
}

describe('the visibility rule', () => {
  it('always shows members their own data, asking neither Discord nor the database', async () => {
    const store = users(false);
    let discordAsked = false;
    const isOwnerInGuild = () => {
      discordAsked = true;
      return false;
    };

    await expect(assertCanView(store, { viewerId: owner, ownerId: owner, isOwnerInGuild })).resolves.toBeUndefined();

    expect(discordAsked).toBe(false);
    expect(store.asked).toEqual([]);
  });

  it('shows another member’s data while they are in the guild with a public profile', async () => {
    await expect(
      assertCanView(users(true), { viewerId: viewer, ownerId: owner, isOwnerInGuild: async () => true }),
    ).resolves.toBeUndefined();
  });

  it('refuses with one code and message for someone not in the guild, before reading their settings', async () => {
    const store = users(true);

    const error = await refusal(
      assertCanView(store, { viewerId: viewer, ownerId: owner, isOwnerInGuild: () => false }),
    );

    expect({ code: error.code, message: error.message }).toEqual(VISIBILITY_REFUSALS.notInGuild);
    expect(error.code).toBe('member-not-in-guild');
    expect(store.asked).toEqual([]);
  });

  it('refuses with one code and message for a private profile', async () => {
    const error = await refusal(
      assertCanView(users(false), { viewerId: viewer, ownerId: owner, isOwnerInGuild: () => true }),
    );

    expect({ code: error.code, message: error.message }).toEqual(VISIBILITY_REFUSALS.private);
    expect(error.code).toBe('profile-private');
  });
});
