import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { z } from 'zod';
import type { RatingColumns } from '../../../src/recommender/index.js';

const ratingRow = z.object({
  userId: z.string().regex(/^\d+$/, 'userId must be a decimal id'),
  movieId: z.coerce.number().int(),
  rating: z.coerce.number().min(0.5).max(5),
});

export interface MovieLensRatings extends RatingColumns {
  /** The file that was read. */
  file: string;
}

/**
 * Reads a MovieLens directory: `ratings.csv` (userId,movieId,rating,timestamp with a header) or
 * ml-100k `u.data` (user, item, rating, timestamp; tab-separated, no header). Every row is validated.
 */
export async function readMovieLens(directory: string): Promise<MovieLensRatings> {
  const csvFile = join(directory, 'ratings.csv');
  const dataFile = join(directory, 'u.data');
  const file = existsSync(csvFile) ? csvFile : existsSync(dataFile) ? dataFile : null;
  if (file === null) throw new Error(`${directory} has neither ratings.csv nor u.data`);
  const isCsv = file === csvFile;
  const parser = createReadStream(file).pipe(
    parse(
      isCsv
        ? { from_line: 2, trim: true, skip_empty_lines: true }
        : { delimiter: '\t', trim: true, skip_empty_lines: true },
    ),
  );
  const codeOf = new Map<string, number>();
  const users: string[] = [];
  const userCodes: number[] = [];
  const itemIds: number[] = [];
  const ratings: number[] = [];
  let line = isCsv ? 1 : 0;
  for await (const record of parser as AsyncIterable<unknown>) {
    line++;
    const fields = z.array(z.string()).min(3).parse(record);
    const parsed = ratingRow.safeParse({ userId: fields[0], movieId: fields[1], rating: fields[2] });
    if (!parsed.success) throw new Error(`${file}:${line}: ${z.prettifyError(parsed.error)}`);
    const { userId, movieId, rating } = parsed.data;
    let code = codeOf.get(userId);
    if (code === undefined) {
      code = users.push(userId) - 1;
      codeOf.set(userId, code);
    }
    userCodes.push(code);
    itemIds.push(movieId);
    ratings.push(rating);
  }
  return {
    file,
    users,
    userCodes: Int32Array.from(userCodes),
    itemIds: Int32Array.from(itemIds),
    ratings: Float32Array.from(ratings),
  };
}
