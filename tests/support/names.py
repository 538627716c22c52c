"""What a cell's code binds and reads, from its syntax tree: one definition for the tests that ask."""
import ast


def parse(source):
    """The cell's syntax tree, with IPython's magics and shell escapes left out."""
    return ast.parse("\n".join(line for line in source.split("\n") if not line.lstrip().startswith(("%", "!"))))


def bindings(source, imports=True):
    """Names and attributes a cell binds at module level: functions, classes, assignments (and imports)."""
    bound = set()

    def targets(node):
        if isinstance(node, ast.Name):
            bound.add(node.id)
        elif isinstance(node, ast.Attribute):
            bound.add(node.attr)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                targets(element)

    for node in parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                targets(target)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets(node.target)
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and imports:
            bound |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return bound


def local_names(tree):
    """Every name the code binds anywhere: stores, functions, classes, arguments, imports."""
    local = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            local.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.ClassDef)):
            local.add(n.name)
        elif isinstance(n, ast.arg):
            local.add(n.arg)
        elif isinstance(n, ast.alias):
            local.add((n.asname or n.name).split(".")[0])
    return local


def free_names(source):
    """The names a cell reads without binding them itself."""
    tree = parse(source)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - local_names(tree)


def attributes(source):
    """Every attribute name the cell mentions."""
    return {n.attr for n in ast.walk(parse(source)) if isinstance(n, ast.Attribute)}
