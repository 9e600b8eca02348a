/**
 * A hand-built demo transcript shaped like what the demo records: an onboarding panel, picks with reasons and a movie
 * night whose poll is edited when it closes. Tests of the HTML page use it, and so can a quick look at the page:
 * `npx tsx -e "…renderHtml(sampleTranscript())…"`.
 */
import { ButtonStyle, ComponentType, type APIEmbed } from 'discord-api-types/v10';
import type { Transcript, TranscriptMessage } from '../../scripts/demo/transcript.js';

const TMDB_CREDIT = 'Data: TMDB';

/** A message by the bot: public, plain, unedited unless `fields` say otherwise. */
export function botMessage(fields: Partial<TranscriptMessage> & Pick<TranscriptMessage, 'id'>): TranscriptMessage {
  return {
    author: 'Marquee',
    bot: true,
    ephemeral: false,
    content: '',
    embeds: [],
    components: [],
    reactions: [],
    edited: false,
    ...fields,
  };
}

function filmCard(tmdbId: number, title: string, reason: string, runtime: string, genres: string): APIEmbed {
  return {
    color: 0xe50914,
    title,
    url: `https://www.themoviedb.org/movie/${tmdbId}`,
    thumbnail: { url: `https://image.tmdb.org/t/p/w342/poster-${tmdbId}.jpg` },
    description: `**Why:** ${reason}\n\nA film worth an evening, told in a sentence or two.`,
    fields: [
      { name: 'Runtime', value: runtime, inline: true },
      { name: 'Genres', value: genres, inline: true },
      { name: 'TMDB', value: '8.1/10 (14,210 votes)', inline: true },
      { name: 'This server', value: '★★★★☆ 4.2 from 5 members', inline: true },
      { name: 'Where to watch (GB)', value: 'Stream: Netflix, MUBI\nRent: Apple TV' },
    ],
    footer: { text: TMDB_CREDIT },
  };
}

const POLL_FILMS = ['Alien (1979)', 'Heat (1995)', 'Amélie (2001)', 'Arrival (2016)', 'Paddington 2 (2017)'];

function pollEmbeds(winner: number | null): APIEmbed[] {
  return POLL_FILMS.map((film, index) => ({
    color: winner === index ? 0xf5c518 : 0xe50914,
    title: `${winner === index ? '🏆 ' : ''}${index + 1}. ${film}`,
    url: `https://www.themoviedb.org/movie/${100 + index}`,
    description: `Everyone should like it: nobody’s fit is below ${(4.4 - index * 0.2).toFixed(1)}★.\nFit: <@1001> 4.6 · 2 others 4.1 on average`,
    ...(index === POLL_FILMS.length - 1 ? { footer: { text: TMDB_CREDIT } } : {}),
  }));
}

function pollButtons(disabled: boolean): TranscriptMessage['components'] {
  return [
    {
      type: ComponentType.ActionRow,
      components: POLL_FILMS.map((_, index) => ({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: `${index + 1}`,
        custom_id: `movienight:vote:7:${index + 1}`,
        disabled,
      })),
    },
  ];
}

