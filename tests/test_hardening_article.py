"""Issue #13: any text a teacher pastes or uploads is segmented without an error, and invisible
characters never cut a visible word into several units."""

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
