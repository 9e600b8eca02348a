import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  type ApplicationFlags,
  type GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import { newSnowflake, type FakeState } from './state.js';

const PRIVILEGED_INTENTS =
  GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

/** An IDENTIFY the gateway accepted. */
export interface IdentifyRecord {
  intents: number;
  sessionId: string;
  /** `[shard_id, num_shards]` as the client sent it (`[0, 1]` when it sent none). */
  shard: [number, number];
  at: number;
}

/** The shard Discord routes a guild's events to: `(guild_id >> 22) % num_shards`. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export interface GatewayOptions {
  server: Server;
  state: FakeState;
  token: string;
  url: () => string;
  heartbeatIntervalMs: number;
  allowPrivilegedIntents: boolean;
  changed: () => void;
}

interface Session {
  socket: WebSocket;
  id: string;
  seq: number;
  identified: boolean;
  intents: number;
  shard: [number, number];
}

const payloadSchema = z.looseObject({ op: z.number().int(), d: z.unknown() });
const identifySchema = z.looseObject({
  token: z.string(),
  intents: z.number().int(),
  shard: z.tuple([z.number().int(), z.number().int()]).optional(),
});

export interface FakeGateway {
  dispatch: (event: GatewayDispatchEvents, data: unknown, intent?: GatewayIntentBits) => number;
  readonly identifies: readonly IdentifyRecord[];
  readonly openSessions: number;
  /** Closes the identified sessions (of one shard, or all) with `code`; returns how many. */
  closeSessions: (options: { shardId?: number; code: number }) => number;
  /** While paused, a new connection gets no HELLO (the client waits, not ready); resuming sends the HELLOs withheld. */
  pause: () => void;
  resume: () => void;
  close: () => Promise<void>;
}

/** The guild a dispatch is about, which decides the shard it goes to (none: shard 0, as Discord sends DMs). */
function guildOfDispatch(event: GatewayDispatchEvents, data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as { guild_id?: unknown; id?: unknown };
  if (typeof record.guild_id === 'string') return record.guild_id;
  const aboutGuild =
    event === GatewayDispatchEvents.GuildCreate ||
    event === GatewayDispatchEvents.GuildDelete ||
    event === GatewayDispatchEvents.GuildUpdate;
  return aboutGuild && typeof record.id === 'string' ? record.id : undefined;
}

/**
 * Discord's gateway, JSON encoding without transport compression: HELLO, IDENTIFY → READY + one GUILD_CREATE per guild,
 * heartbeat ACKs; RESUME is answered with INVALID_SESSION so the client identifies afresh.
 */
