import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, type InteractionReplyOptions } from 'discord.js';
import { TMDB_SHORT_CREDIT } from '../tmdb/attribution.js';
import { truncate } from '../format.js';
import {
  component,
  customId,
  type CommandContext,
  type ComponentHandler,
  type ComponentInteraction,
} from './command.js';
import { EMBED_LIMITS } from './limits.js';

/**
 * The highest page a `page` option or a page button may ask for. Far beyond any real list (10 entries a
 * page); it keeps `page × pageSize` an ordinary integer whatever a crafted payload sends.
 */
export const MAX_PAGE = 100_000;

/**
 * A page number from a customId (text) or an integer option: a whole number within 1…MAX_PAGE. Anything
 * else (missing, `abc`, `0`, `-3`, `1e400` which is Infinity) is page 1; the service then clamps to the
 * last page that exists.
 */
export function pageNumber(value: string | number | null | undefined): number {
  const page = typeof value === 'string' ? Number(value) : (value ?? 1);
  if (!Number.isFinite(page) || page < 1) return 1;
  return Math.min(MAX_PAGE, Math.floor(page));
}

/**
 * Previous/Next buttons for a paged list, customIds `command:page:<ownerId>:<page>`; none for one page.
 * The page is stored in the customId, so the buttons still work after a restart.
 */
export function pageButtons(
  command: string,
  ownerId: string,
  page: number,
  pageCount: number,
): ActionRowBuilder<ButtonBuilder>[] {
  if (pageCount <= 1) return [];
  return [
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId(customId.build(command, 'page', ownerId, page - 1))
        .setLabel('Previous')
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(page <= 1),
      new ButtonBuilder()
        .setCustomId(customId.build(command, 'page', ownerId, page + 1))
        .setLabel('Next')
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(page >= pageCount),
    ),
  ];
}

/**
 * The action behind `pageButtons`: reads `<ownerId>:<page>` from the customId. With `ownerOnly`, only the
 * owner may page (the router refuses anyone else); otherwise anyone the owner's list may be shown to.
 */
export function pageButton(options: {
  ownerOnly: boolean;
  run(interaction: ComponentInteraction, target: { ownerId: string; page: number }, ctx: CommandContext): Promise<void>;
}): ComponentHandler {
  return component<{ ownerId: string; page: number }>({
    parse: ([ownerId, page]) => (ownerId && /^\d{1,20}$/.test(ownerId) ? { ownerId, page: pageNumber(page) } : null),
    ...(options.ownerOnly ? { ownerId: (target: { ownerId: string }) => target.ownerId } : {}),
    run: (interaction, target, ctx) => options.run(interaction, target, ctx),
  });
}

export interface PagedList {
  ownerId: string;
  page: number;
  pageCount: number;
}

export interface PagedListText {
  title: string;
  /** The first line: what the list is and how long, or what to do when it is empty. */
  heading: string;
  lines: readonly string[];
}

/**
 * One page of a member's list (diary, watchlist) as an embed with Previous/Next buttons. The description
 * is cut to Discord's limit, which also keeps the message under 6000 characters whatever the page size.
 */
export function pagedListMessage(
  command: string,
  list: PagedList,
  { title, heading, lines }: PagedListText,
): Pick<InteractionReplyOptions, 'embeds' | 'components'> {
  const embed = new EmbedBuilder()
    .setTitle(title)
    .setDescription(truncate([heading, '', ...lines].join('\n').trim(), EMBED_LIMITS.description))
    .setFooter({ text: `Page ${list.page} of ${list.pageCount} · ${TMDB_SHORT_CREDIT}` });
  return { embeds: [embed], components: pageButtons(command, list.ownerId, list.page, list.pageCount) };
}
