"""Geometry and place names: shapely and geopy work, kept out of models and views.

Names (``names``: the folding every search and match shares; ``matching``,
``skeleton``: a name to one site; ``gazetteer``, ``certainty``, ``chain``: the
offline geocoder, how sure it is, and the online ones behind it; ``spellings``:
grading it on a corpus), points (``distance``, ``reverse``, ``admin1``,
``containment``, ``polygons``) and putting a site or an incident on the map
(``placing``, the one module here that writes, through the models).
"""
