import type { CoreDeps } from '../context.js';
import type { UserSettings } from '../db/repositories/users.js';

export type { UserSettings };
import type { TxOptions } from '../db/unit-of-work.js';
import { UserFacingError } from '../errors.js';
import { canonicalTimeZone } from '../time.js';
import type { TasteListener } from './taste-listener.js';

export type SettingsChanges = Partial<UserSettings>;

export interface SettingsUpdate {
  settings: UserSettings;
  /** The switches whose value actually changed. */
  changed: (keyof UserSettings)[];
}

/** A member's switches and time zone (GUIDE §9). */
export function createMemberSettingsService({ repos }: Pick<CoreDeps, 'repos'>, { taste }: { taste: TasteListener }) {
  async function settingsOf(userId: string, options: TxOptions = {}): Promise<UserSettings> {
    const { shareTaste, showName, publicProfile, timezone } = await repos.users.get(userId, options);
    return { shareTaste, showName, publicProfile, timezone };
  }

  return {
    /** The member's switches and time zone (defaults for someone Marquee has never stored). */
    async settings(userId: string): Promise<UserSettings> {
      return settingsOf(userId);
    },

    /**
     * Applies the given changes. A time zone that is not an IANA zone is refused and nothing is written;
     * a change of `shareTaste` or `showName` is passed to the recommender after the commit.
     */
    async updateSettings(userId: string, changes: SettingsChanges): Promise<SettingsUpdate> {
      const update: SettingsChanges = { ...changes };
      if (changes.timezone !== undefined) {
        const timezone = canonicalTimeZone(changes.timezone);
        if (!timezone) {
          throw new UserFacingError(
            'bad-timezone',
            `"${changes.timezone.slice(0, 64)}" is not a time zone Marquee knows. Use an IANA name such as Europe/Paris, America/New_York or UTC.`,
          );
        }
        update.timezone = timezone;
      }
      const { before, after } = await repos.unitOfWork(async (tx) => {
        const previous = await settingsOf(userId, { tx });
        if (Object.keys(update).length > 0) await repos.users.updateSettings(userId, update, { tx });
        return { before: previous, after: await settingsOf(userId, { tx }) };
      });
      const changed = (Object.keys(after) as (keyof UserSettings)[]).filter((key) => before[key] !== after[key]);
      if (changed.includes('shareTaste') || changed.includes('showName')) taste.settingsChanged(userId);
      return { settings: after, changed };
    },
  };
}

export type MemberSettingsService = ReturnType<typeof createMemberSettingsService>;
