"""Where a fix is, against circles (haversine) and polygons (shapely): the edges a user meets."""

from __future__ import annotations

import math

import pytest

from attendance.geofences.geometry import EARTH_RADIUS_M, Circle, Outline, haversine_m
from attendance.geofences.service import Fix, locate

CENTRE = (34.0522, -118.2437)


def north_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    return point[0] + math.degrees(metres / EARTH_RADIUS_M), point[1]


def test_haversine_matches_a_known_distance() -> None:
    # Los Angeles City Hall to the Santa Monica Pier: about 22.3 km as the crow flies.
    assert haversine_m(34.0537, -118.2428, 34.0083, -118.4988) == pytest.approx(24_100, rel=0.02)
    assert haversine_m(*CENTRE, *CENTRE) == 0.0


def test_a_point_exactly_on_the_radius_is_inside_and_a_metre_beyond_is_not() -> None:
    circle = Circle(*CENTRE, 150.0)
    on_the_line = north_of(CENTRE, 150.0)
    assert circle.distance_m(*on_the_line) == pytest.approx(150.0, abs=1e-6)
    assert circle.contains(*on_the_line)
    assert not circle.contains(*north_of(CENTRE, 151.0))


def test_an_accuracy_larger_than_the_radius_is_not_trusted_even_inside() -> None:
    fences = [("floor", Circle(*CENTRE, 150.0))]
    precise = locate(fences, *CENTRE, 20.0)
    vague = locate(fences, *CENTRE, 400.0)
    assert precise.fix == Fix.inside and precise.accepted
    assert vague.fix == Fix.low_accuracy and not vague.accepted
    assert (vague.radius_m, vague.accuracy_m) == (150.0, 400.0)


def test_outside_every_fence_names_the_nearest_and_its_distance() -> None:
    fences = [("far", Circle(34.10, -118.30, 100.0)), ("floor", Circle(*CENTRE, 150.0))]
    found = locate(fences, *north_of(CENTRE, 400.0), None)
    assert (found.fix, found.fence) == (Fix.outside, "floor")
    assert found.distance_m == pytest.approx(400.0, abs=0.01)


def test_no_fence_at_all_accepts_and_says_so() -> None:
    assert locate([], *CENTRE, None).fix == Fix.no_fence


# An L: a 100 m square with its north-east quarter missing (the concave corner at its middle).
L_SHAPE = Outline(
    [
        (34.0000, -118.0000),
        (34.0009, -118.0000),
        (34.0009, -117.99946),
        (34.00045, -117.99946),
        (34.00045, -117.99892),
        (34.0000, -117.99892),
    ]
)


def test_the_notch_of_an_l_shaped_polygon_is_outside_though_inside_its_hull() -> None:
    notch = (34.0007, -117.99910)  # north-east: the missing quarter
    assert L_SHAPE.shape.convex_hull.covers(L_SHAPE.shape.centroid)
    assert not L_SHAPE.contains(*notch)
    to_west_edge = haversine_m(*notch, 34.0007, -117.99946)
    to_south_edge = haversine_m(*notch, 34.00045, -117.99910)
    assert L_SHAPE.distance_m(*notch) == pytest.approx(min(to_west_edge, to_south_edge), rel=0.01)
    assert L_SHAPE.contains(34.0002, -117.99910)  # south-east arm
    assert L_SHAPE.contains(34.0007, -117.99980)  # north-west arm
    assert L_SHAPE.contains(34.00045, -117.99946)  # the concave corner itself: on the boundary


def test_a_polygon_is_judged_with_the_radius_of_its_area() -> None:
    fences = [("unit", L_SHAPE)]
    radius = L_SHAPE.radius_m
    assert radius == pytest.approx(math.sqrt(L_SHAPE.area_m2() / math.pi))
    assert locate(fences, 34.0002, -117.99980, radius - 1).fix == Fix.inside
    assert locate(fences, 34.0002, -117.99980, radius + 1).fix == Fix.low_accuracy


def test_a_self_crossing_polygon_is_no_fence() -> None:
    bow_tie = Outline([(0.0, 0.0), (0.001, 0.001), (0.0, 0.001), (0.001, 0.0)])
    assert bow_tie.problem() == "the polygon's edges cross each other (or it has no area)"
    assert Outline([(0.0, 0.0), (0.001, 0.0)]).problem() == "a polygon needs at least 3 points"
