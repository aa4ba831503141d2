"""Benchmark of the answer-key assistant (webapp/domain/analysis.py).

    python bench/analysis.py [--data DIR] [--runs N]

Prints every figure of issue #14, each beside a plain baseline and its goal, and says which split
each comes from. `--data` is the labelled-data folder (default ../shared/data beside the
repository, see its README.md); a dataset missing there is skipped with a message. Nothing is
downloaded and nothing from that folder is copied into the repository.

1. Answer keys (quizzes/*.yaml, read at run time through the content loader): per-kind precision,
   recall and F1 of `suggest`. A required key item is found when a suggestion of the same kind
   overlaps it (recall is over required items); a suggestion is a true positive when it overlaps
   any key item of its kind, required or acceptable. For hedges this is the cue F1. Baselines: a
   plain hedge word list, and "every sentence" for the sentence kinds.
2. Unsourced claims on PolNeAR (official dev split, body sentences, not headings): the share of
   flagged sentences that hold an attribution's source or cue (they name their own source), and
   sentence P/R/F1 against "overlaps no attribution". Baseline: "no reporting verb and no
   'according to' in the sentence". A ceiling line gives the same figures with the attribution
   weights keeping every sentence the rules leave to them: no refit of the weights can flag more.
3. Hedges, sentence level (a sentence is uncertain when at least one cue is found), on held-out
   dev splits: Szeged news (conditional cues aside), SFU reviews (epistemic speculation: a cue
   other than or/if/can/would/should/must/will) and WikiWeasel. Szeged and SFU have no dev split
   of their own: a document is dev when the CRC-32 of its id is a multiple of 5 (`is_dev`), the
   same rule bench/fit_analysis.py uses to leave those documents out. WikiWeasel's held-out part is
   every fifth row, as before. Baseline: a plain hedge word list. On WikiWeasel a ceiling line
   keeps every lexicon cue whatever the hedge weights say: the recall the lexicon allows.
4. Speed: the median time of `suggest` on the case study and on articles of 40 KB and 200 KB; for
   the two sizes with a goal, both its CPU time (the goal's verdict: the work done, whatever else
   runs on the machine) and its wall-clock time.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import statistics
import sys
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.domain.analysis import (  # noqa: E402
    KINDS,
    MODELS,
    Suggestion,
    _model,
    find_hedges,
    has_hedge,
    suggest,
)
from webapp.domain.article import Article  # noqa: E402
from webapp.domain.content import ArticleStore, ContentError, Exercise, parse_quiz_file  # noqa: E402

CASE_STUDY = ROOT / "seeds" / "000_1c820eb4196e347a.txt"
DEFAULT_DATA = ROOT.parent / "shared" / "data"
HELD_OUT_EVERY = 5  # WikiWeasel rows whose index is a multiple of this were held out from tuning
DEV_EVERY = 5  # Szeged and SFU documents whose id hashes to a multiple of this are the dev split

# The hedge baseline: a plain list of common hedge words, matched on word boundaries, no context.
BASELINE_HEDGE_RE = re.compile(
    r"\b(?:may|might|could|perhaps|possibly|probably|likely|apparently|reportedly|allegedly|"
    r"seems?|appears?|suggests?|potentially|somewhat|believed|presumably|arguably)\b",
    re.IGNORECASE,
)
# The unsourced baseline: a sentence with no reporting verb and no "according to" is unsourced.
BASELINE_REPORTING_RE = re.compile(
    r"\b(?:according to|says?|said|saying|tells?|told|reports?|reported|announced?|stated?|states|"
    r"claims?|claimed|argues?|argued|adds?|added|wrote|writes|explained|noted|asked|insisted|"
    r"acknowledged|admitted|suggested|warned|confirmed|denied|believes?|believed|thinks?|thought)\b",
    re.IGNORECASE,
)
# SFU speculation cues that are conditional, disjunctive, deontic or plain future rather than
# epistemic; the epistemic label is "at least one cue outside this list" (data README).
NON_EPISTEMIC_CUES = {"or", "if", "can", "would", "should", "must", "will"}
ATTRIBUTION_OWN_SOURCE = {"Source", "Cue"}


def is_dev(doc: str) -> bool:
    """Whether a Szeged or SFU document belongs to the held-out dev split (stable across runs)."""
    return zlib.crc32(doc.encode("utf-8")) % DEV_EVERY == 0


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    found: int = 0
    required: int = 0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.found += other.found
        self.required += other.required

    @property
    def f1(self) -> float:
        guesses = self.true_positives + self.false_positives
        precision = self.true_positives / guesses if guesses else 0.0
        recall = self.found / self.required if self.required else 0.0
        return _f1(precision, recall)

    def __str__(self) -> str:
        guesses = self.true_positives + self.false_positives
        precision = self.true_positives / guesses if guesses else 0.0
        recall = self.found / self.required if self.required else 0.0
        return _prf(precision, recall) + f"  ({self.found}/{self.required} found, {self.false_positives} false)"


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _prf(precision: float, recall: float) -> str:
    return f"P {precision:.3f}  R {recall:.3f}  F1 {_f1(precision, recall):.3f}"


def _goal(value: float, goal: float, at_most: bool = False) -> str:
    met = value <= goal if at_most else value >= goal
    return f"(goal {'≤' if at_most else '≥'} {goal:g}: {'met' if met else 'NOT MET'})"


class Confusion:
    """Sentence-level counts of a binary detector against binary labels."""

    def __init__(self, pairs: Iterable[tuple[bool, bool]]):
        self.true_pos = self.false_pos = self.false_neg = 0
        for predicted, actual in pairs:
            self.true_pos += predicted and actual
            self.false_pos += predicted and not actual
            self.false_neg += actual and not predicted

    @property
    def precision(self) -> float:
        flagged = self.true_pos + self.false_pos
        return self.true_pos / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        positives = self.true_pos + self.false_neg
        return self.true_pos / positives if positives else 0.0

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def __str__(self) -> str:
        return _prf(self.precision, self.recall)


# --- 1. answer keys ---------------------------------------------------------------------------


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def score_exercise(exercise: Exercise, suggestions: list[Suggestion]) -> Score:
    spans = [(s.start, s.end) for s in suggestions if s.kind == exercise.kind]
    key_spans = [(item.start, item.end) for item in exercise.items]
    true_positives = sum(_overlaps(start, end, key_spans) for start, end in spans)
    required = [item for item in exercise.items if item.required]
    return Score(
        true_positives=true_positives,
        false_positives=len(spans) - true_positives,
        found=sum(_overlaps(item.start, item.end, spans) for item in required),
        required=len(required),
    )


def baseline_suggestions(article: Article) -> list[Suggestion]:
    hedges = [Suggestion(m.start(), m.end(), "hedge", "word list")
              for m in BASELINE_HEDGE_RE.finditer(article.text)]
    sentences = [Suggestion(s.start, s.end, kind, "every sentence")
                 for s in article.sentences for kind in ("unsourced", "seo_filler")]
    return hedges + sentences


def load_keys() -> list[Exercise]:
    articles = ArticleStore(ROOT)
    exercises = []
    for path in sorted((ROOT / "quizzes").glob("*.yaml")):
        try:
            exercises += parse_quiz_file(path.read_text(encoding="utf-8"), path.name, articles)
        except ContentError as error:
            print(f"skipped {path.name}: {error}", file=sys.stderr)
    return [exercise for exercise in exercises if exercise.kind in KINDS]


# Goals per kind for every key; the case-study key alone has an unsourced goal.
KEY_GOALS = {"hedge": 0.9, "seo_filler": 0.8}
CASE_STUDY_UNSOURCED_GOAL = 0.85


def bench_keys() -> None:
    exercises = load_keys()
    totals = {name: defaultdict(Score) for name in ("suggest", "baseline")}
    print("1. Against the answer keys (quizzes/*.yaml; hedge rows are cue F1, the others sentence F1)")
    for exercise in exercises:
        article = exercise.article
        for name, suggestions in (("suggest", suggest(article.text)),
                                  ("baseline", baseline_suggestions(article))):
            score = score_exercise(exercise, suggestions)
            totals[name][exercise.kind].add(score)
            goal = KEY_GOALS.get(exercise.kind)
            if exercise.kind == "unsourced" and article.text == _case_study_text():
                goal = CASE_STUDY_UNSOURCED_GOAL
            note = f"  {_goal(score.f1, goal)}" if name == "suggest" and goal else ""
            print(f"  {exercise.id:24s} {name:8s} {score}{note}")
    for kind in KINDS:
        print(f"  all {kind:20s} suggest  {totals['suggest'][kind]}")
        print(f"  all {kind:20s} baseline {totals['baseline'][kind]}")


def _case_study_text() -> str:
    return Article(CASE_STUDY.read_text(encoding="utf-8")).text


# --- 2. unsourced claims on PolNeAR -------------------------------------------------------------


def bench_polnear(data: Path) -> None:
    folder = data / "polnear"
    if not (folder / "dev.jsonl").exists() or not (folder / "dev_articles.jsonl").exists():
        print(f"\n2. PolNeAR: {folder}/dev.jsonl or dev_articles.jsonl not found, skipped")
        return
    articles = {row["doc"]: row["text"] for row in read_jsonl(folder / "dev_articles.jsonl")}
    rows = [row for row in read_jsonl(folder / "dev.jsonl") if not row["heading"]]
    flagged: set[tuple[str, int]] = set()
    for doc, text in articles.items():
        flagged.update((doc, s.start) for s in suggest(text) if s.kind == "unsourced")
    detectors: dict[str, Callable[[dict], bool]] = {
        "suggest": lambda row: (row["doc"], row["start"]) in flagged,
        "baseline": lambda row: not BASELINE_REPORTING_RE.search(row["text"]),
    }
    print(f"\n2. Unsourced claims on PolNeAR, official dev split ({len(articles)} articles, "
          f"{len(rows)} body sentences, {sum(r['label'] for r in rows)} with no attribution)")
    for name, detect in detectors.items():
        hits = [row for row in rows if detect(row)]
        own_source = sum(bool(ATTRIBUTION_OWN_SOURCE & set(row["roles"])) for row in hits)
        share = own_source / len(hits) if hits else 0.0
        confusion = Confusion((detect(row), row["label"] == 1) for row in rows)
        share_goal = f"  {_goal(share, 0.15, at_most=True)}" if name == "suggest" else ""
        f1_goal = f"  {_goal(confusion.f1, 0.6)}" if name == "suggest" else ""
        print(f"  {name:8s} flags {len(hits):4d}; naming their own source: {share:6.1%}{share_goal}")
        print(f"  {name:8s} vs 'no attribution': {confusion}{f1_goal}")
    _polnear_ceiling(articles, rows)


@contextmanager
def weights_keeping_all(**thresholds: float) -> Iterator[None]:
    """The named fitted models replaced, for the block, by empty weights with these thresholds
    (-inf accepts everything, +inf nothing): what the rules do with the weights out of the way."""
    saved = dict(MODELS)
    for name, threshold in thresholds.items():
        MODELS[name] = {"bias": 0.0, "weights": {}, "threshold": threshold}
    _model.cache_clear()
    try:
        yield
    finally:
        MODELS.clear()
        MODELS.update(saved)
        _model.cache_clear()


def _polnear_ceiling(articles: dict[str, str], rows: list[dict]) -> None:
    """What the rules allow at most: every sentence that can be given an unsourced reason.

    With the fitted weights switched to keep every candidate, `suggest` flags each body sentence
    its rules do not rule out (a quotation, a verb of saying, a named source or record, a question,
    a guess with "may", a time stamp). No choice of weights can flag more, so this bounds both
    PolNeAR figures from one side: not a goal, a measure of the room the weights have.
    """
    with weights_keeping_all(own_source=math.inf, no_attribution=-math.inf):
        flagged = {(doc, s.start) for doc, text in articles.items() for s in suggest(text) if s.kind == "unsourced"}
    hits = [row for row in rows if (row["doc"], row["start"]) in flagged]
    share = sum(bool(ATTRIBUTION_OWN_SOURCE & set(row["roles"])) for row in hits) / max(1, len(hits))
    confusion = Confusion(((row["doc"], row["start"]) in flagged, row["label"] == 1) for row in rows)
    # Lines with no word of three letters ("7 p.m.", "___."): unattributed, but no claim to source.
    no_words = sum(row["label"] == 1 and not re.search(r"[A-Za-z]{3}", row["text"]) for row in rows)
    print(f"  ceiling  (every sentence the rules allow, weights keeping all) flags {len(hits):4d}; "
          f"naming their own source: {share:6.1%}")
    print(f"  ceiling  vs 'no attribution': {confusion}; {no_words} of the no-attribution sentences are "
          "time stamps or separators with no word of three letters")


# --- 3. hedges, sentence level ----------------------------------------------------------------


def epistemic_cue(cue: str) -> bool:
    """Whether an SFU speculation cue is epistemic: "couldn't" and "must not" count as their
    modal, "and / or" as "or"; any other cue outside NON_EPISTEMIC_CUES is epistemic."""
    words = re.findall(r"[a-z]+", cue.lower().replace("\x92", "'").replace("n't", ""))
    words = [word for word in words if word not in {"not", "and", "d"}]
    return bool(words) and not set(words) <= NON_EPISTEMIC_CUES


def _hedge_line(split: str, name: str, confusion: Confusion, goal: float | None) -> str:
    note = f"  {_goal(confusion.f1, goal)}" if goal is not None and name == "suggest" else ""
    return f"  {split:34s} {name:8s} {confusion}{note}"


def _bench_sentences(title: str, split: str, sentences: list[tuple[str, bool]], goal: float) -> None:
    positives = sum(label for _, label in sentences)
    print(f"\n3. {title} ({len(sentences)} sentences, {positives} uncertain)")
    detectors = {"suggest": has_hedge, "baseline": lambda s: bool(BASELINE_HEDGE_RE.search(s))}
    for name, detect in detectors.items():
        print(_hedge_line(split, name, Confusion((detect(text), label) for text, label in sentences), goal))


def load_szeged(data: Path) -> list[dict] | None:
    path = data / "szeged_news" / "train.jsonl"
    return read_jsonl(path) if path.exists() else None


def load_sfu(data: Path) -> list[dict] | None:
    path = data / "sfu_reviews" / "train.jsonl"
    return read_jsonl(path) if path.exists() else None


def detokenise(text: str) -> str:
    """Undo the Penn Treebank tokenisation of WikiWeasel: brackets, quotes, split clitics."""
    escapes = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
    text = text.replace("\\ n", " ")
    for escape, bracket in escapes.items():
        text = text.replace(escape, bracket)
    text = text.replace("``", "“").replace("''", "”")
    text = re.sub(r"`\s*", "‘", text)
    text = re.sub(r"“\s+", "“", text)
    text = re.sub(r"\s+”", "”", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    text = re.sub(r"\s+([.,;:!?)\]}])", r"\1", text)
    text = re.sub(r"([(\[{])\s+", r"\1", text)
    return " ".join(text.split())


def load_wikiweasel(data: Path) -> list[tuple[str, bool]] | None:
    path = data / "wikiweasel" / "train.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as handle:
        return [(detokenise(row["text"]), row["label"] == "1") for row in csv.DictReader(handle)]


def bench_hedge_corpora(data: Path) -> None:
    szeged = load_szeged(data)
    if szeged is None:
        print(f"\n3. Szeged news: {data}/szeged_news/train.jsonl not found, skipped")
    else:
        dev = [(detokenise(row["text"]), bool(row["label_no_condition"])) for row in szeged if is_dev(row["doc"])]
        _bench_sentences("Hedges on Szeged news, conditional cues aside", "dev (documents with crc32 % 5 == 0)",
                         dev, 0.6)
    sfu = load_sfu(data)
    if sfu is None:
        print(f"\n3. SFU reviews: {data}/sfu_reviews/train.jsonl not found, skipped")
    else:
        dev = [(detokenise(row["text"].replace("\x92", "'")), any(epistemic_cue(cue) for cue in row["cues"]))
               for row in sfu if is_dev(row["doc"])]
        _bench_sentences("Hedges on SFU reviews, epistemic speculation", "dev (documents with crc32 % 5 == 0)",
                         dev, 0.7)
    wiki = load_wikiweasel(data)
    if wiki is None:
        print(f"\n3. WikiWeasel: {data}/wikiweasel/train.csv not found, skipped")
    else:
        dev = wiki[::HELD_OUT_EVERY]
        _bench_sentences("Hedges on WikiWeasel", "dev (every fifth row)", dev, 0.65)
        # The lexicon's own bound: every cue kept whatever the hedge weights say of its context.
        with weights_keeping_all(hedge=-math.inf):
            confusion = Confusion((has_hedge(text), label) for text, label in dev)
        print(_hedge_line("dev (every fifth row)", "ceiling", confusion, None)
              + "  (every lexicon cue kept, whatever the weights say)")


# --- 4. speed ---------------------------------------------------------------------------------


def _median_ms(action: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter) -> float:
    timings = []
    for _ in range(runs):
        began = clock()
        action()
        timings.append((clock() - began) * 1000)
    return statistics.median(timings)


def article_of_size(kilobytes: int) -> str:
    """The case study's paragraphs repeated until the text is `kilobytes` long (UTF-8)."""
    paragraphs = CASE_STUDY.read_text(encoding="utf-8").split("\n\n")
    parts: list[str] = []
    size = 0
    while size < kilobytes * 1024:
        paragraph = paragraphs[len(parts) % len(paragraphs)]
        parts.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(parts)


