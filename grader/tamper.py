"""Read a submission's code, without running it, for signs of tampering.

Each finding is a short reason for a human to review; none changes a score.
"""
import ast

FORBIDDEN_MODULES = {"sqlite3", "ctypes", "subprocess", "importlib", "gc", "inspect", "pty", "socket",
                     "multiprocessing", "signal", "resource", "linecache", "_thread", "mmap", "fcntl",
                     "_posixsubprocess", "posix"}
OS_MODULES = {"os", "posix"}
IPYTHON_HOOKS = {"input_transformers_cleanup", "input_transformers_post", "ast_transformers",
                 "set_custom_exc", "custom_exceptions", "showtraceback", "run_cell", "transform_cell",
                 "events", "register_magic_function", "InteractiveShell"}
FILE_FUNCTIONS = {"open", "Path", "remove", "unlink", "rmtree", "rename", "replace", "copy", "copyfile",
                  "move", "write_text", "write_bytes", "chmod", "chdir", "makedirs", "mkdir", "symlink"}
PROCESS_FUNCTIONS = {"system", "popen", "fork", "forkpty", "execv", "execve", "execvp", "_exit", "kill", "killpg"}
DYNAMIC_CODE = {"exec", "eval", "compile", "__import__"}


def _a_check(name):
    """What a student may call from course.checks: the checks themselves."""
    return name.startswith("check_") or name in {"item", "CheckFailed", "verify_untouched", "*"} \
        or name.startswith("__")


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _literal(node):
    return isinstance(node, ast.Constant) or (
        isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values))


def _escapes_folder(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        path = node.value
        return path.startswith(("/", "~")) or ".." in path.replace("\\", "/").split("/")
    return False


def _imported_by_call(node):
    """The module a call like __import__("x") or importlib.import_module("x") loads, if it names one literally."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    if name in ("__import__", "import_module") and node.args and isinstance(node.args[0], ast.Constant) \
            and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def _aliases(tree, modules):
    """Names bound to one of `modules`: `import os as o`, `o = __import__("os")`."""
    names = set(modules)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.asname or a.name for a in node.names if a.name.split(".")[0] in modules}
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                and (_imported_by_call(node.value) or "").split(".")[0] in modules:
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def scan_source(source):
    """Reasons to review one cell's code, most serious first."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # IPython magics or broken code: nothing to read, and it cannot tamper either
    reasons = []
    numpy_names = {"np", "numpy"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "numpy":
                    numpy_names.add(alias.asname or "numpy")
    protected = numpy_names | {"builtins", "__builtins__", "course", "checks"}
    os_names = _aliases(tree, OS_MODULES)

    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                if module.split(".")[0] in FORBIDDEN_MODULES:
                    reasons.append(f"imports {module}")
            if isinstance(node, ast.ImportFrom) and (node.module or "") in OS_MODULES:
                reasons.extend(f"takes {node.module}.{a.name}" for a in node.names
                               if a.name in PROCESS_FUNCTIONS | {"*"})
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course.checks"):
                reasons.extend(f"takes {node.module}.{a.name}, a part of the course's checks that is not a check"
                               for a in node.names if not _a_check(a.name))
        elif (isinstance(node, ast.Attribute) and not _a_check(node.attr)
              and ast.unparse(node.value).startswith("course.checks.")):
            reasons.append(f"takes {ast.unparse(node)}, a part of the course's checks that is not a check")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                for t in (target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]):
                    root = _root_name(t)
                    if isinstance(t, (ast.Attribute, ast.Subscript)) and root in protected:
                        reasons.append(f"changes {ast.unparse(t)} (numpy, builtins or the course's checks)")
                    elif isinstance(t, ast.Name) and t.id in numpy_names | {"get_ipython", "print", "open"}:
                        reasons.append(f"rebinds {t.id}")
                    elif isinstance(t, ast.Attribute) and t.attr in IPYTHON_HOOKS:
                        reasons.append(f"changes IPython's {t.attr}")
        elif isinstance(node, ast.Attribute) and node.attr in IPYTHON_HOOKS:
            reasons.append(f"touches IPython's {node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr == "modules" and _root_name(node) == "sys":
            reasons.append("touches sys.modules")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            imported = _imported_by_call(node)
            if imported and imported.split(".")[0] in FORBIDDEN_MODULES:
                reasons.append(f"imports {imported} with {name}()")
            if name == "setattr" and node.args and _root_name(node.args[0]) in protected:
                reasons.append(f"changes {ast.unparse(node.args[0])} with setattr")
            elif name in DYNAMIC_CODE and not (node.args and _literal(node.args[0])):
                reasons.append(f"runs built code with {name}()")
            elif name in FILE_FUNCTIONS and node.args and _escapes_folder(node.args[0]):
                reasons.append(f"uses a file outside its folder: {ast.unparse(node)[:80]}")
            elif name in PROCESS_FUNCTIONS and _root_name(func) in os_names:
                reasons.append(f"calls os.{name}" + (f" (as {ast.unparse(func)})" if _root_name(func) != "os" else ""))
    return list(dict.fromkeys(reasons))


def scan_notebook(nb, trusted_sources=()):
    """Reasons to review a notebook's code cells, skipping cells identical to the released ones."""
    trusted = {s.strip() for s in trusted_sources}
    reasons = []
    for index, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") == "code" and cell.source.strip() not in trusted:
            reasons.extend(f"cell {index}: {r}" for r in scan_source(cell.source))
    return reasons
