"""Behaviour of the answer-key assistant (webapp/analysis.py)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.domain import analysis
from webapp.domain.analysis import Suggestion, draft_key, find_hedges, has_hedge, suggest
from webapp.domain.article import Article
from webapp.domain.content import ArticleStore, parse_quiz_file

ROOT = Path(__file__).resolve().parent.parent
CASE_STUDY = "seeds/000_1c820eb4196e347a.txt"
CASE_STUDY_KEY = ROOT / "quizzes" / "cz-pardon.yaml"


def spans(text: str, kind: str) -> list[str]:
    canonical = Article(text).text
    return [canonical[s.start:s.end] for s in suggest(text) if s.kind == kind]


# --- hedges -----------------------------------------------------------------------------------


def test_multi_word_cues_are_one_span():
    text = "The plan appears to have been dropped. Officials may have known about it."
    assert spans(text, "hedge") == ["appears to have been", "may have"]


def test_longest_cue_wins_over_its_first_word():
    assert spans("It is believed that the vote was rigged.", "hedge") == ["It is believed"]


def test_the_month_may_is_not_a_hedge():
    assert spans("In May 2024 the council met twice.", "hedge") == []
    assert spans("The council may vote again on 3 May.", "hedge") == ["may"]


def test_context_rules_skip_non_hedging_uses():
    assert spans("She could not attend the meeting.", "hedge") == []
    assert spans("The firm is the most profitable in the state.", "hedge") == []
    assert spans("The work took several years to finish.", "hedge") == []
    assert spans("Most historians reject the story.", "hedge") == ["Most historians"]


def test_impersonal_passives_hide_who_holds_the_view():
    assert spans("It has been argued that the treaty failed.", "hedge") == ["It has been argued"]
    assert spans("It was understood that the minister would resign.", "hedge") == ["It was understood"]


def test_whether_hedges_only_as_an_open_question():
    assert spans("It is still unknown whether the painter visited Italy.", "hedge") == ["is still unknown", "whether"]
    assert spans("It is unclear whether the vote was rigged.", "hedge") == ["It is unclear", "whether"]
    assert spans("Whether you are a parent or a teacher, the rule applies.", "hedge") == []


def test_what_nobody_knows_or_people_dispute_is_a_hedge():
    assert spans("The date of his birth is unknown.", "hedge") == ["is unknown"]
    assert spans("The result remains unclear.", "hedge") == ["remains unclear"]
    assert spans("The border remains disputed.", "hedge") == ["remains disputed"]
    assert spans("The film was controversial on its release.", "hedge") == ["was controversial"]
    # A person's own doubt, or being unknown to someone, says nothing of what anyone can know.
    assert spans("Smith was uncertain about the plan.", "hedge") == []
    assert spans("They were uncertain.", "hedge") == []
    assert spans("The author is unknown to most readers.", "hedge") == []
    assert spans("She was not known for patience.", "hedge") == []


def test_reputed_and_purported_pass_on_a_claim():
    assert spans("The castle is reputedly haunted.", "hedge") == ["reputedly"]
    assert spans("The purported letter was a fake.", "hedge") == ["purported"]


@pytest.fixture
def hedge_weights_keeping_every_cue(monkeypatch):
    """The hedge weights switched to keep every cue that passes its guard: what the lexicon finds."""
    monkeypatch.setitem(analysis.MODELS, "hedge", {"bias": 0.0, "weights": {}, "threshold": float("-inf")})
    analysis._model.cache_clear()
    yield
    analysis._model.cache_clear()


def test_vague_groups_are_one_cue_whose_reason_holds(hedge_weights_keeping_every_cue):
    assert spans("Some critics dismissed the plan.", "hedge") == ["Some critics"]
    assert spans("Several officials left early.", "hedge") == ["Several officials"]
    assert spans("Others argue that the plan failed.", "hedge") == ["Others argue"]
    assert spans("Many have suggested that the vote was rigged.", "hedge") == ["Many have suggested"]
    assert spans("The vote was close, while some claim it was rigged.", "hedge") == ["some claim"]
    (group,) = reasons("Some critics dismissed the plan.", "hedge")
    assert "people without naming any" in group
    (opinion,) = reasons("Others argue that the plan failed.", "hedge")
    assert "opinion of people it does not name" in opinion
    # "claim" and "fear" as nouns are no verbs of opinion.
    assert "some claim" not in [s.lower() for s in spans("He made some claim to fame.", "hedge")]
    assert "some fear" not in [s.lower() for s in spans("There was some fear of a strike.", "hedge")]


def test_praise_without_a_source_is_a_weasel_cue():
    assert spans("He was one of the most gifted players of his era.", "hedge") == ["one of the most"]
    assert spans("Her most influential novel appeared in 1925.", "hedge") == ["most influential"]
    assert spans("The well-known bridge spans the river.", "hedge") == ["well-known"]
    # Checkable superlatives are not praise.
    assert spans("The party won the most votes in the most recent election.", "hedge") == []


def test_has_hedge_on_a_single_sentence():
    assert has_hedge("The bridge was probably built by the Romans.")
    assert not has_hedge("The bridge was built in 1820.")
    assert not has_hedge("   ")


# --- unsourced claims -------------------------------------------------------------------------


def test_vague_attribution_is_unsourced():
    text = "Critics argue that the ban failed. Sources say the mayor knew."
    assert len(spans(text, "unsourced")) == 2


@pytest.mark.parametrize("text", [
    "Supporters of the trial say the savings more than make up for it.",
    "Some residents, however, say that the office is never open on Fridays.",
    "Leading economists now accept that the results will transform how councils are run.",
    "Firstly, proponents of a pardon emphasized his cooperation with the authorities.",
])
def test_a_vague_group_with_a_tail_is_still_vague(text):
    (reason,) = [s.reason for s in suggest(text) if s.kind == "unsourced"]
    assert reason.startswith("vague attribution")


def test_a_group_tied_to_a_named_body_is_not_vague():
    assert spans("Analysts of Goldman Sachs say the merger will close in May.", "unsourced") == []


@pytest.mark.parametrize("text", [
    "Senator Reyes praised the plan on Tuesday and urged the council to adopt it.",
    "He declined to comment on the lawsuit against the company.",
    "The Harbour District Council imposed new parking charges across the old town.",
    "They have championed cheaper bus fares for students across the whole district.",
])
def test_a_sentence_that_says_who_spoke_or_acted_is_not_unsourced(text):
    assert spans(text, "unsourced") == []


def test_a_verb_of_saying_used_as_an_adjective_gives_no_source():
    # "admitted" describes the violations here; nobody is said to have admitted anything.
    text = ("It is against this backdrop of admitted violations that the pursuit of a pardon "
            "has gained considerable momentum.")
    (reason,) = [s.reason for s in suggest(text) if s.kind == "unsourced"]
    assert "gained" in reason


def test_undisclosed_evidence_is_unsourced():
    text = "Our own analysis of the records shows a sharp rise. We have uncovered new details."
    assert len(spans(text, "unsourced")) == 2


def test_named_source_sentence_is_not_unsourced():
    text = (
        "Principal Dana Okafor told the school board on 9 December 2024 that detentions had fallen. "
        "The state Department of Education recommended longer trials in June 2023."
    )
    assert spans(text, "unsourced") == []


def test_hedged_report_without_a_source_is_unsourced():
    text = "The lobbyists were reportedly paid in cash."
    assert spans(text, "unsourced") == [text]


def test_the_quick_substring_tests_cover_every_word_their_patterns_match():
    # The needles let most sentences skip a slow search; one missing would hide a source.
    def words(alternation: str) -> list[str]:
        forms = []
        for word in alternation.split("|"):
            forms += [re.sub(r".\?", "", word), word.replace("?", "")]  # with and without the optional letter
        return forms

    mention = analysis.SOURCE_MENTION_RE.pattern.split("\\b(?:")[1].split(")\\b")[0]
    for word in words(mention):
        assert any(needle in word for needle in analysis.SOURCE_MENTION_NEEDLES), word
    for word in words(analysis.VAGUE_SOURCES):
        assert any(needle in word for needle in analysis.UNSOURCED_NEEDLES[0]), word


# --- SEO filler -------------------------------------------------------------------------------


def test_self_promotion_is_filler():
    text = (
        "The city opened a new library on Main Street in 2021. "
        "At Daily Widget, we are proud to be the definitive resource on local news. "
        "Stay tuned for more."
    )
    filler = spans(text, "seo_filler")
    assert filler == [
        "At Daily Widget, we are proud to be the definitive resource on local news.",
        "Stay tuned for more.",
    ]


def test_recap_and_keyword_stuffing_are_filler():
    text = (
        "The board voted 5–2 on the new budget in March. "
        "In conclusion, budgets matter. "
        "Our budget guide covers budget news, budget tips and budget guide updates for every reader."
    )
    assert len(spans(text, "seo_filler")) == 2


def test_a_sentence_with_facts_is_not_filler():
    text = "The board voted 5–2 on 12 March 2024 to lock phones in pouches during lessons."
    assert spans(text, "seo_filler") == []


# --- offsets, empty input, the draft key ------------------------------------------------------


def test_empty_text_gives_no_suggestions():
    assert suggest("") == []
    assert suggest("  \n\n ") == []


def test_offsets_index_the_canonical_text():
    raw = "\ufeff\r\n  Reports suggest the deal may have collapsed.\r\n"
    canonical = Article(raw).text
    for suggestion in suggest(raw):
        assert canonical[suggestion.start:suggestion.end].strip() == canonical[suggestion.start:suggestion.end]
    assert "may have" in [canonical[s.start:s.end] for s in suggest(raw)]


def assert_aligned(text: str, suggestions: list[Suggestion]) -> None:
    article = Article(text)
    word_starts = {w.start for w in article.words}
    word_ends = {w.end for w in article.words}
    sentences = {(s.start, s.end) for s in article.sentences}
    for suggestion in suggestions:
        if suggestion.kind == "hedge":
            assert suggestion.start in word_starts and suggestion.end in word_ends
            assert article.text[suggestion.start:suggestion.end] == suggestion.reason.split("“")[1].split("”")[0]
        else:
            assert (suggestion.start, suggestion.end) in sentences
        assert suggestion.reason


def test_case_study_suggestions_align_to_units():
    text = (ROOT / CASE_STUDY).read_text(encoding="utf-8")
    suggestions = suggest(text)
    assert {s.kind for s in suggestions} == {"hedge", "unsourced", "seo_filler"}
    assert_aligned(text, suggestions)


VOCABULARY = [
    "may", "May", "have", "been", "appears", "to", "could", "not", "reportedly", "the", "reports",
    "suggest", "Critics", "argue", "we", "At", "Tech", "Today,", "outrank", "2024", "in", "most",
    "likely", "some", "say", "It", "is", "believed", "said", "Smith", "several", "years",
]
SEPARATORS = [" ", " ", " ", ", ", ". ", "? ", "\n\n", "’s "]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(SEPARATORS)), max_size=40))
def test_suggestions_always_align_to_units(pieces):
    text = "".join(word + separator for word, separator in pieces)
    suggestions = suggest(text)
    if not text.strip():
        assert suggestions == []
        return
    assert_aligned(text, suggestions)
    hedges = [s for s in suggestions if s.kind == "hedge"]
    assert all(a.end <= b.start for a, b in zip(hedges, hedges[1:], strict=False))


def test_draft_key_validates_and_occurrences_point_at_the_suggestions():
    text = (ROOT / CASE_STUDY).read_text(encoding="utf-8")
    key = draft_key(text, CASE_STUDY, "draft")
    assert key["article"] == CASE_STUDY
    assert [e["id"] for e in key["exercises"]] == ["draft-hedge", "draft-unsourced", "draft-filler"]
    article = Article(text)
    for exercise, kind in zip(key["exercises"], ("hedge", "unsourced", "seo_filler"), strict=True):
        expected = [(s.start, s.end) for s in suggest(text) if s.kind == kind]
        found = [article.find(item["text"], item.get("occurrence", 1)) for item in exercise["items"]]
        assert found == expected
        assert all(item["status"] == "required" and item["explanation"] for item in exercise["items"])
    dumped = yaml.safe_dump(key, allow_unicode=True, sort_keys=False)
    exercises = parse_quiz_file(dumped, "draft.yaml", ArticleStore(ROOT))
    assert [len(e.items) for e in exercises] == [len(e["items"]) for e in key["exercises"]]


def test_draft_key_counts_occurrences_inside_longer_words():
    # Article.find counts "may" inside "dismay", so the draft key must count it too.
    text = "To their dismay, the plan may fail."
    key = draft_key(text, "seeds/example.txt", "example")
    (item,) = key["exercises"][0]["items"]
    assert (item["text"], item["occurrence"]) == ("may", 2)
    assert Article(text).find("may", 2) == next((s.start, s.end) for s in suggest(text) if s.kind == "hedge")


def test_draft_key_leaves_out_kinds_without_suggestions():
    key = draft_key("The plan may fail.", "seeds/example.txt", "example")
    assert [e["kind"] for e in key["exercises"]] == ["hedge"]


# --- quality against the case-study key -------------------------------------------------------


@pytest.mark.skipif(not CASE_STUDY_KEY.exists(), reason="quizzes/cz-pardon.yaml is not written yet")
def test_hedge_cue_f1_against_the_case_study_key():
    exercises = parse_quiz_file(CASE_STUDY_KEY.read_text(encoding="utf-8"), CASE_STUDY_KEY.name, ArticleStore(ROOT))
    exercise = next(e for e in exercises if e.kind == "hedge")
    cues = [(s.start, s.end) for s in find_hedges(exercise.article)]

    def overlaps(start: int, end: int, others) -> bool:
        return any(start < other_end and other_start < end for other_start, other_end in others)

    items = [(item.start, item.end) for item in exercise.items]
    required = [(item.start, item.end) for item in exercise.items if item.required]
    precision = sum(overlaps(start, end, items) for start, end in cues) / len(cues)
    recall = sum(overlaps(start, end, cues) for start, end in required) / len(required)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.9, f"hedge-cue F1 {f1:.3f} (precision {precision:.3f}, recall {recall:.3f})"


# --- reasons are true of their text -------------------------------------------------------------


def reasons(text: str, kind: str | None = None) -> list[str]:
    return [s.reason for s in suggest(text) if kind is None or s.kind == kind]


@pytest.mark.parametrize("text", [
    "The vote is expected to be close.",
    "The vote was expected to be close on Tuesday night.",
    "The new bridge is scheduled to open next spring.",
    "The merger was supposed to close by the end of the year.",
])
def test_a_forecast_is_never_called_an_account_of_what_happened(text):
    assert not any(reason.startswith("unattributed account") for reason in reasons(text))


@pytest.mark.parametrize("text", [
    "The mayor said the budget would be balanced by June.",
    "“We will not raise taxes,” the governor told reporters on Monday.",
    "According to the county’s annual report, spending rose by a tenth.",
    "A poll of 900 voters found the race tied.",
    "The senator insisted that the deal had collapsed weeks earlier.",
])
def test_a_sentence_that_names_its_source_is_never_said_to_have_none(text):
    assert not any(reason.startswith("no source") for reason in reasons(text, "unsourced"))


NEWS_SENTENCES = [
    "The mayor said the budget would be balanced by June.",
    "“We will not raise taxes,” the governor told reporters on Monday.",
    "According to the county’s annual report, spending rose by a tenth.",
    "A poll of 900 voters found the race tied.",
    "The senator insisted that the deal had collapsed weeks earlier.",
    "Trump praised the decision and urged Congress to act.",
    "She declined to comment on the talks.",
    "He's also supportive of the state's testing program.",
    "The Security Council imposed sanctions last year.",
    "The operation was swiftly mobilized across three states.",
    "Senator Cruz was booed off the stage by angry delegates.",
    "Plunging oil prices are already crashing against the economy.",
    "Is this a war-torn country?",
    "The plan may fail.",
    "7 p.m.",
    "Voters will also determine if new movements can still rise to power.",
]


@pytest.fixture
def weights_keeping_every_candidate(monkeypatch):
    """The attribution weights switched to keep every sentence the rules leave to them, as the
    bench's ceiling line does: what the rules alone let through."""
    keep_all = {"bias": 0.0, "weights": {}}
    monkeypatch.setitem(analysis.MODELS, "own_source", {**keep_all, "threshold": float("inf")})
    monkeypatch.setitem(analysis.MODELS, "no_attribution", {**keep_all, "threshold": float("-inf")})
    analysis._model.cache_clear()
    yield
    analysis._model.cache_clear()


