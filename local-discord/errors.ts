import { RESTJSONErrorCodes } from 'discord-api-types/v10';

/** One problem in a request body, at a path such as `['data', 'embeds', 0, 'title']`. */
export interface FieldIssue {
  path: readonly PropertyKey[];
  code: string;
  message: string;
}

/** Discord's JSON error body: `{ code, message, errors? }`. */
export interface DiscordErrorBody {
  code: number;
  message: string;
  errors?: Record<string, unknown>;
}

/** Thrown by route handlers; the router turns it into Discord's error response. */
export class RestError extends Error {
  override readonly name = 'RestError';

  constructor(
    readonly status: number,
    readonly body: DiscordErrorBody,
  ) {
    super(`${status} ${body.code} ${body.message}`);
  }
}

export const unknown = {
  application: () =>
    new RestError(404, { code: RESTJSONErrorCodes.UnknownApplication, message: 'Unknown Application' }),
  channel: () => new RestError(404, { code: RESTJSONErrorCodes.UnknownChannel, message: 'Unknown Channel' }),
  guild: () => new RestError(404, { code: RESTJSONErrorCodes.UnknownGuild, message: 'Unknown Guild' }),
  member: () => new RestError(404, { code: RESTJSONErrorCodes.UnknownMember, message: 'Unknown Member' }),
  message: () => new RestError(404, { code: RESTJSONErrorCodes.UnknownMessage, message: 'Unknown Message' }),
  user: () => new RestError(404, { code: RESTJSONErrorCodes.UnknownUser, message: 'Unknown User' }),
  emoji: () => new RestError(400, { code: RESTJSONErrorCodes.UnknownEmoji, message: 'Unknown Emoji' }),
  webhook: () => new RestError(404, { code: RESTJSONErrorCodes.UnknownWebhook, message: 'Unknown Webhook' }),
  interaction: () =>
    new RestError(404, { code: RESTJSONErrorCodes.UnknownInteraction, message: 'Unknown interaction' }),
  command: () =>
    new RestError(404, { code: RESTJSONErrorCodes.UnknownApplicationCommand, message: 'Unknown application command' }),
} as const;

export const missingAccess = (): RestError =>
  new RestError(403, { code: RESTJSONErrorCodes.MissingAccess, message: 'Missing Access' });

export const missingPermissions = (): RestError =>
  new RestError(403, { code: RESTJSONErrorCodes.MissingPermissions, message: 'Missing Permissions' });

export const alreadyAcknowledged = (): RestError =>
  new RestError(400, {
    code: RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
    message: 'Interaction has already been acknowledged.',
  });

export const emptyMessage = (): RestError =>
  new RestError(400, { code: RESTJSONErrorCodes.CannotSendAnEmptyMessage, message: 'Cannot send an empty message' });

export const notAuthor = (): RestError =>
  new RestError(403, {
    code: RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser,
    message: 'Cannot edit a message authored by another user',
  });

/** A user who does not take direct messages from the server's members (or blocked the bot). */
export const cannotMessageUser = (): RestError =>
  new RestError(403, {
    code: RESTJSONErrorCodes.CannotSendMessagesToThisUser,
    message: 'Cannot send messages to this user',
  });

export const invalidJson = (): RestError =>
  new RestError(400, {
    code: RESTJSONErrorCodes.RequestBodyContainsInvalidJSON,
    message: 'The request body contains invalid JSON.',
  });

/** 50035 with Discord's nested error tree: `{ data: { content: { _errors: [{ code, message }] } } }`. */
export function invalidFormBody(issues: readonly FieldIssue[]): RestError {
  const errors: Record<string, unknown> = {};
  for (const issue of issues) {
    let node = errors;
    for (const key of issue.path) {
      const k = String(key);
      const next = node[k];
      node = (next && typeof next === 'object' ? next : (node[k] = {})) as Record<string, unknown>;
    }
    const list = node['_errors'];
    const entry = { code: issue.code, message: issue.message };
    if (Array.isArray(list)) list.push(entry);
    else node['_errors'] = [entry];
  }
  return new RestError(400, {
    code: RESTJSONErrorCodes.InvalidFormBodyOrContentType,
    message: 'Invalid Form Body',
    errors,
  });
}
