import { AttachmentBuilder, InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { ChatInput, Command, CommandContext } from '../src/discord/command.js';
import { createProgressReply, type FinalMessage } from '../src/discord/progress-reply.js';
import type { ImportFormat, ImportProgress, ImportSummary } from '../src/services/imports.js';
import { fileNames, progressLine, summaryLines } from '../src/import/summary.js';

const NAME = 'import';
const FILE_OPTION = 'file';

const WAIT_NOTE =
  'Films Marquee does not know yet are looked up on TMDB, up to 20 a second (about a minute per 1,000 of them); you can keep using Marquee meanwhile.';

function progressText(progress: ImportProgress): string {
  return `${progressLine(progress)}\n${WAIT_NOTE}`;
}

function finalMessage(summary: ImportSummary, userCommand: string): FinalMessage {
  const { counts } = summary;
  const title = summary.end.kind === 'done' ? '**Import finished**' : '**Import stopped**';
  const files = summary.unmatchedFile
    ? [
        new AttachmentBuilder(Buffer.from(summary.unmatchedFile.text), {
          name: summary.unmatchedFile.name,
          description: 'Rows that matched no film for sure: fix them and import this file again',
        }),
      ]
    : [];
  const skipped = counts.already + counts.notFilms;
  return {
    private: { content: [title, ...summaryLines(summary, userCommand)].join('\n'), files },
    public: [
      `your import of ${fileNames(summary.files)} ${summary.end.kind === 'done' ? 'finished' : 'stopped'}:`,
      `${counts.imported.toLocaleString('en-US')} imported, ${skipped.toLocaleString('en-US')} skipped, ${counts.unmatched.toLocaleString('en-US')} unmatched.`,
      'I could not send you the details privately: allow direct messages from this server’s members and import the same file again to get them (what was imported is skipped).',
    ].join(' '),
  };
}

/**
 * `/import letterboxd|imdb file:` — checks the file at once (a refusal writes nothing), then imports in the
 * background: progress by editing the ephemeral reply while the token lives, the summary with the unmatched rows as
 * a CSV to fix and import again.
 */
async function importFrom(format: ImportFormat, interaction: ChatInput, ctx: CommandContext): Promise<void> {
  const arrivedAt = ctx.clock();
  const attachment = interaction.options.getAttachment(FILE_OPTION, true);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { imports } = ctx.services;
  const file = await imports.download({ url: attachment.url, name: attachment.name, size: attachment.size });
  const parsed = await imports.parse(format, file);
  const progress = createProgressReply(interaction, { clock: ctx.clock, arrivedAt, log: ctx.log });
  const command = `/${NAME} ${format}`;
  const started = await imports.start(
    { userId: interaction.user.id, parsed },
    {
      progress: (current) => progress.update(progressText(current)),
      async finished(summary) {
        const via = await progress.finish(finalMessage(summary, command));
        ctx.log.info({ via, end: summary.end, ...summary.counts }, 'import summary sent');
      },
    },
  );
  ctx.log.info({ format, files: parsed.files, rows: started.progress.counts.rows }, 'import started');
  progress.begin(progressText(started.progress));
}

export default {
  data: new SlashCommandBuilder()
    .setName(NAME)
    .setDescription('Bring your film history from Letterboxd or IMDb')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName('letterboxd')
        .setDescription('Import Letterboxd’s export zip, or its ratings, diary, watched or watchlist CSV')
        .addAttachmentOption((option) =>
          option
            .setName(FILE_OPTION)
            .setDescription('From Letterboxd: Settings → Data → Export your data (up to 8 MB)')
            .setRequired(true),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('imdb')
        .setDescription('Import the ratings CSV IMDb exports (1-10 become half stars)')
        .addAttachmentOption((option) =>
          option
            .setName(FILE_OPTION)
            .setDescription('From IMDb: Your Ratings → ⋯ → Export (up to 8 MB)')
            .setRequired(true),
        ),
    ),

  subcommands: {
    letterboxd: (interaction, ctx) => importFrom('letterboxd', interaction, ctx),
    imdb: (interaction, ctx) => importFrom('imdb', interaction, ctx),
  },
} satisfies Command;