@pytest.mark.parametrize("text", NEWS_SENTENCES)
def test_an_unsourced_reason_holds_whatever_the_weights_decide(text, weights_keeping_every_candidate):
    """The weights only choose among sentences the rules allow, so a reason stays true of its
    sentence even when the weights keep every candidate."""
    text = "Voters in Ohio went to the polls on Tuesday. " + text
    canonical = Article(text).text
    for suggestion in suggest(text):
        if suggestion.kind != "unsourced":
            continue
        span = canonical[suggestion.start:suggestion.end]
        if suggestion.reason.startswith(("no source", "unattributed account")):
            assert not analysis.SOURCE_MENTION_RE.search(span), (suggestion.reason, span)
            assert not span.rstrip().endswith("?"), span
            assert re.search(r"[A-Za-z]{3}", span), span
        if suggestion.reason.startswith("no source"):
            assert not analysis.SPECULATIVE_MODALS & {w.lower() for w in re.findall(r"[\w’']+", span)}, span


def after_an_opening(text: str):
    """`text` as the second sentence of an article: the first is its opening, which the filler
    rules judge apart."""
    return analysis._sentences(Article("Voters in Ohio went to the polls on Tuesday. " + text))[-1]


def test_weights_keeping_every_candidate_flag_what_the_rules_allow(weights_keeping_every_candidate):
    text = ("Voters in Ohio went to the polls on Tuesday. The operation was swiftly mobilized across three "
            "states. Plunging oil prices are already crashing against the economy. The mayor said so.")
    found = reasons(text, "unsourced")
    assert [reason.split(":")[0] for reason in found] == ["unattributed account", "no source"]


