"""The articles app's admin, one module per screen.

Django's admin autodiscovery imports ``articles.admin``: importing the
modules that register a ModelAdmin here is what puts them on the site.
"""

from articles.admin import (
    essays,  # noqa: F401  (registers ArticleAdmin)
    exports,  # noqa: F401  (registers CompilationAdmin)
    formulations,  # noqa: F401  (registers FormulationAdmin)
    rules,  # noqa: F401  (registers ProofreadingRuleAdmin)
    sensitive,  # noqa: F401  (registers SensitiveTermAdmin)
)
