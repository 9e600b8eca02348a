import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  TimestampStyles,
  escapeMarkdown,
  messageLink,
  time,
} from 'discord.js';
import { formatRuntime, mention, movieLabel, plural, tmdbMovieUrl, truncate } from '../format.js';
import type {
  CallEnd,
  CallView,
  PickFits,
  PickWhy,
  PollPickView,
  PollView,
  ResultView,
  WinnerBasis,
} from '../services/movie-nights/index.js';
import { TMDB_SHORT_CREDIT } from '../tmdb/attribution.js';
import { genreName } from '../tmdb/genres.js';
import { tmdbImageUrl } from '../tmdb/images.js';
import { customId } from './command.js';
import { embedLength, movieCard } from './embeds.js';
import { EMBED_LIMITS, MESSAGE_LIMITS } from './limits.js';

/** The command that owns the night's buttons (commands/movienight.ts). */
export const MOVIE_NIGHT_COMMAND = 'movienight';
/** The reactions that vote for picks 1-5, in order, and the one that joins a call. */
export const POLL_EMOJI = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'] as const;
export const CALL_EMOJI = '🍿';

/** The position (1-5) a number reaction votes for, or null. */
export function pollPosition(emoji: string | null): number | null {
  const index = emoji === null ? -1 : (POLL_EMOJI as readonly string[]).indexOf(emoji);
  return index < 0 ? null : index + 1;
}

/** customIds of the night's controls: `movienight:<action>:<nightId>[:<position>]`. */
export const NIGHT_ACTIONS = { vote: 'vote', watchlist: 'watchlist', rate: 'rate', stars: 'stars' } as const;

const BRAND_COLOUR = 0xe50914;
const WINNER_COLOUR = 0xf5c518;

export interface MessageContent {
  content: string;
  embeds: EmbedBuilder[];
  components: ActionRowBuilder<ButtonBuilder>[];
}

/** "at 21:30 (in 10 minutes)", in each reader's own time zone. */
function when(at: Date): string {
  return `${time(at, TimestampStyles.ShortTime)} (${time(at, TimestampStyles.RelativeTime)})`;
}

function whyLine(why: PickWhy): string {
  switch (why.kind) {
    case 'everyone':
      return `Everyone should like it: nobody’s fit is below ${why.lowest.toFixed(1)}★.`;
    case 'most':
      return `Most of the group should like it: ${why.liking} of ${why.of} fit at 3.5★ or more.`;
    case 'compromise':
      return `The best compromise for this group (average fit ${why.average.toFixed(1)}★).`;
    case 'popular':
      return 'Popular on TMDB: nobody in the group has rated films yet.';
  }
}

/** "Fit: <@ana> 4.6 · <@ben> no ratings yet · 3 others 3.9 on average" (names only as the service allowed). */
export function fitLine({ named, others }: PickFits): string {
  const parts = named.map(({ userId, hasRatings, stars: value }) =>
    !hasRatings ? `${mention(userId)} no ratings yet` : `${mention(userId)} ${value === null ? '?' : value.toFixed(1)}`,
  );
  if (others.count > 0) {
    const who = named.length === 0 ? plural(others.count, 'member') : plural(others.count, 'other');
    parts.push(others.average === null ? who : `${who} ${others.average.toFixed(1)} on average`);
  }
  return parts.length === 0 ? '' : `Fit: ${parts.join(' · ')}`;
}

