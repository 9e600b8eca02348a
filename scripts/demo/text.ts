/**
 * The demo's transcript as plain text for a terminal: scene headings, what members typed ("Nia Okafor: /recommend")
 * and the bot's answers, embeds drawn as boxes (title, description, fields, footer), buttons as `[Label]`, selects as
 * `[▾ placeholder]`, reactions as `👍 3`. Long parts are cut with the count of what was left out, never misstated.
 */
import { ComponentType, type APIEmbed } from 'discord-api-types/v10';
import { demoFieldName, labelDemoFigures } from './demo-figures.js';
import type { Transcript, TranscriptMessage } from './transcript.js';

export interface TextOptions {
  /** Lines are wrapped at this many characters. */
  width?: number;
  /** Embeds shown per message; the rest are counted. */
  maxEmbeds?: number;
  /** Lines of an embed's description shown; the rest are counted. */
  maxDescriptionLines?: number;
}

const DEFAULTS = { width: 100, maxEmbeds: 5, maxDescriptionLines: 12 } as const satisfies Required<TextOptions>;
const INDENT = '    ';

/** "in 10 minutes", "3 hours ago". */
function relative(at: Date, now: Date): string {
  const minutes = Math.round((at.getTime() - now.getTime()) / 60_000);
  const size = Math.abs(minutes);
  const amount =
    size < 60
      ? `${size} minute${size === 1 ? '' : 's'}`
      : `${Math.round(size / 60)} hour${Math.round(size / 60) === 1 ? '' : 's'}`;
  if (size === 0) return 'now';
  return minutes > 0 ? `in ${amount}` : `${amount} ago`;
}

