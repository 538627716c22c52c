"""What the notebooks' test cells call.

`course.checks.<lesson>` holds one check per exercise (`check_relu(relu)`),
each building its own inputs and comparing the student's results with values
recorded from the course's reference answers (`course/data/expected/`) or
with an independent method such as finite differences. The building blocks,
which check type, shape and values separately with a one-line message, are
in `primitives` and re-exported here.
"""
from course.checks.primitives import (
    CheckFailed,
    check_array,
    check_choice,
    check_equal,
    check_functions,
    check_keys,
    check_quiet,
    check_scalar,
    check_shape,
    check_tuple,
    check_type,
    check_values,
    item,
    verify_untouched,
)

__all__ = ["CheckFailed", "check_array", "check_choice", "check_equal", "check_functions", "check_keys", "check_quiet",
           "check_scalar", "check_shape", "check_tuple", "check_type", "check_values", "item", "verify_untouched"]
