"""The course's reference modules that a graded kernel must not read, and the stub that covers each.

Grading lesson N hides every module of `course.reference` whose LESSON is N or
later: each holds the answers of its own lesson, and often of earlier
exercises too (the NN class of lesson 4 computes lesson 2's forward pass).
Old module paths that re-export a hidden module (`course.nn`) are hidden with it.
"""
import ast
import importlib.util
import re
from pathlib import Path

STUB_MARK = "is not available while"


def package_folder():
    """The folder of the `course` package that graded kernels import."""
    return Path(importlib.util.find_spec("course").submodule_search_locations[0]).resolve()


def lesson_number(name):
    """04 of '04_nn_class'; None for a name without a leading number."""
    match = re.match(r"(\d+)", name)
    return int(match.group(1)) if match else None


def _lesson_of(path):
    for node in ast.parse(path.read_text()).body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "LESSON" for t in node.targets)
                and isinstance(node.value, ast.Constant)):
            return node.value.value
    return None


def _imported(path):
    return {node.module for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ImportFrom) and node.module}


def modules(package=None):
    """{dotted name: (file, lessons it gives away)} for every reference module and every alias of one."""
    package = package or package_folder()
    found = {}
    for path in sorted((package / "reference").glob("*.py")):
        lesson = _lesson_of(path)
        if lesson:
            found[f"course.reference.{path.stem}"] = (path, {lesson})
    for path in sorted(package.glob("*.py")):
        lessons = set().union(*(found[m][1] for m in _imported(path) if m in found))
        if lessons:
            found[f"course.{path.stem}"] = (path, lessons)
    return found


def hidden(assignment, package=None):
    """{dotted name: file} of the modules a kernel grading `assignment` must not read (all, for an unnumbered one)."""
    number = lesson_number(assignment)
    return {name: path for name, (path, lessons) in modules(package).items()
            if number is None or any(lesson_number(lesson) >= number for lesson in lessons)}


def stubs(assignment, package=None):
    """{file: the text a kernel grading `assignment` reads there instead}."""
    return {str(path): f'raise ImportError("{name} {STUB_MARK} {assignment} is graded: it holds that lesson\'s '
                       f'answers. Use your own code.")\n'
            for name, path in hidden(assignment, package).items()}


def _patterns(name):
    """How a string can point at a module: its dotted name, or its file or bytecode (from `course/` or
    `reference/`)."""
    parts = name.split(".")
    tails = [parts] + ([parts[1:]] if parts[1] == "reference" else [])
    return [re.compile(r"(?<![\w.])" + r"[./]".join(map(re.escape, tail[:-1]))
                       + r"[./](__pycache__[./])?" + re.escape(tail[-1]) + r"(?![\w])") for tail in tails]


def uses(source, names):
    """The hidden modules that a cell's code imports or names (in code or in a string), sorted."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    mentioned, strings = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mentioned |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            mentioned |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Attribute):
            mentioned.add(ast.unparse(node))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.append(node.value)
    return sorted(name for name in names
                  if any(m == name or m.startswith(name + ".") for m in mentioned)
                  or any(p.search(text) for p in _patterns(name) for text in strings))