function factsLine(pick: PollPickView): string {
  const { movie } = pick;
  const genres = movie.genreIds.map(genreName).filter((name) => name !== null);
  return [
    formatRuntime(movie.runtime),
    genres.length > 0 ? genres.slice(0, 3).join(', ') : null,
    movie.voteAverage && movie.voteCount ? `TMDB ${movie.voteAverage.toFixed(1)}/10` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** One pick; `large`: its poster as the image (the leading pick, or the winner once closed), else a thumbnail. */
function pickEmbed(pick: PollPickView, view: PollView, large: boolean): EmbedBuilder {
  const won = view.winnerPosition === pick.position;
  const embed = new EmbedBuilder()
    .setColor(won ? WINNER_COLOUR : BRAND_COLOUR)
    .setTitle(truncate(`${won ? '🏆 ' : ''}${pick.position}. ${movieLabel(pick.movie)}`, EMBED_LIMITS.title))
    .setURL(tmdbMovieUrl(pick.movie.tmdbId));
  const description = [
    factsLine(pick),
    whyLine(pick.why),
    fitLine(pick.fits),
    `**${plural(pick.votes, 'vote')}**`,
  ].filter((line) => line !== '');
  embed.setDescription(truncate(description.join('\n'), EMBED_LIMITS.description));
  const poster = tmdbImageUrl(pick.movie.posterPath);
  if (poster) {
    if (large) embed.setImage(poster);
    else embed.setThumbnail(poster);
  }
  return embed;
}

/** Cuts the descriptions (the fit lines are the long part), last pick first, until the embeds fit in 6000. */
function withinMessageLimit(embeds: EmbedBuilder[]): EmbedBuilder[] {
  for (let at = embeds.length - 1; at >= 0; at--) {
    const over = embedLength(embeds) - EMBED_LIMITS.totalPerMessage;
    if (over <= 0) break;
    const embed = embeds[at]!;
    const description = embed.data.description ?? '';
    // truncate counts characters, embedLength UTF-16 units (never fewer): cutting by units errs short.
    embed.setDescription(truncate(description, Math.max(1, description.length - over)));
  }
  return embeds;
}

function headline(view: PollView): string {
  const group = `**Movie night** for ${plural(view.group.size, 'member')}`;
  const starter = view.createdBy === null ? '' : `, started by ${mention(view.createdBy)}`;
  const unnamed =
    view.group.unnamedWithoutRatings === 0
      ? ''
      : `\n${plural(view.group.unnamedWithoutRatings, 'member has', 'members have')} no ratings yet: their fit is unknown.`;
  const seen = view.allowRewatch ? '' : ' none of the group has seen';
  const fits = `${plural(view.picks.length, 'pick')}${seen}, by the \`${view.strategy}\` strategy; a fit is the stars Marquee predicts for a member.`;
  switch (view.status) {
    case 'open': {
      const closes = view.closesAt === null ? '' : ` Closes ${when(view.closesAt)}.`;
      return `🎬 ${group}${starter}. Vote with a button or react ${POLL_EMOJI[0]}-${POLL_EMOJI[view.picks.length - 1] ?? POLL_EMOJI[4]}: one vote each, anyone here may vote; click again to take it back.${closes}\n${fits}${unnamed}`;
    }
    case 'closed': {
      const winner = view.picks.find((pick) => pick.position === view.winnerPosition);
      return winner
        ? `🎬 ${group}${starter}: closed. 🏆 **${escapeMarkdown(movieLabel(winner.movie))}** won (${plural(view.totalVotes, 'vote')} in all).`
        : `🎬 ${group}${starter}: closed; the result is on its way.`;
    }
    case 'cancelled':
      return `🎬 ${group}${starter}: cancelled, no film was chosen.`;
  }
}

/** The poll card: the picks as embeds (the leading pick's poster large), live vote counts, buttons 1-5 while open. */
export function pollMessage(view: PollView): MessageContent {
  const large = view.winnerPosition ?? view.picks[0]?.position;
  const embeds = view.picks
    .slice(0, MESSAGE_LIMITS.embeds)
    .map((pick) => pickEmbed(pick, view, pick.position === large));
  embeds.at(-1)?.setFooter({ text: TMDB_SHORT_CREDIT });
  withinMessageLimit(embeds);
  const buttons =
    view.status === 'open'
      ? [
          new ActionRowBuilder<ButtonBuilder>().addComponents(
            view.picks.map((pick) =>
              new ButtonBuilder()
                .setCustomId(customId.build(MOVIE_NIGHT_COMMAND, NIGHT_ACTIONS.vote, view.nightId, pick.position))
                .setLabel(`${pick.position}`)
                .setEmoji(POLL_EMOJI[pick.position - 1] ?? '🎬')
                .setStyle(ButtonStyle.Secondary),
            ),
          ),
        ]
      : [];
  return { content: truncate(headline(view), MESSAGE_LIMITS.content), embeds, components: buttons };
}

function basisLine(view: ResultView): string {
  const votes = `${view.winner.votes} of ${plural(view.totalVotes, 'vote')}`;
  const reasons: Record<WinnerBasis, string> = {
    votes: `It won with ${votes}.`,
    'group-score': `It tied on votes (${votes}) and fits the group best.`,
    order: `It tied on votes (${votes}) and on fit, and was listed first.`,
    'no-votes': 'Nobody voted, so the group’s top pick it is.',
  };
  return reasons[view.basis];
}

/** The result: the winner's card, how it won, and the two buttons. */
export function resultMessage(view: ResultView): MessageContent {
  const link = view.cardMessageId
    ? ` ([the poll](${messageLink(view.channelId, view.cardMessageId, view.guildId)}))`
    : '';
  const content = `🍿 **Tonight’s film: ${escapeMarkdown(movieLabel(view.winner.movie))}**${link}\n${basisLine(view)}`;
  const fits = fitLine(view.winner.fits);
  const card = movieCard({
    movie: view.winner.movie,
    headline: [whyLine(view.winner.why), fits].filter(Boolean).join('\n'),
  });
  card.setColor(WINNER_COLOUR);
  const tmdbPoster = tmdbImageUrl(view.winner.movie.posterPath);
  if (tmdbPoster) card.setImage(tmdbPoster).setThumbnail(null);
  const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(customId.build(MOVIE_NIGHT_COMMAND, NIGHT_ACTIONS.watchlist, view.nightId))
      .setLabel('Add to my watchlist')
      .setEmoji('📌')
      .setStyle(ButtonStyle.Primary),
    new ButtonBuilder()
      .setCustomId(customId.build(MOVIE_NIGHT_COMMAND, NIGHT_ACTIONS.rate, view.nightId))
      .setLabel('Watched it? Rate it')
      .setEmoji('⭐')
      .setStyle(ButtonStyle.Secondary),
  );
  return { content: truncate(content, MESSAGE_LIMITS.content), embeds: [card], components: [buttons] };
}

function callEndText(view: CallView, end: CallEnd, starter: string): string {
  const closed = `${CALL_EMOJI} **Movie night**${starter}: the call closed`;
  switch (end.kind) {
    case 'poll':
      return `${closed} with ${plural(end.joined, 'member')}. Vote here: ${messageLink(view.channelId, end.cardMessageId, view.guildId)}`;
    case 'nobody':
      return `${closed}: nobody joined, so there is no movie night this time.`;
    case 'too-many':
      return `${closed}: ${end.joined} members joined, more than the ${end.max} a movie night can take. Start one for a voice channel, or name fewer members with \`with\`.`;
    case 'no-picks':
      return `${closed} with ${plural(end.joined, 'member')}, but I found no films for them right now (TMDB may not be answering): try \`/movienight suggest\` again in a few minutes.`;
    case 'cancelled':
      return `${CALL_EMOJI} **Movie night**${starter}: cancelled.`;
  }
}

/** The 🍿 call, open or ended. */
export function callMessage(view: CallView): MessageContent {
  const starter = view.createdBy === null ? '' : ` (started by ${mention(view.createdBy)})`;
  const end = view.end;
  if (end === null) {
    return {
      content: `${CALL_EMOJI} **Movie night!**${starter} Nobody is in voice yet, so react with ${CALL_EMOJI} to join. The picks are made for everyone who reacted ${when(view.closesAt)}; then a poll of five films runs for ${plural(view.pollMinutes, 'minute')}.`,
      embeds: [],
      components: [],
    };
  }
  return { content: callEndText(view, end, starter), embeds: [], components: [] };
}
