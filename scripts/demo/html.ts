/**
 * The demo transcript as one self-contained page that looks like a Discord channel in the dark theme, for readers who
 * would rather look than read (`npm run demo -- --html demo.html`). Inline CSS, no scripts, fonts or images, and a
 * Content-Security-Policy that forbids loading any: the page works offline, and posters are placeholder boxes.
 *
 * Hooks for tests and screenshots: every embed carries `data-embed` (see `transcriptEmbeds`), every scene is a
 * `<section>` whose id is the slug of its title (see `sceneIds`).
 */
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  type APIMessageComponentEmoji,
  type APISelectMenuComponent,
} from 'discord-api-types/v10';
import { fnv1a32 } from '../../src/recommender/evaluation/folds.js';
import { escapeHtml, renderMarkdown, type MarkdownOptions } from './html-markdown.js';
import { DEMO_PAGE_CSS } from './html-style.js';
import type { Transcript, TranscriptEntry, TranscriptMessage } from './transcript.js';

export type HtmlOptions = MarkdownOptions;

/** Default avatar colours (Discord's own five, plus a purple), picked by a hash of the name. */
const AVATAR_COLOURS = ['#5865f2', '#757e8a', '#3ba55c', '#faa61a', '#ed4245', '#eb459f'] as const;
const BOT_COLOUR = '#e50914';
/** Film posters' placeholder backgrounds, dark enough for white text. */
const POSTER_COLOURS = ['#4a2c5e', '#1f4e5f', '#5e3a1f', '#2f4f2f', '#5a1f2b', '#2b3a67'] as const;

const BUTTON_CLASSES: Record<ButtonStyle, string> = {
  [ButtonStyle.Primary]: 'primary',
  [ButtonStyle.Secondary]: 'secondary',
  [ButtonStyle.Success]: 'success',
  [ButtonStyle.Danger]: 'danger',
  [ButtonStyle.Link]: 'link',
  [ButtonStyle.Premium]: 'premium',
};

/** Discord's "Only you can see this" eye. */
const EYE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5C5.6 5 2 12 2 12s3.6 7 10 7 10-7 10-7-3.6-7-10-7Zm0 11a4 4 0 1 1 0-8 4 4 0 0 1 0 8Zm0-2a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z"/></svg>';

function pick<T>(list: readonly [T, ...T[]], key: string): T {
  // A hash of the name, so a name has the same colour on every render.
  return list[fnv1a32(key) % list.length] ?? list[0];
}

/** "Ana" → "A", "Ben Ortiz" → "BO". */
export function initials(name: string): string {
  const words = name.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
  const letters = words.slice(0, 2).map((word) => [...word.replace(/^[^\p{L}\p{N}]+/u, '')][0] ?? '');
  return letters.join('').toUpperCase() || '?';
}

/** "A new member asks for picks!" → "a-new-member-asks-for-picks". */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'scene';
}

/** The id of each scene's section, in order: the scene's own id, slugged; a repeated one gets "-2", "-3"… */
export function sceneIds(transcript: Transcript): string[] {
  const seen = new Map<string, number>();
  return transcript.entries
    .filter((entry) => entry.kind === 'scene')
    .map(({ id }) => {
      const slug = slugify(id);
      const count = (seen.get(slug) ?? 0) + 1;
      seen.set(slug, count);
      return count === 1 ? slug : `${slug}-${count}`;
    });
}

/**
 * A key per message entry: the message id, and for each later showing of the same message (an edit) "id~2", "id~3"…
 * so that every embed on the page has its own `data-embed`.
 */
function messageKeys(entries: readonly TranscriptEntry[]): Map<TranscriptMessage, string> {
  const shown = new Map<string, number>();
  const keys = new Map<TranscriptMessage, string>();
  for (const entry of entries) {
    if (entry.kind !== 'message') continue;
    const { id } = entry.message;
    const count = (shown.get(id) ?? 0) + 1;
    shown.set(id, count);
    keys.set(entry.message, count === 1 ? id : `${id}~${count}`);
  }
  return keys;
}

