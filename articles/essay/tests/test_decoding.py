"""Bytes from a file or an upload become text, or a clear Chinese refusal."""

import pytest

from articles.essay import EssayError
from articles.essay.decoding import MAX_ESSAY_BYTES, UnreadableText, decode_essay_bytes

TEXT = "一、加强党支部标准化建设\n（一）规范组织生活\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_utf8_with_or_without_bom_and_gb18030_decode_to_the_same_text(encoding):
    assert decode_essay_bytes(TEXT.encode(encoding)) == TEXT


def test_windows_line_endings_become_newlines():
    assert decode_essay_bytes(TEXT.replace("\n", "\r\n").encode()) == TEXT


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "为空"),
        (b"  \n\t ", "为空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64)), "不是文本文件"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "不是文本文件"),
        (b"\xff\xfe\xfd\xfc" * 10, "编码"),
    ],
)
def test_unreadable_bytes_are_refused_with_a_reason(data, message):
    with pytest.raises(UnreadableText, match=message):
        decode_essay_bytes(data)


def test_an_oversized_file_is_refused_before_decoding():
    with pytest.raises(UnreadableText, match="过大"):
        decode_essay_bytes(b"a" * (MAX_ESSAY_BYTES + 1))


def test_refusals_are_essay_errors_so_callers_catch_one_exception():
    assert issubclass(UnreadableText, EssayError)
