"""The tables ``bench/scale.py`` prints: its rows, goals, and how one backend's
measurements become table cells and a one-line description."""

import statistics

GOALS = {
    "list": ("< 50 ms", lambda ms: ms < 50),
    "clusters_cold": ("< 150 ms", lambda ms: ms < 150),
    "clusters_cut_cold": ("< 150 ms", lambda ms: ms < 150),
    "timeline_cold": ("< 200 ms", lambda ms: ms < 200),
}
ROWS = [
    ("list", "1. list: bbox + 30 days, page of ≤ 5,000", "(a) DB-API + orjson"),
    (
        "clusters_cold",
        "2. clusters zoom 5, Syria + Iraq, cold",
        "grouping the incidents",
    ),
    ("clusters_warm", "2. clusters, warm (cached body)", ""),
    ("clusters_304", "2. clusters, 304 (If-None-Match)", ""),
    (
        "clusters_cut_cold",
        "2b. clusters zoom 8, the list's box (cuts cells), cold",
        "grouping the incidents",
    ),
    ("timeline_cold", "3. timeline per week, everything, cold", "its SQL alone"),
    ("timeline_warm", "3. timeline, warm (cached body)", ""),
    ("timeline_304", "3. timeline, 304 (If-None-Match)", ""),
]


def cells(result: dict) -> dict[str, list[str]]:
    """Per row key: [goal, median, min, reference, ratio, met]."""
    times = result["measured"]["times"]
    out = {}
    for key, _label, _ref in ROWS:
        t = times[key]
        median = statistics.median(t)
        goal, check = GOALS.get(key, ("", None))
        ref_key = key + "_ref" if key + "_ref" in times else None
        ref = statistics.median(times[ref_key]) if ref_key else None
        out[key] = [
            goal,
            f"{median:,.1f}" if median < 100 else f"{median:,.0f}",
            f"{min(t):,.1f}" if min(t) < 100 else f"{min(t):,.0f}",
            "" if ref is None else (f"{ref:,.1f}" if ref < 100 else f"{ref:,.0f}"),
            "" if ref is None else f"{median / ref:.2f}×",
            "" if check is None else ("met" if check(median) else "**missed**"),
        ]
    ours, ref = result["exports"]["ours"], result["exports"]["ref"]
    rate = statistics.median(r["rows"] / r["seconds"] for r in ours)
    ref_rate = statistics.median(r["rows"] / r["seconds"] for r in ref)
    cpu_rate = statistics.median(r["rows"] / r["cpu_seconds"] for r in ours)
    out["export_rate"] = [
        "> 100,000 rows/s",
        f"{rate:,.0f}",
        f"{max(r['rows'] / r['seconds'] for r in ours):,.0f} (best)",
        f"{ref_rate:,.0f}",
        f"{ref_rate / rate:.2f}×",
        "met" if rate > 100_000 else "**missed**",
    ]
    kept = result["exports"]["kept"]
    kept_rate = statistics.median(r["rows"] / r["seconds"] for r in kept)
    out["export_kept"] = [
        "> 100,000 rows/s",
        f"{kept_rate:,.0f}",
        f"{max(r['rows'] / r['seconds'] for r in kept):,.0f} (best)",
        f"{ref_rate:,.0f}",
        f"{ref_rate / kept_rate:.2f}×",
        "met" if kept_rate > 100_000 else "**missed**",
    ]
    peak = max(r["peak_mb"] for r in ours + kept)
    before = statistics.median(r["rss_before_mb"] for r in ours)
    growth = max(r["peak_mb"] - r["rss_before_mb"] for r in ours)
    out["export_memory"] = [
        "< 300 MB",
        f"{peak:,.0f} peak ({before:,.0f} before, +{growth:,.0f})",
        "",
        f"{max(r['peak_mb'] for r in ref):,.0f} peak",
        "",
        "met" if peak < 300 else "**missed**",
    ]
    out["export_cpu"] = [
        "",
        f"{cpu_rate:,.0f}",
        "",
        f"{statistics.median(r['rows'] / r['cpu_seconds'] for r in ref):,.0f}",
        "",
        "",
    ]
    return out


LABELS = {key: (label, ref) for key, label, ref in ROWS} | {
    "export_rate": ("4. export CSV, all rows, rows/s", "(ref) incident columns → csv"),
    "export_kept": (
        "4. export CSV again, data unchanged (kept file), rows/s",
        "(ref) incident columns → csv",
    ),
    "export_memory": ("4. export, RSS MB (peak of the process)", "(ref) same"),
    "export_cpu": ("4. export, rows per CPU-second", "(ref)"),
}
HEAD = ["goal", "median", "min", "reference", "ratio", "goal met"]


def describe(label: str, result: dict) -> str:
    built, measured = result["built"], result["measured"]
    how = (
        "reused"
        if built["reused"]
        else f"generated in {built['seconds']:.0f} s "
        f"({built['per_second']:,.0f}/s), ANALYZE {built['analyze_s']:.1f} s"
    )
    export = result["exports"]["ours"][0]
    return (
        f"{label}: {measured['incidents']:,} incidents ({measured['published']:,} "
        f"published; {how}); list page {measured['list_count']:,} incidents; "
        f"clusters {measured['clusters']['features']:,} cells of "
        f"{measured['clusters']['count']:,} incidents "
        f"({measured['clusters']['statements']} SQL statements), at zoom 8 in the "
        f"list's box {measured['cut']['features']:,} cells of "
        f"{measured['cut']['count']:,}; timeline "
        f"{measured['timeline_points']} weeks ({measured['timeline_statements']} "
        "statements); export "
        f"{export['rows']:,} rows, {export['bytes'] / 1e6:.0f} MB; load average "
        f"{result['load_before']:.2f} before, {result['load_after']:.2f} after"
    )
