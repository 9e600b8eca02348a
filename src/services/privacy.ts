import type { CoreDeps } from '../context.js';
import type {
  MemberRowCounts,
  MemberRows,
  StoredForecast,
  StoredNight,
  StoredRecommendationItem,
  StoredRecommendationMessage,
  StoredVote,
} from '../db/repositories/member-data.js';
import { letterboxdExport } from '../import/letterboxd-export.js';
import { createMemberSettingsService } from './member-settings.js';
import type { MovieNightService } from './movie-nights/index.js';
import type { TasteListener } from './taste-listener.js';

export type { SettingsChanges, SettingsUpdate } from './member-settings.js';

export interface PrivacyServiceDeps {
  taste: TasteListener;
  /** Told which open movie nights lose the member (their votes and place in the group), to edit those cards. */
  movieNights?: Pick<MovieNightService, 'openNightIdsOf' | 'membersForgotten'>;
}

/** Everything Marquee stores about one member (GUIDE §9). Snowflakes are strings, times ISO 8601 in UTC. */
export interface PrivacyExport extends Pick<
  MemberRows,
  'settings' | 'memberships' | 'ratings' | 'diary' | 'watchlist' | 'feedback' | 'schedulesCreated'
> {
  format: 'marquee-export';
  version: 1;
  exportedAt: string;
  userId: string;
  /** Picks the bot posted for the member, with the films each card showed. */
  recommendations: (StoredRecommendationMessage & { items: Omit<StoredRecommendationItem, 'messageId'>[] })[];
  movieNights: {
    participations: StoredNight[];
    votes: StoredVote[];
    /** The stars Marquee predicted for the member for each pick of those nights. */
    forecasts: StoredForecast[];
    /** Nights the member started (the night itself is the server's and stays when they delete their data). */
    started: StoredNight[];
  };
}

/** What `/privacy delete` removed, by kind of row. */
export type DeletionReport = MemberRowCounts & {
  /** Whether a settings row existed (false: Marquee held nothing about the member). */
  settings: boolean;
};

/** `/privacy`: export, delete and the member's switches (GUIDE §9). */
export function createPrivacyService(
  { repos, clock }: Pick<CoreDeps, 'repos' | 'clock'>,
  { taste, movieNights }: PrivacyServiceDeps,
) {
  const memberSettings = createMemberSettingsService({ repos }, { taste });

  return {
    /** Everything stored about the member, ready for `JSON.stringify`. */
    async export(userId: string): Promise<PrivacyExport> {
      const rows = await repos.memberData.rowsOf(userId);
      const itemsByMessage = new Map<string, PrivacyExport['recommendations'][number]['items']>();
      for (const { messageId, ...item } of rows.recommendationItems) {
        const list = itemsByMessage.get(messageId) ?? [];
        list.push(item);
        itemsByMessage.set(messageId, list);
      }
      return {
        format: 'marquee-export',
        version: 1,
        exportedAt: clock().toISOString(),
        userId,
        settings: rows.settings,
        memberships: rows.memberships,
        ratings: rows.ratings,
        diary: rows.diary,
        watchlist: rows.watchlist,
        feedback: rows.feedback,
        recommendations: rows.recommendationMessages.map((message) => ({
          ...message,
          items: itemsByMessage.get(message.messageId) ?? [],
        })),
        movieNights: {
          participations: rows.nightParticipations,
          votes: rows.nightVotes,
          forecasts: rows.nightForecasts,
          started: rows.nightsStarted,
        },
        schedulesCreated: rows.schedulesCreated,
      };
    },

    /**
     * The member's ratings and diary as Letterboxd's `ratings.csv` and `diary.csv` (with `tmdbID`), which Letterboxd
     * and `/import letterboxd` read back.
     */
    async letterboxd(userId: string): Promise<{ ratings: string; diary: string }> {
      return letterboxdExport(await repos.imports.letterboxdRows(userId));
    },

    /**
     * Removes every row of the member in one unit of work: deleting the users row cascades to ratings,
     * diary, watchlist, feedback, memberships, picks made for them, night participations and votes (open
     * polls included; those polls' cards are edited). Nights and schedules they started belong to the server and
     * only lose the link.
     * Other members' rows stay; a tombstone (id and time) keeps `members.seen` from recreating the member
     * for a command stamped before now. Then the recommender drops the member from its cached models.
     */
    async deleteEverything(userId: string): Promise<DeletionReport> {
      const { report, nights } = await repos.unitOfWork(async (tx) => {
        // First, so a command that started before this click cannot record the member again afterwards.
        await repos.tombstones.forgetMember(userId, clock(), { tx });
        const counts = await repos.memberData.countsOf(userId, { tx });
        const open = (await movieNights?.openNightIdsOf(userId, { tx })) ?? [];
        const settings = await repos.users.delete(userId, { tx });
        return { report: { ...counts, settings }, nights: open };
      });
      taste.userForgotten(userId);
      movieNights?.membersForgotten(nights);
      return report;
    },

    /** The member's switches (services/member-settings.ts), kept here as `/privacy settings` calls them. */
    settings: memberSettings.settings,
    updateSettings: memberSettings.updateSettings,
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