export interface EmbedOnPage {
  /** The embed's `data-embed`: "<message key>:<index in the message>". */
  key: string;
  /** Its title as written (markdown included), when it has one. */
  title?: string;
}

/** Every embed the page shows, in page order: what a browser check expects to find. */
export function transcriptEmbeds(transcript: Transcript): EmbedOnPage[] {
  const keys = messageKeys(transcript.entries);
  return transcript.entries.flatMap((entry) => {
    if (entry.kind !== 'message') return [];
    const key = keys.get(entry.message) ?? entry.message.id;
    return entry.message.embeds.map((embed, index) => ({
      key: `${key}:${index}`,
      ...(embed.title === undefined ? {} : { title: embed.title }),
    }));
  });
}

function hexColour(colour: number | undefined): string | null {
  return colour === undefined ? null : `#${colour.toString(16).padStart(6, '0')}`;
}

function avatar(name: string, bot: boolean, small = false): string {
  const colour = bot ? BOT_COLOUR : pick(AVATAR_COLOURS, name);
  return `<div class="avatar${small ? ' small' : ''}" style="background:${colour}" aria-hidden="true">${escapeHtml(initials(name))}</div>`;
}

/** A film card links to its TMDB page; offline it has no poster, so it gets a placeholder anyway. */
function isFilmCard(embed: APIEmbed): boolean {
  return /^https:\/\/www\.themoviedb\.org\/movie\/\d+/.test(embed.url ?? '');
}

