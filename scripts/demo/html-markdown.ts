/**
 * The part of Discord's markdown the demo page renders: **bold**, *italic* / _italic_, __underline__, ~~strike~~,
 * `code` and ```blocks```, [text](https://…) links, `> ` quotes, line breaks, and mentions / timestamps as pills.
 * Everything else is shown as typed. The text is HTML-escaped before any markup is added, and markup only ever comes
 * from the templates below, so what a member typed can never become a tag or an attribute.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

export interface MarkdownOptions {
  /** Display names by user id, for `<@id>` mentions; an unknown id shows as "@member". */
  memberNames?: Readonly<Record<string, string>>;
  /** The moment `<t:…:R>` is relative to; without it a relative timestamp shows as a date and time. */
  now?: Date;
}

/** Marks a stored piece of finished HTML inside the text; NUL never survives from the input (it is stripped). */
const TOKEN = '\u0000';

/** `<t:1700000000:f>` the way Discord writes it, in UTC (a static page has no reader's time zone to use). */
function timestamp(seconds: number, style: string, now: Date | undefined): string {
  const at = new Date(seconds * 1000);
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...options }).format(at);
  const time = { hour: '2-digit', minute: '2-digit' } as const;
  const date = { day: 'numeric', month: 'long', year: 'numeric' } as const;
  switch (style) {
    case 't':
      return format(time);
    case 'T':
      return format({ ...time, second: '2-digit' });
    case 'd':
      return format({ day: '2-digit', month: '2-digit', year: 'numeric' });
    case 'D':
      return format(date);
    case 'F':
      return format({ weekday: 'long', ...date, ...time });
    case 'R':
      if (now) return relative(at.getTime() - now.getTime());
      return format({ ...date, ...time });
    default:
      return format({ ...date, ...time });
  }
}

function relative(ms: number): string {
  const units = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1_000],
  ] as const;
  const [unit, size] = units.find(([, length]) => Math.abs(ms) >= length) ?? units[3];
  return new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(Math.round(ms / size), unit);
}

/** Applies the inline styles to already-escaped text. Lazy matches, so `**a** and **b**` gives two bold runs. */
function inlineStyles(html: string): string {
  return html
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/__(.+?)__/g, '<u>$1</u>')
    .replace(/\*(?!\s)(.+?)\*/g, '<em>$1</em>')
    .replace(/(^|[^\p{L}\p{N}_])_(?!\s)(.+?)_(?![\p{L}\p{N}_])/gu, '$1<em>$2</em>')
    .replace(/~~(.+?)~~/g, '<s>$1</s>');
}

/** Discord markdown (the subset above) as safe HTML. */
export function renderMarkdown(text: string, options: MarkdownOptions = {}): string {
  const stored: string[] = [];
  const store = (html: string) => `${TOKEN}${stored.push(html) - 1}${TOKEN}`;

  let source = text.replaceAll(TOKEN, '');
  // Code first: nothing inside it is formatted.
  source = source
    .replace(/```(?:[\w+-]*\n)?([\s\S]*?)```/g, (_, code: string) =>
      store(`<pre><code>${escapeHtml(code)}</code></pre>`),
    )
    .replace(/`([^`\n]+)`/g, (_, code: string) => store(`<code>${escapeHtml(code)}</code>`));
  // Mentions and timestamps, before escaping turns their angle brackets into entities.
  source = source
    .replace(/<@!?(\d+)>/g, (_, id: string) => {
      const name = options.memberNames?.[id];
      return store(`<span class="mention">@${escapeHtml(name ?? 'member')}</span>`);
    })
    .replace(/<@&(\d+)>/g, () => store('<span class="mention">@role</span>'))
    .replace(/<#(\d+)>/g, () => store('<span class="mention">#channel</span>'))
    .replace(/<t:(-?\d+)(?::([tTdDfFR]))?>/g, (_, seconds: string, style: string | undefined) =>
      store(`<span class="timestamp">${escapeHtml(timestamp(Number(seconds), style ?? 'f', options.now))}</span>`),
    );

  let html = escapeHtml(source);
  // Links: the text is styled, the address (already escaped, so quotes cannot end the attribute) is kept as is.
  html = html.replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s()]+)\)/g, (_, label: string, url: string) =>
    store(`<a href="${url}" target="_blank" rel="noopener noreferrer">${inlineStyles(label)}</a>`),
  );
  html = inlineStyles(html);

  // Quotes: consecutive lines starting with "> " become one block; other lines are joined by line breaks.
  const blocks: string[] = [];
  let quote: string[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length) blocks.push(lines.join('<br>'));
    if (quote.length) blocks.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    lines = [];
    quote = [];
  };
  for (const line of html.split('\n')) {
    const quoted = /^&gt;(?: (.*))?$/.exec(line);
    if (quoted) {
      if (lines.length) flush();
      quote.push(quoted[1] ?? '');
    } else {
      if (quote.length) flush();
      lines.push(line);
    }
  }
  flush();

  const restore = (part: string): string =>
    part.replace(new RegExp(`${TOKEN}(\\d+)${TOKEN}`, 'g'), (_, index: string) => restore(stored[Number(index)] ?? ''));
  return restore(blocks.join(''));
}
