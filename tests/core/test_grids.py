"""The lost-update guard of grid pages: canonical values, the signed snapshot, the
decision between seen, stored and posted values, and the refused form rebuilt."""

import datetime
from decimal import Decimal

import lxml.html
import pytest
from django import forms
from django.core import signing
from django.http import QueryDict
from django.utils import translation

from core.grids import (
    REMOVED,
    SNAPSHOT_NAME,
    UNKNOWN,
    SnapshotMixin,
    StaleCells,
    canonical,
    read_snapshot,
    rebased,
    reconcile,
    sign_snapshot,
)

# --- Canonical values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (Decimal("1500"), Decimal("1500.00")),
        (Decimal("1500"), 1500),
        (Decimal("0.50"), Decimal("0.5")),
        (Decimal("0"), Decimal("0.000")),
        ("  Thi đua  ", "Thi đua"),
        ("dòng 1\r\ndòng 2", "dòng 1\ndòng 2"),
        (None, ""),
        (False, None),
        ([], None),
        ([3, 1, 2], (2, 3, 1)),
        (datetime.date(2023, 2, 7), "2023-02-07"),
    ],
)
def test_equal_contents_have_one_canonical_value(first, second):
    assert canonical(first) == canonical(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (Decimal("1500"), Decimal("150")),
        (Decimal("0"), None),
        (True, False),
        ("Có", ""),
        ([1, 2], [1]),
    ],
)
def test_different_contents_have_different_canonical_values(first, second):
    assert canonical(first) != canonical(second)


def test_canonical_values_survive_the_snapshot_unchanged():
    shown = {
        (12, 7): Decimal("1234.50"),
        (12, 8): "Chuyển đổi số",
        (3, "title", 4): True,
        (3, "signed_on"): datetime.date(2023, 2, 7),
        (3, "titles"): {5, 2},
        (3, "empty"): None,
    }
    values = read_snapshot(sign_snapshot(shown))
    assert values == {
        "12:7": "1234.5",
        "12:8": "Chuyển đổi số",
        "3:title:4": "1",
        "3:signed_on": "2023-02-07",
        "3:titles": ["2", "5"],
        "3:empty": "",
    }
    assert {key: canonical(value) for key, value in values.items()} == values


def test_a_snapshot_of_a_big_grid_is_one_short_value():
    shown = {
        (target, member): Decimal(target * member) for target in range(20) for member in range(12)
    }
    assert len(sign_snapshot(shown)) < 2000


@pytest.mark.parametrize("token", [None, "", "garbage", "eyJhIjoiMSJ9:1abc:forged"])
def test_a_missing_or_forged_snapshot_reads_as_none(token):
    assert read_snapshot(token) is None


def test_a_snapshot_signed_for_something_else_reads_as_none():
    assert read_snapshot(signing.dumps({"12:7": "1"}, compress=True)) is None


def test_a_snapshot_changed_by_hand_reads_as_none():
    token = sign_snapshot({(12, 7): Decimal("1500")})
    payload, rest = token.split(":", 1)
    assert read_snapshot(payload[:-2] + "AA:" + rest) is None


# --- The decision ------------------------------------------------------------------------------

X, Y = (1, 1), (1, 2)


def test_a_cell_nobody_else_changed_is_saved():
    assert reconcile(seen={X: "1"}, now={X: Decimal(1)}, posted={X: Decimal(2)}) == set()


def test_a_cell_someone_else_changed_and_the_user_left_keeps_the_newer_value():
    keep = reconcile(
        seen={X: "1", Y: "5"},
        now={X: Decimal("1.0"), Y: Decimal(6)},
        posted={X: Decimal(2), Y: Decimal(5)},
    )
    assert keep == {Y}


def test_both_typing_the_same_value_is_no_conflict():
    assert reconcile(seen={X: "1"}, now={X: Decimal(7)}, posted={X: Decimal("7.0")}) == set()