@pytest.mark.parametrize(("text", "kind"), [
    ("The operation was swiftly mobilized across three states.", "account"),
    ("Senator Cruz was booed off the stage by angry delegates.", "named account"),
    ("Plunging oil prices are already crashing against the economy.", "claim"),
    ("He's also supportive of the state's testing program.", "claim"),
    # The month "May" is no guess, and a month or a day is no one who acted.
    ("In May, unemployment among young black workers is higher than anywhere else.", "claim"),
    ("Fundraising rules changed sharply in May.", "account"),
    ("In May, prices rose faster than wages across the region.", "account"),
    ("On Tuesday, prices rose faster than wages across the region.", "account"),
])
def test_the_rules_name_the_kind_of_sentence_the_weights_decide(text, kind):
    sentence = after_an_opening(text)
    reason, candidate = analysis._unsourced_rules(sentence)
    assert reason is None and candidate is not None and candidate[0] == kind
    features = analysis._attribution_features(sentence, kind)
    assert f"<{kind}>" in features


def test_an_account_naming_its_actor_is_flagged_only_for_not_saying_who_says_so(weights_keeping_every_candidate):
    # The actor (Cruz) is named, so the reason must not say that no one is named: it says, truly,
    # that the sentence does not say who reports it.
    text = "Voters in Ohio went to the polls on Tuesday. Senator Cruz was booed off the stage by angry delegates."
    (reason,) = reasons(text, "unsourced")
    assert reason == "unattributed account: “was” tells what happened or how things were, but not who says so"


