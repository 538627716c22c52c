"""Test inputs that must live in the student's kernel.

A stand-in object that the student's code changes in place (a scripted network
whose weights each epoch moves) is built where that code runs. Its class uses
the metaclass `InKernel`: built in the kernel, or in a notebook, it is an
ordinary object; built by the grader's judge, it is made in the kernel and the
judge holds a handle to it.
"""

BUILD = None  # set by the judge while it runs a test cell: (cls, args, kwargs) -> a handle to the object


class InKernel(type):
    __course_in_kernel__ = True

    def __call__(cls, *args, **kwargs):
        if BUILD is not None:
            return BUILD(cls, args, kwargs)
        return super().__call__(*args, **kwargs)
