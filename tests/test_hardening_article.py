"""Issue #13: any text a teacher pastes or uploads is segmented without an error, and invisible
characters never cut a visible word into several units."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.domain.article import Article, canonical_text

INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def sentence_texts(article):
    return [article.text[s.start:s.end] for s in article.sentences]


def word_texts(article):
    return [article.text[w.start:w.end] for w in article.words]


def assert_units_inside(article):
    text = article.text
    paragraphs = {p.index: p for p in article.paragraphs}
    for unit in article.sentences + article.words:
        assert 0 <= unit.start < unit.end <= len(text)
        assert text[unit.start:unit.end].strip() == text[unit.start:unit.end]
        paragraph = paragraphs[unit.paragraph]
        assert paragraph.start <= unit.start and unit.end <= paragraph.end
    for sentence in article.sentences:
        assert sentence.id == f"s{sentence.sentence}"
    for word in article.words:
        sentence = article.sentences[word.sentence]
        assert sentence.start <= word.start and word.end <= sentence.end
    for first, second in zip(article.sentences, article.sentences[1:], strict=False):
        assert first.end <= second.start
    for paragraph in article.paragraphs:
        assert 0 <= paragraph.start <= paragraph.end <= len(text)
        block = text[paragraph.start:paragraph.end]
        assert block and block.strip() == block


@pytest.mark.parametrize("raw", [
    "Para one.\n   \nPara two.",
    "Para one.\n\t\nPara two.",
    "Para one.\n \t \n\nPara two.",
    "A\n \n \nB",
    "Para one.\n\t\n\nPara two.",
    "First line\n   \n   \n   \nSecond line",
    "Heading\n  \nBody text. More body.",
    "One.\r\n  \r\nTwo.",
])
def test_whitespace_only_lines_separate_paragraphs(raw):
    article = Article(raw)
    assert_units_inside(article)
    texts = sentence_texts(article)
    assert all(t.strip() for t in texts)
    assert len(article.paragraphs) == 2


def test_whitespace_line_does_not_start_the_next_paragraph():
    article = Article("Para one.\n   \nPara two.")
    assert sentence_texts(article) == ["Para one.", "Para two."]
    assert word_texts(article) == ["Para", "one", "Para", "two"]


@pytest.mark.parametrize("raw", ["#", "###", "# \n\nx", "x\n\n#\n\ny", "## \t", "#\n#"])
def test_a_bare_heading_marker_gives_no_empty_unit(raw):
    assert_units_inside(Article(raw))


def test_uploaded_text_is_nfc():
    decomposed = "Cafe\u0301 re\u0301sume\u0301 nai\u0308ve."
    article = Article(decomposed)
    assert article.text == unicodedata.normalize("NFC", decomposed)
    assert word_texts(article) == ["Café", "résumé", "naïve"]


@pytest.mark.parametrize("char", ["\u00ad", "\u200b", "\u2060", "\ufeff"])
def test_invisible_break_characters_do_not_split_a_word(char):
    article = Article(f"Officials re{char}port{char}edly agreed.")
    assert word_texts(article) == ["Officials", "reportedly", "agreed"]
    assert char not in article.text


@pytest.mark.parametrize("char", ["\u200c", "\u200d"])
def test_joiners_stay_but_do_not_split_a_word(char):
    # ZWNJ and ZWJ change how a word is drawn (Persian, Indic scripts, emoji), so they are kept
    # in the text, inside the word they join.
    article = Article(f"Officials re{char}portedly agreed.")
    assert word_texts(article) == ["Officials", f"re{char}portedly", "agreed"]
    persian = Article("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0628\u0631\u0648\u0645")
    assert len(persian.words) == 2


def test_find_matches_a_key_written_with_or_without_invisible_characters():
    article = Article("They report\u00adedly said so.")
    assert article.find("reportedly") == (5, 15)
    assert article.find("report\u00adedly") == (5, 15)
    assert Article("Cafe\u0301 life.").find("Cafe\u0301") == (0, 4)


def test_canonical_text_of_the_case_study_is_unchanged():
    from pathlib import Path

    raw = (Path(__file__).resolve().parent.parent / "seeds/000_1c820eb4196e347a.txt").read_text(encoding="utf-8")
    assert canonical_text(raw) == raw.replace("\r\n", "\n").strip()


text_with_edges = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list(" \t\n\r\n#.!?\"'’”“()[]-" + INVISIBLE + "\u0301\u2028\x0b\x0c\x85")),
    ),
    max_size=200,
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_with_edges)
def test_any_non_blank_text_segments_with_every_unit_inside_it(raw):
    if not canonical_text(raw):
        with pytest.raises(ValueError):
            Article(raw)
        return
    assert_units_inside(Article(raw))


@settings(max_examples=300, deadline=None)
@given(text_with_edges)
def test_canonical_text_is_idempotent_and_visible_words_survive(raw):
    once = canonical_text(raw)
    assert canonical_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert not any(c in once for c in "\u00ad\u200b\u2060\ufeff\r")
