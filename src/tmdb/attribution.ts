/** TMDB's terms require this notice wherever the bot describes itself (README, /about). */
export const TMDB_ATTRIBUTION =
  'This bot uses TMDB and the TMDB APIs but is not endorsed, certified, or otherwise approved by TMDB.';

/** The short credit for cards that show TMDB data. */
export const TMDB_SHORT_CREDIT = 'Data: TMDB';

/** TMDB's watch-provider data comes from JustWatch, which must be credited wherever it is shown. */
export const JUSTWATCH_CREDIT = 'Streaming data: JustWatch';