def test_an_account_whose_actor_is_a_public_body_or_a_person_named_before_stays_out(weights_keeping_every_candidate):
    for text in ("The Harbour District Council imposed new parking charges across the old town.",
                 "They have championed cheaper bus fares for students across the whole district."):
        assert spans("Voters in Ohio went to the polls on Tuesday. " + text, "unsourced") == []


@pytest.mark.parametrize("text", [
    "The mayor said the budget would be balanced by June.",
    "Trump praised the decision and urged Congress to act.",
    "The Security Council imposed sanctions last year.",
    "Is this a war-torn country?",
    "7 p.m.",
])
def test_sentences_the_rules_decide_never_reach_the_weights(text):
    sentence = after_an_opening(text)
    assert analysis._unsourced_rules(sentence)[1] is None


def test_attribution_features_weigh_word_forms_as_one_stem_and_see_who_opens_the_sentence():
    first = after_an_opening("He's also supportive of the plan.")
    second = after_an_opening("Roloson supports Clinton in the race.")
    assert "<opens with a person>" in analysis._attribution_features(first, "claim")
    second_features = analysis._attribution_features(second, "claim")
    assert "<opens with a capital>" in second_features
    assert analysis._stem("supportive") == analysis._stem("supports") == analysis._stem("supported") == "support"
    assert "<stem support>" in second_features


