"""Text typed or pasted by an officer: made safe for Word without losing what a reader can see."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from caseworker.letters.text import (
    clean,
    direction_chunks,
    first_strong_is_rtl,
    is_blank,
    paragraphs,
    removed_characters,
)


def test_control_characters_from_email_are_removed_and_counted() -> None:
    pasted = "Dear\x00 Sir\x1b[0m,\x07 the bin\x08 was missed"
    assert clean(pasted) == "Dear Sir[0m, the bin was missed"
    assert removed_characters(pasted) == 4


def test_line_ends_of_every_system_become_newlines() -> None:
    assert clean("a\r\nb\rc\x0bd\x85e\u2028f") == "a\nb\nc\nd\ne\nf"
    assert clean("one\x0ctwo\u2029three") == "one\n\ntwo\n\nthree"
    assert removed_characters("a\r\nb\x0cc") == 0


def test_tabs_are_kept() -> None:
    assert clean("Item\tPrice") == "Item\tPrice"


def test_windows_text_read_as_latin1_is_repaired() -> None:
    assert clean("It\x92s \x93fine\x94 \x96 \x80100") == "It’s “fine” – €100"
    assert clean("a\x81b") == "ab"
    assert removed_characters("a\x81b\x92") == 1


def test_a_broken_character_is_shown_not_hidden() -> None:
    assert clean("caf\ud800e") == "caf\ufffde"


def test_non_characters_are_removed() -> None:
    assert clean("a\ufffeb\uffffc") == "abc"


def test_every_script_accent_and_emoji_is_kept() -> None:
    text = "Zoë Ó Súilleabháin, Łódź, Ελληνικά, Русский, 中文, हिन्दी, עברית, العربية 👍🏽 🏳️‍🌈"
    assert clean(text) == text


def test_paragraphs_split_on_blank_lines_and_keep_line_breaks() -> None:
    assert paragraphs("one\nline\n\n\n  \ntwo\n") == ["one\nline", "two"]
    assert paragraphs("\n\n") == []
    assert paragraphs(None) == []


def test_blank_means_nothing_visible() -> None:
    assert is_blank(" \n\t\x00")
    assert not is_blank(" x ")


def test_direction_of_hebrew_and_arabic() -> None:
    assert first_strong_is_rtl("  123 שלום")
    assert not first_strong_is_rtl("Hello שלום")
    chunks = direction_chunks("Hello שלום world مرحبا 123!")
    assert [c.rtl for c in chunks] == [False, True, False, True]
    assert "".join(c.text for c in chunks) == "Hello שלום world مرحبا 123!"


NASTY = st.sampled_from(
    [
        "\x00",
        "\x01",
        "\x0b",
        "\x0c",
        "\x1f",
        "\x7f",
        "\x85",
        "\x92",
        "\ud800",
        "\udfff",
        "\ufeff",
        "\ufffe",
        "\uffff",
        "\r\n",
        "\r",
        "\u2028",
        "\u202e",
        "\U0001f600",
        "\u200d",
        "שלום",
        "مرحبا",
        "\t",
    ]
)
MESSY = st.lists(st.one_of(st.text(), NASTY), max_size=30).map("".join)


@given(MESSY)
def test_clean_text_is_always_valid_xml_text(text: str) -> None:
    from lxml import etree

    element = etree.Element("t")
    element.text = clean(text)  # lxml refuses anything XML cannot hold
    assert "\r" not in element.text


@given(MESSY)
def test_nothing_visible_is_lost(text: str) -> None:
    visible = [
        ch
        for ch in text
        if ch.isprintable()
        and not ch.isspace()
        and not ("\x80" <= ch <= "\x9f")
        and not ("\ud800" <= ch <= "\udfff")
        and ch not in "\ufffe\uffff"
    ]
    cleaned = clean(text)
    position = 0
    for ch in visible:
        position = cleaned.index(ch, position) + 1
