"""Deprecated: use `course.reference.classification` (sigmoid), `course.reference.activations` (tanh, leaky ReLU).

Kept so that notebooks fetched before December 2026 still run; removed after spring 2027.
"""
from course.reference.activations import leaky_relu, leaky_relu_derivative, tanh, tanh_derivative
from course.reference.classification import sigmoid, sigmoid_derivative
from course.reference.nn import relu, relu_derivative
from course.widgets.activations import activation_functions

__all__ = ["ACTIVATIONS", "leaky_relu", "leaky_relu_derivative", "relu", "relu_derivative", "sigmoid",
           "sigmoid_derivative", "tanh", "tanh_derivative"]
ACTIVATIONS = activation_functions()