export function createGateway({
  server,
  state,
  token,
  url,
  heartbeatIntervalMs,
  allowPrivilegedIntents,
  changed,
}: GatewayOptions): FakeGateway {
  const wss = new WebSocketServer({ server });
  const sessions = new Set<Session>();
  const identifies: IdentifyRecord[] = [];
  /** Sessions waiting for their HELLO while the gateway is paused. */
  let withheld: Session[] | null = null;
  const hello = (session: Session): void => {
    if (session.socket.readyState !== session.socket.OPEN) return;
    send(session, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: heartbeatIntervalMs } });
  };

  const send = (session: Session, payload: unknown): void => {
    session.socket.send(JSON.stringify(payload));
  };
  const sendDispatch = (session: Session, t: GatewayDispatchEvents, d: unknown): void => {
    session.seq += 1;
    send(session, { op: GatewayOpcodes.Dispatch, t, s: session.seq, d });
  };

  function identify(session: Session, d: unknown): void {
    const parsed = identifySchema.safeParse(d);
    if (!parsed.success) {
      session.socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    if (session.identified) {
      session.socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    const rawToken = parsed.data.token.replace(/^Bot /, '');
    if (rawToken !== token) {
      session.socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    if (!allowPrivilegedIntents && (parsed.data.intents & PRIVILEGED_INTENTS) !== 0) {
      session.socket.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
      return;
    }
    const [shardId, shardCount] = parsed.data.shard ?? [0, 1];
    if (shardCount < 1 || shardId < 0 || shardId >= shardCount) {
      session.socket.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
      return;
    }
    session.identified = true;
    session.intents = parsed.data.intents;
    session.shard = [shardId, shardCount];
    identifies.push({ intents: session.intents, sessionId: session.id, shard: session.shard, at: Date.now() });
    // A shard hears of its own guilds only.
    const guilds = [...state.guilds.values()].filter((guild) => shardOfGuild(guild.id, shardCount) === shardId);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: { ...state.bot },
      guilds: guilds.map(({ id }) => ({ id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: url(),
      shard: session.shard,
      application: { id: state.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    sendDispatch(session, GatewayDispatchEvents.Ready, ready);
    for (const guild of guilds) sendDispatch(session, GatewayDispatchEvents.GuildCreate, state.guildCreate(guild));
    changed();
  }

  wss.on('connection', (socket, request) => {
    const query = new URL(request.url ?? '/', 'ws://fake').searchParams;
    const session: Session = { socket, id: newSnowflake(), seq: 0, identified: false, intents: 0, shard: [0, 1] };
    sessions.add(session);
    socket.on('close', () => {
      sessions.delete(session);
      changed();
    });
    if (query.get('v') !== '10') {
      socket.close(GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version.');
      return;
    }
    if ((query.get('encoding') ?? 'json') !== 'json' || query.has('compress')) {
      // @discordjs/ws asks for zlib-stream only when zlib-sync is installed; this fake speaks plain JSON.
      socket.close(GatewayCloseCodes.DecodeError, 'fake-discord: only encoding=json without compress is supported');
      return;
    }
    socket.on('message', (raw) => {
      let parsed: z.infer<typeof payloadSchema>;
      try {
        parsed = payloadSchema.parse(JSON.parse(rawText(raw)));
      } catch {
        socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
        return;
      }
      switch (parsed.op) {
        case GatewayOpcodes.Heartbeat:
          send(session, { op: GatewayOpcodes.HeartbeatAck });
          return;
        case GatewayOpcodes.Identify:
          identify(session, parsed.d);
          return;
        case GatewayOpcodes.Resume:
          // Sessions are not kept: the client must identify again.
          send(session, { op: GatewayOpcodes.InvalidSession, d: false });
          return;
        case GatewayOpcodes.PresenceUpdate:
        case GatewayOpcodes.VoiceStateUpdate:
        case GatewayOpcodes.RequestGuildMembers:
          if (!session.identified) socket.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
          return;
        default:
          socket.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
      }
    });
    if (withheld) withheld.push(session);
    else hello(session);
  });

  return {
    dispatch(event, data, intent) {
      let delivered = 0;
      const guildId = guildOfDispatch(event, data);
      for (const session of sessions) {
        if (!session.identified) continue;
        if (intent !== undefined && (session.intents & intent) === 0) continue;
        const [shardId, shardCount] = session.shard;
        if ((guildId === undefined ? 0 : shardOfGuild(guildId, shardCount)) !== shardId) continue;
        sendDispatch(session, event, data);
        delivered += 1;
      }
      return delivered;
    },
    get identifies() {
      return identifies;
    },
    get openSessions() {
      return [...sessions].filter((s) => s.identified).length;
    },
    closeSessions({ shardId, code }) {
      let closed = 0;
      for (const session of sessions) {
        if (!session.identified || (shardId !== undefined && session.shard[0] !== shardId)) continue;
        session.socket.close(code, 'fake-discord: closed on demand');
        closed += 1;
      }
      return closed;
    },
    pause() {
      withheld ??= [];
    },
    resume() {
      const waiting = withheld ?? [];
      withheld = null;
      for (const session of waiting) hello(session);
    },
    async close() {
      // A client still connected (one the test did not destroy) would try to resume forever against a closed port;
      // 4004 is a close code @discordjs/ws never recovers from, so it stops instead.
      const closing = [...sessions].map(
        (session) =>
          new Promise<void>((resolve) => {
            session.socket.once('close', () => resolve());
            session.socket.close(GatewayCloseCodes.AuthenticationFailed, 'fake-discord is shutting down');
          }),
      );
      await Promise.race([Promise.all(closing), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
      for (const session of sessions) session.socket.terminate();
      await new Promise<void>((resolve, reject) => {
        wss.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

/** A WebSocket frame's text, whichever shape `ws` hands it over in. */
function rawText(raw: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return (raw instanceof ArrayBuffer ? Buffer.from(raw) : raw).toString('utf8');
}
