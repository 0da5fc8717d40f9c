"""Item 4 of ``scale.py``, the export, run in a child process of its own: the CSV
export through the API (computed, or answered from its kept file), or the reference
(the incident table's own columns through a server-side cursor into ``csv.writer``),
with the process's RSS before the request and its peak after."""

import csv
import time
from pathlib import Path

import _common

EXPORT_URL = "/api/v1/incidents/export/?format=csv"
EXPORT_COLUMNS = (
    "id, occurred_on, date_precision, event_type, weapon, longitude, latitude, "
    "precision_m, country, admin1, injured, killed, status, summary, external_id, "
    "updated_at"
)


def rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


class _Sink:
    """A file that counts what is written to it."""

    def __init__(self):
        self.size = 0

    def write(self, text: str) -> None:
        self.size += len(text)


def child_export(url: str, variant: str) -> dict:
    """Item 4 in this (fresh) process: the export, or its reference."""
    _common.configure(url)
    from django.db import connection
    from django.test import Client

    from incidents.models import Incident

    rows = Incident.objects.published().count()
    client = Client()
    client.get("/api/v1/sites/", HTTP_HOST="localhost")  # imports, first connection
    before = rss_mb("VmRSS")
    started = time.perf_counter()
    cpu = time.process_time()
    size = 0
    from_file = False
    if variant in ("ours", "kept"):
        from django.http import FileResponse

        response = client.get(EXPORT_URL, HTTP_HOST="localhost")
        assert response.status_code == 200, response.status_code
        from_file = isinstance(response, FileResponse)
        for part in response.streaming_content:
            size += len(part)
        response.close()
    else:
        sink = _Sink()
        writer = csv.writer(sink)
        with connection.chunked_cursor() as cursor:
            cursor.execute(
                f"SELECT {EXPORT_COLUMNS} FROM incidents_incident "
                "WHERE status = 'published' ORDER BY occurred_on DESC, id DESC"
            )
            while batch := cursor.fetchmany(2000):
                writer.writerows(batch)
        size = sink.size
    seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu,
        "bytes": size,
        "rss_before_mb": before,
        "peak_mb": rss_mb("VmHWM"),
        "from_file": from_file,
    }