def test_both_changing_a_cell_differently_is_a_conflict_and_lists_all_three_values():
    with pytest.raises(StaleCells) as raised:
        reconcile(
            seen={X: "1200", Y: "5"},
            now={X: Decimal(1500), Y: Decimal(6)},
            posted={X: Decimal(1300), Y: Decimal(5)},
        )
    error = raised.value
    assert [(c.key, c.seen, c.now, c.posted) for c in error.conflicts] == [
        (X, "1200", "1500", "1300")
    ]
    assert error.kept == {Y}
    assert error.code == "stale"


def test_a_cell_the_page_did_not_show_keeps_its_stored_value():
    assert reconcile(seen={X: "1"}, now={X: 1, Y: Decimal(3)}, posted={X: 1, Y: None}) == {Y}


def test_without_a_snapshot_every_difference_from_the_stored_value_is_a_conflict():
    with pytest.raises(StaleCells) as raised:
        reconcile(
            seen={X: UNKNOWN, Y: UNKNOWN},
            now={X: Decimal(1), Y: Decimal(5)},
            posted={X: Decimal(2), Y: Decimal(5)},
        )
    assert [(c.key, c.seen_known) for c in raised.value.conflicts] == [(X, False)]
    assert "could not be checked" in raised.value.messages[0]


def test_without_a_snapshot_a_post_equal_to_the_stored_values_goes_through():
    assert reconcile(seen={X: UNKNOWN}, now={X: "a"}, posted={X: " a "}) == set()


def test_no_seen_values_means_no_check():
    assert reconcile(seen=None, now={X: 1}, posted={X: 2}) == set()


def test_removing_a_row_someone_else_changed_is_a_conflict():
    assert reconcile(seen={X: "a"}, now={X: "a"}, posted={X: REMOVED}) == set()
    with pytest.raises(StaleCells) as raised:
        reconcile(seen={X: "a"}, now={X: "b"}, posted={X: REMOVED})
    assert raised.value.conflicts[0].posted is REMOVED


# --- A form that carries its snapshot --------------------------------------------------------


class Store:
    """A stand-in for the database: {key: value}, with the save a service would do."""

    def __init__(self, **values):
        self.values = values

    def save(self, form):
        posted = {key: form.cleaned_data[name] for key, (_f, name, _s) in form.guarded.items()}
        keep = reconcile(seen=form.seen(), now=self.values, posted=posted)
        self.values.update({key: value for key, value in posted.items() if key not in keep})


