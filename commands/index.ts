import type { Command } from '../src/discord/command.js';
import about from './about.js';
import movie from './movie.js';
import movienight from './movienight.js';
import privacy from './privacy.js';
import profile from './profile.js';
import rate from './rate.js';
import recommend from './recommend.js';
import watched from './watched.js';
import watchlist from './watchlist.js';

/** Every slash command, shared by the bot (routing) and `npm run register`. */
export const commands: readonly Command[] = [
  movie,
  rate,
  watched,
  watchlist,
  recommend,
  movienight,
  profile,
  privacy,
  about,
];
