"""Turn an uploaded or imported file's bytes into essay text, or say why not.

Essays arrive as UTF-8 (with or without BOM) or as GB18030 (the superset of
GBK/GB2312 that Windows tools in China still write).
"""

from .structure import EssayError

MAX_ESSAY_BYTES = 5 * 1024 * 1024

# Bytes that never occur in a text document: NUL and most C0 controls.
_BINARY_BYTES = set(range(0x00, 0x09)) | {0x0B, 0x0E, 0x0F} | set(range(0x10, 0x1B)) | {0x1C, 0x1D, 0x1E, 0x1F}


class UnreadableText(EssayError):
    """The bytes are not an essay in text form; the message is for editors (Chinese)."""


def decode_essay_bytes(data: bytes) -> str:
    """Decode ``data`` as UTF-8 or GB18030; refuse binary, empty and oversized input."""
    if len(data) > MAX_ESSAY_BYTES:
        raise UnreadableText(f"文件过大（超过 {MAX_ESSAY_BYTES // (1024 * 1024)} MB），不像是一篇文稿")
    if not data.strip():
        raise UnreadableText("文件为空")
    sample = data[:8192]
    if sum(byte in _BINARY_BYTES for byte in sample) > max(2, len(sample) // 1000):
        raise UnreadableText("不是文本文件（含有二进制内容）；请上传纯文本 .txt 文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise UnreadableText("无法识别文件编码：请保存为 UTF-8 或 GB18030 编码的文本")
