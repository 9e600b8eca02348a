/**
 * A guard that lets this process open TCP and TLS connections to loopback only (127.0.0.0/8, ::1, localhost) and
 * throws, before any lookup or packet, for every other address, recording it. nock cannot see discord.js's own HTTP
 * client (undici), but every client ends in `net.Socket.prototype.connect`, which is patched here along with
 * `net.connect`, `net.createConnection` and `tls.connect`. `restore()` puts the originals back.
 */
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';

export interface BlockedConnection {
  /** The host asked for (undefined: Node's default, localhost, which is allowed and never recorded). */
  host: string;
  port: number | undefined;
  via: 'net.connect' | 'net.createConnection' | 'net.Socket#connect' | 'tls.connect';
}

export interface LoopbackGuard {
  /** Connections refused so far, in order. */
  readonly blocked: readonly BlockedConnection[];
  /** Connections let through (to loopback) so far: proof the guard saw the traffic it judged. */
  readonly allowed: number;
  restore(): void;
}

/** Whether a host names this machine: 127.0.0.0/8, ::1 (also as ::ffff:127.x.x.x), or localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || /^::ffff:127\./.test(bare) || /^(0+:){7}0*1$/.test(bare);
  return false;
}

/** The host and port of a connect call, whatever form its arguments take (Node passes normalised arrays inside). */
function target(args: readonly unknown[]): { host: string | undefined; port: number | undefined; local: boolean } {
  const [first, second] = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: unknown; port?: unknown; path?: unknown; socket?: unknown };
    // A Unix socket or named pipe, or TLS over a socket already connected (and checked then).
    if (typeof options.path === 'string' || options.socket !== undefined)
      return { host: undefined, port: undefined, local: true };
    const port = options.port === undefined ? undefined : Number(options.port);
    return { host: typeof options.host === 'string' ? options.host : undefined, port, local: false };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { host: undefined, port: undefined, local: true };
  return { host: typeof second === 'string' ? second : undefined, port: Number(first), local: false };
}

/** Installs the guard; every connection other than to loopback throws `Error('loopback guard: …')`. */
export function guardLoopback(): LoopbackGuard {
  const blocked: BlockedConnection[] = [];
  let allowed = 0;
  const check = (via: BlockedConnection['via'], args: readonly unknown[]): void => {
    const { host, port, local } = target(args);
    if (local || host === undefined || host === '' || isLoopback(host)) {
      allowed++;
      return;
    }
    blocked.push({ host, port, via });
    throw new Error(`loopback guard: a connection to ${host}:${String(port)} was blocked (only loopback is allowed)`);
  };

  const originals = {
    connect: net.connect,
    createConnection: net.createConnection,
    socketConnect: net.Socket.prototype.connect,
    tlsConnect: tls.connect,
  };
  type Fn = (...args: unknown[]) => unknown;
  const wrap = (via: BlockedConnection['via'], original: Fn): Fn =>
    function (this: unknown, ...args: unknown[]) {
      check(via, args);
      return original.apply(this, args);
    };
  net.connect = wrap('net.connect', originals.connect as Fn) as typeof net.connect;
  net.createConnection = wrap('net.createConnection', originals.createConnection as Fn) as typeof net.createConnection;
  net.Socket.prototype.connect = wrap(
    'net.Socket#connect',
    originals.socketConnect as Fn,
  ) as typeof net.Socket.prototype.connect;
  tls.connect = wrap('tls.connect', originals.tlsConnect as Fn) as typeof tls.connect;
  // ES modules that imported `connect` by name see the patched functions too.
  syncBuiltinESMExports();

  return {
    blocked,
    get allowed() {
      return allowed;
    },
    restore() {
      net.connect = originals.connect;
      net.createConnection = originals.createConnection;
      net.Socket.prototype.connect = originals.socketConnect;
      tls.connect = originals.tlsConnect;
      syncBuiltinESMExports();
    },
  };
}
