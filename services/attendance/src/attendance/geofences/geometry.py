"""Where a point is relative to a geofence: circles by haversine, polygons with shapely.

A circle is a centre and a radius on the Earth's surface; its distance is the great-circle
(haversine) distance to the centre, and a point exactly on the radius is inside. A polygon
is a ring of (latitude, longitude) vertices; whether it covers a point is decided by
shapely in degree space (edges are straight lines in latitude/longitude, which is what a
person drawing a store's outline on a map means at store scale), boundary included. The
distance from an outside point to a polygon is measured in metres on a local
equirectangular projection centred on the point (exact enough within a few kilometres).

A GPS fix reports its accuracy (the radius of its uncertainty). A fix is only trusted
inside a fence whose own radius is at least that accuracy; a polygon's radius is that of
the circle with its area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from shapely.geometry import Point, Polygon

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)
# Floating point: a point computed to lie exactly on the radius may come out a hair beyond.
ON_THE_LINE_M = 1e-6


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two (latitude, longitude) points in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Circle:
    latitude: float
    longitude: float
    radius_m: float

    def distance_m(self, latitude: float, longitude: float) -> float:
        """From the centre (what "you are 180 m from the store" means)."""
        return haversine_m(self.latitude, self.longitude, latitude, longitude)

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.distance_m(latitude, longitude) <= self.radius_m + ON_THE_LINE_M


class Outline:
    """A polygon of (latitude, longitude) vertices."""

    def __init__(self, vertices: list[tuple[float, float]]) -> None:
        self.vertices = vertices

    @cached_property
    def shape(self) -> Polygon:
        return Polygon([(lon, lat) for lat, lon in self.vertices])

    def problem(self) -> str | None:
        """Why these vertices are no geofence, or None."""
        if len(self.vertices) < 3:
            return "a polygon needs at least 3 points"
        if not self.shape.is_valid:
            return "the polygon's edges cross each other (or it has no area)"
        if self.area_m2() < 1.0:
            return "the polygon has no area"
        return None

    def contains(self, latitude: float, longitude: float) -> bool:
        return bool(self.shape.covers(Point(longitude, latitude)))

    def distance_m(self, latitude: float, longitude: float) -> float:
        """0 inside; else metres from the point to the nearest edge."""
        if self.contains(latitude, longitude):
            return 0.0
        return float(self._projected(latitude, longitude).distance(Point(0.0, 0.0)))

    def area_m2(self) -> float:
        centre = self.shape.centroid
        return float(self._projected(centre.y, centre.x).area)

    @property
    def radius_m(self) -> float:
        """The radius of the circle with this polygon's area (to judge a fix's accuracy)."""
        return math.sqrt(self.area_m2() / math.pi)

    def _projected(self, latitude: float, longitude: float) -> Polygon:
        """The polygon in metres around (latitude, longitude), that point at the origin."""
        metres_per_degree = math.pi * EARTH_RADIUS_M / 180
        scale_x = metres_per_degree * math.cos(math.radians(latitude))
        return Polygon(
            [
                ((lon - longitude) * scale_x, (lat - latitude) * metres_per_degree)
                for lat, lon in self.vertices
            ]
        )


Shape = Circle | Outline
