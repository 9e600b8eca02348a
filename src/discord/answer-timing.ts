import { Events, RESTEvents, type Client } from 'discord.js';
import type { MetricsPort } from '../metrics-port.js';
import { describeInteraction } from './router.js';

/** Interactions waiting for their first answer, at most; the oldest is dropped beyond (one that was never answered). */
const MAX_PENDING = 10_000;
const CALLBACK_PATH = /^\/interactions\/(\d+)\/[^/]+\/callback/;

/**
 * Times each interaction from its arrival to Discord's answer to our first callback (reply, defer or autocomplete
 * choices): what Discord's 3-second rule measures. Read from the REST client's responses, so no command has to
 * report it; the path's token is never kept.
 */
export function timeAnswers(
  client: Client,
  metrics: Pick<MetricsPort, 'interactionAnswered'>,
  now: () => number = () => performance.now(),
): void {
  const pending = new Map<string, { at: number; command: string; kind: string }>();
  client.on(Events.InteractionCreate, (interaction) => {
    pending.set(interaction.id, { at: now(), ...describeInteraction(interaction) });
    for (const oldest of pending.keys()) {
      if (pending.size <= MAX_PENDING) break;
      pending.delete(oldest);
    }
  });
  client.rest.on(RESTEvents.Response, (request) => {
    const id = CALLBACK_PATH.exec(request.path)?.[1];
    const started = id === undefined ? undefined : pending.get(id);
    if (id === undefined || started === undefined) return;
    pending.delete(id);
    metrics.interactionAnswered({
      command: started.command,
      kind: started.kind,
      seconds: (now() - started.at) / 1_000,
    });
  });
}
