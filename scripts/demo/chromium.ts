/**
 * Debian's chromium driven by playwright-core (which ships no browser of its own), for the demo page's screenshots
 * and its browser test. The flags keep it headless and quiet: no sandbox (CI runs as root), no GPU, and none of the
 * background fetches (component updates, sync, QUIC probes) a fresh profile would otherwise start.
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}
