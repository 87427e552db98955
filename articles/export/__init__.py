"""Word and PDF in 公文 layout (GB/T 9704-2012): one essay, or a 汇编 of many.

Pure, no Django: ``html`` (sanitised rich text → printable blocks), ``layout``
(an essay or a 汇编 → .docx bytes, every measure a named constant), ``pdf``
(LibreOffice headless, one profile per call, a timeout; ``fonts.conf`` maps
the fonts a 公文 names to Debian's). With Django: ``source`` (an Article →
``layout.Essay``), ``files`` (files outside MEDIA_ROOT, per essay version and
layout version), ``tasks`` (an essay's PDF, a 汇编), ``views`` (下载 Word / PDF,
published essays only, checked on every request).
"""