/** "🏆 1. Alien (1979)" → "Alien (1979)": the poster shows the film, not its place in a poll. */
function posterLabel(embed: APIEmbed): string {
  const title = embed.title ?? embed.author?.name ?? 'Poster';
  return title.replace(/^[^\p{L}\p{N}]*\d+\.\s+/u, '').replace(/[*_~`]/g, '');
}

function poster(embed: APIEmbed, kind: 'thumbnail' | 'image'): string {
  const label = posterLabel(embed);
  const colour = pick(POSTER_COLOURS, label);
  return `<div class="poster embed-${kind}" style="background:linear-gradient(160deg, ${colour}, #111214)" role="img" aria-label="Poster: ${escapeHtml(label)}"><span class="reel">🎬</span><span class="label">${escapeHtml(label)}</span></div>`;
}

/**
 * Discord's field grid (12 columns): a run of inline fields is split into rows of three (two beside a thumbnail),
 * each sharing its row evenly; a field that is not inline takes a row of its own.
 */
export function fieldColumns(fields: readonly APIEmbedField[], besideThumbnail: boolean): string[] {
  const perRow = besideThumbnail ? 2 : 3;
  const columns: string[] = [];
  let run: number[] = [];
  const flushRun = () => {
    for (let start = 0; start < run.length; start += perRow) {
      const row = run.slice(start, start + perRow);
      const span = 12 / row.length;
      row.forEach((index, position) => (columns[index] = `${1 + position * span} / ${1 + (position + 1) * span}`));
    }
    run = [];
  };
  fields.forEach((field, index) => {
    if (field.inline) {
      run.push(index);
      return;
    }
    flushRun();
    columns[index] = '1 / 13';
  });
  flushRun();
  return columns;
}

function renderEmbed(embed: APIEmbed, key: string, options: HtmlOptions): string {
  const colour = hexColour(embed.color);
  const hasThumbnail = Boolean(embed.thumbnail?.url) || (isFilmCard(embed) && !embed.image?.url);
  const text: string[] = [];
  if (embed.author) {
    const name = escapeHtml(embed.author.name);
    text.push(`<div class="embed-author">${embed.author.url ? link(embed.author.url, name) : name}</div>`);
  }
  if (embed.title) {
    const title = renderMarkdown(embed.title, options);
    text.push(`<div class="embed-title">${embed.url ? link(embed.url, title) : title}</div>`);
  }
  if (embed.description) {
    text.push(`<div class="embed-description">${renderMarkdown(embed.description, options)}</div>`);
  }
  if (embed.fields?.length) {
    const columns = fieldColumns(embed.fields, hasThumbnail);
    const fields = embed.fields.map(
      (field, index) =>
        `<div class="embed-field" style="grid-column:${columns[index] ?? '1 / 13'}"><div class="field-name">${renderMarkdown(field.name, options)}</div><div class="field-value">${renderMarkdown(field.value, options)}</div></div>`,
    );
    text.push(`<div class="embed-fields">${fields.join('')}</div>`);
  }
  const main = `<div class="embed-main"><div class="embed-text">${text.join('')}</div>${hasThumbnail ? poster(embed, 'thumbnail') : ''}</div>`;
  const image = embed.image?.url ? poster(embed, 'image') : '';
  const footerParts = [
    embed.footer?.text ? escapeHtml(embed.footer.text) : null,
    embed.timestamp ? escapeHtml(new Date(embed.timestamp).toUTCString().replace(/:\d\d GMT$/, ' UTC')) : null,
  ].filter(Boolean);
  const footer = footerParts.length ? `<div class="embed-footer">${footerParts.join(' • ')}</div>` : '';
  const style = colour ? ` style="border-left-color:${colour}"` : '';
  return `<div class="embed" data-embed="${escapeHtml(key)}"${style}>${main}${image}${footer}</div>`;
}

function link(url: string, innerHtml: string): string {
  if (!/^https?:\/\//.test(url)) return innerHtml;
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${innerHtml}</a>`;
}

/** A unicode emoji as itself; a custom one (an image on Discord's CDN) as its :name:. */
function emoji(value: APIMessageComponentEmoji | undefined): string {
  if (!value?.name) return '';
  return `<span class="emoji">${escapeHtml(value.id ? `:${value.name}:` : value.name)}</span>`;
}

function renderButton(button: APIButtonComponent): string {
  const label = 'label' in button && button.label ? `<span>${escapeHtml(button.label)}</span>` : '';
  const icon = 'emoji' in button ? emoji(button.emoji) : '';
  const classes = `button ${BUTTON_CLASSES[button.style]}${button.disabled ? ' disabled' : ''}`;
  if (button.style === ButtonStyle.Link) {
    return `<a class="${classes}" href="${escapeHtml(button.url)}" target="_blank" rel="noopener noreferrer">${icon}${label}<span class="external" aria-hidden="true">↗</span></a>`;
  }
  return `<button type="button" class="${classes}"${button.disabled ? ' disabled' : ''}>${icon}${label}</button>`;
}

/** A select as Discord draws it closed: the chosen options (a default) or else the placeholder, and a chevron. */
function renderSelect(select: APISelectMenuComponent): string {
  const chosen = select.type === ComponentType.StringSelect ? select.options.filter((option) => option.default) : [];
  const shown = chosen.length
    ? `<span class="chosen">${chosen.map((option) => `${emoji(option.emoji)}${escapeHtml(option.label)}`).join(', ')}</span>`
    : `<span class="placeholder">${escapeHtml(select.placeholder ?? 'Make a selection')}</span>`;
  return `<div class="select${select.disabled ? ' disabled' : ''}" role="listbox">${shown}<span class="chevron" aria-hidden="true">▼</span></div>`;
}

function renderComponents(rows: readonly APIActionRowComponent<APIComponentInMessageActionRow>[]): string {
  if (rows.length === 0) return '';
  const html = rows.map((row) => {
    const parts = row.components.map((component) =>
      component.type === ComponentType.Button ? renderButton(component) : renderSelect(component),
    );
    return `<div class="row">${parts.join('')}</div>`;
  });
  return `<div class="components">${html.join('')}</div>`;
}

function renderMessage(message: TranscriptMessage, key: string, options: HtmlOptions): string {
  const edited = message.edited ? '<span class="edited">(edited)</span>' : '';
  const content = message.content
    ? `<div class="content">${renderMarkdown(message.content, options)}${edited}</div>`
    : '';
  const header = [
    `<span class="author">${escapeHtml(message.author)}</span>`,
    message.bot ? '<span class="app-tag">APP</span>' : '',
    content ? '' : edited,
  ].join('');
  const embeds = message.embeds.length
    ? `<div class="embeds">${message.embeds.map((embed, index) => renderEmbed(embed, `${key}:${index}`, options)).join('')}</div>`
    : '';
  const reactions = message.reactions.length
    ? `<div class="reactions">${message.reactions
        .map(
          ({ emoji: glyph, count }) =>
            `<span class="reaction" aria-label="${escapeHtml(`${glyph}: ${count}`)}"><span class="emoji">${escapeHtml(glyph)}</span><span class="count">${count}</span></span>`,
        )
        .join('')}</div>`
    : '';
  const note = message.ephemeral
    ? `<div class="ephemeral-note">${EYE_ICON}<span>Only you can see this${message.visibleTo ? ` · visible to ${escapeHtml(message.visibleTo)}` : ''}</span></div>`
    : '';
  return `<article class="message${message.ephemeral ? ' ephemeral' : ''}" data-message="${escapeHtml(key)}">${avatar(message.author, message.bot)}<div class="body"><h3 class="message-header">${header}</h3>${content}${embeds}${renderComponents(message.components)}${reactions}${note}</div></article>`;
}

/** Icons for the system lines: what kind of thing the member did. */
const ACTION_ICONS: [RegExp, string][] = [
  [/^(joins|leaves)\b/i, '→'],
  [/^reacts\b/i, '☺'],
  [/^(clicks|picks|chooses|selects)\b/i, '▸'],
];

/** "/rate film: Alien (1979)" as Discord shows a command's use; anything else as a small system line. */
function renderAction(member: string, text: string): string {
  const who = `<span class="who">${escapeHtml(member)}</span>`;
  const command = /^(\/\S+)\s*(.*)$/s.exec(text);
  if (command) {
    const [, name = '', rest = ''] = command;
    const options = rest ? `<span class="options">${escapeHtml(rest)}</span>` : '';
    return `<div class="action command">${avatar(member, false, true)}${who}<span>used</span><span class="command-name">${escapeHtml(name)}</span>${options}</div>`;
  }
  const icon = ACTION_ICONS.find(([pattern]) => pattern.test(text))?.[1] ?? '•';
  return `<div class="action system"><span class="icon" aria-hidden="true">${icon}</span>${who}<span>${escapeHtml(text)}</span></div>`;
}

/** What a reader should know before the story (the transcript's notes), above the channel's messages. */
function notes(transcript: Transcript): string {
  const paragraphs = (transcript.notes ?? []).map((note) => `<p>${escapeHtml(note)}</p>`);
  return paragraphs.length === 0 ? '' : `<aside class="demo-notes">${paragraphs.join('')}</aside>\n`;
}

export function renderHtml(transcript: Transcript, options: HtmlOptions = {}): string {
  const keys = messageKeys(transcript.entries);
  const ids = sceneIds(transcript);
  const sections: string[] = [];
  let current: string[] = [];
  let open = '<section class="scene">';
  const close = () => {
    if (current.length || open.includes('id=')) sections.push(`${open}${current.join('')}</section>`);
    current = [];
  };
  for (const entry of transcript.entries) {
    if (entry.kind === 'scene') {
      close();
      const id = ids.shift() ?? slugify(entry.title);
      open = `<section class="scene" id="${escapeHtml(id)}"><h2 class="scene-title">${escapeHtml(entry.title)}</h2>`;
    } else if (entry.kind === 'action') {
      current.push(renderAction(entry.member, entry.text));
    } else {
      current.push(renderMessage(entry.message, keys.get(entry.message) ?? entry.message.id, options));
    }
  }
  close();

  const title = `#${transcript.channelName} · ${transcript.guildName}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${title} — ${transcript.botName} demo`)}</title>
<style>${DEMO_PAGE_CSS}</style>
</head>
<body>
<header class="channel-header"><span class="hash" aria-hidden="true">#</span><span class="channel">${escapeHtml(transcript.channelName)}</span><span class="divider"></span><span class="guild">${escapeHtml(transcript.guildName)}</span></header>
${notes(transcript)}<main class="chat">
${sections.join('\n')}
</main>
</body>
</html>
`;
}
