/**
 * The REST API as every page asks it: GET JSON (a failed answer throws, with the
 * API's parsed error body), and API URLs with extra query parameters. Nothing is
 * read from the page at import; `apiUrl` resolves against the page's address only
 * when called.
 */

/** GET JSON; a failed answer throws, with the API's parsed error body as .body. */
export async function getJson(url) {
  const response = await fetch(url, {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  let body;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = new Error(`${url}: HTTP ${response.status}`);
    error.body = body;
    throw error;
  }
  return body;
}

/** URLSearchParams as a query string, with commas left readable. */
export function queryString(params) {
  const query = params.toString().replace(/%2C/gi, ",");
  return query ? `?${query}` : "";
}

/**
 * An API URL (relative, as it came from {% url %}) with extra parameters (pairs,
 * URLSearchParams or a plain object); the answer is a path and query.
 */
export function apiUrl(base, params, here = globalThis.location?.href) {
  const url = new URL(base, here || "http://localhost/");
  const pairs = params instanceof URLSearchParams || Array.isArray(params)
    ? params
    : Object.entries(params || {});
  for (const [name, value] of pairs) url.searchParams.set(name, value);
  return url.pathname + queryString(url.searchParams);
}
