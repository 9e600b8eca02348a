import type { APIMessage } from 'discord-api-types/v10';
import type { InteractionHandle } from '../../local-discord/index.js';
import type { BotHarness } from './bot-harness.js';

/** Resolves once the router logged the interaction as handled: after every write, message and reaction of it. */
export function handled(bot: BotHarness, handle: InteractionHandle, timeoutMs = 15_000): Promise<true> {
  return bot.fake.waitUntil(
    () => bot.logs.some((line) => line.interactionId === handle.id && line.msg === 'interaction handled'),
    { timeoutMs, description: `interaction ${handle.id} to finish` },
  );
}

/** The messages with a card (an embed) an interaction sent, in order: its edits of the reply, then its follow-ups. */
export function cardsOf(handle: InteractionHandle): APIMessage[] {
  return [...handle.edits, ...handle.followups].flatMap((event) =>
    event.message && event.message.embeds.length > 0 ? [event.message] : [],
  );
}

/** The customId of the onboarding panel's Skip button on a message, if it is the panel. */
function skipButton(message: APIMessage | undefined): string | undefined {
  for (const row of message?.components ?? []) {
    if (!('components' in row)) continue;
    for (const control of row.components) {
      if ('custom_id' in control && control.custom_id.startsWith('start:skip:')) return control.custom_id;
    }
  }
  return undefined;
}

/**
 * The pick cards a `/recommend` sent, once it finished. A member with too few ratings first gets the onboarding panel:
 * this presses its Skip, as a member who does not want to rate now would, and returns the cards that follow.
 */
export async function picksPastPanel(bot: BotHarness, handle: InteractionHandle): Promise<APIMessage[]> {
  await handled(bot, handle);
  const panel = handle.original;
  const skip = skipButton(panel);
  if (!panel || skip === undefined) return cardsOf(handle);
  const userId = handle.payload.member.user.id;
  const click = bot.fake.button({ userId, messageId: panel.id, customId: skip });
  await handled(bot, click);
  return cardsOf(click);
}