class CellsForm(SnapshotMixin, forms.Form):
    budget = forms.DecimalField(label="Thu ngân sách", required=False)
    roads = forms.DecimalField(label="Đường giao thông", required=False)
    campaign = forms.CharField(required=False)
    done = forms.BooleanField(required=False)
    level = forms.ChoiceField(required=False, choices=[("", "—"), ("1", "Có"), ("0", "Không")])

    def __init__(self, *args, store: Store, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.initial[name] = store.values.get(name)
            self.guard(name, key=name, shown=store.values.get(name))

    def conflict_label(self, key):
        return f"Huyện Na Rì — {self.fields[key].label or key}"


def page_of(form) -> dict:
    """What the browser posts back for ``form`` rendered and left unchanged."""
    html = lxml.html.fromstring(f"<form>{form.as_div()}{form.snapshot_input}</form>")
    data = {}
    for element in html.xpath("//input | //select"):
        if element.tag == "select":
            chosen = element.xpath(".//option[@selected]")
            data[element.get("name")] = chosen[0].get("value") if chosen else ""
        elif element.get("type") == "checkbox":
            if element.get("checked") is not None:
                data[element.get("name")] = "on"
        else:
            data[element.get("name")] = element.get("value") or ""
    return data


def posted(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(data)
    return query


@pytest.fixture(autouse=True)
def _english():
    # The messages of this module are checked in English; the grids' own tests check
    # them in Vietnamese.
    with translation.override("en"):
        yield


@pytest.fixture
def store():
    return Store(budget=Decimal(1200), roads=Decimal(40), campaign="", done=False, level="1")


def test_the_page_carries_one_hidden_snapshot_of_what_it_showed(store):
    data = page_of(CellsForm(store=store))
    assert read_snapshot(data[SNAPSHOT_NAME]) == {
        "budget": "1200",
        "roads": "40",
        "campaign": "",
        "done": "",
        "level": "1",
    }


def test_a_bound_form_sends_back_the_snapshot_it_came_with(store):
    data = page_of(CellsForm(store=store))
    store.values["budget"] = Decimal(1500)
    again = CellsForm(posted({**data, "roads": "abc"}), store=store)
    assert not again.is_valid()
    assert page_of(again)[SNAPSHOT_NAME] == data[SNAPSHOT_NAME]


def test_two_people_changing_different_cells_both_keep_their_values(store):
    first, second = page_of(CellsForm(store=store)), page_of(CellsForm(store=store))
    form = CellsForm(posted({**first, "budget": "1500"}), store=store)
    assert form.is_valid()
    store.save(form)
    form = CellsForm(posted({**second, "roads": "45", "done": "on"}), store=store)
    assert form.is_valid()
    store.save(form)
    assert store.values == {
        "budget": Decimal(1500),
        "roads": Decimal(45),
        "campaign": "",
        "done": True,
        "level": "1",
    }


def make(store):
    return lambda data, files: CellsForm(data, files, store=store)


def test_a_refused_form_keeps_what_was_typed_shows_newer_values_and_flags_conflicts(store):
    first, second = page_of(CellsForm(store=store)), page_of(CellsForm(store=store))
    form = CellsForm(posted({**first, "budget": "1500", "campaign": "Chuyển đổi số"}), store=store)
    form.is_valid()
    store.save(form)

    form = CellsForm(posted({**second, "budget": "1300", "roads": "45"}), store=store)
    assert form.is_valid()
    with pytest.raises(StaleCells) as raised:
        store.save(form)
    form = rebased(form, raised.value, make(store))

    assert form.conflicts == [
        "Huyện Na Rì — Thu ngân sách: someone else saved 1500, you typed 1300"
    ]
    again = page_of(form)
    assert (again["budget"], again["roads"], again["campaign"]) == ("1300", "45", "Chuyển đổi số")
    assert "is-conflict" in form.fields["budget"].widget.attrs["class"]
    assert form.fields["budget"].widget.attrs["title"] == form.conflicts[0]
    assert "is-conflict" not in form.fields["roads"].widget.attrs.get("class", "")

    form = CellsForm(posted(again), store=store)
    assert form.is_valid()
    store.save(form)
    assert (store.values["budget"], store.values["roads"]) == (Decimal(1300), Decimal(45))
    assert store.values["campaign"] == "Chuyển đổi số"


def test_ticks_and_choices_are_described_in_words(store):
    first = page_of(CellsForm(store=store))
    store.values.update(done=True, level="0")
    form = CellsForm(posted({**first, "level": ""}), store=store)
    form.is_valid()
    with pytest.raises(StaleCells) as raised:
        store.save(form)
    form = rebased(form, raised.value, make(store))
    assert form.conflicts == ["Huyện Na Rì — level: someone else saved Không, you typed (empty)"]
    assert "done" in form.data and page_of(form)["level"] == ""


def test_a_page_without_a_snapshot_is_refused_once_then_saved(store):
    data = page_of(CellsForm(store=store))
    del data[SNAPSHOT_NAME]
    form = CellsForm(posted({**data, "roads": "45"}), store=store)
    form.is_valid()
    with pytest.raises(StaleCells) as raised:
        store.save(form)
    form = rebased(form, raised.value, make(store))
    assert form.conflicts == ["Huyện Na Rì — Đường giao thông: the saved value is 40, you typed 45"]
    form = CellsForm(posted(page_of(form)), store=store)
    form.is_valid()
    store.save(form)
    assert store.values["roads"] == Decimal(45)


def test_a_forged_snapshot_counts_as_none(store):
    data = page_of(CellsForm(store=store))
    data[SNAPSHOT_NAME] = sign_snapshot({"roads": "45"})[:-3] + "xyz"
    form = CellsForm(posted({**data, "roads": "45"}), store=store)
    form.is_valid()
    assert set(form.seen().values()) == {UNKNOWN}
