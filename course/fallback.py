"""Your answers where they pass their visible tests, the course's where they do not yet: for the cells that use them.

A demo cell asks for the names it uses:

    my = working("NN", "activation_relu_dict")
    net = my.NN([2, 3, 1], my.activation_relu_dict, ...)

An exercise whose answer is missing, raises, or fails one of its visible tests
is replaced by the course's version, and one line says so and names the
exercise, so a stuck student still sees the rest of the lesson. A class whose
methods are exercises gets the course's version of only the unfinished ones.
While a submission is graded nothing is replaced (the course's versions are
not there to replace it with).
"""
import contextlib
import importlib
import io
import os
import sys
import types
import warnings

from course.exercises import defining

_verdicts = {}  # exercise -> (the objects checked, why it is unfinished or None)


def working(*names):
    """A namespace binding each name to the student's object, or to the course's where the student's is unfinished."""
    space = sys._getframe(1).f_globals
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        return types.SimpleNamespace(**{name: space[name] for name in names if name in space})
    found, notes = {}, []
    for name in names:
        exercises = defining(name)
        if not exercises:
            raise ValueError(f"{name!r} is not the answer to any exercise")
        unfinished = [(e, why) for e in exercises if (why := _unfinished(e, space)) is not None]
        try:
            found[name] = _with_course_version(name, space, [e for e, _ in unfinished])
        except ImportError:  # the course's versions are hidden here, or it has none
            if name in space:
                found[name] = space[name]
            continue
        notes += [(e, why) for e, why in unfinished if (e, why) not in notes]
    for exercise, why in notes:
        print(f"Exercise {exercise.number} is not finished yet ({why}): this cell uses the course's "
              f"{_listed(exercise.names)} instead.")
    return types.SimpleNamespace(**found)


def _listed(names):
    shown = [f"`{n}`" for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _unfinished(exercise, space):
    """None when every name of the exercise is defined and passes its visible checks; else why not, in a few words."""
    objects = []
    for name in exercise.names:
        owner, _, method = name.partition(".")
        if owner not in space or (method and method not in vars(space[owner])):
            return f"`{name}` is not defined: run its cell"
        objects.append(getattr(space[owner], method) if method else space[owner])
    cached = _verdicts.get(exercise)
    if cached is not None and len(cached[0]) == len(objects) and all(map(_same, cached[0], objects)):
        return cached[1]
    why = _run_checks(exercise, space)
    _verdicts[exercise] = (objects, why)
    return why


def _same(a, b):
    return a is b


def _run_checks(exercise, space):
    import inspect

    module = importlib.import_module(exercise.checks_module)
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for check_name in exercise.checks:
                check = getattr(module, check_name)
                check(*(space[p] for p in inspect.signature(check).parameters))
    except NotImplementedError:
        return "it still raises NotImplementedError"
    except AssertionError:
        return "it does not pass its tests"
    except Exception as error:  # noqa: BLE001 (any failure of the student's code means: use the course's)
        return f"it raises {type(error).__name__}"
    return None


def _with_course_version(name, space, unfinished):
    """The student's object, the course's, or for a class, the student's with the course's unfinished methods."""
    if not unfinished:
        return space[name]
    reference = importlib.import_module(unfinished[0].reference)
    if not hasattr(reference, name):  # a measurement on the notebook's own data: nothing to replace it with
        raise ImportError(f"the course keeps no version of {name}")
    if name not in space or not any(e.methods for e in unfinished):
        return getattr(reference, name)
    theirs, ours = space[name], getattr(reference, name)
    methods = {m: vars(ours)[m] for e in unfinished for m in e.methods.get(name, [])}
    return type(theirs.__name__, (theirs,), {**methods, "__doc__": theirs.__doc__})
