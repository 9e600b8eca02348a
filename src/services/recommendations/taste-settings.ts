import { DEFAULT_USER_SETTINGS, type UsersRepository } from '../../db/repositories/users.js';
import type { Logger } from '../../logger.js';
import { chunks } from './id-chunks.js';

export interface TasteSettingsDeps {
  users: Pick<UsersRepository, 'get' | 'getMany'>;
  log: Logger;
}

/**
 * `shareTaste` of the members the guild models hold: who may be anyone's neighbour (GUIDE §9).
 *
 * A change re-reads the member at once (`changed`). A load that began before that change may still return the
 * older value; it must not overwrite the re-read. So each change is stamped, and a load keeps only the values of
 * members not changed since it began. A stamp matters only to loads that began before it, so stamps are kept
 * only while a load is running.
 */
export function createTasteSettings({ users, log }: TasteSettingsDeps) {
  const sharing = new Map<string, boolean>();
  /** Re-reads after a change, by member, until they settle. */
  const refreshes = new Map<string, Promise<void>>();
  const changedAt = new Map<string, number>();
  /** Start stamps of the loads running now. */
  const loads = new Set<{ startedAt: number }>();
  let stamp = 0;
  /** Bumped once a change has been read: sets built from `shares` before it are stale. */
  let version = 0;

  /** Drops the stamps no running load began before: later loads see those changes themselves. */
  function pruneStamps(): void {
    if (loads.size === 0) {
      changedAt.clear();
      return;
    }
    const oldest = Math.min(...[...loads].map(({ startedAt }) => startedAt));
    for (const [id, at] of changedAt) if (at <= oldest) changedAt.delete(id);
  }

  return {
    /** Whether the member shares their taste; false for a member not read (yet): fail closed. */
    shares(userId: string): boolean {
      return sharing.get(userId) === true;
    },

    version(): number {
      return version;
    },

    /** Reads the members' settings, keeping what changed meanwhile as the re-read found it. */
    async load(ids: readonly string[]): Promise<void> {
      const load = { startedAt: stamp };
      loads.add(load);
      try {
        for (const part of chunks(ids)) {
          const stored = await users.getMany(part);
          for (const id of part) {
            // Changed after this load began: the re-read started by `changed` has the fresher value.
            if ((changedAt.get(id) ?? 0) > load.startedAt) continue;
            // Absent from the users table: Marquee's default (GUIDE §9: shareTaste on).
            sharing.set(id, stored.get(id)?.shareTaste ?? DEFAULT_USER_SETTINGS.shareTaste);
          }
        }
      } finally {
        loads.delete(load);
        pruneStamps();
      }
    },

    /** The member changed a privacy setting: re-read them now. */
    changed(userId: string): void {
      stamp++;
      // With no load running, every later load begins after this change: nothing to stamp.
      if (loads.size > 0) changedAt.set(userId, stamp);
      const refresh: Promise<void> = users
        .get(userId)
        .then(
          (user) => {
            sharing.set(userId, user.shareTaste);
          },
          (error: unknown) => {
            // Fail closed: until the member is read again, they are nobody's neighbour.
            sharing.set(userId, false);
            log.error({ err: error, userId }, 'could not read changed privacy settings');
          },
        )
        .finally(() => {
          version++;
          if (refreshes.get(userId) === refresh) refreshes.delete(userId);
        });
      refreshes.set(userId, refresh);
    },

    forgotten(userId: string): void {
      sharing.delete(userId);
      changedAt.delete(userId);
    },

    /** Waits for the changes heard so far to be read. */
    async settled(): Promise<void> {
      if (refreshes.size > 0) await Promise.all(refreshes.values());
    },

    /** Forgets the members no model holds any more (unless being re-read): not worth keeping. */
    keepOnly(held: ReadonlySet<string>): void {
      for (const id of sharing.keys()) if (!held.has(id) && !refreshes.has(id)) sharing.delete(id);
      pruneStamps();
    },
  };
}

export type TasteSettings = ReturnType<typeof createTasteSettings>;
