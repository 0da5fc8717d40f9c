"""A fake network for geopy: the only place Basewatch's tests fake one.

``CannedAdapter`` is a geopy adapter (the transport under every geopy geocoder)
answering from canned JSON, so geopy's real Nominatim and Photon classes build the
requests and parse the answers.
"""

import json
from urllib.parse import parse_qs, urlparse

from geopy.adapters import BaseSyncAdapter

from incidents.geo.chain import build_online_geocoders

NOMINATIM_HAJIN = [
    {
        "place_id": 1,
        "lat": "35.3359",
        "lon": "40.1408",
        "display_name": "هجين, Deir ez-Zor Governorate, Syria",
        "boundingbox": ["35.2859", "35.3859", "40.0908", "40.1908"],
        "class": "place",
        "type": "city",
    }
]
PHOTON_QASRAK = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [40.95, 36.78]},
            "properties": {
                "name": "Qasrak",
                "country": "Syria",
                "extent": [40.94, 36.79, 40.96, 36.77],
            },
        }
    ],
}


class CannedAdapter(BaseSyncAdapter):
    """geopy's transport, answering from ``responses`` (URL host -> JSON or an
    exception) and recording every request."""

    requests: list[dict] = []
    responses: dict = {}

    def get_json(self, url, *, timeout, headers):
        parsed = urlparse(url)
        CannedAdapter.requests.append(
            {"host": parsed.netloc, "query": parse_qs(parsed.query), "headers": headers}
        )
        answer = CannedAdapter.responses[parsed.netloc]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def get_text(self, url, *, timeout, headers):
        return json.dumps(self.get_json(url, timeout=timeout, headers=headers))


def canned_geocoders(*names, delay=0.0):
    """Online geocoders by name, rate-limited as in production, on canned answers."""
    return build_online_geocoders(
        list(names), min_delay_seconds=delay, adapter_factory=CannedAdapter
    )


def reset_canned() -> None:
    CannedAdapter.requests = []
    CannedAdapter.responses = {
        "nominatim.openstreetmap.org": NOMINATIM_HAJIN,
        "photon.komoot.io": PHOTON_QASRAK,
    }
