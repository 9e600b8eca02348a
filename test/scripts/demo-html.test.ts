import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/demo/chromium.js';
import { escapeHtml, renderMarkdown } from '../../scripts/demo/html-markdown.js';
import { fieldColumns, renderHtml, sceneIds, slugify, transcriptEmbeds } from '../../scripts/demo/html.js';
import type { Transcript } from '../../scripts/demo/transcript.js';
import { chromiumInstalled, visibleEmbeds } from '../support/browser.js';
import { sampleTranscript } from '../support/demo-transcript.js';

/** The sample, plus a member and a film card that try to inject markup. */
function hostileTranscript(): Transcript {
  const transcript = sampleTranscript();
  transcript.entries.push(
    { kind: 'scene', id: 'mischief <b>', title: 'Mischief <b>' },
    { kind: 'action', member: 'Eve<img src=x>', text: '/rate film: <script>alert(1)</script> stars: 5' },
    {
      kind: 'message',
      message: {
        id: '3001',
        author: 'Marquee',
        bot: true,
        ephemeral: false,
        content:
          'Rated **<script>alert(2)</script>** [x](javascript:alert(3)) [ok](https://example.org/"onmouseover="x)',
        embeds: [
          {
            title: '<i>Title</i>',
            fields: [{ name: 'Review', value: '<script>alert(4)</script> & "quotes"' }],
            footer: { text: '<footer>' },
          },
        ],
        components: [
          {
            type: ComponentType.ActionRow,
            components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: '<b>x</b>', custom_id: 'x' }],
          },
        ],
        reactions: [{ emoji: '<img>', count: 1 }],
        edited: false,
      },
    },
  );
  return transcript;
}

/** The names of the tags an HTML fragment opens, lower-cased. */
const tags = (html: string) => [...html.matchAll(/<([a-z0-9]+)[\s>]/gi)].map((match) => match[1]?.toLowerCase());

