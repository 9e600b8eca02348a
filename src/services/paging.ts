/** One page of a list paged in SQL, and where it sits in the list. */
export interface LoadedPage<Entry> {
  /** 1-based, within 1…pageCount. */
  page: number;
  pageCount: number;
  total: number;
  entries: Entry[];
}

/**
 * The requested page (1-based) of a list the repository pages with LIMIT/OFFSET; a page past the end
 * gives the last one, anything that is not a page number the first. Shared by the diary and the watchlist.
 */
export async function loadPage<Entry>(
  requested: number | undefined,
  pageSize: number,
  load: (page: number, pageSize: number) => Promise<{ entries: Entry[]; total: number }>,
): Promise<LoadedPage<Entry>> {
  // The offset stays a safe integer whatever a caller sends (SQL would get `1e+301` otherwise).
  const highest = Math.floor(Number.MAX_SAFE_INTEGER / pageSize);
  let page =
    requested !== undefined && Number.isFinite(requested) ? Math.min(highest, Math.max(1, Math.floor(requested))) : 1;
  let { entries, total } = await load(page, pageSize);
  const pagesOf = (count: number) => Math.max(1, Math.ceil(count / pageSize));
  if (page > pagesOf(total)) {
    // An offset past the end read no rows: read the last page instead.
    page = pagesOf(total);
    ({ entries, total } = await load(page, pageSize));
  }
  return { page, pageCount: pagesOf(total), total, entries };
}
