import type { UsersRepository } from '../db/repositories/users.js';
import { UserFacingError } from '../errors.js';

/** The refusals of the visibility rule: one code and message each, whatever is being looked at. */
export const VISIBILITY_REFUSALS = {
  notInGuild: { code: 'member-not-in-guild', message: 'That person is not a member of this server.' },
  private: { code: 'profile-private', message: 'That member keeps their profile private.' },
} as const;

export interface VisibilityCheck {
  /** Who asks. */
  viewerId: string;
  /** Whose profile, diary or picks. */
  ownerId: string;
  /** Whether Discord says the owner is in the guild where the viewer asks; asked only about someone else. */
  isOwnerInGuild: () => boolean | Promise<boolean>;
}

/**
 * The one visibility rule (GUIDE §9): one's own data always; another member's only while they are in
 * this guild and keep `publicProfile` on. Throws UserFacingError otherwise.
 */
export async function assertCanView(
  users: Pick<UsersRepository, 'get'>,
  { viewerId, ownerId, isOwnerInGuild }: VisibilityCheck,
): Promise<void> {
  if (viewerId === ownerId) return;
  if (!(await isOwnerInGuild())) {
    throw new UserFacingError(VISIBILITY_REFUSALS.notInGuild.code, VISIBILITY_REFUSALS.notInGuild.message);
  }
  if (!(await users.get(ownerId)).publicProfile) {
    throw new UserFacingError(VISIBILITY_REFUSALS.private.code, VISIBILITY_REFUSALS.private.message);
  }
}
