/**
 * The demo's story, played through real interactions with the real bot: a newcomer's `/recommend` opens the private
 * onboarding panel; she rates films there the way one taste cluster of the server does (four on page 1, Next, one
 * on page 2) and her picks follow, with reasons; she turns one down with 👎 and her next `/recommend` leaves it out;
 * a `/movienight suggest` for her and three members in voice shows each member's fit, takes their votes and names a
 * winner; `/profile` ends it. Each step checks what the bot did, so a demo that would tell a wrong story fails.
 */
import { MessageFlags, type APIMessage } from 'discord-api-types/v10';
import { customId } from '../../src/discord/command.js';
import { movieLabel, stars } from '../../src/format.js';
import { decodePanelState } from '../../commands/onboarding-panel.js';
import { newcomerTaste } from './newcomer-taste.js';
import type { DemoWorld } from './world.js';
import type { Member, Scene } from './scene.js';

export interface StoryFilm {
  tmdbId: number;
  title: string;
}

/** What happened, for the caller's summary and the tests. */
export interface StoryOutcome {
  newcomer: Member;
  /** The taste cluster whose ratings the newcomer's follow. */
  cluster: string;
  rated: (StoryFilm & { stars: number })[];
  firstPicks: StoryFilm[];
  disliked: StoryFilm;
  secondPicks: StoryFilm[];
  night: { members: Member[]; votes: Record<string, number>; winner: StoryFilm };
}

/** Picks asked for each time: enough for both kinds of reason to show. */
const PICKS = 4;

const isEphemeral = (message: APIMessage) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;

/** The films shown on pick cards (one card, one film: the embed's link ends in its TMDB id). */
function cardFilms(messages: readonly APIMessage[]): StoryFilm[] {
  return messages
    .filter((message) => !isEphemeral(message))
    .flatMap((message) => message.embeds.slice(0, 1))
    .map((embed) => ({ tmdbId: Number(embed.url?.split('/').pop()), title: embed.title ?? '' }));
}

