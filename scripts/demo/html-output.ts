/**
 * `--html FILE`: the transcript as a Discord-like page (./html.ts), with the local TMDB's figures labelled as the
 * demo's own there too (./demo-figures.ts): the notes above the story, and a tag after each figure and list.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import { demoFieldName, labelDemoFigures } from './demo-figures.js';
import { renderHtml } from './html.js';
import type { Transcript, TranscriptMessage } from './transcript.js';

function labelEmbed(embed: APIEmbed): APIEmbed {
  return {
    ...embed,
    ...(embed.description === undefined ? {} : { description: labelDemoFigures(embed.description) }),
    ...(embed.footer ? { footer: { ...embed.footer, text: labelDemoFigures(embed.footer.text) } } : {}),
    ...(embed.fields
      ? {
          fields: embed.fields.map((field) => ({
            ...field,
            name: demoFieldName(field.name),
            value: labelDemoFigures(field.value),
          })),
        }
      : {}),
  };
}

function labelMessage(message: TranscriptMessage): TranscriptMessage {
  return { ...message, content: labelDemoFigures(message.content), embeds: message.embeds.map(labelEmbed) };
}

/** The transcript with every figure the bot attributes to TMDB tagged as the demo's (the record itself unchanged). */
export function labelDemoTranscript(transcript: Transcript): Transcript {
  return {
    ...transcript,
    entries: transcript.entries.map((entry) =>
      entry.kind === 'message' ? { ...entry, message: labelMessage(entry.message) } : entry,
    ),
  };
}

export function renderDemoHtml(transcript: Transcript): string {
  return renderHtml(labelDemoTranscript(transcript), {
    ...(transcript.memberNames ? { memberNames: transcript.memberNames } : {}),
    ...(transcript.recordedAt ? { now: new Date(transcript.recordedAt) } : {}),
  });
}
