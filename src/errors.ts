/**
 * Every reason Marquee refuses a member's request, as Sapphire's `Identifiers`: one list, so logs and tests
 * name refusals the same way and a new one is added here, not invented at the throw site.
 */
export const USER_ERROR_CODES = [
  // Input the member gave
  'bad-count',
  'bad-date',
  'bad-genre',
  'bad-pick',
  'bad-region',
  'bad-runtime',
  'bad-stars',
  'bad-strategy',
  'bad-time',
  'bad-timezone',
  'bad-weekday',
  'bad-year',
  'future-date',
  'movie-missing',
  'movie-no-match',
  'movie-not-found',
  'movie-not-stored',
  'movie-query-too-long',
  'option-malformed',
  'option-missing',
  // What the member asked about
  'bot-member',
  'bot-profile',
  'diary-no-entry',
  'watchlist-missing',
  'member-not-in-guild',
  'profile-private',
  // What the member may do
  'needs-manage-server',
  // Imports (the file the member uploaded, and one import at a time)
  'import-bad-columns',
  'import-bad-row',
  'import-download-failed',
  'import-empty',
  'import-file-too-large',
  'import-not-csv-or-zip',
  'import-running',
  'import-too-many-rows',
  'import-unsafe-zip',
  'schedule-duplicate',
  'schedule-limit',
  'schedule-missing',
  // Channels and permissions
  'bot-channel-permissions',
  'channel-not-text',
  'channel-not-voice',
  // Movie nights
  'bad-minutes',
  'bad-with',
  'night-already-open',
  'night-bot-permissions',
  'night-closed',
  'night-gone',
  'night-no-picks',
  'night-none-open',
  'night-not-allowed',
  'night-not-participant',
  'night-too-many',
  'voice-channel-unseen',
  // Controls and commands (answered by the interaction router)
  'manage-server-required',
  'control-gone',
  'not-yours',
  'unknown-subcommand',
  // Outside services
  'database-busy',
  'tmdb-key-rejected',
  'tmdb-unavailable',
] as const;

export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

/** An error whose message is safe to show to the member who caused it (as an ephemeral reply). */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  readonly code: UserErrorCode;

  constructor(code: UserErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** A configuration problem: reported to the operator as one message listing every issue, without a stack trace. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(ConfigError.explain(problems, 'Marquee'));
    this.problems = problems;
  }

  /** The problems as one message naming who needs them fixed: `npm run register needs these settings fixed …`. */
  static explain(problems: readonly string[], who: string): string {
    return `${who} needs these settings fixed (in .env or the environment):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
  }
}

/**
 * A failure an operator can expect on a first run (Discord unreachable, a token rejected, …): one plain sentence
 * that says what to do, printed without a stack trace.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
