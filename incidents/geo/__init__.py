"""Geometry and place names: shapely and geopy work, kept out of models and views."""
