"""Plain data between the grader's judge and a graded kernel, as JSON.

Only None, booleans, numbers, strings, lists, tuples, dicts, numeric NumPy
arrays and scalars, NumPy random generators and module names are written as
values. Anything else crosses as a handle: an object of the kernel's, or a
function of the judge's, each named by a number that only its own side can
turn back into the object. Nothing is unpickled, and `decode` builds nothing
but those values and what its `handles` hook makes of a handle.
"""
import base64
import hashlib
import json
import math
import types

import numpy as np

KINDS = "biuf"  # booleans, signed and unsigned integers, floats
MAX_DEPTH = 64
MAX_DTYPE = 8


class ProtocolError(ValueError):
    """A message that is not the plain data this protocol allows."""


def dumps(value, handle):
    """JSON text for `value`; `handle(obj)` gives the handle dict of an object that is not plain data."""
    return json.dumps(encode(value, handle), allow_nan=False, separators=(",", ":"))


def loads(text, handles, limit=None):
    """The value that `dumps` wrote; `handles(tag, number)` turns a handle back into its object."""
    if limit is not None and len(text) > limit:
        raise ProtocolError(f"a message of {len(text)} bytes is over the limit of {limit}")
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError) as error:
        raise ProtocolError(f"not JSON: {error}") from None
    return decode(data, handles)


def _no_constants(name):
    raise ProtocolError(f"{name} is not plain JSON")


def _array(value):
    value = np.ascontiguousarray(value)
    return {"$": "array", "dtype": value.dtype.str, "shape": list(value.shape),
            "data": base64.b64encode(value.tobytes()).decode("ascii")}


def encode(value, handle, depth=0):
    if depth > MAX_DEPTH:
        raise ProtocolError("the value is nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if kind is list:
        return [encode(v, handle, depth + 1) for v in value]
    if kind is tuple:
        return {"$": "tuple", "v": [encode(v, handle, depth + 1) for v in value]}
    if kind is dict:
        return {"$": "dict", "v": [[encode(k, handle, depth + 1), encode(v, handle, depth + 1)]
                                   for k, v in value.items()]}
    if isinstance(value, np.ndarray) and value.dtype.kind in KINDS and not value.dtype.fields:
        return _array(value)
    if isinstance(value, np.generic) and value.dtype.kind in KINDS:
        return {**_array(np.asarray(value)), "$": "scalar"}
    if kind is np.random.Generator and type(value.bit_generator) is np.random.PCG64:
        return {"$": "rng", "state": value.bit_generator.state}
    if kind is types.ModuleType:
        return {"$": "module", "name": value.__name__}
    return handle(value)


def digest(value):
    """A short hash of a value's contents, to tell whether it changed (not whether two values are equal)."""
    h = hashlib.blake2b(digest_size=16)
    _feed(h, value, 0)
    return h.digest()


def _feed(h, value, depth):
    kind = type(value)
    if depth > MAX_DEPTH:
        h.update(b"deep")
    elif isinstance(value, np.ndarray):
        h.update(f"a{value.dtype.str}{value.shape}".encode())
        h.update(np.ascontiguousarray(value).tobytes() if value.dtype.kind in KINDS else str(id(value)).encode())
    elif kind in (list, tuple):
        h.update(f"{'l' if kind is list else 't'}{len(value)}".encode())
        for v in value:
            _feed(h, v, depth + 1)
    elif kind is dict:
        h.update(f"d{len(value)}".encode())
        for k, v in value.items():
            _feed(h, k, depth + 1)
            _feed(h, v, depth + 1)
    elif value is None or kind in (bool, int, float, str) or isinstance(value, np.generic):
        h.update(f"{kind.__name__}:{value!r}".encode())
    else:  # an object that crosses as a handle: it changes if it is another one
        h.update(f"o{id(value)}".encode())


def _dtype(name):
    if type(name) is not str or len(name) > MAX_DTYPE:
        raise ProtocolError("a bad dtype")
    try:
        dtype = np.dtype(name)
    except TypeError:
        raise ProtocolError(f"a bad dtype {name!r}") from None
    if dtype.kind not in KINDS or dtype.fields or dtype.subdtype or dtype.byteorder == ">":
        raise ProtocolError(f"the dtype {name!r} is not a plain number")
    return dtype


def _decode_array(data):
    dtype, shape = _dtype(data.get("dtype")), data.get("shape")
    if type(shape) is not list or len(shape) > 32 or any(type(n) is not int or n < 0 for n in shape):
        raise ProtocolError("a bad shape")
    raw = data.get("data")
    if type(raw) is not str:
        raise ProtocolError("an array without data")
    try:
        buffer = base64.b64decode(raw, validate=True)
    except ValueError:
        raise ProtocolError("an array whose data is not base64") from None
    if len(buffer) != math.prod(shape) * dtype.itemsize:
        raise ProtocolError("an array whose data does not fill its shape")
    return np.frombuffer(buffer, dtype=dtype).reshape(shape).copy()


def _rng(state):
    if type(state) is not dict or state.get("bit_generator") != "PCG64":
        raise ProtocolError("a random generator that is not a PCG64")
    generator = np.random.Generator(np.random.PCG64())
    try:
        generator.bit_generator.state = state
    except (TypeError, ValueError, KeyError):
        raise ProtocolError("a random generator with a bad state") from None
    return generator


def decode(data, handles, depth=0):
    if depth > MAX_DEPTH:
        raise ProtocolError("the value is nested too deeply")
    kind = type(data)
    if data is None or kind in (bool, int, float, str):
        return data
    if kind is list:
        return [decode(v, handles, depth + 1) for v in data]
    if kind is not dict:
        raise ProtocolError(f"a {kind.__name__} is not plain data")
    tag = data.get("$")
    if tag == "float" and data.get("v") in ("nan", "inf", "-inf"):
        return float(data["v"])
    if tag == "tuple" and type(data.get("v")) is list:
        return tuple(decode(v, handles, depth + 1) for v in data["v"])
    if tag == "dict" and type(data.get("v")) is list:
        pairs = data["v"]
        if not all(type(p) is list and len(p) == 2 for p in pairs):
            raise ProtocolError("a dict whose items are not pairs")
        try:
            return {decode(k, handles, depth + 1): decode(v, handles, depth + 1) for k, v in pairs}
        except TypeError:
            raise ProtocolError("a dict with a key that cannot be a key") from None
    if tag == "array":
        return _decode_array(data)
    if tag == "scalar":
        value = _decode_array(data)
        if value.size != 1:
            raise ProtocolError("a scalar with more than one value")
        return value.reshape(-1)[0]
    if tag == "rng":
        return _rng(data.get("state"))
    if tag in ("module", "object", "callback"):
        return handles(tag, data)
    raise ProtocolError(f"an unknown value {str(tag)[:40]!r}")
