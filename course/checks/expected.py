"""Values recorded from the course's reference answers, which the visible checks compare with.

`course/data/expected/<lesson>.json` maps the name a check gives a result
("relu(z)") to the value the reference answer produced on the same inputs.
Some checks also take inputs from there: values the reference answers
computed, such as a forward pass's, so that one exercise's check never runs
another exercise's code. Instructors re-record them with
`python -m course record LESSON` after changing a check; `make test` proves
the reference answers still match them.
"""
import json
from pathlib import Path

import numpy as np

from course.checks.primitives import CheckFailed, check_array, check_equal, check_keys, check_scalar, check_type

FOLDER = Path(__file__).resolve().parent.parent / "data" / "expected"


def encode(value):
    """Plain JSON data for a result: arrays and tuples tagged, so that they come back as they were."""
    if isinstance(value, np.ndarray):
        return {"__array__": value.tolist(), "shape": list(value.shape), "dtype": value.dtype.kind}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"cannot record a {type(value).__name__}")


def decode(data):
    if isinstance(data, dict) and "__array__" in data:
        dtype = {"f": float, "i": int, "u": int, "b": bool}.get(data["dtype"], float)
        return np.array(data["__array__"], dtype=dtype).reshape(data["shape"])
    if isinstance(data, dict) and "__tuple__" in data:
        return tuple(decode(v) for v in data["__tuple__"])
    if isinstance(data, dict) and "__dict__" in data:
        return {decode(k): decode(v) for k, v in data["__dict__"]}
    if isinstance(data, list):
        return [decode(v) for v in data]
    return data


def compare(name, got, expected, rtol=1e-6, atol=1e-9):
    """The check that suits the expected value: arrays by type, shape and values, numbers within a tolerance."""
    __tracebackhide__ = True
    if isinstance(expected, np.ndarray):
        check_array(name, got, expected, rtol, atol)
    elif isinstance(expected, float):
        check_scalar(name, got, expected, rtol, atol)
    elif isinstance(expected, dict) and any(isinstance(v, (np.ndarray, float)) for v in expected.values()):
        check_keys(name, got, list(expected))
        for key, value in expected.items():
            compare(f"{name}[{key!r}]", got[key], value, rtol, atol)
    elif isinstance(expected, (tuple, list)) and any(isinstance(v, (np.ndarray, float)) for v in expected):
        check_type(name, got, type(expected))
        if len(got) != len(expected):
            raise CheckFailed(f"{name} should have {len(expected)} items, but it has {len(got)}.")
        for k, value in enumerate(expected):
            compare(f"{name}[{k}]", got[k], value, rtol, atol)
    else:
        check_equal(name, got, expected)


class Expected:
    """The recorded values of one lesson, read when a check first needs them."""

    def __init__(self, lesson):
        self.lesson = lesson
        self._values = None

    @property
    def path(self):
        return FOLDER / f"{self.lesson}.json"

    def __getitem__(self, name):
        if self._values is None:
            try:
                self._values = json.loads(self.path.read_text())
            except (OSError, ValueError) as error:
                raise RuntimeError(f"the course's recorded answers {self.path} cannot be read ({error}); "
                                   f"restore the file with `git checkout -- course/data/expected`") from None
        if name not in self._values:
            raise RuntimeError(f"no recorded value for {name!r} in {self.path.name}: run `python -m course record "
                               f"{self.lesson}`")
        return decode(self._values[name])

    def recorded(self, name, got):
        """The value recorded for `name` (`python -m course record` replaces this to write `got` down)."""
        return self[name]

    def value(self, name, compute):
        """An input the check needs from the reference answers, such as a forward pass's values for a
        backward-pass check: recorded once, so the check never runs the student's other exercises.
        `compute()` runs only while recording."""
        return self[name]

    def check(self, name, got, rtol=1e-6, atol=1e-9):
        """`got` matches the value the reference answer gave for `name`."""
        __tracebackhide__ = True
        compare(name, got, self.recorded(name, got), rtol, atol)

    def keys(self, name, got):
        """`got` is a dict with the keys the reference answer's had, in any order."""
        __tracebackhide__ = True
        check_type(name, got, dict)
        check_keys(name, got, self.recorded(f"keys of {name}", list(got)))