export async function playStory(world: DemoWorld, scene: Scene, signal?: AbortSignal): Promise<StoryOutcome> {
  const { app, newcomer, report, ratings, films } = world;
  const catalogue = new Map(films.map((film) => [film.tmdbId, film]));
  const label = (tmdbId: number) => {
    const film = catalogue.get(tmdbId);
    return film ? movieLabel({ title: film.title, releaseDate: `${film.year}-01-01` }) : `TMDB film ${tmdbId}`;
  };
  const memberOf = (userId: string): Member => ({ id: userId, name: world.names[userId] ?? 'member' });

  const step = () => signal?.throwIfAborted();

  // 1. The private panel.
  scene.heading(
    'onboarding',
    `${newcomer.name} joins and asks for picks: a private panel asks her to rate a few films first`,
  );
  const opened = await scene.slash(newcomer, 'recommend', { count: PICKS });
  const panel = opened.original;
  if (!panel || !isEphemeral(panel) || !panel.content.includes('Rate a few films to start')) {
    throw new Error('The newcomer’s /recommend did not open the private onboarding panel.');
  }
  step();

  // 2. Ratings on the panel, then the picks.
  const rated: StoryOutcome['rated'] = [];
  const panelFilms = () => {
    const select = scene.current(panel.id).components?.[0];
    const first = select && 'components' in select ? select.components[0] : undefined;
    const id = first && 'custom_id' in first ? first.custom_id : '';
    const state = decodePanelState(customId.parse(id).args.slice(1), new Date());
    if (!state) throw new Error('The onboarding panel shows no films to rate.');
    return state.films.map((film) => film.movieId);
  };
  const rate = async (slot: number, tmdbId: number, quiet: boolean) => {
    const value = taste.starsFor(tmdbId);
    rated.push({ tmdbId, title: label(tmdbId), stars: value });
    return scene.select(
      newcomer,
      scene.current(panel.id),
      new RegExp(`^${slot + 1}\\. `),
      String(value),
      `rates ${label(tmdbId)}: ${stars(value)} (${value})`,
      { quiet },
    );
  };
  const page1 = panelFilms();
  if (page1.length < 4) throw new Error('The onboarding panel offered fewer than 4 films.');
  const taste = newcomerTaste(report, ratings, page1.slice(0, 4));
  const cluster = taste.cluster.id;
  scene.heading(
    'first-picks',
    `She rates the films she has seen, as members who like ${taste.cluster.label} do; her picks follow`,
  );
  for (const [slot, tmdbId] of page1.slice(0, 4).entries()) await rate(slot, tmdbId, slot < 3);
  step();
  await scene.click(newcomer, scene.current(panel.id), 'Next films');
  const [page2First] = panelFilms();
  if (page2First === undefined) throw new Error('The onboarding panel had no second page.');
  const finished = await rate(0, page2First, false);
  const firstPicks = cardFilms(finished.messages);
  if (firstPicks.length === 0) throw new Error('No picks followed the onboarding panel.');
  step();

  // 3. A 👎 on one pick.
  const disliked = firstPicks.at(-1)!;
  const dislikedCard = finished.messages.filter((message) => !isEphemeral(message)).at(-1)!;
  scene.heading('thumbs-down', `She has no wish to see ${disliked.title}: a 👎 under its card`);
  await scene.react(newcomer, dislikedCard, '👎', `reacts 👎 under ${disliked.title}`, async () =>
    (await app.repos.feedback.listByUser(newcomer.id)).some(
      (feedback) => feedback.movieId === disliked.tmdbId && feedback.value === -1,
    ),
  );
  step();

  // 4. The next picks leave it out.
  scene.heading('picks-again', `She asks again: ${disliked.title} is gone from her picks`);
  const again = await scene.slash(newcomer, 'recommend', { count: PICKS });
  const secondPicks = cardFilms(again.messages);
  if (secondPicks.length === 0) throw new Error('The second /recommend sent no picks.');
  if (secondPicks.some((film) => film.tmdbId === disliked.tmdbId)) {
    throw new Error(`The second /recommend still picked ${disliked.title} after its 👎.`);
  }
  step();

  // 5. Movie night: two members of her cluster and one of another, with her in voice.
  const friends = [
    ...report.members.filter((member) => member.cluster === cluster).slice(0, 2),
    ...report.members.filter((member) => member.cluster !== cluster).slice(0, 1),
  ].map((member) => memberOf(member.userId));
  const group = [...friends, newcomer];
  scene.heading(
    'movie-night',
    `Movie night: ${group.map((member) => member.name.split(' ')[0]).join(', ')} meet in 🔊 ${world.voice.name}`,
  );
  for (const member of group) await scene.voice(member, world.voice.id, world.voice.name);
  const suggested = await scene.slash(newcomer, 'movienight', {}, { subcommand: 'suggest' });
  const night = await app.repos.movieNights.openInChannel(world.text.id);
  const record = night ? await app.repos.movieNights.find(night.id) : null;
  const card = suggested.messages.find((message) => message.id === night?.messageId);
  if (!night || !record || !card) throw new Error('/movienight suggest posted no poll.');
  if (record.participants.length !== group.length) {
    throw new Error(`The movie night has ${record.participants.length} members, not ${group.length}.`);
  }
  step();

  // Each member votes for the pick Marquee forecasts they would like best.
  const votes: Record<string, number> = {};
  for (const member of group) {
    const mine = record.forecasts.filter((forecast) => forecast.userId === member.id);
    const best = mine.sort((a, b) => (b.stars ?? 0) - (a.stars ?? 0) || a.position - b.position)[0];
    const position = best?.position ?? 1;
    votes[member.name] = position;
    await scene.click(member, scene.current(card.id), String(position), { quiet: member.id !== newcomer.id });
  }
  const closed = await scene.slash(newcomer, 'movienight', {}, { subcommand: 'close', quiet: true });
  await scene.wait(() => Promise.resolve(scene.current(card.id).content.includes('closed')), 'the poll card to close');
  const result = closed.messages.find((message) => message.id !== card.id && !isEphemeral(message));
  if (!closed.original || !result) throw new Error('/movienight close announced no winner.');
  scene.show(closed.original.id);
  scene.show(card.id);
  scene.show(result.id);
  const winnerId = (await app.repos.movieNights.find(night.id))?.night.winnerMovieId;
  if (winnerId === null || winnerId === undefined) throw new Error('The movie night closed without a winner.');
  step();

  // 6. Her profile.
  scene.heading('profile', 'Her profile: what Marquee knows of her taste so far');
  const profile = await scene.slash(newcomer, 'profile');
  if (!profile.original?.embeds[0]) throw new Error('/profile showed no profile.');

  return {
    newcomer,
    cluster: taste.cluster.label,
    rated,
    firstPicks,
    disliked,
    secondPicks,
    night: { members: group, votes, winner: { tmdbId: winnerId, title: label(winnerId) } },
  };
}
