"""The loader: YAML text to data with positions, and every way a file can be unreadable."""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mixplan.errors import PlanInvalid, UnreadableFile
from mixplan.loading.reader import load, load_text


def test_positions_of_values_and_keys() -> None:
    doc = load_text("a: 1\nb:\n  - x\n  - {c: 2}\n")
    assert doc.position(("a",)) == (1, 4)
    assert doc.position(("b", 1, "c")) == (4, 9)
    assert doc.position(("b", 1, "c"), key=True) == (4, 6)
    # A path that does not exist falls back to its closest ancestor.
    assert doc.position(("b", 1, "missing")) == (4, 5)
    assert doc.position(("nowhere",)) == (1, 1)


def test_fractional_numbers_are_exact_decimals() -> None:
    doc = load_text("price: 4.20\nbig: 1_000.5\ncount: 12\n")
    assert doc.data == {"price": Decimal("4.20"), "big": Decimal("1000.5"), "count": 12}
    assert isinstance(doc.data["count"], int)


def test_keys_stay_text_as_written() -> None:
    # YAML 1.1 would read `on` as true and 2027 as a number.
    assert load_text("on: 1\n2027: x\n").data == {"on": 1, "2027": "x"}


def test_dates_and_impossible_dates() -> None:
    doc = load_text("good: 2027-03-31\nbad: 2027-02-30\nmonth: 2027-02\n")
    assert doc.data == {"good": dt.date(2027, 3, 31), "bad": "2027-02-30", "month": "2027-02"}


def test_duplicate_key_is_an_error_with_both_positions() -> None:
    with pytest.raises(PlanInvalid) as caught:
        load_text("a: 1\nb: 2\na: 3\n", "p.yaml")
    (finding,) = caught.value.findings
    assert (finding.line, finding.column, finding.rule) == (3, 1, "MP104")
    assert "first written at line 1, column 1" in finding.message


def test_merge_keys_expand_and_own_keys_win() -> None:
    doc = load_text("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n")
    assert doc.data["item"] == {"x": 1, "y": 3}


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    with pytest.raises(PlanInvalid) as caught:
        load_text("\n".join(lines) + "\n")
    assert "alias bomb" in caught.value.findings[0].message


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(PlanInvalid) as caught:
        load_text("x: " + "[" * 200 + "]" * 200 + "\n")
    assert caught.value.findings[0].rule == "MP108"


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_documents(text: str) -> None:
    with pytest.raises(PlanInvalid) as caught:
        load_text(text)
    assert "holds no plan" in caught.value.findings[0].message


def test_syntax_error_points_at_the_problem() -> None:
    with pytest.raises(PlanInvalid) as caught:
        load_text("a: 1\nb: [1, 2\nc: 3\n", "p.yaml")
    finding = caught.value.findings[0]
    assert finding.rule == "MP100" and finding.line == 3
    assert str(finding).startswith("p.yaml:3:")


def test_two_documents_are_refused() -> None:
    with pytest.raises(PlanInvalid) as caught:
        load_text("a: 1\n---\nb: 2\n")
    assert "single document" in caught.value.findings[0].message


def test_bom_and_windows_line_endings_are_accepted(tmp_path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: two\r\n")
    doc = load(path)
    assert doc.data == {"a": 1, "b": "two"}
    assert doc.position(("b",)) == (2, 4)


def test_not_utf8_says_where(tmp_path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"title: caf\xe9\n")
    with pytest.raises(UnreadableFile, match=r"not UTF-8 text \(invalid byte 0xe9 at byte offset 10\)"):
        load(path)


def test_missing_file_and_directory(tmp_path) -> None:
    with pytest.raises(UnreadableFile, match="no such file"):
        load(tmp_path / "nope.yaml")
    with pytest.raises(UnreadableFile, match="is a directory"):
        load(tmp_path)


def test_unreadable_permissions(tmp_path, monkeypatch) -> None:
    # Tests may run as root, who reads any file: simulate the refusal instead.
    path = tmp_path / "p.yaml"
    path.write_text("a: 1\n")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "open", refuse)
    with pytest.raises(UnreadableFile, match="permission denied"):
        load(path)


# --- properties ------------------------------------------------------------------

keys = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8)
scalars = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.none(),
    st.text(alphabet=string.ascii_letters + string.digits + " éà-_.,:'\"#&*!|>", max_size=20),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)),
    max_leaves=20,
)


def _as_yaml(value):
    """The same data as PyYAML can dump it (Decimal as a float written exactly)."""
    if isinstance(value, dict):
        return {k: _as_yaml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_yaml(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    return value


def _normalised(value):
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    if isinstance(value, Decimal):
        return Decimal(repr(float(value)))
    if isinstance(value, bool):
        return str(value).lower()  # no plan field is a yes/no switch: booleans load as the words written
    return value


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, documents, min_size=1, max_size=5))
def test_round_trip_of_any_mapping(data) -> None:
    text = yaml.safe_dump(_as_yaml(data), allow_unicode=True, sort_keys=False)
    loaded = load_text(text).data
    expected = _normalised(data)
    # Floats with no fractional digits (1.0) load as Decimal('1.0'): compare by value.
    assert loaded == expected


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, documents, min_size=1, max_size=5))
def test_every_value_has_a_position_inside_the_text(data) -> None:
    text = yaml.safe_dump(_as_yaml(data), allow_unicode=True)
    document = load_text(text)
    line_count = text.count("\n") + 1

    def walk(value, path):
        line, column = document.position(path)
        assert 1 <= line <= line_count and column >= 1
        assert document.has_path(path)
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, path + (key,))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, path + (index,))

    walk(document.data, ())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_loads_or_fails_cleanly(text) -> None:
    try:
        load_text(text)
    except PlanInvalid as invalid:
        assert invalid.findings and all(f.line >= 1 and f.column >= 1 for f in invalid.findings)