def bench_timing(runs: int) -> None:
    text = CASE_STUDY.read_text(encoding="utf-8")
    total = _median_ms(lambda: suggest(text), runs)
    # Segmentation (webapp/domain/article.py) is part of every call; shown apart to say where time goes.
    segmentation = _median_ms(lambda: Article(text).words, runs)
    hedges = len(find_hedges(Article(text)))
    print(f"\n4. suggest() on the case study ({len(text.encode()) / 1024:.1f} KB, {hedges} hedge cues): "
          f"median {total:.1f} ms over {runs} runs, of which Article segmentation {segmentation:.1f} ms")
    for kilobytes, goal_ms in ((40, 200), (200, 1000)):
        big = article_of_size(kilobytes)
        elapsed = _median_ms(lambda big=big: suggest(big), max(3, runs // 3))
        # CPU time is the work suggest() does; on a shared machine the wall clock also counts the
        # time other processes hold the cores, so the goal is judged on CPU time and both shown.
        cpu = _median_ms(lambda big=big: suggest(big), max(3, runs // 3), time.process_time)
        verdict = "met" if cpu <= goal_ms else "NOT MET"
        print(f"   suggest() on {kilobytes} KB (the case study repeated): median {cpu:.0f} ms CPU, "
              f"{elapsed:.0f} ms wall clock (goal < {goal_ms} ms: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="labelled-data folder (default ../shared/data beside the repository)")
    parser.add_argument("--runs", type=int, default=15, help="timing runs of suggest() (default 15)")
    args = parser.parse_args()
    bench_keys()
    bench_polnear(args.data)
    bench_hedge_corpora(args.data)
    bench_timing(args.runs)


if __name__ == "__main__":
    main()
