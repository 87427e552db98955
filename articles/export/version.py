"""The version of what ``articles.export.layout`` prints (pure: no Django, no python-docx).

Bump it when the output changes: the files kept are keyed on it
(``articles.export.files``). It lives apart from the layout so that a
worker that only reads or serves files never imports python-docx (18 MB).
"""

LAYOUT_VERSION = 1
