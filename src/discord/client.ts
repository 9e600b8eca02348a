import { Client, GatewayIntentBits, Partials, type MessageMentionOptions } from 'discord.js';

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
}

/**
 * The one discord.js Client of the bot. The gateway URL is whatever `GET {apiBase}/v10/gateway/bot` returns,
 * so pointing `apiBase` at a proxy or the fake Discord moves the gateway with it.
 */
export function createDiscordClient({ apiBase }: DiscordClientOptions = {}): Client {
  return new Client({
    intents: [...CLIENT_INTENTS],
    partials: [...CLIENT_PARTIALS],
    allowedMentions: NO_PINGS,
    ...(apiBase ? { rest: { api: apiBase } } : {}),
  });
}
