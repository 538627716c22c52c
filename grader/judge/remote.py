"""Handles to objects that live in the student's kernel, and the errors its code raised."""
import builtins

# Dunder names the tests use on the student's objects (`NN.__new__(NN)`, a function's name); every other
# dunder stays local, so that Python's and NumPy's protocol look-ups never reach the kernel.
FORWARDED = frozenset({"__new__", "__name__", "__qualname__"})
_OWN = frozenset({"_judge", "_number", "_type", "_callable", "_generation", "_remote_description"})


class Remote:
    """An object of the student's kernel: its attributes, calls and iteration are requests to the kernel."""

    def __init__(self, judge, number, type_name, is_callable, generation):
        set_ = object.__setattr__
        set_(self, "_judge", judge)
        set_(self, "_number", number)
        set_(self, "_type", str(type_name)[:80])
        set_(self, "_callable", bool(is_callable))
        set_(self, "_generation", generation)

    def __getattribute__(self, name):
        if name in _OWN or (name.startswith("__") and name not in FORWARDED):
            return object.__getattribute__(self, name)
        return object.__getattribute__(self, "_judge").getattr(self, name)

    def __setattr__(self, name, value):
        self._judge.setattr(self, name, value)

    def __call__(self, *args, **kwargs):
        return self._judge.call(self, args, kwargs)

    def __iter__(self):
        return self._judge.request("iter", self)

    def __next__(self):
        return self._judge.request("next", self)

    def __len__(self):
        return self._judge.request("len", self)

    def __getitem__(self, key):
        return self._judge.request("getitem", self, key=key)

    def _remote_description(self):
        article = "an" if self._type[:1].lower() in "aeiou" else "a"
        return f"{article} {self._type} (an object of your notebook's)"

    def __repr__(self):
        return f"<{self._type} of the student's kernel>"


_ERRORS = {}


class RemoteError(Exception):
    """An exception the student's code raised in the kernel, with the kernel's traceback of it."""

    def __init__(self, type_name, message, traceback_lines):
        super().__init__(message)
        self.type_name, self.traceback_lines = type_name, traceback_lines


def remote_error(type_name, message, traceback_lines):
    """A RemoteError that is also the builtin exception of that name, so that `except ValueError` still works."""
    type_name = str(type_name)[:80]
    if type_name == "StopIteration":
        return StopIteration(message)
    base = getattr(builtins, type_name, None)
    if not (isinstance(base, type) and issubclass(base, Exception)):
        return RemoteError(type_name, message, traceback_lines)
    if base not in _ERRORS:
        try:
            _ERRORS[base] = type(f"Remote{base.__name__}", (RemoteError, base), {"__init__": RemoteError.__init__})
        except TypeError:  # a builtin whose layout cannot be mixed in (OSError and its kind)
            _ERRORS[base] = RemoteError
    return _ERRORS[base](type_name, message, traceback_lines)