def test_a_vague_group_is_vague_only_when_nothing_pins_it_down():
    assert reasons("Critics argue that the ban failed.", "unsourced")[0].startswith("vague attribution")
    assert reasons("The plan is vague, experts say.", "unsourced")[0].startswith("vague attribution")
    assert not any(r.startswith("vague attribution")
                   for r in reasons("Labor-policy experts say the plan is vague about who is eligible.", "unsourced"))


def test_every_quoted_fragment_in_a_reason_is_in_its_span():
    texts = [(ROOT / CASE_STUDY).read_text(encoding="utf-8"), *FILLER_ARTICLES.values()]
    for text in texts:
        canonical = Article(text).text
        for suggestion in suggest(text):
            span = canonical[suggestion.start:suggestion.end]
            for quoted in suggestion.reason.split("“")[1:]:
                assert quoted.split("”")[0] in span, (suggestion.reason, span)


@pytest.mark.parametrize(("text", "said"), [
    ("It is arguably the most ambitious trial in the country.", "open to dispute"),
    ("Shorter weeks tend to suit offices better than hospitals.", "usually happens"),
    ("The plan will probably fail.", "how likely"),
])
def test_a_hedge_reason_says_what_the_cue_does(text, said):
    (reason,) = reasons(text, "hedge")
    assert said in reason


