"""Segmentation of the case study: the cases a naive splitter gets wrong."""

from pathlib import Path

import pytest

from webapp.domain.article import Article, canonical_text

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "seeds/000_1c820eb4196e347a.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article():
    return Article(TEXT)


def sentence_texts(article):
    return [article.text[s.start:s.end] for s in article.sentences]


def word_texts(article):
    return [article.text[w.start:w.end] for w in article.words]


def test_seed_is_a_verbatim_copy_of_the_shared_article():
    shared = ROOT.parent / "shared/seeds/000_1c820eb4196e347a.txt"
    if not shared.exists():
        pytest.skip("../shared is not beside this clone")
    assert (ROOT / "seeds/000_1c820eb4196e347a.txt").read_bytes() == shared.read_bytes()


def test_headings_are_units_of_their_own(article):
    headings = [article.text[p.start:p.end] for p in article.paragraphs if p.is_heading]
    assert headings[0].startswith("Changpeng Zhao’s Pardon Pursuit")
    assert "The Potential Impact of a Pardon on Binance’s U.S. Market Entry" in headings
    assert "Introduction: The Stakes of a Presidential Pardon" in headings
    assert len(headings) == 7
    # A label paragraph ("Legal Merits: While ...") is body text, not a heading.
    assert not any(h.startswith("Legal Merits") for h in headings)


def test_heading_with_us_abbreviation_is_one_sentence(article):
    assert "The Potential Impact of a Pardon on Binance’s U.S. Market Entry" in sentence_texts(article)


@pytest.mark.parametrize("fragment", [
    "leveled by U.S. authorities regarding",
    "Prominent Washington D.C. lobbying groups",
    "and has established Binance.US, the shadow",
    "anti-money laundering (AML) and sanctions regulations.",
    "employing high-profile D.C. firms, focused",
])
def test_abbreviations_do_not_end_sentences(article, fragment):
    assert any(fragment in sentence for sentence in sentence_texts(article))


def test_initialism_can_still_end_a_sentence(article):
    sentences = sentence_texts(article)
    ends = [s for s in sentences if s.endswith("available in Washington D.C.")]
    assert len(ends) == 1
    following = sentences[sentences.index(ends[0]) + 1]
    assert following.startswith("Our research suggests that this campaign")


def test_curly_apostrophes_stay_inside_words(article):
    words = word_texts(article)
    assert "Zhao’s" in words
    assert "Trump’s" in words
    assert "Zhao" not in [w for w in words if w.endswith("’")]
    assert "U.S." in words and "Binance.US" in words and "know-your-customer" in words


def test_every_offset_indexes_the_canonical_text(article):
    for unit in article.sentences + article.words:
        assert 0 <= unit.start < unit.end <= len(article.text)
        assert article.text[unit.start:unit.end] == article.text[unit.start:unit.end].strip()
    # Sentences are ordered and disjoint; each word lies inside its sentence.
    for first, second in zip(article.sentences, article.sentences[1:], strict=False):
        assert first.end <= second.start
    for word in article.words:
        sentence = article.sentences[word.sentence]
        assert sentence.start <= word.start and word.end <= sentence.end


def test_unit_ids_are_stable_across_loads(article):
    again = Article(TEXT)
    assert [(u.id, u.start, u.end) for u in again.words] == [(u.id, u.start, u.end) for u in article.words]
    assert [u.id for u in again.sentences] == [f"s{i}" for i in range(len(article.sentences))]


def test_canonical_text_normalises_line_endings_and_bom():
    assert canonical_text("\ufeffTitle\r\n\r\nBody.\r\n") == "Title\n\nBody."
    assert Article("Title\r\n\r\nOne. Two.").text == Article("Title\n\nOne. Two.").text


def test_markdown_headings_are_headings_without_their_hashes():
    article = Article("# A title\n\nSome text here. More text.")
    heading = article.paragraphs[0]
    assert heading.is_heading and article.text[heading.start:heading.end] == "A title"
    assert [article.text[s.start:s.end] for s in article.sentences] == ["A title", "Some text here.", "More text."]


def test_empty_article_is_rejected():
    with pytest.raises(ValueError, match="empty"):
        Article("  \n\n ")


def test_unknown_unit_is_rejected(article):
    with pytest.raises(ValueError, match="unknown unit"):
        article.units("letter")
