/**
 * Screenshots of the demo page for the README: `npm run demo:screenshots -- <demo.html> [outDir=docs] [sceneId…]`.
 * Each shot is one scene's section at 900 px wide, saved as `<outDir>/demo-<sceneId>.png`. Without scene ids it takes
 * the onboarding panel, the first picks with their reasons and the movie night (the story's scene ids, which stay
 * whatever a seed's titles say). The page loads nothing from the network, and is not allowed to.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.js';

/** The scenes of the story (scripts/demo/story.ts) the README shows. */
const DEFAULT_SHOTS = ['onboarding', 'first-picks', 'movie-night'] as const;

const VIEWPORT = { width: 900, height: 1000 };
const UNSTICK_HEADER = '.channel-header { position: static !important; }';

/** Without a colour emoji font chromium draws 🍿 and 👍 as empty boxes; Debian's is fonts-noto-color-emoji. */
function warnWithoutEmojiFont(): void {
  let fonts: string;
  try {
    fonts = execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' });
  } catch {
    // No fontconfig to ask: say nothing rather than guess.
    return;
  }
  if (!/emoji/i.test(fonts)) {
    console.warn('no emoji font found: emoji will show as boxes (apt-get install fonts-noto-color-emoji)');
  }
}

async function main(argv: string[]): Promise<void> {
  const [page, outDir = 'docs', ...wanted] = argv;
  if (!page || page.startsWith('-')) {
    console.error('usage: tsx scripts/demo/screenshots.ts <demo.html> [outDir=docs] [sceneId…]');
    process.exitCode = 2;
    return;
  }
  if (!existsSync(page)) throw new Error(`${page} does not exist: write it with npm run demo -- --html ${page}`);
  mkdirSync(outDir, { recursive: true });
  warnWithoutEmojiFont();
  const pageUrl = pathToFileURL(path.resolve(page)).href;

  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, javaScriptEnabled: false });
    const tab = await context.newPage();
    await tab.route('**/*', (route) => {
      const url = route.request().url();
      if (url === pageUrl || url.startsWith('data:') || url.startsWith('about:')) return route.continue();
      console.warn(`blocked a request the page should not make: ${url}`);
      return route.abort('blockedbyclient');
    });
    await tab.goto(pageUrl, { waitUntil: 'load' });
    const sections = await tab.locator('section.scene[id]').all();
    const sceneIdsOnPage = (await Promise.all(sections.map((section) => section.getAttribute('id')))).filter(
      (id): id is string => id !== null,
    );

    const shots = (wanted.length ? wanted : DEFAULT_SHOTS).map((id) => ({
      name: id,
      id: sceneIdsOnPage.includes(id) ? id : undefined,
    }));
    const unknown = shots.filter((shot) => shot.id === undefined).map((shot) => shot.name);
    if (unknown.length) {
      throw new Error(`no scene for ${unknown.join(', ')}; the page's scenes are: ${sceneIdsOnPage.join(', ')}`);
    }

    for (const { name, id } of shots) {
      const file = path.join(outDir, `demo-${name}.png`);
      // The sticky channel header would otherwise cover the top of a section further down the page.
      await tab
        .locator(`section.scene[id="${id}"]`)
        .screenshot({ path: file, animations: 'disabled', style: UNSTICK_HEADER });
      console.log(`${file}  (scene "${id}")`);
    }
  } finally {
    await browser.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
