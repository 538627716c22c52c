"""The building blocks of the graded checks.

Each check looks at one thing (type, shape, values) and, when it fails, raises
CheckFailed with one sentence that says what was expected and what came back;
the notebook shows that sentence alone, without a traceback.

Values are compared in plain Python, with references to numpy and math taken
when this module is imported (the first cell of every notebook imports it,
before any student code). Every check also confirms that numpy's and Python's
own functions are still the ones it started with: a notebook that patched
`np.allclose` or `builtins.isinstance` fails every test that follows.
"""
import builtins
import math
import numbers
import types
import warnings

import numpy as np

_ndarray = np.ndarray
_asarray = np.asarray
_tolist = np.ndarray.tolist
_isclose = math.isclose
_isfinite = math.isfinite
_bool = bool
_float = float
_type = type
_catch_warnings = warnings.catch_warnings
_simplefilter = warnings.simplefilter
_errstate = np.errstate


_vars = vars
_RED, _RESET = "\x1b[0;31m", "\x1b[0m"


class CheckFailed(AssertionError):
    """A check that failed; IPython shows its message alone, in one line, instead of a traceback."""

    def _render_traceback_(self):
        return [f"{_RED}Check failed:{_RESET} {self}"]


_MANAGED_BY_IPYTHON = {"exit", "quit", "get_ipython", "input", "raw_input", "display", "help"}  # replaced per cell


def _originals(module):
    return {k: v for k, v in _vars(module).items()
            if callable(v) and not isinstance(v, types.ModuleType) and not k.startswith("__")
            and k not in _MANAGED_BY_IPYTHON}


_SNAPSHOT = [(m, _originals(m)) for m in (builtins, math, np, np.random, np.linalg)]


def verify_untouched():
    """Raise if a function of numpy, math or builtins has been replaced since this module was imported."""
    __tracebackhide__ = True
    for module, members in _SNAPSHOT:
        current = _vars(module)
        for name, value in members.items():
            if current.get(name) is not value:
                raise CheckFailed(f"{module.__name__}.{name} was replaced while the notebook ran, so the "
                                  "tests cannot trust it; remove the code that changes it.")


def _describe(value):
    kind = _type(value)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
    if isinstance(value, _ndarray):
        return f"a numpy array of shape {value.shape}"
    if value is None:
        return "None (did the function forget to `return`?)"
    article = "an" if name[0] in "aeiou" else "a"
    return f"{article} {name}: {value!r}" if len(repr(value)) < 60 else f"{article} {name}"


def check_type(name, got, expected_type):
    """`got` is an instance of `expected_type` (bool never counts as a number)."""
    __tracebackhide__ = True
    verify_untouched()
    types = expected_type if isinstance(expected_type, tuple) else (expected_type,)
    ok = isinstance(got, types) and not (isinstance(got, _bool) and _bool not in types)
    if not ok:
        wanted = " or ".join(_type_name(t) for t in types)
        raise CheckFailed(f"{name} should be {wanted}, but it is {_describe(got)}.")


def _type_name(t):
    return {_ndarray: "a numpy array", numbers.Integral: "an integer", numbers.Real: "a number",
            tuple: "a tuple", list: "a list", dict: "a dict", str: "a string"}.get(t, t.__name__)


def check_shape(name, got, shape):
    """`got` is a numpy array of exactly this shape."""
    __tracebackhide__ = True
    verify_untouched()
    check_type(name, got, _ndarray)
    shape = tuple(shape)
    if got.shape != shape:
        hint = ""
        if got.shape == shape[::-1] and len(shape) == 2:
            hint = " It looks transposed: rows and columns are swapped."
        elif len(got.shape) != len(shape):
            hint = f" It has {len(got.shape)} dimension(s) instead of {len(shape)}."
        raise CheckFailed(f"{name} should have shape {shape}, but it has shape {got.shape}.{hint}")


def check_keys(name, got, expected_keys):
    """`got` is a dict with exactly these keys."""
    __tracebackhide__ = True
    verify_untouched()
    check_type(name, got, dict)
    missing = [k for k in expected_keys if k not in got]
    extra = [k for k in got if k not in expected_keys]
    if missing or extra:
        parts = ([f"missing {missing}"] if missing else []) + ([f"unexpected {extra}"] if extra else [])
        raise CheckFailed(f"{name} has the wrong keys: {', '.join(parts)}.")


def _flat(values):
    return _tolist(_asarray(values, dtype=_float).reshape(-1))


def _index(flat_index, shape):
    index = []
    for size in reversed(shape):
        index.append(flat_index % size)
        flat_index //= size
    return tuple(reversed(index))


def item(name, container, key):
    """container[key], after checking that `container` is a dict (or a list or tuple) that has it."""
    __tracebackhide__ = True
    verify_untouched()
    if isinstance(container, dict):
        if key not in container:
            raise CheckFailed(f"{name} has no key {key!r}; its keys are {sorted(map(str, container))}.")
        return container[key]
    if isinstance(container, (list, tuple)) and _type(key) is int:
        if not -len(container) <= key < len(container):
            raise CheckFailed(f"{name} has {len(container)} items, so it has no item {key}.")
        return container[key]
    raise CheckFailed(f"{name} should be a dict, but it is {_describe(container)}.")


def check_tuple(name, got, length):
    """`got` is a tuple of `length` items; returns it, so that a check can unpack it."""
    __tracebackhide__ = True
    check_type(name, got, tuple)
    if len(got) != length:
        raise CheckFailed(f"{name} should be a tuple of {length} items, but it has {len(got)}.")
    return got


