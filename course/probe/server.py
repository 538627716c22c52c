"""Answer the judge's requests from inside the graded kernel.

The judge starts `serve(nonce)` as the code of a test cell, with stdin
allowed, and the two talk over the kernel's stdin channel: every
`input_request` the kernel sends carries its answer (or a call of one of the
judge's functions), and every `input_reply` the judge sends carries its next
request. One request is answered before the next is read.

Nothing here decides anything: whatever code runs in this kernel can change
what it answers, and can only ever answer with values.
"""
import contextlib
import importlib
import io
import itertools
import traceback
import warnings

import numpy as np
from IPython import get_ipython

from course.probe import codec
from course.probe.builders import InKernel

STDOUT_LIMIT = 64 * 1024
MESSAGE_LIMIT = 256 * 1024 * 1024  # what the judge may send
REPLY_LIMIT = 12 * 1024 * 1024  # what the judge accepts, under the grader's client limit of 16 MiB


class _Stopped(BaseException):
    """The judge stopped this call (a check in one of its functions failed); not for student code to catch."""


class _Registry:
    """The kernel's objects the judge holds handles to, and stubs for the judge's functions."""

    def __init__(self):
        self.objects, self.numbers, self.stubs = {}, {}, {}
        self.count = itertools.count(1)

    def handle(self, value):
        if type(value) is _JudgeFunction:
            return {"$": "callback", "id": value.number}
        number = self.numbers.get(id(value))
        if number is None or self.objects[number] is not value:
            number = next(self.count)
            self.objects[number], self.numbers[id(value)] = value, number
        return {"$": "object", "id": number, "type": type(value).__name__, "callable": callable(value)}

    def resolve(self, tag, data):
        number = data.get("id")
        if tag == "object":
            return self.objects[number]
        if tag == "callback":
            if number not in self.stubs:
                self.stubs[number] = _JudgeFunction(number)
            return self.stubs[number]
        name = data.get("name")
        return importlib.import_module(name)


_REGISTRY = _Registry()
_ASK = None
_WATCH = []  # (object, attribute) pairs whose values the judge holds copies of: sent at every crossing


_KNOWN = {}  # (id of object, attribute): digest of the value the judge has


def _state():
    """[index, present, value] of every watched attribute that changed since the judge last had it."""
    changed = []
    for index, (obj, name) in enumerate(_WATCH):
        present = hasattr(obj, name)
        value = getattr(obj, name) if present else None
        now = codec.digest(value) if present else None
        if _KNOWN.get((id(obj), name)) != now:
            _KNOWN[(id(obj), name)] = now
            changed.append([index, present, value])
    return changed


def _apply(request):
    """Take the judge's watch list, and the attribute values it changed on its side."""
    for obj, name, value in request.get("push") or []:
        setattr(obj, name, value)
        _KNOWN[(id(obj), name)] = codec.digest(value)
    watch = request.get("watch")
    if type(watch) is list:
        for obj, name in watch:
            if (id(obj), name) not in _KNOWN and hasattr(obj, name):  # the judge has just read or set it
                _KNOWN[(id(obj), name)] = codec.digest(getattr(obj, name))
        _WATCH[:] = [(obj, name) for obj, name in watch]


class _JudgeFunction:
    """A function of the judge's: calling it asks the judge to run it."""

    def __init__(self, number):
        self.number = number

    def __call__(self, *args, **kwargs):
        reply = _exchange({"callback": self.number, "args": list(args), "kwargs": kwargs, "state": _state()})
        _apply(reply)
        if "error" in reply:
            raise _Stopped(reply["error"])
        return reply["value"]

    def __repr__(self):
        return "<a function of the tests>"


def _send(message):
    try:
        text = codec.dumps(message, _REGISTRY.handle)
        if len(text) > REPLY_LIMIT:
            raise codec.ProtocolError(f"it is {len(text) // 1024} KiB, over the limit of {REPLY_LIMIT // 1024} KiB")
    except (codec.ProtocolError, TypeError, ValueError, RecursionError) as error:
        text = codec.dumps({"seq": message.get("seq"), "error": {
            "type": "ProtocolError", "message": f"the result cannot be sent to the tests: {error}",
            "traceback": []}}, _REGISTRY.handle)
    return _ASK(text)


def _exchange(message):
    """Send one message; answer the requests that come back until the reply to it arrives."""
    while True:
        text = _send(message)
        request = codec.loads(text, _REGISTRY.resolve, MESSAGE_LIMIT)
        if "seq" not in request:  # a reply to our callback
            return request
        if request.get("op") == "done":
            raise _Done
        message = _perform(request)


class _Done(BaseException):
    pass


def _student_frames(error):
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.startswith(_HERE)]
    lines = traceback.format_list(frames[-20:]) + traceback.format_exception_only(type(error), error)
    return [line[:2000] for line in lines]


_HERE = __file__.rsplit("/", 2)[0]  # this package's folder: its frames are not the student's


def _call(function, args, kwargs, context):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings(), np.errstate(**context.get("errstate", {})):
        if context.get("warnings") == "error":
            warnings.simplefilter("error")
        value = function(*args, **kwargs)
    return value, out.getvalue()[:STDOUT_LIMIT]


def _perform(request):
    seq, op = request["seq"], request.get("op")
    reply = {"seq": seq}
    try:
        _apply(request)
        target = request.get("target")
        if op == "get":
            namespace = get_ipython().user_ns
            if request["name"] not in namespace:
                raise NameError(f"name {request['name']!r} is not defined")
            reply["value"] = namespace[request["name"]]
        elif op == "getattr":
            reply["value"] = getattr(target, request["name"])
        elif op == "setattr":
            setattr(target, request["name"], request["value"])
        elif op in ("call", "build"):
            function = target
            if op == "build":
                function = getattr(importlib.import_module(request["module"]), request["name"])
                if type(function) is not InKernel:
                    raise TypeError(f"{request['name']} is not built in the kernel")
            args, kwargs = request.get("args", []), request.get("kwargs", {})
            reply["value"], reply["stdout"] = _call(function, args, kwargs, request.get("context", {}))
            reply["after"] = [args, kwargs]  # the judge mirrors what the call did to its inputs
        elif op == "iter":
            reply["value"] = iter(target)
        elif op == "next":
            reply["value"] = next(target)
        elif op == "len":
            reply["value"] = len(target)
        elif op == "getitem":
            reply["value"] = target[request["key"]]
        else:
            raise ValueError(f"unknown request {op!r}")
        reply["state"] = _state()
    except _Stopped as stop:
        reply = {"seq": seq, "stopped": str(stop), "state": _state()}
    except _Done:
        raise
    except BaseException as error:  # noqa: BLE001 (the student's error goes to the judge)
        reply = {"seq": seq, "error": {"type": type(error).__name__, "message": str(error)[:2000],
                                       "traceback": _student_frames(error)}}
        try:
            reply["state"] = _state()
        except Exception:  # noqa: BLE001 (a watched attribute that cannot be read any more)
            pass
    return reply


def serve(nonce):
    """Answer the judge until it says it is done."""
    global _ASK
    _ASK = get_ipython().kernel.raw_input
    try:
        _exchange({"ready": nonce})
    except _Done:
        pass
