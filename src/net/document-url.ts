/** A document URL, resolved against the page; null unless it is a valid http or https URL. */
export function documentUrl(src: string | null): URL | null {
  if (!src) return null;
  try {
    const url = new URL(src, document.baseURI);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}