def test_a_speculative_guess_is_a_hedge_not_an_unsourced_claim():
    assert spans("The plan may fail.", "hedge") == ["may"]
    assert spans("The plan may fail.", "unsourced") == []


def test_the_month_may_is_no_modal():
    # Only the modal "may" makes a sentence a guess for the hedge exercise (the month "May"
    # leaves it a claim: see the cases of the test above).
    assert analysis._modal_sense(["May", "I", "ask"]) == ["may", "i", "ask"]
    assert analysis._modal_sense(["In", "May", ",", "rates", "rose"])[1] == "May"
    assert analysis._modal_sense(["May", "5", "was", "hot"])[0] == "May"


# --- SEO filler on articles of our own ----------------------------------------------------------

FILLER_ARTICLES = {
    "council": (
        "Flexible Working Comes to the Harbour District\n\n"
        "In today’s world, flexible working is something everyone is talking about. "
        "The Harbour District Council voted 7–2 on 4 March 2025 to let its 1,200 staff work from home "
        "two days a week. The trial will run until December, when the council’s audit committee will "
        "report on sick leave and overtime.\n\n"
        "Thanks for reading! Don’t forget to subscribe to our newsletter for more local news."
    ),
    "recipe blog": (
        "The Best Sourdough Tips\n\n"
        "Have you ever wondered why your sourdough will not rise? "
        "A starter fed twice a day at 24 °C doubles in four to six hours. "
        "At Crumb & Co, we are proud to be the go-to destination for home bakers everywhere. "
        "Let us know in the comments how your loaf turned out."
    ),
    "transport": (
        "Night Buses Return\n\n"
        "Now more than ever, public transport matters to all of us. "
        "Metro Transit restored eleven night-bus routes on 2 June 2025 after a two-year gap. "
        "The routes run hourly between midnight and five in the morning. "
        "Stay tuned for more updates, and share this article with anyone who travels late."
    ),
    "garden centre": (
        "Peat-Free Compost Explained\n\n"
        "In today’s eco-conscious world, gardening is something we all care about. "
        "From April 2026, garden centres in England may no longer sell bagged compost that contains peat. "
        "When it comes to compost, there’s a lot to unpack. "
        "Every garden is different, and every garden has its own needs. "
        "Whether you’re a beginner or a seasoned grower, this is a change you cannot afford to ignore. "
        "Growers at the Royal Horticultural Society’s Wisley trials found that peat-free mixes held "
        "water for two days less in July.\n\n"
        "Bookmark GreenThumb Weekly, the web’s most trusted source for gardening news, and share this "
        "compost guide with a friend."
    ),
    "school meals": (
        "Free School Meals Widen\n\n"
        "Glenmoor County will give free lunches to every primary pupil from September, the council "
        "decided on 9 May 2025. About 4,100 more children qualify, at a cost of £2.3 million a year.\n\n"
        "Looking Ahead\n\n"
        "Parents can apply online until 30 June 2025. "
        "The move underscores the profound and enduring importance of a good lunch."
    ),
}
FILLER_EXPECTED = {
    "council": ["In today’s world", "Thanks for reading!", "Don’t forget to subscribe"],
    "recipe blog": ["Have you ever wondered", "At Crumb & Co, we", "Let us know in the comments"],
    "transport": ["Now more than ever", "Stay tuned"],
    "garden centre": ["In today’s eco-conscious world", "When it comes to compost", "Every garden is different",
                      "Whether you’re a beginner", "Bookmark GreenThumb Weekly"],
    # The closing section's date is news; only its sentence of grand words pads the ending.
    "school meals": ["The move underscores"],
}


