"""Which of many polygons holds each of many points, vectorised: the shared step of
the country and governorate look-ups for many points at once.

Per polygon, the points inside its bounding box, then the prepared polygon's
``contains_xy`` on the raw coordinates: no point objects are made, several times
faster than ``STRtree.query(points, "within")`` here (bench/geocode.py).
"""

import numpy as np
import shapely


def labels_of(shapes, labels, longitudes: np.ndarray, latitudes: np.ndarray):
    """For each point, the label of the (prepared) shape holding it, or None; a
    point in two shapes gets the later one's."""
    found = np.full(len(longitudes), None, dtype=object)
    for polygon, label in zip(shapes, labels, strict=True):
        west, south, east, north = polygon.bounds
        candidates = np.flatnonzero(
            (longitudes >= west)
            & (longitudes <= east)
            & (latitudes >= south)
            & (latitudes <= north)
        )
        if not len(candidates):
            continue
        inside = shapely.contains_xy(
            polygon, longitudes[candidates], latitudes[candidates]
        )
        found[candidates[inside]] = label
    return found
