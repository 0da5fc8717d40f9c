"""GeoJSON geometry for our points (RFC 7946).

Positions are ``[longitude, latitude]`` (the RFC's order, the reverse of Leaflet's),
rounded to 6 decimals (about 0.1 m, far finer than any precision we record, and it
keeps the payload small). A row without a point is still a feature, with
``"geometry": null`` as RFC 7946 section 3.2 allows: a site known only by name and an
incident nobody could place are facts a reader must see, not rows to drop. The
features themselves are built in ``features``.
"""

COORDINATE_DECIMALS = 6


def point(*, longitude: float | None, latitude: float | None) -> dict | None:
    """A GeoJSON Point, or ``None`` when the location is unknown."""
    if longitude is None or latitude is None:
        return None
    return {
        "type": "Point",
        "coordinates": [
            round(longitude, COORDINATE_DECIMALS),
            round(latitude, COORDINATE_DECIMALS),
        ],
    }
