/** Where TMDB serves images (`configuration.images.secure_base_url`; it has not changed in years, so we do not fetch it). */
export const DEFAULT_IMAGE_BASE_URL = 'https://image.tmdb.org/t/p/';

/** A size TMDB knows (`configuration.images.*_sizes`), e.g. `w342` for posters on cards. */
export const DEFAULT_POSTER_SIZE = 'w342';

/** `secure_base_url + size + path`, or null when the film has no image. */
export function tmdbImageUrl(
  path: string | null,
  size: string = DEFAULT_POSTER_SIZE,
  baseUrl: string = DEFAULT_IMAGE_BASE_URL,
): string | null {
  if (path === null || path === '') return null;
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return `${base}${size}${path.startsWith('/') ? path : `/${path}`}`;
}