def check_functions(name, got, functions):
    """`got` is a dict holding exactly these keys, each bound to the very function given: {key: function}."""
    __tracebackhide__ = True
    check_keys(name, got, list(functions))
    for key, function in functions.items():
        value = got[key]
        if value is not function:
            shown = getattr(value, "__name__", None) or _describe(value)
            raise CheckFailed(f"{name}[{key!r}] should be your function {function.__name__}, but it is {shown}.")


def check_values(name, got, expected, rtol=1e-6, atol=1e-9):
    """Every entry of `got` is close to the matching entry of `expected`."""
    __tracebackhide__ = True
    verify_untouched()
    shape = _asarray(expected).shape
    g, e = _flat(got), _flat(expected)
    if len(g) != len(e):
        raise CheckFailed(f"{name} has {len(g)} entries, but it should have {len(e)}.")
    bad = [k for k in range(len(e)) if not _close(g[k], e[k], rtol, atol)]
    if not bad:
        return
    k = bad[0]
    index = _index(k, shape)
    hint = ""
    if all(_close(g[m], -e[m], rtol, atol) for m in range(len(e))):
        hint = " Every entry has the wrong sign."
    elif not _isfinite(g[k]):
        hint = " Look for an overflow or a division by zero."
    if not shape:
        raise CheckFailed(f"{name} should be {e[k]:.7g}, but it is {g[k]:.7g}.{hint}")
    where = index[0] if len(index) == 1 else index
    if len(e) == 1:
        raise CheckFailed(f"{name} should hold {e[k]:.7g}, but it holds {g[k]:.7g}.{hint}")
    first = "The entry" if len(bad) == 1 else "The first"
    raise CheckFailed(f"{name} has wrong values: {len(bad)} of {len(e)} entries differ. {first}, at index {where}, "
                      f"should be {e[k]:.7g} but is {g[k]:.7g}.{hint}")


def _close(a, b, rtol, atol):
    if a != a or b != b:
        return a != a and b != b
    return _isclose(a, b, rel_tol=rtol, abs_tol=atol)


def check_array(name, got, expected, rtol=1e-6, atol=1e-9):
    """Type, then shape, then values of a numpy array result."""
    __tracebackhide__ = True
    verify_untouched()
    expected = _asarray(expected, dtype=_float)
    check_shape(name, got, expected.shape)
    check_values(name, got, expected, rtol, atol)


def check_scalar(name, got, expected, rtol=1e-6, atol=1e-9):
    """A single real number (a Python or numpy scalar) close to `expected`."""
    __tracebackhide__ = True
    verify_untouched()
    check_type(name, got, numbers.Real)
    check_values(name, _float(got), _float(expected), rtol, atol)


def check_quiet(what, compute, advice=""):
    """The result of `compute()`, run with every warning (NumPy overflow, invalid value, division by zero) an error.

    A warning fails with "{what}: {the warning}. {advice}".
    """
    __tracebackhide__ = True
    verify_untouched()
    with _catch_warnings(), _errstate(over="warn", invalid="warn", divide="warn"):
        _simplefilter("error")
        try:
            return compute()
        except (RuntimeWarning, FloatingPointError, ZeroDivisionError) as problem:
            raise CheckFailed(f"{what}: {problem}. {advice}".rstrip()) from None


def _is_int(value):
    return _type(value) is int or isinstance(value, np.integer)


def check_equal(name, got, expected):
    """Exact equality for ints, strings, and tuples, lists and dicts of those.

    Types are compared exactly, so an object that claims to equal everything
    does not pass.
    """
    __tracebackhide__ = True
    verify_untouched()
    if _is_int(expected):
        if not _is_int(got):
            raise CheckFailed(f"{name} should be an integer like {expected!r}, but it is {_describe(got)}.")
        if int(got) != int(expected):
            raise CheckFailed(f"{name} should be {int(expected)}, but it is {int(got)}.")
        return
    if _type(got) is not _type(expected):
        raise CheckFailed(f"{name} should be {_type_name(_type(expected))} like {expected!r}, "
                             f"but it is {_describe(got)}.")
    if _type(expected) is dict:
        check_keys(name, got, list(expected))
        for key in expected:
            check_equal(f"{name}[{key!r}]", got[key], expected[key])
    elif _type(expected) in (tuple, list):
        flat = all(_is_int(e) or _type(e) is str for e in expected)
        if flat and (len(got) != len(expected) or not all(_is_int(g) or _type(g) is str for g in got)
                     or [str(g) for g in got] != [str(e) for e in expected]):
            raise CheckFailed(f"{name} should be {expected!r}, but it is {got!r}.")
        if len(got) != len(expected):
            raise CheckFailed(f"{name} should have {len(expected)} items, but it has {len(got)}: {got!r}.")
        for k, (g, e) in enumerate(zip(got, expected, strict=True)):
            check_equal(f"{name}[{k}]", g, e)
    elif _type(expected) is str:
        if str.__eq__(got, expected) is not True:
            raise CheckFailed(f"{name} should be {expected!r}, but it is {got!r}.")
    else:
        raise TypeError(f"check_equal cannot compare {_type(expected).__name__}; use check_scalar or check_array")


def check_choice(name, got, options, answer=None):
    """A multiple-choice answer: one of the letters in `options`, written as a string.

    With `answer` (in hidden tests), also checks that it is the right letter,
    without saying which letter that would have been.
    """
    __tracebackhide__ = True
    verify_untouched()
    letters = ", ".join(f'"{o}"' for o in options)
    if _type(got) is not str or got.strip().lower() not in tuple(options):
        shown = "None: not answered yet" if got is None else _describe(got)
        raise CheckFailed(f'{name} should be one of the letters {letters}, written as a string '
                             f'(for example {name} = "{options[0]}"), but it is {shown}.')
    if answer is not None and got.strip().lower() != answer:
        raise CheckFailed(f"{name}: {got.strip().lower()!r} is not the right answer. "
                             "Re-read the section the question names, then try again.")