/** Discord's markdown, mentions and timestamps as a member reads them, without the markup. */
export function plainText(text: string, transcript: Pick<Transcript, 'memberNames' | 'recordedAt'>): string {
  const names = transcript.memberNames ?? {};
  const now = transcript.recordedAt ? new Date(transcript.recordedAt) : new Date();
  return labelDemoFigures(
    text
      .replace(/<@!?(\d+)>/g, (_, id: string) => `@${names[id] ?? 'member'}`)
      .replace(/<#\d+>/g, '#channel')
      .replace(/<t:(\d+)(?::([tTdDfFR]))?>/g, (_, seconds: string, style = 'f') => {
        const at = new Date(Number(seconds) * 1_000);
        if (style === 'R') return relative(at, now);
        const time = at.toISOString().slice(11, 16);
        return style === 't' || style === 'T' ? `${time} UTC` : `${at.toISOString().slice(0, 10)} ${time} UTC`;
      })
      .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '$1')
      .replace(/https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+/g, '[link to the message]')
      .replace(/\*\*|__|`/g, '')
      .replace(/\\([*_`~|>#\-[\]()\\.])/g, '$1'),
  );
}

/** Words wrapped at `width`, each line prefixed; lines already short enough are kept as they are. */
function wrap(text: string, prefix: string, width: number): string[] {
  const room = Math.max(20, width - [...prefix].length);
  return text.split('\n').flatMap((line) => {
    if ([...line].length <= room) return [`${prefix}${line}`.trimEnd()];
    const out: string[] = [];
    let current = '';
    for (const word of line.split(' ')) {
      if (current !== '' && [...`${current} ${word}`].length > room) {
        out.push(`${prefix}${current}`);
        current = word;
      } else current = current === '' ? word : `${current} ${word}`;
    }
    if (current !== '') out.push(`${prefix}${current}`);
    return out;
  });
}

function embedLines(embed: APIEmbed, transcript: Transcript, settings: Required<TextOptions>): string[] {
  const plain = (text: string) => plainText(text, transcript);
  const lines: string[] = [];
  const box = (text: string, mark = '│ ') => lines.push(...wrap(text, `${INDENT}${mark}`, settings.width));
  if (embed.author?.name) box(plain(embed.author.name), '┌ ');
  if (embed.title) box(plain(embed.title), lines.length === 0 ? '┌ ' : '│ ');
  if (lines.length === 0) lines.push(`${INDENT}┌`);
  if (embed.description) {
    const description = plain(embed.description)
      .split('\n')
      .filter((line, index, all) => line !== '' || (index > 0 && all[index - 1] !== ''));
    const shown = description.slice(0, settings.maxDescriptionLines);
    for (const line of shown) box(line);
    const hidden = description.length - shown.length;
    if (hidden > 0) box(`… (${hidden} more line${hidden === 1 ? '' : 's'})`);
  }
  // Inline fields share a line, as Discord puts them side by side; the others get their own.
  let inline: string[] = [];
  const flush = () => {
    if (inline.length > 0) box(inline.join(' · '));
    inline = [];
  };
  for (const field of embed.fields ?? []) {
    const name = plain(demoFieldName(field.name));
    const value = plain(field.value);
    if (field.inline) inline.push(`${name}: ${value.replace(/\n/g, ' · ')}`);
    else {
      flush();
      // A value of several lines (a list of members) keeps its lines, under its name.
      if (value.includes('\n')) {
        box(`${name}:`);
        for (const line of value.split('\n')) box(`  ${line}`);
      } else box(`${name}: ${value}`);
    }
  }
  flush();
  if (embed.footer?.text) box(plain(embed.footer.text), '└ ');
  else lines.push(`${INDENT}└`);
  return lines;
}

function componentLines(message: TranscriptMessage, transcript: Transcript): string[] {
  return message.components.flatMap((row) => {
    const parts = row.components.flatMap((component) => {
      if (component.type === ComponentType.Button) {
        if (!('label' in component)) return [];
        const emoji = component.emoji?.name ? `${component.emoji.name} ` : '';
        const label = `${emoji}${component.label ?? ''}`.trim();
        return [`[${label}${component.disabled ? ' (disabled)' : ''}]`];
      }
      if (component.type === ComponentType.StringSelect) {
        return [`[▾ ${plainText(component.placeholder ?? 'Choose', transcript)}]`];
      }
      return [];
    });
    return parts.length > 0 ? [`${INDENT}${parts.join(' ')}`] : [];
  });
}

function messageLines(message: TranscriptMessage, transcript: Transcript, settings: Required<TextOptions>): string[] {
  const tags = [
    message.edited ? 'edited' : null,
    message.ephemeral ? `only ${message.visibleTo ?? 'one member'} can see this` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [`${message.author}${tags ? ` (${tags})` : ''}:`];
  if (message.content) lines.push(...wrap(plainText(message.content, transcript), INDENT, settings.width));
  const shown = message.embeds.slice(0, settings.maxEmbeds);
  for (const embed of shown) lines.push(...embedLines(embed, transcript, settings));
  const hidden = message.embeds.length - shown.length;
  if (hidden > 0) lines.push(`${INDENT}… and ${hidden} more card${hidden === 1 ? '' : 's'}`);
  lines.push(...componentLines(message, transcript));
  if (message.reactions.length > 0) {
    lines.push(`${INDENT}${message.reactions.map(({ emoji, count }) => `${emoji} ${count}`).join('  ')}`);
  }
  return lines;
}

/** The whole transcript as text, ending in a newline. */
export function renderText(transcript: Transcript, options: TextOptions = {}): string {
  const settings = { ...DEFAULTS, ...options };
  const lines = [`${transcript.botName} offline demo · #${transcript.channelName} in ${transcript.guildName}`];
  for (const note of transcript.notes ?? []) lines.push('', ...wrap(note, '', settings.width));
  let scene = 0;
  for (const entry of transcript.entries) {
    switch (entry.kind) {
      case 'scene': {
        const heading = `── ${++scene}. ${entry.title} `;
        lines.push('', `${heading}${'─'.repeat(Math.max(3, settings.width - [...heading].length))}`);
        break;
      }
      case 'action':
        lines.push(
          '',
          ...wrap(`${entry.member}${entry.text.startsWith('/') ? ':' : ''} ${entry.text}`, '', settings.width),
        );
        break;
      case 'message':
        lines.push(...messageLines(entry.message, transcript, settings));
        break;
    }
  }
  return `${lines.join('\n')}\n`;
}
