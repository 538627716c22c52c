"""What each lesson promises to print, checked on the learner's run and on the graded reference."""

# What each executed notebook must print: the numbers its lesson promises.
EXPECTED_OUTPUT = {
    "01_notation": [
        "AND: the best of 20000 lines gets 4 of 4 right",
        "XOR: the best of 20000 lines gets 3 of 4 right",
        "XOR with one hidden layer of two ReLU neurons: [0. 1. 1. 0.]",
        "[2, 3, 2, 1]: 4 layers, L = 3, 14 weights and 6 biases, 20 parameters",
        "[784, 100, 10]: 3 layers, L = 2, 79400 weights and 110 biases, 79510 parameters",
        "[[2.11 2.12]\n [2.21 2.22]\n [2.31 2.32]]",
    ],
    "02_forward_pass": [
        "  6.1   8.7  |  113", "W1 =\n[[-0.08  0.02  0.06]\n [ 0.02  0.08 -0.09]]",
        "[[-0.488  0.122  0.366]\n [ 0.174  0.696 -0.783]]",
        "z1 = [-0.314  0.818 -0.417]", "x1 = [0.    0.818 0.   ]", "z2 = [-0.07362  0.02454]",
        "x2 = [0.      0.02454]", "z3 = [0.0017178]", "x3 = [0.0017178]",
        "     1  (6.1, 8.7)  2                2                0.0017178",
        "     2  (6.2, 0.8)  2, 3             1, 2             0.0004416",
        "     3  (1.9, 9.3)  1, 2             2                0.0015232",
        "     4  (1.2, 1.7)  2                2                0.0003360",
        "     5  (9.5, 6.4)  2                2                0.0014742",
        "     6  (4.0, 5.4)  2                2                0.0010752",
        "[2, 3, 2, 1]        14", "[64, 32, 10]      2368",
    ],
    "03_backprop": [
        "before: z = 1.0, a = 0.731, dℓ/da = -0.269, da/dz = 0.197",
        "dℓ/dz = dℓ/db = -0.053, dℓ/dw = [0.053 0.106]",
        "after one step: w = [ 1.947 -3.106], b = -2.947, a = 0.79",
        "first forward pass: z = 6.0, a = 6.0, loss = 36.0",
        "        1   36.0000000000",
        "final w: [-3.3990955  -0.20180899  0.80271349]   final b: 0.60090450",
        "x0 = [6.1 8.7]", "x1 = [0.    0.818 0.   ]", "z2 = [-0.07362  0.02454]", "x2 = [0.      0.02454]",
        "x3 = [0.0017178]", "target y = 113.0, x3 - y = -112.998",
        "the weights of layers 2 and 3: W2 = [[0.08, -0.05], [-0.09, 0.03], [0.07, 0.01]]  W3 = [[-0.04], [0.07]]",
        "-2.77297784", "dJ/dw(3)_11 = 0.0000", "dJ/dw(3)_21 = -2.7730",
        "dJ/dw(2)_22 = -6.4703", "dJ/dw(1)_12 = -1.4475", "dJ/dw(1)_22 = -2.0645",
        "first sample alone: delta(3)_1 = -112.998, delta(2)_2 = -7.910, dJ/dw(2)_22 = -6.4703",
        "J for the whole dataset = 3465.9",
        "W3: relative error 5.5e-07", "largest: 5.5e-07, for W3",
    ],
    "05_classification": [
        "sigmoid(z) = 1.0, sigmoid_derivative(z) = 0.0",
        "from the receptor: cost 40.0, dz = 1.0",
        "569 tumours of 30 measurements: 456 for training, 113 held out",
        "predicted 2.3026, measured 2.3026",
        "1797 images of 64 pixels: 1438 for training, 359 held out",
    ],
    "04_nn_class": [
        "prediction for x = (6.1, 8.7): 0.0017178",
        "the all-entries MSE  largest relative error: 5.0e-01",
        "always predicting the training mean 77.2",
        "a straight line fitted by least squares: 53.3",
    ],
    "06_why_training_fails": [
        "all weights 0.5: the five hidden units' incoming weights differ by less than 1e-9",
        "0.001 (the NN class)    1.2e-03 (x 0.92)  9.5e-19 (x 0.01)  3.7e-20 (x 0.01)",
        "Xavier                  1.2e-01 (x 0.94)  2.3e-01 (x 0.88)  3.7e-02 (x 0.71)",
        "He                      1.7e-01 (x 0.95)  5.6e-01 (x 0.97)  8.3e-01 (x 1.00)",
        "N(0, 1)                 4.5e-01 (x 1.00)  9.6e-01 (x 1.00)  3.7e+07 (x 7.09)",
        "sigmoid    0.001 (the NN class)    4.1e-24  2.1e-01 5.19e+22      5.2e+22    334.13",
        "sigmoid    Xavier                  3.7e-06  4.3e+00 1.15e+06      1.1e+06      4.71",
        "sigmoid    N(0, 1)                 2.8e+00  4.8e+01     17.2      1.7e+01      1.37",
        "tanh       0.001 (the NN class)    6.7e-19  1.1e-18     1.61      8.4e-01      0.98",
        "tanh       Xavier                  3.5e-01  5.9e-01     1.69      1.0e+00      1.00",
        "tanh       N(0, 1)                 1.4e+01  1.4e+04      944      1.1e-03      0.47",
        "ReLU       0.001 (the NN class)    1.7e-20  2.9e-20     1.71      5.8e-01      0.94",
        "ReLU       He                      7.9e-01  5.2e+00     6.56      6.6e+00      1.23",
        "ReLU       N(0, 1)                 5.9e+15  6.7e+16     11.4      1.1e+01      1.31",
        "ReLU: 20 of 32 neurons dead at the start; 0 of them moved during training",
        "leaky ReLU: 20 of 32 neurons dead at the start; 20 of them moved during training",
        "η = 0.2: the cost passed 1e6 after 9 steps",
        "η = 1.0: the cost passed 1e6 after 2 steps",
    ],
    "07_generalisation": [
        "1797 digits: training 100, validation 300, test 539, set aside 858",
        "the [64, 128, 128, 10] network has 26122 parameters, 261 per training image",
        "958 samples in batches of 64: 15 batches, the last of 62",
        "batch size   16 (60 steps per epoch)",
        "without dropout, largest difference from backward_pass: 0.0",
        "with dropout, largest difference from finite differences: 1.2e-10",
        "spread of layer 10: 2.3e-12 without, 0.59 with batch normalisation",
    ],
    "08_layers": [
        "prediction for x = (6.1, 8.7): 0.0017178; cost J for the dataset: 3465.901456",
        "largest difference from notebook 4's NN: output 0.0e+00, receptors 0.0e+00",
        "  layer 1: dW 0.0e+00, db 0.0e+00",
        "  layer 2: dW 0.0e+00, db 0.0e+00",
        "  layer 3: dW 0.0e+00, db 0.0e+00",
        "first sample alone: dJ/dw(3)_21 = -2.7730, dJ/dw(2)_22 = -6.4703, dJ/dw(1)_12 = -1.4475",
        "largest relative error against finite differences: 1.2e-08, for dW1",
        "step 1 moved the parameter by 0.1000; step 50, with the same gradient, by 0.9948 "
        "(at most 1 / (1 - beta) = 10 times as far)",
        "RMSProp's step 100, in learning rates, for gradients of 1e-06, 1, 1000: 0.990, 1.000, 1.000",
        "with eps inside the square root, the gradient 1e-06 would give 0.010",
        "Adam's first step for gradients of 0.001, 1 and 1000: [0.001 0.001 0.001]",
        "without the bias correction: 3.16 times as large; 1 - beta2 ** t passes 0.99 at step 4603",
        "epochs 0, 15 and 29 of 30 from 0.1: 0.1000, 0.0500, 0.0003",
        "1438 digits to train on, 359 held out",
    ],
}

