/**
 * Checks the demo page in a real browser (Debian's chromium through playwright-core): is every embed of the transcript
 * on screen, with its title shown, and did the page load nothing from anywhere? Any request other than the page itself
 * is aborted before it leaves the browser and reported.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../../scripts/demo/chromium.js';
import { transcriptEmbeds, type EmbedOnPage } from '../../scripts/demo/html.js';
import type { Transcript } from '../../scripts/demo/transcript.js';

export const chromiumInstalled = existsSync(CHROMIUM_PATH);

export interface EmbedCheck {
  /** Embeds on screen, at least 100 px wide, with their title (if any) shown. */
  visible: EmbedOnPage[];
  /** Embeds missing, hidden, too narrow or without their title, with why. */
  missing: (EmbedOnPage & { why: string })[];
  /** How many `[data-embed]` elements the page holds (one per embed of the transcript when all is well). */
  onPage: number;
  /** Every URL the page tried to load besides itself, `about:` and `data:` (all aborted). */
  externalRequests: string[];
}

/** The title as it reads on screen: markdown markers gone, spaces collapsed. */
function shownText(text: string): string {
  return text
    .replace(/[*_~`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Loads the page (a file path, or the HTML itself when it starts with "<") at 900 px wide and checks each embed of
 * `transcript`. Pass a browser to share one across checks; otherwise one is launched and closed.
 */
export async function visibleEmbeds(
  page: string,
  transcript: Transcript,
  options: { browser?: Browser } = {},
): Promise<EmbedCheck> {
  const browser = options.browser ?? (await launchChromium());
  const context = await browser.newContext({ viewport: { width: 900, height: 900 }, javaScriptEnabled: false });
  try {
    const tab = await context.newPage();
    const isHtml = page.trimStart().startsWith('<');
    const pageUrl = isHtml ? 'about:blank' : pathToFileURL(path.resolve(page)).href;
    const externalRequests: string[] = [];
    await tab.route('**/*', (route) => {
      const url = route.request().url();
      const own = url === pageUrl || url.startsWith('about:') || url.startsWith('data:');
      if (own) return route.continue();
      externalRequests.push(url);
      return route.abort('blockedbyclient');
    });
    if (isHtml) await tab.setContent(page, { waitUntil: 'load' });
    else await tab.goto(pageUrl, { waitUntil: 'load' });

    const visible: EmbedOnPage[] = [];
    const missing: EmbedCheck['missing'] = [];
    for (const embed of transcriptEmbeds(transcript)) {
      const element = tab.locator(`[data-embed="${embed.key.replaceAll('"', '\\"')}"]`);
      const why = await (async () => {
        if ((await element.count()) !== 1) return `${await element.count()} elements`;
        if (!(await element.isVisible())) return 'not visible';
        const box = await element.boundingBox();
        if (!box || box.width <= 100 || box.height <= 0) return `box ${JSON.stringify(box)}`;
        if (embed.title === undefined) return null;
        const title = element.locator('.embed-title');
        if (!(await title.isVisible())) return 'title not visible';
        const shown = shownText(await title.innerText());
        return shown === shownText(embed.title) ? null : `title reads "${shown}"`;
      })();
      if (why === null) visible.push(embed);
      else missing.push({ ...embed, why });
    }
    const onPage = await tab.locator('[data-embed]').count();
    return { visible, missing, onPage, externalRequests };
  } finally {
    await context.close();
    if (!options.browser) await browser.close();
  }
}
