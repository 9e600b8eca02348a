import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface BotProcess {
  /** Resolves once the bot logged that it is ready (its guilds cached). */
  ready: Promise<void>;
  /** Error-level (≥ 50) JSON lines logged so far. */
  readonly errorLines: number;
  /** Sends SIGTERM and resolves with how long the process took to exit and its code (SIGKILL after `killAfterMs`). */
  terminate(killAfterMs: number): Promise<{ exitMs: number; exitCode: number | null }>;
  /** Kills it if still running. */
  kill(): void;
}

/**
 * `npm start` as a self-hoster runs it, minus the build: `src/index.ts` through tsx, in its own process (its own
 * event loop and libuv pool, as in production), configured by `env`. Its JSON log goes to `logFile`.
 */
export function startBotProcess(env: Record<string, string>, logFile: string): BotProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  let errorLines = 0;
  let exited: { code: number | null } | undefined;
  const exit = new Promise<{ code: number | null }>((resolve) =>
    child.once('exit', (code) => {
      exited = { code };
      resolve(exited);
    }),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      try {
        const parsed = JSON.parse(line) as { level?: number; msg?: string };
        if ((parsed.level ?? 0) >= 50) errorLines++;
        if (parsed.msg?.startsWith('Logged in as')) resolve();
      } catch {
        // Not JSON: plain text the bot printed.
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
    void exit.then(({ code }) =>
      reject(new Error(`the bot exited with code ${String(code)} before it was ready; see ${logFile}`)),
    );
  });
  ready.catch(() => undefined);

  return {
    ready,
    get errorLines() {
      return errorLines;
    },
    async terminate(killAfterMs) {
      const started = performance.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const { code } = await exit;
      clearTimeout(timer);
      log.end();
      return { exitMs: performance.now() - started, exitCode: code };
    },
    kill() {
      if (!exited) child.kill('SIGKILL');
    },
  };
}
