"""The judge and the kernel exchange plain data only: what crosses comes back exactly, the rest is refused."""
import base64
import json

import numpy as np
import pytest

from course.probe import codec


def no_handles(value):
    raise TypeError(f"no handle for {type(value).__name__}")


def refuse(tag, data):
    raise codec.ProtocolError(f"no {tag}")


def round_trip(value):
    return codec.loads(codec.dumps(value, no_handles), refuse)


@pytest.mark.parametrize("value", [
    None, True, 0, -7, 2 ** 80, 1.5, "text", [1, [2.0, "x"]], (1, (2, 3)), {"a": 1, 2: "b", (1, 2): None},
])
def test_plain_values_come_back_equal_and_of_the_same_type(value):
    back = round_trip(value)
    assert back == value and type(back) is type(value)


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "int64", "int8", "uint16", "bool"])
def test_arrays_come_back_bit_for_bit_with_their_dtype_and_shape(dtype):
    value = (np.arange(24) - 7).reshape(2, 3, 4).astype(dtype)
    back = round_trip(value)
    assert back.dtype == value.dtype and back.shape == value.shape and back.tobytes() == value.tobytes()
    assert back.flags.writeable


def test_a_transposed_view_comes_back_with_its_values():
    value = np.arange(6.0).reshape(2, 3).T
    assert round_trip(value).tolist() == value.tolist()


def test_numpy_scalars_stay_numpy_scalars():
    for value in (np.float32(1.25), np.float64(-0.5), np.int64(3), np.bool_(True)):
        back = round_trip(value)
        assert type(back) is type(value) and back == value


def test_nan_and_infinities_cross_as_tagged_floats():
    back = round_trip([float("nan"), float("inf"), -float("inf")])
    assert np.isnan(back[0]) and back[1:] == [float("inf"), -float("inf")]


def test_a_generator_comes_back_in_the_same_state():
    rng = np.random.default_rng(5)
    rng.random(3)
    assert round_trip(rng).random(4).tolist() == rng.random(4).tolist()


def test_other_objects_become_handles():
    class Thing:
        pass

    seen = []
    text = codec.dumps({"x": Thing()}, lambda value: seen.append(value) or {"$": "object", "id": 1})
    assert seen and json.loads(text)["v"][0][1] == {"$": "object", "id": 1}


def test_a_float_subclass_is_not_a_float():
    class Always(float):
        def __eq__(self, other):
            return True

    assert codec.dumps(Always(1.0), lambda value: {"$": "object", "id": 9}) == '{"$":"object","id":9}'


def array_message(**changes):
    message = {"$": "array", "dtype": "<f8", "shape": [2], "data": base64.b64encode(np.zeros(2).tobytes()).decode()}
    return json.dumps({**message, **changes})


@pytest.mark.parametrize("text, why", [
    (array_message(dtype="|O"), "not a plain number"),
    (array_message(dtype="<c16"), "not a plain number"),
    (array_message(dtype=">f8"), "not a plain number"),
    (array_message(dtype="V8"), "not a plain number"),
    (array_message(dtype="[('a', '<f8')]"), "bad dtype"),
    (array_message(shape=[3]), "does not fill"),
    (array_message(shape=[-1]), "bad shape"),
    (array_message(data="!!!"), "not base64"),
    ('{"$": "pickle", "v": "gASV"}', "unknown value"),
    ('{"$": "object", "id": 1}', "no object"),
    ('{"$": "float", "v": "1e999"}', "unknown value"),
    ("NaN", "not plain JSON"),
    ('{"$": "dict", "v": [[[1], 2]]}', "cannot be a key"),
    ("[" * 100 + "]" * 100, "nested too deeply"),
    ('{"$": "rng", "state": {"bit_generator": "MT19937"}}', "not a PCG64"),
])
def test_anything_else_is_refused_with_a_reason(text, why):
    with pytest.raises(codec.ProtocolError, match=why):
        codec.loads(text, refuse)


def test_a_message_over_the_limit_is_refused_before_it_is_parsed():
    with pytest.raises(codec.ProtocolError, match="over the limit"):
        codec.loads("[" + "1," * 1000 + "1]", refuse, limit=100)
