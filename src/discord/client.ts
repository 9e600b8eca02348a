import { Client, GatewayIntentBits, Partials, Status, type MessageMentionOptions } from 'discord.js';
import type { ShardPlan } from '../config.js';

/**
 * Guild commands, reaction feedback and voice-channel members: none of these is a privileged intent
 * (GuildMembers, GuildPresences and MessageContent stay off, so no verification is needed).
 */
export const CLIENT_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.GuildVoiceStates,
] as const;

/** Without these, reactions on messages sent before a restart (nothing cached) are silently dropped. */
export const CLIENT_PARTIALS = [Partials.Message, Partials.Reaction, Partials.User, Partials.Channel] as const;

/**
 * No message of the bot pings anyone unless it says so: discord.js applies this to every message and
 * interaction reply that sets no `allowedMentions` of its own, so text a member typed (a film title such as
 * "@everyone", a time zone) is shown, never notified. Mentions of members in pick reasons render as names.
 */
export const NO_PINGS = { parse: [] } as const satisfies MessageMentionOptions;

export interface DiscordClientOptions {
  /** REST base without the version (`http://127.0.0.1:8080/api`); discord.js appends `/v10`. Defaults to Discord's. */
  apiBase?: string | undefined;
  /**
   * The shards this process runs (SHARD_COUNT, SHARD_IDS). Left undefined in a process that ShardingManager spawned:
   * discord.js then reads its shard from the environment the manager set.
   */
  shards?: ShardPlan | undefined;
}

/** discord.js's `shards`/`shardCount` for a plan: `auto` asks Discord (`GET /gateway/bot`) how many to run. */
export function shardOptions(plan: ShardPlan | undefined): { shards?: number[] | 'auto'; shardCount?: number } {
  if (plan === undefined) return {};
  // An explicit count, even for 'auto' (replaced once Discord answered): otherwise discord.js reads SHARD_COUNT itself.
  if (plan.count === 'auto') return { shards: 'auto', shardCount: 1 };
  return { shards: plan.ids ?? Array.from({ length: plan.count }, (_, id) => id), shardCount: plan.count };
}

/**
 * null once every shard this process runs is ready (identified, guilds received, or resumed); otherwise the first that
 * is not, for `/healthz`.
 */
export function gatewayProblem(client: Client): string | null {
  const { shards } = client.options;
  if (!Array.isArray(shards) || client.ws.shards.size === 0) return 'not connected to Discord yet';
  for (const id of shards as readonly number[]) {
    const shard = client.ws.shards.get(id);
    if (!shard) return `shard ${id} is not connected`;
    if (shard.status !== Status.Ready) return `shard ${id} is ${Status[shard.status]}`;
  }
  return null;
}

/**
 * The one discord.js Client of the bot. The gateway URL is whatever `GET {apiBase}/v10/gateway/bot` returns,
 * so pointing `apiBase` at a proxy or the fake Discord moves the gateway with it.
 */
export function createDiscordClient({ apiBase, shards }: DiscordClientOptions = {}): Client {
  return new Client({
    intents: [...CLIENT_INTENTS],
    partials: [...CLIENT_PARTIALS],
    allowedMentions: NO_PINGS,
    ...(apiBase ? { rest: { api: apiBase } } : {}),
    ...shardOptions(shards),
  });
}