@pytest.mark.parametrize("name", FILLER_ARTICLES)
def test_generic_openers_sign_offs_and_self_promotion_are_filler(name):
    filler = spans(FILLER_ARTICLES[name], "seo_filler")
    for start in FILLER_EXPECTED[name]:
        assert any(sentence.startswith(start) for sentence in filler), (start, filler)
    # The sentences that carry the news are not filler.
    assert len(filler) == len(FILLER_EXPECTED[name]), filler


# --- speed ------------------------------------------------------------------------------------------


def _article_of_size(kilobytes: int) -> str:
    paragraphs = (ROOT / CASE_STUDY).read_text(encoding="utf-8").split("\n\n")
    parts, size = [], 0
    while size < kilobytes * 1024:
        parts.append(paragraphs[len(parts) % len(paragraphs)])
        size += len(parts[-1].encode()) + 2
    return "\n\n".join(parts)


def _best_seconds(text: str, runs: int = 3) -> float:
    """The best of a few runs, in this process's CPU time: other work on a shared machine (or the
    other test worker) does not count against it."""
    timings = []
    for _ in range(runs):
        began = time.process_time()
        suggest(text)
        timings.append(time.process_time() - began)
    return min(timings)


def test_analysis_time_grows_linearly_with_the_article():
    # Shared machines are noisy, so no tight absolute bound (bench/analysis.py prints the goals).
    # Ten times the text takes 10-18 times as long here, as the per-sentence cost is constant but
    # the garbage collector and caches slow down with the larger heap; a quadratic step would
    # take about 100 times as long. 200 KB also stays under a ceiling only a pathological
    # slowdown would break.
    small, large = _best_seconds(_article_of_size(20)), _best_seconds(_article_of_size(200))  # CPU time
    assert large <= 25 * small, f"20 KB {small:.3f} s, 200 KB {large:.3f} s"
    assert large < 15, f"200 KB took {large:.1f} s"
