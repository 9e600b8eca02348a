import type { Repositories } from '../../db/repositories/index.js';
import type { Logger } from '../../logger.js';
import { NO_METRICS, type MetricsPort } from '../../metrics-port.js';
import {
  createRecommenderModel,
  meanScale,
  type FeedbackInput,
  type SourceEvidence,
  type RecommenderConfig,
  type RecommenderModel,
} from '../../recommender/index.js';
import type { MembersService } from '../members.js';
import { chunks } from './id-chunks.js';
import type { TasteSettings } from './taste-settings.js';

export interface GuildModelOptions {
  /** A guild's model is dropped after this long without a request. */
  idleMs?: number;
  /** Models kept at most; the least recently used goes first. */
  maxGuilds?: number;
  /** How often idle models are looked for. */
  sweepIntervalMs?: number;
  /** A cached model re-reads who is active in its guild at most this often (the requester is always checked). */
  membershipRefreshMs?: number;
  /** Engine tunables (defaults: DEFAULT_RECOMMENDER_CONFIG). */
  model?: Partial<RecommenderConfig>;
  /**
   * A model older than this is built afresh: the safety net for changes another process made that its NOTIFY did not
   * bring (Infinity where no other process shares the data).
   */
  cacheTtlMs?: number;
}

export interface GuildModelDeps {
  repos: Pick<Repositories, 'ratings' | 'feedback'>;
  members: Pick<MembersService, 'activeSince' | 'activeMemberIds'>;
  settings: TasteSettings;
  /** What the guild's reactions say about its pick sources, from its stored cards (./source-learning.ts). */
  sourceEvidence: (guildId: string) => Promise<SourceEvidence>;
  clock: () => Date;
  log: Logger;
  /** Told each lookup's hit or miss and each build (for /metrics). */
  metrics?: Pick<MetricsPort, 'cacheLookup' | 'modelBuilt'>;
}

/** A change heard through TasteListener, applied to every cached model and replayed onto models being loaded. */
export type TasteEvent =
  | { kind: 'rating'; userId: string; movieId: number; score: number | null }
  | { kind: 'feedback'; userId: string; movieId: number; value: 1 | -1 | null }
  | { kind: 'forget'; userId: string };

/** A build in progress: cancelled when its guild is forgotten before it finishes. */
interface BuildJob {
  cancelled: boolean;
}

export interface GuildModel {
  guildId: string;
  model: RecommenderModel;
  /** Everyone whose ratings the model holds: the active members, plus members picks were asked for. */
  held: Set<string>;
  /** Members seen in the guild recently: the only possible neighbours. */
  active: Set<string>;
  /** active ∩ shareTaste, recomputed after a membership change or a settings change (`settings.version()`). */
  allowed: { neighbours: ReadonlySet<string>; version: number } | null;
  membersCheckedAt: number;
  lastUsedAt: number;
  builtAt: number;
  refreshing: Promise<void> | null;
  /**
   * What the guild's reactions say about its pick sources; the posterior means give the model's default source
   * multipliers (what deterministic callers such as group picks get). Stale after a rating, reaction or deletion of a
   * member it holds, reloaded by modelFor.
   */
  sources: { evidence: SourceEvidence; stale: boolean; loading: Promise<void> | null };
}

/**
 * One neighbourhood model per guild, built lazily from the database and kept up to date by the TasteListener
 * events other services send after their commits (never rebuilt for a change); at most `maxGuilds`, least
 * recently used out first, and dropped after `idleMs` unused.
 */
