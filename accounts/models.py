"""No models: the roles are ``auth`` groups (``accounts.roles``).

The module exists because Django sends ``post_migrate`` only to apps with a
models module, and the roles are set on that signal (``accounts.apps``).
"""
