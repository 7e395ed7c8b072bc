"""The dashboard's map: which units it draws and the range its colours cover, so that each
outline is coloured by its own figure and a map without figures says so."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from danvan.areas.models import Area, CodeScheme
from danvan.web import maps
from danvan.web.dashboard import MAP_FIGURES
from tests.web.test_dashboard_leader import ledger  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_scale_is_the_real_range_of_the_units_drawn():
    rows = [
        {"id": 1, "initiatives": 3, "money": 120_000_000, "land": Decimal("350.5")},
        {"id": 2, "initiatives": 7, "money": 0, "land": Decimal("0")},
    ]
    scale = maps.colour_scale([1, 2, 3], rows, ["initiatives", "money", "land", "labour"])
    # Unit 3 has no row: it counts 0. A figure no unit has is no scale at all.
    assert scale == {
        "initiatives": [0, 7],
        "money": [0, 120_000_000],
        "land": [0, 350.5],
        "labour": None,
    }
    assert maps.colour_scale([1, 2], rows, ["initiatives"]) == {"initiatives": [3, 7]}


def test_rows_that_are_not_units_drawn_colour_nothing():
    """Below a commune the rows are organisations: their ids are not the map's units."""
    organisations = [{"id": 12502, "initiatives": 2}, {"id": 5537, "initiatives": 4}]
    assert maps.colour_scale([12503, 12504], organisations, ["initiatives"]) == {
        "initiatives": None
    }
    assert maps.colour_scale([], [], ["initiatives"]) == {"initiatives": None}


def test_a_unit_is_drawn_by_its_children_when_its_figures_are_by_them(world):
    children, by_rows = maps.drawn_units(world.quang_ninh, [world.quang_yen.pk])
    assert by_rows is False
    assert {child.pk for child in children} == set(
        Area.objects.filter(parent=world.quang_ninh).values_list("pk", flat=True)
    )
    assert maps.drawn_units(world.quang_ninh, []) == (children, False)


def test_a_unit_read_through_other_units_is_drawn_by_them(world):
    """A current unit read in a year before it was formed: its figures are by the units it
    was formed from, and so is its map."""
    legacy = Area.objects.filter(scheme=CodeScheme.LEGACY, name="Thị xã Quảng Yên").get()
    drawn, by_rows = maps.drawn_units(world.quang_ninh, [legacy.pk])
    assert (drawn, by_rows) == ([legacy], True)
    # The whole country before the reform: every province of that day.
    old = Area.objects.filter(scheme=CodeScheme.LEGACY, parent=None)
    drawn, by_rows = maps.drawn_units(None, [old.get(name="Tỉnh Quảng Ninh").pk])
    assert by_rows is True
    assert len(drawn) == old.count() == 63


def test_a_commune_map_has_no_scale_and_its_dashboard_says_why(client, ledger):  # noqa: F811
    """Below a commune the figures are by organisation: no unit on its map has any."""
    client.force_login(ledger.root)
    charts = client.get(
        "/", {"unit": ledger.quang_yen.pk, "year": "2024", "mode": "restated"}
    ).context["figures"]["charts"]
    assert {row["kind"] for row in charts["units"]} == {"organisation"}
    assert charts["map_scale"] == dict.fromkeys(MAP_FIGURES)
    assert charts["text"]["no_map_figures"]
    assert "units=" not in charts["map_url"]


def test_a_province_before_it_was_formed_is_coloured_by_its_rows(client, ledger):  # noqa: F811
    """Today's Quảng Ninh in 2024, as it was: the figures are by legacy Quảng Ninh's units;
    the map draws those units, every one coloured by its row, on their real range."""
    client.force_login(ledger.root)
    charts = client.get(
        "/", {"unit": ledger.quang_ninh.pk, "year": "2024", "mode": "as_was"}
    ).context["figures"]["charts"]
    rows = {row["id"]: row for row in charts["units"]}
    assert rows and {row["kind"] for row in rows.values()} == {"unit"}
    query = parse_qs(urlsplit(charts["map_url"]).query)
    assert query["unit"] == [str(ledger.quang_ninh.pk)]
    geo = client.get(charts["map_url"]).json()
    drawn = {feature["properties"]["id"] for feature in geo["features"]}
    assert set(rows) <= drawn
    values = [rows[pk]["initiatives"] if pk in rows else 0 for pk in drawn]
    assert charts["map_scale"]["initiatives"] == [min(values), max(values)]
    assert max(values) > 0


def test_the_map_refuses_units_that_are_no_units(client, ledger):  # noqa: F811
    client.force_login(ledger.root)
    assert client.get("/map/", {"units": "x1"}).status_code == 404
    assert client.get("/map/", {"units": "99999999"}).status_code == 404
    too_many = ",".join(["1"] * (maps.MAX_DRAWN + 1))
    assert client.get("/map/", {"units": too_many}).status_code == 404
    geo = client.get("/map/", {"units": str(ledger.quang_yen.pk)}).json()
    assert [f["properties"]["id"] for f in geo["features"]] == [ledger.quang_yen.pk]