describe('the demo page (renderHtml)', () => {
  const html = renderHtml(sampleTranscript());

  it('is one self-contained page that loads nothing: no scripts, no remote images, fonts or stylesheets', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    expect(tags(html)).not.toContain('script');
    expect(tags(html)).not.toContain('img');
    expect(tags(html)).not.toContain('link');
    expect(html).not.toMatch(/src=|url\(|@import|@font-face/);
    // The sample's thumbnails point at TMDB's image server: posters become placeholders labelled with the film.
    expect(html).not.toContain('image.tmdb.org');
    expect(html).toContain('aria-label="Poster: The Matrix (1999)"');
    expect(html).toContain('aria-label="Poster: Alien (1979)"');
  });

  it('shows the channel header, the authors with initials, and the APP tag on the bot only', () => {
    expect(html).toContain('<span class="channel">movie-night</span>');
    expect(html).toContain('<span class="guild">Film Club</span>');
    expect(html.match(/<span class="app-tag">APP<\/span>/g)).toHaveLength(4);
    expect(html).toContain('<span class="who">Ben Ortiz</span>');
    expect(html).toMatch(/class="avatar small"[^>]*>BO</);
  });

  it('gives every embed of the transcript its own data-embed, the edited poll included', () => {
    const embeds = transcriptEmbeds(sampleTranscript());
    expect(embeds).toHaveLength(1 + 2 + 5 + 5);
    expect(new Set(embeds.map(({ key }) => key)).size).toBe(embeds.length);
    expect(embeds.map(({ key }) => key)).toEqual(expect.arrayContaining(['2003:0', '2003~2:0', '2003~2:4']));
    for (const { key } of embeds) expect(html).toContain(`data-embed="${key}"`);
    expect(html.match(/data-embed="/g)).toHaveLength(embeds.length);
  });

  it('shows every field, button, select and reaction count', () => {
    for (const name of ['Runtime', 'Genres', 'TMDB', 'This server', 'Where to watch (GB)']) {
      expect(html).toContain(`<div class="field-name">${name}</div>`);
    }
    expect(html).toContain('Stream: Netflix, MUBI<br>Rent: Apple TV');
    expect(html).toMatch(/<button type="button" class="button primary"><span>Next films<\/span><\/button>/);
    expect(html).toContain('class="button success"><span class="emoji">📌</span><span>Watchlist</span>');
    expect(html).toContain('class="button danger"');
    expect(html).toMatch(/<a class="button link" href="https:\/\/www\.themoviedb\.org\/movie\/603"/);
    // The closed poll's buttons are disabled; the open poll's are not.
    expect(html.match(/class="button secondary disabled" disabled/g)).toHaveLength(5);
    // A select shows its chosen option, else its placeholder.
    expect(html).toContain('<span class="chosen">★★★★★ 5</span>');
    expect(html).toContain('<span class="placeholder">2. Heat (1995): your rating</span>');
    expect(html).toContain('<span class="emoji">👍</span><span class="count">3</span>');
    expect(html).toContain('<span class="emoji">👎</span><span class="count">1</span>');
    expect(html.match(/<span class="emoji">1️⃣<\/span><span class="count">3<\/span>/g)).toHaveLength(2);
  });

  it('lays inline fields out three to a row, two beside a thumbnail, and a field that is not inline on its own row', () => {
    const inline = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ name: `${i}`, value: 'v', inline: true }));
    expect(fieldColumns(inline(4), false)).toEqual(['1 / 5', '5 / 9', '9 / 13', '1 / 13']);
    expect(fieldColumns(inline(4), true)).toEqual(['1 / 7', '7 / 13', '1 / 7', '7 / 13']);
    expect(fieldColumns([...inline(2), { name: 'w', value: 'v' }, ...inline(1)], false)).toEqual([
      '1 / 7',
      '7 / 13',
      '1 / 13',
      '1 / 13',
    ]);
  });

  it('notes an ephemeral message as only its member sees it, and marks an edited message', () => {
    expect(html).toContain('Only you can see this · visible to Dana');
    expect(html.match(/Only you can see this/g)).toHaveLength(1);
    expect(html.match(/class="message ephemeral"/g)).toHaveLength(1);
    expect(html.match(/\(edited\)/g)).toHaveLength(1);
    expect(html).toMatch(/won with 3 votes\.<span class="edited">\(edited\)<\/span>/);
  });

  it('shows a slash command as "used /command" and other actions as system lines', () => {
    expect(html).toContain(
      '<span class="who">Dana</span><span>used</span><span class="command-name">/recommend</span><span class="options">count: 2</span>',
    );
    expect(html).toMatch(/class="action system">.*<span class="who">Dana<\/span><span>reacts 👍<\/span>/);
  });

  it('opens a section per scene, with the scene title, anchored at the slug of its id', () => {
    expect(sceneIds(sampleTranscript())).toEqual(['onboarding', 'first-picks', 'movie-night']);
    expect(html).toContain('<section class="scene" id="movie-night"><h2 class="scene-title">Movie night</h2>');
    expect(slugify('Amélie: a night!')).toBe('amelie-a-night');
    expect(
      sceneIds({
        ...sampleTranscript(),
        entries: [
          { kind: 'scene', id: 'Step', title: 'A' },
          { kind: 'scene', id: 'step', title: 'B' },
        ],
      }),
    ).toEqual(['step', 'step-2']);
  });

  it('keeps what members typed and what embeds carry as text: no tag, attribute or javascript: link gets through', () => {
    const page = renderHtml(hostileTranscript());
    expect(tags(page)).not.toContain('script');
    expect(tags(page)).not.toContain('img');
    expect(tags(page)).not.toContain('i');
    expect(tags(page)).not.toContain('footer');
    expect(page).toContain('<span class="options">film: &lt;script&gt;alert(1)&lt;/script&gt; stars: 5</span>');
    expect(page).toContain('<span class="who">Eve&lt;img src=x&gt;</span>');
    expect(page).toContain('<strong>&lt;script&gt;alert(2)&lt;/script&gt;</strong>');
    expect(page).toContain(
      '<div class="field-value">&lt;script&gt;alert(4)&lt;/script&gt; &amp; &quot;quotes&quot;</div>',
    );
    expect(page).toContain('<div class="embed-title">&lt;i&gt;Title&lt;/i&gt;</div>');
    expect(page).toContain('<span>&lt;b&gt;x&lt;/b&gt;</span>');
    expect(page).toContain('<span class="emoji">&lt;img&gt;</span>');
    expect(page).toContain('id="mischief-b"><h2 class="scene-title">Mischief &lt;b&gt;</h2>');
    expect(page).not.toContain('href="javascript:');
    // A quote in a link's address stays inside the attribute.
    expect(page).toContain('href="https://example.org/&quot;onmouseover=&quot;x"');
  });
});

