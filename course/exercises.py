"""Every graded exercise: the names its answer defines, the checks its visible tests call, the course's version.

A name `NN.forward_pass` is a method of the notebook's `NN` class. The checks
are named as the exercise's visible test cells call them, and each check's
parameters are named after what it is given (tests/course/test_exercises.py
holds this table to the notebooks).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    lesson: str               # "04_nn_class"
    cell: str                 # grade_id of the answer cell
    number: int               # as the notebook numbers it
    names: tuple[str, ...]    # what the answer defines
    checks: tuple[str, ...]   # functions of course.checks.<lesson's module>
    reference: str            # the module of course.reference with the course's version

    @property
    def checks_module(self):
        return "course.checks." + self.lesson.split("_", 1)[1]

    @property
    def methods(self):
        """{class name: [method names]} for the names that are methods."""
        found = {}
        for name in self.names:
            if "." in name:
                owner, method = name.split(".")
                found.setdefault(owner, []).append(method)
        return found


def _lesson(lesson, reference, *rows):
    return tuple(Exercise(lesson, cell, number, tuple(names.split()), tuple(checks.split()), reference)
                 for number, cell, names, checks in rows)


EXERCISES = (
    _lesson("01_notation", "course.reference.notation",
            (1, "output_layer", "output_layer", "check_output_layer"),
            (2, "parameter_shapes", "parameter_shapes", "check_shape_keys check_weight_shapes check_bias_shapes"),
            (3, "count_parameters", "count_parameters", "check_count_parameters"),
            (4, "weight", "weight", "check_weight"),
            (5, "leaving_arriving", "weights_leaving weights_arriving",
             "check_weights_leaving check_weights_arriving"))
    + _lesson("02_forward_pass", "course.reference.forward_pass",
              (1, "receptors", "receptors", "check_receptors_worked check_receptors_general"),
              (2, "layer_forward", "layer_forward", "check_layer_forward_worked check_layer_forward_general"),
              (3, "forward_dataset", "Z1 X1 Z2 X2 Z3 X3",
               "check_forward_dataset_shapes check_forward_dataset_first_sample check_forward_dataset_all_samples"),
              (4, "forward_loop", "forward_loop", "check_forward_loop_worked check_forward_loop_general"))
    + _lesson("03_backprop", "course.reference.backprop",
              (1, "sigmoid_neuron_gradients", "sigmoid_neuron_gradients",
               "check_sigmoid_neuron_published check_sigmoid_neuron_general"),
              (2, "train_relu_neuron", "train_relu_neuron", "check_relu_neuron_published check_relu_neuron_general"),
              (3, "output_weight_gradient", "output_weight_gradient dj_dw3_21",
               "check_output_weight_published check_output_weight_general"),
              (4, "path_gradients", "dJ_dw2 dJ_dw1", "check_path_gradients_published check_path_gradients_general"),
              (5, "backprop", "backprop", "check_backprop_worked check_backprop_general"),
              (6, "gradient_check", "numerical_gradient relative_error",
               "check_numerical_gradient check_relative_error"),
              (7, "find_the_bugs", "wrong_gradients fixed_backprop", "check_wrong_gradients check_fixed_backprop"))
    + _lesson("04_nn_class", "course.reference.nn",
              (1, "relu", "relu relu_derivative activation_relu_dict",
               "check_relu check_relu_derivative check_relu_dict"),
              (2, "identity", "identity identity_derivative activation_output_dict", "check_identity"),
              (3, "mse", "MSE MSE_derivative loss_dict", "check_mse check_mse_derivative check_loss_dict"),
              (4, "initialize_parameters", "NN.initialize_parameters",
               "check_init_shapes check_init_reproducible check_init_scale"),
              (5, "forward_pass", "NN.forward_pass", "check_forward_worked check_forward_general"),
              (6, "backward_pass", "NN.backward_pass", "check_backward_worked check_backward_general"),
              (7, "train", "NN.train", "check_train_steps check_train_printing"))
    + _lesson("05_classification", "course.reference.classification",
              (1, "sigmoid", "sigmoid sigmoid_derivative activation_sigmoid_dict",
               "check_sigmoid check_sigmoid_large check_sigmoid_derivative"),
              (2, "bce", "bce_with_logits bce_with_logits_gradient bce_dict",
               "check_bce check_bce_extreme check_bce_gradient"),
              (3, "softmax", "softmax", "check_softmax check_softmax_stable"),
              (4, "one_hot", "one_hot", "check_one_hot"),
              (5, "cross_entropy", "cross_entropy", "check_cross_entropy_labels check_cross_entropy_one_hot"),
              (6, "softmax_ce_gradient", "softmax_cross_entropy_gradient", "check_softmax_ce_gradient"),
              (7, "initial_loss", "expected_initial_loss initial_loss", "check_initial_loss"))
    + _lesson("06_why_training_fails", "course.reference.why_training_fails",
              (1, "tanh", "tanh tanh_derivative activation_tanh_dict", "check_tanh check_tanh_derivative"),
              (2, "leaky_relu", "leaky_relu leaky_relu_derivative activation_leaky_relu_dict",
               "check_leaky_relu check_leaky_relu_derivative"),
              (3, "init", "xavier_init he_init",
               "check_he_init check_he_init_statistics check_xavier_init check_xavier_init_statistics"),
              (4, "gradient_norms", "gradient_norms", "check_gradient_norms check_gradient_norms_network"))
    + _lesson("07_generalisation", "course.reference.generalisation",
              (1, "minibatches", "minibatches", "check_minibatches check_minibatches_shuffle"),
              (2, "l2", "l2_penalty l2_gradients", "check_l2_penalty check_l2_gradients"),
              (3, "dropout", "dropout_forward dropout_backward",
               "check_dropout_forward check_dropout_expectation check_dropout_backward"),
              (4, "early_stopping", "train_with_early_stopping", "check_early_stopping check_early_stopping_restores"),
              (5, "batchnorm", "batchnorm_forward batchnorm_backward",
               "check_batchnorm_forward check_batchnorm_backward"))
    + _lesson("08_layers", "course.reference.layers",
              (1, "activations", "ReLU Sigmoid Identity", "check_activations check_activation_derivatives"),
              (2, "dense_forward", "Dense.forward", "check_dense_forward check_dense_forward_keeps"),
              (3, "dense_backward", "Dense.backward", "check_dense_backward check_dense_backward_batch"),
              (4, "sequential", "Sequential", "check_sequential_forward check_sequential_backward"),
              (5, "momentum", "Momentum", "check_momentum"),
              (6, "rmsprop", "RMSProp", "check_rmsprop"),
              (7, "adam", "Adam", "check_adam_first_step check_adam_steps"),
              (8, "cosine_schedule", "cosine_schedule", "check_cosine_schedule"))
)


def defining(name):
    """The exercises whose answers define `name`; for a class, every exercise that writes one of its methods."""
    return [e for e in EXERCISES if name in e.names or name in e.methods]


def of_function(function_name):
    """The exercise whose answer defines a function or method of this name, or None."""
    for e in EXERCISES:
        if any(n.rsplit(".", 1)[-1] == function_name for n in e.names):
            return e
    return None
