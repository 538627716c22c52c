"""The HTML exporter of the feedback, compiling its templates once per process."""
from jinja2 import BytecodeCache
from nbconvert.exporters import HTMLExporter


class _CompiledTemplates(BytecodeCache):
    """Compiled jinja templates, kept for the life of the process."""

    store = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


class FeedbackExporter(HTMLExporter):
    """nbgrader's HTML exporter, compiling its templates once per process rather than once per notebook."""

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = _CompiledTemplates()
        return environment