export function createGuildModels(
  { repos, members, settings, sourceEvidence, clock, log, metrics = NO_METRICS }: GuildModelDeps,
  options: Required<GuildModelOptions>,
) {
  const now = () => clock().getTime();
  const cache = new Map<string, GuildModel>();
  /** Models being built; a guild forgotten meanwhile has its build `cancelled`, so the model is not cached. */
  const building = new Map<string, { job: BuildJob; model: Promise<GuildModel> }>();
  /** One buffer per load in progress: every TasteEvent is pushed to each, then replayed onto what was loaded. */
  const buffers = new Set<TasteEvent[]>();
  let sweeper: NodeJS.Timeout | null = null;
  let refitTimer: NodeJS.Immediate | null = null;
  let stopped = false;

  // ── keeping models current ──────────────────────────────────────────────────

  function applyTo(entry: GuildModel, event: TasteEvent): void {
    if (!entry.held.has(event.userId)) return;
    // A rating or reaction may be the outcome of one of the guild's picks; a forgotten member's cards are gone.
    entry.sources.stale = true;
    try {
      switch (event.kind) {
        case 'rating':
          if (event.score === null) entry.model.deleteRating(event.userId, event.movieId);
          else entry.model.setRating(event.userId, event.movieId, event.score);
          break;
        case 'feedback':
          entry.model.setFeedback(event.userId, event.movieId, event.value);
          break;
        case 'forget':
          entry.model.removeUser(event.userId);
          entry.held.delete(event.userId);
          entry.active.delete(event.userId);
          entry.allowed = null;
          break;
      }
    } catch (error) {
      log.error({ err: error, guildId: entry.guildId, event }, 'could not apply a change to a cached model');
    }
  }

  /** Baselines drift with incremental changes; refit them once enough piled up, after the current work. */
  function scheduleRefit(): void {
    if (stopped || refitTimer !== null) return;
    refitTimer = setImmediate(() => {
      refitTimer = null;
      for (const entry of cache.values()) {
        try {
          if (entry.model.refitIfDue()) log.debug({ guildId: entry.guildId }, 'baselines refitted');
        } catch (error) {
          log.error({ err: error, guildId: entry.guildId }, 'baseline refit failed');
        }
      }
    });
  }

  /** Runs a load with a buffer of the changes heard meanwhile; `load` must apply them synchronously at its end. */
  async function withBuffer<Result>(load: (events: TasteEvent[]) => Promise<Result>): Promise<Result> {
    const events: TasteEvent[] = [];
    buffers.add(events);
    try {
      return await load(events);
    } finally {
      buffers.delete(events);
    }
  }

  // ── the cache ───────────────────────────────────────────────────────────────

  function startSweeper(): void {
    if (sweeper !== null || stopped) return;
    sweeper = setInterval(sweep, options.sweepIntervalMs);
    sweeper.unref();
  }

  function evict(guildId: string): void {
    cache.delete(guildId);
    if (cache.size === 0 && sweeper !== null) {
      clearInterval(sweeper);
      sweeper = null;
    }
  }

  function sweep(): void {
    const idleSince = now() - options.idleMs;
    for (const [guildId, entry] of cache) if (entry.lastUsedAt < idleSince) evict(guildId);
    const held = new Set<string>();
    for (const entry of cache.values()) for (const id of entry.held) held.add(id);
    settings.keepOnly(held);
  }

  function cancelBuild(guildId: string): void {
    const pending = building.get(guildId);
    if (!pending) return;
    pending.job.cancelled = true;
    // A request after this starts a fresh build rather than joining the cancelled one.
    building.delete(guildId);
  }

  function insert(entry: GuildModel): void {
    cache.set(entry.guildId, entry);
    while (cache.size > options.maxGuilds) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      evict(oldest);
    }
    startSweeper();
  }

  // ── loading ─────────────────────────────────────────────────────────────────

  async function feedbackOf(userIds: readonly string[]): Promise<FeedbackInput[]> {
    const out: FeedbackInput[] = [];
    for (const part of chunks(userIds)) {
      for (const { userId, movieId, value } of await repos.feedback.listByUsers(part)) {
        out.push({ userId, itemId: movieId, value });
      }
    }
    return out;
  }

  function build(guildId: string, job: BuildJob): Promise<GuildModel> {
    return withBuffer(async (events) => {
      const started = performance.now();
      const [activeIds, ratings, evidence] = await Promise.all([
        members.activeMemberIds(guildId),
        repos.ratings.loadGuildRatings(guildId, members.activeSince()),
        sourceEvidence(guildId),
      ]);
      const held = new Set([...activeIds, ...ratings.users]);
      const [feedback] = await Promise.all([feedbackOf([...held]), settings.load([...held])]);
      const model = createRecommenderModel({ ratings, feedback }, options.model);
      model.setSourceScale(meanScale(evidence));
      const at = now();
      const entry: GuildModel = {
        guildId,
        model,
        held,
        active: new Set(activeIds),
        allowed: null,
        membersCheckedAt: at,
        lastUsedAt: at,
        builtAt: at,
        refreshing: null,
        sources: { evidence, stale: false, loading: null },
      };
      for (const event of events) applyTo(entry, event);
      // Forgotten while loading: the callers waiting get their answer, but the guild's model is not kept.
      if (!job.cancelled) insert(entry);
      const ms = performance.now() - started;
      metrics.modelBuilt(ms / 1_000);
      log.info(
        { guildId, members: activeIds.length, ratings: model.ratingCount, ms: Math.round(ms) },
        'guild model built',
      );
      return entry;
    });
  }

  /** Loads members' ratings, reactions and settings into a cached model; `active` ones may be neighbours. */
  async function addUsers(entry: GuildModel, userIds: readonly string[], active: boolean): Promise<void> {
    if (active) for (const id of userIds) if (entry.held.has(id)) entry.active.add(id);
    const toLoad = userIds.filter((id) => !entry.held.has(id));
    if (toLoad.length > 0) {
      await withBuffer(async (events) => {
        const [ratingLists, feedback] = await Promise.all([
          Promise.all(toLoad.map((id) => repos.ratings.listByUser(id))),
          feedbackOf(toLoad),
          settings.load(toLoad),
        ]);
        const fresh = new Set(toLoad.filter((id) => !entry.held.has(id)));
        for (const ratings of ratingLists) {
          for (const { userId, movieId, score } of ratings)
            if (fresh.has(userId)) entry.model.setRating(userId, movieId, score);
        }
        for (const { userId, itemId, value } of feedback)
          if (fresh.has(userId)) entry.model.setFeedback(userId, itemId, value);
        for (const id of fresh) {
          entry.held.add(id);
          if (active) entry.active.add(id);
        }
        for (const event of events) if (fresh.has(event.userId)) applyTo(entry, event);
      });
      scheduleRefit();
    }
    entry.allowed = null;
  }

  /** Brings the set of active members up to date: newcomers join the model, members gone quiet leave it. */
  function refreshMembers(entry: GuildModel): Promise<void> {
    entry.refreshing ??= (async () => {
      const activeIds = await members.activeMemberIds(entry.guildId);
      const current = new Set(activeIds);
      for (const id of entry.active) {
        if (current.has(id)) continue;
        entry.active.delete(id);
        entry.held.delete(id);
        entry.model.removeUser(id);
      }
      await addUsers(
        entry,
        activeIds.filter((id) => !entry.active.has(id)),
        true,
      );
      entry.membersCheckedAt = now();
      entry.allowed = null;
    })().finally(() => {
      entry.refreshing = null;
    });
    return entry.refreshing;
  }

  /** Reloads stale source evidence (once however many requests ask) and sets the model's default multipliers. */
  function refreshSources(entry: GuildModel): Promise<void> {
    const { sources } = entry;
    sources.loading ??= (async () => {
      sources.stale = false;
      try {
        sources.evidence = await sourceEvidence(entry.guildId);
        entry.model.setSourceScale(meanScale(sources.evidence));
      } catch (error) {
        // The last evidence still serves; the next request tries again.
        sources.stale = true;
        log.warn({ err: error, guildId: entry.guildId }, 'could not reload the source weights');
      }
    })().finally(() => {
      sources.loading = null;
    });
    return sources.loading;
  }

  return {
    /** The guild's model, holding `userId`: cached, or built once however many requests ask at the same time. */
    async modelFor(guildId: string, userId: string): Promise<GuildModel> {
      let entry = cache.get(guildId);
      // Past the safety net's age: built afresh, with whatever other processes changed meanwhile.
      if (entry && now() - entry.builtAt >= options.cacheTtlMs) {
        evict(guildId);
        entry = undefined;
      }
      metrics.cacheLookup('guild-models', entry !== undefined);
      if (entry) {
        // Most recently used last, so the LRU bound drops the guild unused the longest.
        cache.delete(guildId);
        cache.set(guildId, entry);
        if (now() - entry.membersCheckedAt >= options.membershipRefreshMs) await refreshMembers(entry);
      } else {
        let pending = building.get(guildId);
        if (!pending) {
          const job: BuildJob = { cancelled: false };
          const model = build(guildId, job).finally(() => {
            if (building.get(guildId)?.job === job) building.delete(guildId);
          });
          pending = { job, model };
          building.set(guildId, pending);
        }
        entry = await pending.model;
      }
      entry.lastUsedAt = now();
      if (!entry.held.has(userId)) await refreshMembers(entry);
      // Not an active member (e.g. picks asked for someone quiet lately): held for their picks, never a neighbour.
      if (!entry.held.has(userId)) await addUsers(entry, [userId], false);
      if (entry.sources.stale) await refreshSources(entry);
      await settings.settled();
      return entry;
    },

    /** The members who may be neighbours in the guild: active and sharing their taste. */
    allowedNeighbours(entry: GuildModel): ReadonlySet<string> {
      const version = settings.version();
      if (entry.allowed === null || entry.allowed.version !== version) {
        entry.allowed = { neighbours: new Set([...entry.active].filter((id) => settings.shares(id))), version };
      }
      return entry.allowed.neighbours;
    },

    /** Applies a change to every cached model and to the loads in progress. */
    publish(event: TasteEvent): void {
      for (const buffer of buffers) buffer.push(event);
      for (const entry of cache.values()) applyTo(entry, event);
      scheduleRefit();
    },

    /** The bot left the guild: its model goes at once rather than when idle, and one being built is not kept. */
    forget(guildId: string): void {
      cancelBuild(guildId);
      evict(guildId);
    },

    /** Models cached now. */
    get size(): number {
      return cache.size;
    },

    /** Drops every cached model and build in progress (changes may have been missed): each is built afresh. */
    clear(): void {
      for (const guildId of [...building.keys()]) cancelBuild(guildId);
      for (const guildId of [...cache.keys()]) evict(guildId);
    },

    /** Clears the timers (idle sweep, pending refit); cached models are dropped. */
    stop(): void {
      stopped = true;
      if (sweeper !== null) clearInterval(sweeper);
      if (refitTimer !== null) clearImmediate(refitTimer);
      sweeper = null;
      refitTimer = null;
      for (const guildId of [...building.keys()]) cancelBuild(guildId);
      cache.clear();
    },
  };
}

export type GuildModels = ReturnType<typeof createGuildModels>;
