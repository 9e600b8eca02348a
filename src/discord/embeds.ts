import { EmbedBuilder } from 'discord.js';
import { JUSTWATCH_CREDIT, TMDB_SHORT_CREDIT } from '../tmdb/attribution.js';
import { genreName } from '../tmdb/genres.js';
import { tmdbImageUrl } from '../tmdb/images.js';
import type { WatchProviders } from '../tmdb/schemas.js';
import {
  MIN_MEMBERS_FOR_AGGREGATE,
  formatRuntime,
  movieLabel,
  plural,
  stars,
  tmdbMovieUrl,
  truncate,
} from '../format.js';
import type { MovieCardView } from '../services/movies.js';
import { EMBED_LIMITS } from './limits.js';

/** What a film's card shows: the movie service's view of it, plus what a command may add. */
export interface MovieCardContent extends MovieCardView {
  /** A line above the overview, e.g. the reason of a pick. */
  headline?: string;
  /** Extra line in the footer before the credits. */
  footerNote?: string;
}

/** Marquee's colour on cards. */
const BRAND_COLOUR = 0xe50914;

function genreLine(genreIds: readonly number[]): string | null {
  const names = genreIds.map(genreName).filter((name): name is NonNullable<typeof name> => name !== null);
  return names.length ? names.join(', ') : null;
}

function providerLine(providers: WatchProviders): string | null {
  const groups: [string, { name: string }[]][] = [
    ['Stream', providers.flatrate],
    ['Free', [...providers.free, ...providers.ads]],
    ['Rent', providers.rent],
    ['Buy', providers.buy],
  ];
  const lines = groups
    .filter(([, list]) => list.length > 0)
    .map(
      ([label, list]) =>
        `${label}: ${list
          .slice(0, 6)
          .map((p) => p.name)
          .join(', ')}`,
    );
  if (lines.length === 0) return null;
  const text = lines.join('\n');
  return providers.link ? `${text}\n[All options](${providers.link})` : text;
}

/**
 * A film's card: poster, title (year), runtime, genres, overview, ratings and where to watch it. Each part
 * is cut to its own limit, and the description gets only what is left of the 6000 per message, since the
 * parts' limits add up to more (a caller's long headline or footer note with every field filled).
 */
export function movieCard(view: MovieCardContent): EmbedBuilder {
  const { movie } = view;
  const embed = new EmbedBuilder()
    .setColor(BRAND_COLOUR)
    .setTitle(movieLabel(movie, EMBED_LIMITS.title))
    .setURL(tmdbMovieUrl(movie.tmdbId));
  const poster = tmdbImageUrl(movie.posterPath);
  if (poster) embed.setThumbnail(poster);

  const fields: { name: string; value: string; inline?: boolean }[] = [];
  const runtime = formatRuntime(movie.runtime);
  if (runtime) fields.push({ name: 'Runtime', value: runtime, inline: true });
  const genres = genreLine(movie.genreIds);
  if (genres) fields.push({ name: 'Genres', value: genres, inline: true });
  if (movie.voteAverage && movie.voteCount) {
    fields.push({
      name: 'TMDB',
      value: `${movie.voteAverage.toFixed(1)}/10 (${movie.voteCount.toLocaleString('en-US')} ${movie.voteCount === 1 ? 'vote' : 'votes'})`,
      inline: true,
    });
  }
  if (view.guildStats) {
    const { count, average } = view.guildStats;
    fields.push({
      name: 'This server',
      value:
        count >= MIN_MEMBERS_FOR_AGGREGATE && average !== null
          ? `${stars(average)} ${average.toFixed(1)} from ${count} members`
          : count > 0
            ? `Rated by ${plural(count, 'member')}`
            : 'Not rated here yet',
      inline: true,
    });
  }
  if (view.own) {
    const { rating, watchlisted, timesWatched } = view.own;
    const parts = [
      rating !== null ? `${stars(rating)} (${rating})` : 'Not rated',
      timesWatched > 0 ? `watched ${timesWatched === 1 ? 'once' : `${timesWatched} times`}` : null,
      watchlisted ? 'on your watchlist' : null,
    ].filter(Boolean);
    fields.push({ name: 'You', value: parts.join(' · '), inline: true });
  }
  const whereToWatch = view.providers ? providerLine(view.providers) : null;
  if (whereToWatch) {
    fields.push({
      name: `Where to watch (${view.providers?.region})`,
      value: truncate(whereToWatch, EMBED_LIMITS.fieldValue),
    });
  }
  embed.addFields(fields.slice(0, EMBED_LIMITS.fields));

  const credits = [view.footerNote, TMDB_SHORT_CREDIT, whereToWatch ? JUSTWATCH_CREDIT : null]
    .filter(Boolean)
    .join(' · ');
  embed.setFooter({ text: truncate(credits, EMBED_LIMITS.footer) });

  const description = [view.headline, movie.overview ? truncate(movie.overview, 700) : null]
    .filter(Boolean)
    .join('\n\n');
  const room = Math.min(EMBED_LIMITS.description, EMBED_LIMITS.totalPerMessage - embedLength([embed]));
  if (description && room > 0) embed.setDescription(truncate(description, room));
  return embed;
}

/**
 * Characters Discord counts towards the 6000 per message: titles, descriptions, fields, footers, authors.
 * In UTF-16 units, never fewer than characters, so a budget taken from it errs short.
 */
export function embedLength(embeds: readonly EmbedBuilder[]): number {
  return embeds.reduce((total, { data }) => {
    const fields = (data.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
    return (
      total +
      (data.title?.length ?? 0) +
      (data.description?.length ?? 0) +
      (data.footer?.text.length ?? 0) +
      (data.author?.name.length ?? 0) +
      fields
    );
  }, 0);
}