export function sampleTranscript(): Transcript {
  const ratingSelect = (slot: number, film: string, chosen?: string) => ({
    type: ComponentType.StringSelect as const,
    custom_id: `onboarding:rate:${slot}`,
    placeholder: `${slot + 1}. ${film}: your rating`,
    options: ['★★★★★ 5', '★★★★☆ 4', '★★★☆☆ 3', "Haven't seen it"].map((label) => ({
      label,
      value: label,
      default: label === chosen,
    })),
  });
  return {
    guildName: 'Film Club',
    channelName: 'movie-night',
    botName: 'Marquee',
    entries: [
      { kind: 'scene', id: 'onboarding', title: 'A new member rates a few films' },
      { kind: 'action', member: 'Dana', text: '/start' },
      {
        kind: 'message',
        message: botMessage({
          id: '2001',
          ephemeral: true,
          visibleTo: 'Dana',
          content: '**Welcome, Dana!** Rate the films you have seen, so your picks are _yours_ from the start.',
          embeds: [
            {
              color: 0x5865f2,
              title: 'Have you seen these?',
              description: 'Pick a rating under each film, or *Haven’t seen it*. Use `/rate` for any other film.',
              footer: { text: `This server's most-rated films, then TMDB's top rated · ${TMDB_CREDIT}` },
            },
          ],
          components: [
            { type: ComponentType.ActionRow, components: [ratingSelect(0, 'Alien (1979)', '★★★★★ 5')] },
            { type: ComponentType.ActionRow, components: [ratingSelect(1, 'Heat (1995)')] },
            { type: ComponentType.ActionRow, components: [ratingSelect(2, 'Amélie (2001)')] },
            {
              type: ComponentType.ActionRow,
              components: [
                { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Next films', custom_id: 'ob:next' },
                { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Skip', custom_id: 'ob:skip' },
                { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Done', custom_id: 'ob:done' },
              ],
            },
          ],
        }),
      },
      { kind: 'action', member: 'Dana', text: 'clicks Done' },
      { kind: 'scene', id: 'first-picks', title: 'Picks, with reasons' },
      { kind: 'action', member: 'Dana', text: '/recommend count: 2' },
      {
        kind: 'message',
        message: botMessage({
          id: '2002',
          content: 'Picks for **Dana** · from 4 members with taste like yours',
          embeds: [
            filmCard(
              603,
              'The Matrix (1999)',
              '4 members with taste like yours rated it 4.4★ on average.',
              '2h 16m',
              'Action, Science Fiction',
            ),
            filmCard(
              129,
              'Spirited Away (2001)',
              'Because you loved ~~nothing yet~~ *Alien (1979)*.',
              '2h 5m',
              'Animation, Fantasy',
            ),
          ],
          components: [
            {
              type: ComponentType.ActionRow,
              components: [
                {
                  type: ComponentType.Button,
                  style: ButtonStyle.Success,
                  label: 'Watchlist',
                  emoji: { name: '📌' },
                  custom_id: 'rec:wl',
                },
                { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Not interested', custom_id: 'rec:no' },
                {
                  type: ComponentType.Button,
                  style: ButtonStyle.Link,
                  label: 'TMDB',
                  url: 'https://www.themoviedb.org/movie/603',
                },
              ],
            },
          ],
          reactions: [
            { emoji: '👍', count: 3 },
            { emoji: '👎', count: 1 },
          ],
        }),
      },
      { kind: 'action', member: 'Dana', text: 'reacts 👍' },
      { kind: 'scene', id: 'movie-night', title: 'Movie night' },
      { kind: 'action', member: 'Ben Ortiz', text: 'joins voice channel Cinema' },
      { kind: 'action', member: 'Ben Ortiz', text: '/movienight' },
      {
        kind: 'message',
        message: botMessage({
          id: '2003',
          content:
            '🍿 **Movie night!** Vote with the buttons or the numbers; the poll closes <t:1767300600:R>.\n> Five films everyone in voice should like.',
          embeds: pollEmbeds(null),
          components: pollButtons(false),
          reactions: [
            { emoji: '1️⃣', count: 3 },
            { emoji: '2️⃣', count: 1 },
            { emoji: '4️⃣', count: 2 },
          ],
        }),
      },
      { kind: 'action', member: 'Ana', text: 'clicks 1' },
      {
        kind: 'message',
        message: botMessage({
          id: '2003',
          edited: true,
          content: '🍿 **Movie night!** The poll is closed: **Alien (1979)** won with 3 votes.',
          embeds: pollEmbeds(0),
          components: pollButtons(true),
          reactions: [
            { emoji: '1️⃣', count: 3 },
            { emoji: '2️⃣', count: 1 },
            { emoji: '4️⃣', count: 2 },
          ],
        }),
      },
    ],
  };
}
