import {
  ApplicationCommandOptionType,
  DiscordjsErrorCodes,
  SlashCommandBuilder,
  type CommandInteractionOption,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { checkOptions, optionRefusal } from '../../src/discord/option-check.js';
import { UserFacingError } from '../../src/errors.js';

const rate = new SlashCommandBuilder()
  .setName('rate')
  .setDescription('Rate a film')
  .addStringOption((option) => option.setName('movie').setDescription('Film').setRequired(true))
  .addNumberOption((option) => option.setName('stars').setDescription('Stars').setRequired(true))
  .addUserOption((option) => option.setName('member').setDescription('Whose'))
  .toJSON();
const watched = new SlashCommandBuilder()
  .setName('watched')
  .setDescription('Diary')
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription('Add')
      .addStringOption((option) => option.setName('movie').setDescription('Film').setRequired(true))
      .addIntegerOption((option) => option.setName('page').setDescription('Page')),
  )
  .toJSON();

const option = (
  name: string,
  type: ApplicationCommandOptionType,
  value?: CommandInteractionOption['value'],
  options?: CommandInteractionOption[],
): CommandInteractionOption => ({
  name,
  type,
  ...(value === undefined ? {} : { value }),
  ...(options ? { options } : {}),
});

const refusal = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return error instanceof UserFacingError ? { code: error.code, message: error.message } : error;
  }
  return undefined;
};

describe('checking the options Discord sent against the command as declared now', () => {
  const S = ApplicationCommandOptionType;

  it('passes options that fit, leaves optional ones out, and ignores options no longer declared', () => {
    expect(
      refusal(() =>
        checkOptions(rate, [
          option('movie', S.String, 'Heat'),
          option('stars', S.Number, 4.5),
          option('old', S.String, 'x'),
        ]),
      ),
    ).toBeUndefined();
    expect(
      refusal(() =>
        checkOptions(rate, [
          option('movie', S.String, 'Heat'),
          option('stars', S.Number, 4),
          option('member', S.User, '830000000000000001'),
        ]),
      ),
    ).toBeUndefined();
  });

  it('refuses a missing required option, naming it', () => {
    expect(refusal(() => checkOptions(rate, [option('movie', S.String, 'Heat')]))).toEqual({
      code: 'option-missing',
      message: expect.stringMatching(/^\/rate arrived without its `stars` option/),
    });
  });

  it('refuses an option of another type or a value that does not fit it', () => {
    expect(
      refusal(() => checkOptions(rate, [option('movie', S.String, 'Heat'), option('stars', S.String, 'four')])),
    ).toMatchObject({
      code: 'option-malformed',
    });
    expect(
      refusal(() => checkOptions(rate, [option('movie', S.String, 7), option('stars', S.Number, 4)])),
    ).toMatchObject({
      code: 'option-malformed',
      message: expect.stringContaining('`movie`'),
    });
    expect(
      refusal(() => checkOptions(rate, [option('movie', S.String, 'x'), option('stars', S.Number, Number.NaN)])),
    ).toMatchObject({ code: 'option-malformed' });
  });

  it('checks the options of the subcommand, and leaves an unknown subcommand to the router', () => {
    expect(refusal(() => checkOptions(watched, [option('add', S.Subcommand, undefined, [])]))).toMatchObject({
      code: 'option-missing',
    });
    expect(
      refusal(() =>
        checkOptions(watched, [
          option('add', S.Subcommand, undefined, [option('movie', S.String, 'Heat'), option('page', S.Integer, 1.5)]),
        ]),
      ),
    ).toMatchObject({ code: 'option-malformed' });
    expect(refusal(() => checkOptions(watched, [option('gone', S.Subcommand, undefined, [])]))).toBeUndefined();
  });

  it('turns discord.js’s own option errors into the same refusals, and nothing else', () => {
    // As discord.js throws them (its error classes cannot be built outside it).
    const djsError = (code: DiscordjsErrorCodes, message: string) => Object.assign(new TypeError(message), { code });
    const missing = djsError(
      DiscordjsErrorCodes.CommandInteractionOptionNotFound,
      'Required option "stars" not found.',
    );
    expect(optionRefusal(missing, 'rate')).toMatchObject({
      code: 'option-missing',
      message: expect.stringContaining('`stars`'),
    });
    const wrongType = djsError(
      DiscordjsErrorCodes.CommandInteractionOptionType,
      'Option "stars" is of type: 3; expected 10.',
    );
    expect(optionRefusal(wrongType, 'rate')).toMatchObject({ code: 'option-malformed' });
    expect(optionRefusal(new Error('boom'), 'rate')).toBeNull();
  });
});
