/**
 * The numbers behind "Official totals beside ours" (map/official.js), as plain data:
 * no DOM and no labels, so that `node --test` can check them
 * (tests/js/official_series.test.mjs).
 *
 * Input is /api/v1/stats/official-totals/ as it comes: `results`, the officials'
 * running totals, and `documented`, one row per distinct as_of with the published
 * attacks documented here from 17 October 2023 to that day (cumulative_incidents)
 * and the same count split by confidence (by_confidence: confirmed, reported,
 * claimed, disputed, adding up to cumulative_incidents). Dates stay ISO strings
 * ("YYYY-MM-DD"), which sort and compare as the days they name.
 */

function byDate(a, b) {
  if (a.date === b.date) return 0;
  return a.date < b.date ? -1 : 1;
}

/** The confidence levels of `by_confidence`, in the API's order. */
export const LEVELS = ["confirmed", "reported", "claimed", "disputed"];

/** The documented levels drawn as lines of their own beside the official line. */
export const DRAWN_LEVELS = ["confirmed", "claimed"];

/** Official rows that give a total of attacks (a null total is not a zero). */
export function officialPoints(official) {
  return official.filter(
    (row) => row.total_attacks !== null && row.total_attacks !== undefined,
  );
}

/**
 * Whether every documented row carries its split. A body kept from before the
 * split existed (a browser's copy revalidated by ETag) has none: the chart then
 * draws the documented total alone rather than a split it does not have.
 */
export function hasSplit(documented) {
  return (
    documented.length > 0 &&
    documented.every((row) => row.by_confidence && typeof row.by_confidence === "object")
  );
}

/**
 * The documented series as [[date, count], ...] in date order: `all` (every
 * documented attack), and, when the rows carry their split, one per level of
 * DRAWN_LEVELS. Only up to `until` (an ISO date) when given: the chart's lines end
 * with the last official total they stand beside.
 */
export function documentedSeries(documented, until = null) {
  const rows = documented
    .filter((row) => until === null || row.date <= until)
    .sort(byDate);
  const series = { all: rows.map((row) => [row.date, row.cumulative_incidents]) };
  if (hasSplit(rows)) {
    for (const level of DRAWN_LEVELS) {
      series[level] = rows.map((row) => [row.date, row.by_confidence[level] || 0]);
    }
  }
  return series;
}

/**
 * What was documented by `date`: the row of that date, else of the last date
 * before it, else nothing yet. `{total, split}`; `split` has every level of LEVELS
 * (0 when none), or is null when the rows carry no split.
 */
export function documentedOn(documented, date) {
  let found = null;
  for (const row of documented) {
    if (row.date <= date && (found === null || row.date >= found.date)) found = row;
  }
  const withSplit = hasSplit(documented);
  const split = withSplit ? Object.fromEntries(LEVELS.map((level) => [level, 0])) : null;
  if (found === null) return { total: 0, split };
  if (split) {
    for (const level of LEVELS) split[level] = found.by_confidence[level] || 0;
  }
  return { total: found.cumulative_incidents, split };
}

/**
 * The values of the sentence under the chart: the latest official total with a
 * number, who gave it and when, and what was documented here by that day, split.
 * Null when no official row gives a total.
 */
export function summaryValues(official, documented) {
  const points = officialPoints(official);
  if (!points.length) return null;
  const latest = points.reduce((last, row) => (row.as_of >= last.as_of ? row : last));
  const { total, split } = documentedOn(documented, latest.as_of);
  return {
    official: latest.total_attacks,
    date: latest.as_of,
    by: latest.reported_by,
    documented: total,
    split,
  };
}