describe('the markdown subset', () => {
  it('renders bold, italic, underline, strike, code and links', () => {
    expect(renderMarkdown('**bold** *it* _it2_ __under__ ~~gone~~ `a *b*` [TMDB](https://tmdb.org/a_b_c)')).toBe(
      '<strong>bold</strong> <em>it</em> <em>it2</em> <u>under</u> <s>gone</s> <code>a *b*</code> ' +
        '<a href="https://tmdb.org/a_b_c" target="_blank" rel="noopener noreferrer">TMDB</a>',
    );
  });

  it('leaves snake_case words, lone stars and arithmetic alone', () => {
    expect(renderMarkdown('snake_case_name 5 * 3 * 2 4.5★')).toBe('snake_case_name 5 * 3 * 2 4.5★');
  });

  it('turns line breaks into <br> and "> " lines into one quote block', () => {
    expect(renderMarkdown('one\ntwo\n> quoted\n> still\nafter')).toBe(
      'one<br>two<blockquote>quoted<br>still</blockquote>after',
    );
    expect(renderMarkdown('a>b\n>not a quote')).toBe('a&gt;b<br>&gt;not a quote');
  });

  it('shows code blocks as typed and escaped', () => {
    expect(renderMarkdown('```ts\nconst a = **1** < 2;\n```')).toBe(
      '<pre><code>const a = **1** &lt; 2;\n</code></pre>',
    );
  });

  it('shows mentions by name when known and timestamps in UTC, relative to a given moment', () => {
    const options = { memberNames: { '42': 'Ana' }, now: new Date('2026-01-01T20:40:00Z') };
    expect(renderMarkdown('<@42> <@!7> <t:1767300600:R> <t:1767300600:t>', options)).toBe(
      '<span class="mention">@Ana</span> <span class="mention">@member</span> ' +
        '<span class="timestamp">in 10 minutes</span> <span class="timestamp">20:50</span>',
    );
  });

  it('escapes everything, NUL characters included, before adding markup', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(renderMarkdown('\u00000\u0000<b>')).toBe('0&lt;b&gt;');
  });
});

describe.runIf(chromiumInstalled)('the demo page in a real browser (Debian chromium)', () => {
  let browser: Browser;
  let folder: string;
  beforeAll(async () => {
    browser = await launchChromium();
    folder = mkdtempSync(path.join(tmpdir(), 'marquee-demo-html-'));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('shows every embed of the transcript, at least 100 px wide with its title, and loads nothing', async () => {
    const transcript = hostileTranscript();
    const file = path.join(folder, 'demo.html');
    writeFileSync(file, renderHtml(transcript));
    const check = await visibleEmbeds(file, transcript, { browser });
    expect(check.missing).toEqual([]);
    expect(check.visible.map(({ key }) => key)).toEqual(transcriptEmbeds(transcript).map(({ key }) => key));
    expect(check.onPage).toBe(transcriptEmbeds(transcript).length);
    expect(check.externalRequests).toEqual([]);
  });

  it('reports a hidden embed as missing and a remote image as a request', async () => {
    const transcript = sampleTranscript();
    const page = renderHtml(transcript)
      .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      .replace('</style>', '[data-embed="2002:1"] { display: none }</style>')
      .replace('</main>', '<img src="http://192.0.2.1/poster.jpg" alt=""></main>');
    const check = await visibleEmbeds(page, transcript, { browser });
    expect(check.missing).toEqual([expect.objectContaining({ key: '2002:1', why: 'not visible' })]);
    expect(check.externalRequests).toEqual(['http://192.0.2.1/poster.jpg']);
  });
});
