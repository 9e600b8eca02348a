/**
 * Discord's limits on what the bot sends (GUIDE §3, from Discord's developer docs), in one place. The builders
 * check some of them and Discord refuses a message that breaks any; the 6000 characters across a message's
 * embeds nobody checks for us (see `embedLength` in ./embeds.ts).
 */

export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  fields: 25,
  /** Characters across all embeds of one message: titles, descriptions, field names and values, footers, authors. */
  totalPerMessage: 6000,
} as const;

export const MESSAGE_LIMITS = {
  /** Characters of a message's text. */
  content: 2000,
  embeds: 10,
} as const;

/** Autocomplete choices and select menu options. */
export const CHOICE_LIMITS = {
  /** Choices in one autocomplete answer, and options in one select menu. */
  count: 25,
  /** Autocomplete choice name; select option label. */
  name: 100,
  /** Autocomplete choice value (a string one); select option value. */
  value: 100,
  /** Select option description. */
  description: 100,
} as const;

export const COMPONENT_LIMITS = {
  /** A button's or select menu's `custom_id`. */
  customId: 100,
  /** Action rows in one message: each holds up to 5 buttons or one select menu. */
  rows: 5,
} as const;
