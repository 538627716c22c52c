"""The course's interactive parts: explorers built on ipywidgets, the network diagram, progress bars.

Each explorer is a module of its own; under nbgrader, or without a front end,
every explorer becomes a plain figure with its caption printed (see explorer.py).
"""
