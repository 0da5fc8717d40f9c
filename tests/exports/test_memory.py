"""The streaming exports (``/api/v1/incidents/export/``) run in constant memory.

Measured with tracemalloc while the response is consumed the way a WSGI server
does, chunk by chunk: the peak for four times the rows must stay near the peak
for a quarter of them. A buffered export (the list materialised, or the body
joined) would grow with the rows and fail. bench/scale.py measures the same at a
million rows, with process RSS.
"""

import tracemalloc

import pytest

from incidents.exports.streams import IDS_PER_CHUNK
from incidents.ingest.acled.export import CHUNK as ACLED_CHUNK
from incidents.synthetic import generate_synthetic

pytestmark = pytest.mark.django_db(transaction=False)

EXPORT = "/api/v1/incidents/export/"
# Both sizes span several chunks (the exports read 2,000 rows at a time), so the
# difference between them is rows, not the first chunk's fill.
SMALL, LARGE = 4_000, 12_000


def _peak_while_streaming(client, fmt: str) -> tuple[int, int]:
    """Peak traced bytes while streaming the export, and its size in bytes."""
    response = client.get(EXPORT, {"format": fmt})
    assert response.status_code == 200
    assert response.streaming
    size = 0
    tracemalloc.start()
    try:
        for chunk in response.streaming_content:
            size += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, size


@pytest.mark.parametrize("fmt", ["csv", "geojson", "acled"])
def test_export_memory_does_not_grow_with_the_rows(client, reference_data, fmt):
    assert SMALL >= 2 * max(IDS_PER_CHUNK, ACLED_CHUNK)
    generate_synthetic(count=SMALL, seed=11)
    small_peak, small_size = _peak_while_streaming(client, fmt)
    generate_synthetic(count=LARGE - SMALL, seed=12)
    large_peak, large_size = _peak_while_streaming(client, fmt)
    # The output did grow about threefold ...
    assert large_size > 2.5 * small_size
    # ... the memory did not: one chunk of rows at a time.
    assert large_peak < 1.3 * small_peak + 1_000_000, (small_peak, large_peak)
