/**
 * The demo's local TMDB computes popularity, votes and lists from the demo server's own ratings. The bot names them
 * as TMDB's (it cannot know it is talking to a local TMDB), so every rendering of the transcript labels them:
 * the note above the story, and a "(demo …)" tag after each figure or list the bot attributes to TMDB.
 */

export const DEMO_FIGURES_NOTE =
  'No network is used: the bot talks to a local Discord and a local TMDB. The local TMDB serves the built-in ' +
  'catalogue (titles, years, genres, runtimes); its popularity, vote figures, popular and top-rated lists and each ' +
  'film’s related films are computed from this demo server’s ratings, not TMDB’s. They are marked “(demo …)” below.';

/** A field the bot titles "TMDB" holds vote figures. */
export function demoFieldName(name: string): string {
  return name === 'TMDB' ? 'TMDB (demo figures)' : name;
}

/** Tags what the bot attributes to TMDB in running text: "TMDB 7.9/10", "Popular on TMDB…", "TMDB's top rated". */
export function labelDemoFigures(text: string): string {
  return text
    .replace(/\bTMDB (\d+(?:\.\d+)?\/10)/g, 'TMDB $1 (demo figure)')
    .replace(
      /\b(Popular on TMDB(?: this week| right now)?|Among TMDB’s top rated|TMDB['’]s top rated)/g,
      '$1 (demo list)',
    );
}
