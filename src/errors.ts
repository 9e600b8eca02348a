/** An error whose message is safe to show to the member who caused it (as an ephemeral reply). */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';

  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A configuration problem: reported to the operator as one message listing every issue, without a stack trace. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Marquee cannot start; fix these settings (in .env or the environment):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