# Numbers of the full-length training runs, which nbgrader cuts to a tenth (course.notebook.iterations).
LEARNER_OUTPUT = {
    "02_forward_pass": [
        "[2, 3, 2, 1]        14     3000", "[64, 32, 10]      2368     1797",
    ],
    "04_nn_class": [
        "held-out loss lowest after 900 iterations (0.2375); after 2000: 0.2471",
        "held-out root mean squared error: network 54.1,",
    ],
    "05_classification": [
        "held-out accuracy on 113 tumours: 0.982, 111 right (always answering 'benign' would score 0.628)",
        "after 400 iterations: training accuracy 0.9993, held-out accuracy 0.9638",
    ],
    "07_generalisation": [
        "after 1500 iterations: training accuracy 1.000, validation accuracy 0.867",
        "lowest validation cost 0.393 at iteration 125; at the end 0.450",
        "plain              150  150     1.000    0.414   0.873    0.878",
        "L2                 150  150     1.000    0.359   0.873    0.876",
        "dropout            150  150     1.000    0.448   0.887    0.859",
        "early stopping      26   16     1.000    0.360   0.867    0.870",
        "all three           33   23     1.000    0.352   0.867    0.857",
        "more data           15   15     1.000    0.078   0.977    0.968",
        "test accuracy of the first five runs: 0.857 to 0.878, 11 of 539 images apart",
        "lam = 0.0001    0.416   0.863", "lam = 0.0003    0.399   0.870", "lam = 0.001     0.359   0.873",
        "lam = 0.003     0.375   0.870", "lam = 0.01      0.424   0.847",
        "keep_prob = 0.5       0.506   0.873", "keep_prob = 0.7       0.513   0.883",
        "keep_prob = 0.8       0.450   0.873", "keep_prob = 0.9       0.448   0.887",
        "   1          0.427       0.371          0.866       0.872",
        "   2          0.322       0.303          0.865       0.879",
        "   3          0.345       0.309          0.870       0.866",
    ],
    "08_layers": [
        "training cost after 10 epochs",
        "SGD              2.276   1.600   0.249   0.046   best: 1",
        "momentum         1.628   0.255   0.031   1.289   best: 0.1",
        "RMSProp          0.300   0.051   0.169   2.794   best: 0.01",
        "Adam             0.343   0.033   0.028   2.346   best: 0.1",
        "SGD, η = 1                                     0.0064          9         23        0.964",
        "momentum, η = 0.1                              0.0069          7         23        0.967",
        "RMSProp, η = 0.01                              0.0005          7         19        0.967",
        "Adam, η = 0.1                                  0.1732         10          -        0.930",
        "Adam, η = 0.1 with the cosine schedule         0.0011          8         13        0.964",
    ],
}


def printed(nb):
    """The text each code cell printed, as a reader sees it.

    A kernel may send one print as several stream messages (its flush timer can fire
    between the writes of print's arguments), so a cell's outputs are joined as they are.
    """
    return "\n".join("".join(o.get("text", "") for o in c.outputs) for c in nb.cells if c.cell_type == "code")


def assert_prints_the_lesson_numbers(assignment, nb, learner=False):
    text = printed(nb)
    for line in EXPECTED_OUTPUT.get(assignment, []) + (LEARNER_OUTPUT.get(assignment, []) if learner else []):
        assert line in text, f"{assignment}: the executed notebook does not print {line!r}"
