"""Benchmark of the answer-key assistant (webapp/analysis.py).

    python bench/analysis.py [--wikiweasel PATH] [--runs N]

Prints, each beside a baseline:
1. per-kind precision, recall and F1 of `suggest` against the keys in quizzes/*.yaml. A required
   key item is found when a suggestion of the same kind overlaps it (recall is over required
   items); a suggestion is a true positive when it overlaps any key item of its kind, required
   or acceptable, else a false positive. Baselines: a plain hedge word list for hedges, and
   "every sentence" for the sentence kinds.
2. sentence-level hedge precision, recall and F1 on WikiWeasel (a sentence is predicted uncertain
   when at least one hedge cue is found), on the whole file and on the held-out fifth (rows
   0, 5, 10, ...) that played no part in choosing the lexicon, which was tuned on the other rows.
   A second row for `suggest` leaves out the bare modals ("may", "might", "could"), which
   WikiWeasel does not mark but the app keeps for news: it shows what keeping them costs there.
3. the median time of `suggest` on the case-study article.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.domain.analysis import KINDS, Suggestion, find_hedges, has_hedge, suggest  # noqa: E402
from webapp.domain.article import Article, canonical_text  # noqa: E402
from webapp.domain.content import ArticleStore, ContentError, Exercise, parse_quiz_file  # noqa: E402

CASE_STUDY = ROOT / "seeds" / "000_1c820eb4196e347a.txt"
DEFAULT_WIKIWEASEL = ROOT.parent / "shared" / "data" / "wikiweasel" / "train.csv"
HELD_OUT_EVERY = 5  # rows whose index is a multiple of this were held out from tuning

# The baseline: a plain list of common hedge words, matched on word boundaries, no context.
BASELINE_HEDGE_RE = re.compile(
    r"\b(?:may|might|could|perhaps|possibly|probably|likely|apparently|reportedly|allegedly|"
    r"seems?|appears?|suggests?|potentially|somewhat|believed|presumably|arguably)\b",
    re.IGNORECASE,
)
# Cues WikiWeasel's labels ignore (see the trade-offs above HEDGE_CUES in webapp/analysis.py).
BARE_MODALS = {"may", "might", "could"}
# Penn Treebank escapes in WikiWeasel, undone before analysis.
PTB_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}


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

    def __str__(self) -> str:
        guesses = self.true_positives + self.false_positives
        precision = self.true_positives / guesses if guesses else 0.0
        recall = self.found / self.required if self.required else 0.0
        return _prf(precision, recall) + f"  ({self.found}/{self.required} found, {self.false_positives} false)"


def _prf(precision: float, recall: float) -> str:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}"


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


def bench_keys() -> None:
    exercises = load_keys()
    totals = {name: defaultdict(Score) for name in ("suggest", "baseline")}
    print("Against the answer keys (quizzes/*.yaml)")
    for exercise in exercises:
        article = exercise.article
        for name, suggestions in (("suggest", suggest(article.text)),
                                  ("baseline", baseline_suggestions(article))):
            score = score_exercise(exercise, suggestions)
            totals[name][exercise.kind].add(score)
            print(f"  {exercise.id:24s} {name:8s} {score}")
    for kind in KINDS:
        print(f"  all {kind:20s} suggest  {totals['suggest'][kind]}")
        print(f"  all {kind:20s} baseline {totals['baseline'][kind]}")


def detokenise(text: str) -> str:
    """Undo the Penn Treebank tokenisation of WikiWeasel: brackets, quotes, split clitics."""
    text = text.replace("\\ n", " ")
    for escape, bracket in PTB_BRACKETS.items():
        text = text.replace(escape, bracket)
    text = text.replace("``", "“").replace("''", "”")
    text = re.sub(r"`\s*", "‘", text)
    text = re.sub(r"“\s+", "“", text)
    text = re.sub(r"\s+”", "”", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    text = re.sub(r"\s+([.,;:!?)\]}])", r"\1", text)
    text = re.sub(r"([(\[{])\s+", r"\1", text)
    return " ".join(text.split())


def has_hedge_besides_bare_modals(sentence: str) -> bool:
    if not canonical_text(sentence):
        return False
    article = Article(sentence)
    return any(article.text[s.start:s.end].lower() not in BARE_MODALS for s in find_hedges(article))


def bench_wikiweasel(path: Path) -> None:
    if not path.exists():
        print(f"\nWikiWeasel: {path} not found, skipped")
        return
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(detokenise(row["text"]), row["label"] == "1") for row in csv.DictReader(handle)]
    detectors = {
        "suggest": has_hedge,
        "suggest without bare modals": has_hedge_besides_bare_modals,
        "baseline": lambda sentence: bool(BASELINE_HEDGE_RE.search(sentence)),
    }
    splits = {
        "all rows": rows,
        "held-out fifth": rows[::HELD_OUT_EVERY],
    }
    print(f"\nWikiWeasel sentence-level hedge detection ({path.name}, {len(rows)} sentences)")
    for split, sample in splits.items():
        for name, detect in detectors.items():
            counts = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
            for sentence, uncertain in sample:
                counts[(detect(sentence), uncertain)] += 1
            true_pos, false_pos, false_neg = counts[(True, True)], counts[(True, False)], counts[(False, True)]
            precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
            recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 0.0
            print(f"  {split:15s} {name:28s} {_prf(precision, recall)}")


def _median_ms(action, runs: int) -> float:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def bench_timing(runs: int) -> None:
    text = CASE_STUDY.read_text(encoding="utf-8")
    total = _median_ms(lambda: suggest(text), runs)
    # Segmentation (webapp/article.py) is part of every call; shown apart to say where time goes.
    segmentation = _median_ms(lambda: Article(text).words, runs)
    hedges = len(find_hedges(Article(text)))
    print(f"\nsuggest() on the case study ({len(text.encode()) / 1024:.1f} KB, {hedges} hedge cues): "
          f"median {total:.1f} ms over {runs} runs (goal < 50 ms), "
          f"of which Article segmentation {segmentation:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wikiweasel", type=Path, default=DEFAULT_WIKIWEASEL,
                        help="WikiWeasel train.csv (text,label); default ../shared/data/wikiweasel/train.csv")
    parser.add_argument("--runs", type=int, default=15, help="timing runs of suggest() (default 15)")
    args = parser.parse_args()
    bench_keys()
    bench_wikiweasel(args.wikiweasel)
    bench_timing(args.runs)


if __name__ == "__main__":
    main()
