/**
 * Work a use case starts and nobody waits for (fetching TMDB's list of a film a member just loved): the port the
 * services see. src/jobs/background.ts runs it in the bot; tests inject one they can drain or await.
 */
export interface BackgroundWork {
  /**
   * Runs `task` after the current work, without the caller waiting; a failure is logged, never thrown. A task
   * whose `key` is already pending or running is not started twice. `signal` fires when the bot is stopping.
   */
  run(key: string, task: (signal: AbortSignal) => Promise<void>): void;
}
