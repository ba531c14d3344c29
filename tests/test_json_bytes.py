"""A pack's JSON is written by orjson (render/json_out.py ``json_bytes``): byte for byte what ``json.dumps(...,
ensure_ascii=False, indent=2)`` wrote before, the stored figures' and the reuse's hashes included."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledinfo.render.json_out import json_bytes


def _standard(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# the floats orjson writes otherwise (no two-digit exponent, no exponent below 1e-4), the non-finite ones, keys
# that are no strings, the characters JSON escapes and those it does not
@pytest.mark.parametrize("data", [
    {"distance": 1e-05}, {"value": [7.37110654673745e-05, 1]}, {"x": -5.660113937414888e-09}, [{"y": 2e-10}],
    {"value": math.nan}, {"value": [math.inf, -math.inf]}, {1: "a", None: "b", False: "c"}, {2.5: 1},
    {"text": "\x00\x1f\x7f\u2028æøå \"quoted\" \\ / \t\n"}, {"empty": [{}, [], ""]}, [[[[1]]]], 0.0001, -0.0,
    1e16, 1.2345678901234568e+16, 10**20, 10**30, 5e-324,
])
def test_json_bytes_are_the_standard_encoders(data):
    assert json_bytes(data) == _standard(data)


def test_a_type_json_refuses_is_still_refused():
    import datetime as dt

    with pytest.raises(TypeError):
        json_bytes({"day": dt.date(2026, 10, 31)})


_SCALARS = st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats() | st.text()
_KEYS = st.text() | st.integers(-5, 5)
_DATA = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
                     max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_DATA)
def test_any_json_data_is_written_as_the_standard_encoder_writes_it(data):
    try:
        expected = _standard(data)
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 holds it, either way
        with pytest.raises(UnicodeEncodeError):
            json_bytes(data)
        return
    assert json_bytes(data) == expected


def test_a_pack_json_is_the_standard_encoders(demo_packs):
    """The demo's packs as the build wrote them: read back and written again, the same bytes both ways."""
    for path in sorted(demo_packs.glob("*.json")):
        written = path.read_bytes()
        assert json_bytes(json.loads(written)) == written == _standard(json.loads(written)), path.name
