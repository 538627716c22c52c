"""Deprecated: use `course.reference.classification` (sigmoid), `course.reference.activations` (tanh, leaky ReLU).

Kept so that notebooks fetched before December 2026 still run; removed after spring 2027.
"""
from course.reference.activations import leaky_relu, leaky_relu_derivative, tanh, tanh_derivative  # noqa: F401
from course.reference.classification import sigmoid, sigmoid_derivative  # noqa: F401
from course.reference.nn import relu, relu_derivative  # noqa: F401
from course.widgets.activations import activation_functions

ACTIVATIONS = activation_functions()
