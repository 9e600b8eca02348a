/** `--html FILE`: the transcript as a page. Its renderer (scripts/demo/html.ts) is not on this branch yet. */
import type { Transcript } from './transcript.js';

export function renderDemoHtml(transcript: Transcript): string {
  void transcript;
  throw new Error('--html is not available yet: its page renderer (scripts/demo/html.ts) is still being written');
}
