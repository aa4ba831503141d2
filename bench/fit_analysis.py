"""Fit the answer-key assistant's weights and write webapp/domain/analysis_weights.json.

    pip install -e '.[fit]'   # scikit-learn, needed here only: the app scores in pure Python
    python bench/fit_analysis.py [--data DIR] [--only hedge|unsourced] [--account-veto P]

Reads the labelled data from DIR (default ../shared/data beside the repository; see its README)
and never the dev splits that bench/analysis.py reports on: PolNeAR's dev.jsonl, and the Szeged,
SFU and WikiWeasel rows that `is_dev` / every fifth row set aside. Deterministic: the same data
gives the same file.

Three logistic models, each over string features that webapp/domain/analysis.py computes itself:
- "hedge" scores each context-dependent lexicon cue ("some", "some critics", "think") that passed
  its guard, from the cue, its lexicon category and its neighbouring words; the other cues are
  always kept.
  Labels: on Szeged news and SFU reviews a cue is right when it is one of the sentence's annotated
  cues (conditional cues aside; on SFU only epistemic ones); WikiWeasel has sentence labels only,
  so there a cue takes its sentence's label. Each corpus weighs the same in the fit.
- "no_attribution" and "own_source" score PolNeAR train sentences: does the sentence overlap no
  attribution at all; does it hold an attribution's source or cue. Both are fitted on every body
  sentence, each marked with the kind analysis._unsourced_rules gives it ("account", "named
  account", "claim", or "ruled out" when the rules decide it alone), and see its words, word
  pairs, stems and opening. Named accounts and claims must pass both thresholds; accounts whose
  actor is unnamed only the veto (--account-veto).
Thresholds are chosen on a tuning part of the training data (documents whose CRC-32 is 1 mod 5,
WikiWeasel rows 1 mod 5; PolNeAR train documents 0 mod 5), then each model is refitted on all its
training data with the threshold kept: hedges for the best mean sentence F1 over the three
corpora, unsourced for the best F1 against "no attribution" among thresholds whose flags (accounts
held back at --account-veto, as shipped) hold an attribution's source or cue at most
OWN_SOURCE_LIMIT of the time.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import zlib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.analysis import (  # noqa: E402
    DEFAULT_DATA,
    detokenise,
    epistemic_cue,
    is_dev,
    load_sfu,
    load_szeged,
    load_wikiweasel,
    read_jsonl,
)
from webapp.domain import analysis  # noqa: E402
from webapp.domain.article import Article  # noqa: E402

try:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
except ImportError:  # pragma: no cover - a message beats a traceback
    sys.exit("bench/fit_analysis.py needs scikit-learn: pip install -e '.[fit]'")

OUTPUT = ROOT / "webapp" / "domain" / "analysis_weights.json"
TUNE_REMAINDER = 1  # Szeged/SFU documents and WikiWeasel rows with this remainder mod 5 tune thresholds
# Below the goal's 15%, leaving a margin for new text. Too thin a margin: the tuning fifth is the
# most lenient of the five, and on the other four, held out in turn, the chosen thresholds flag
# about 16.7% that name their own source (README, "Last runs here").
OWN_SOURCE_LIMIT = 0.13
HEDGE_C = 0.5
# How much each hedge corpus weighs in the fit, after evening out their sizes.
CORPUS_WEIGHTS = {"szeged": 1.0, "sfu": 1.0, "wiki": 1.0}
ATTRIBUTION_C = 0.1
MAX_FEATURES = 3000  # per model, by weight: keeps the shipped file small
MIN_WEIGHT = 0.02
# Accounts of what happened ("These firms brought expertise") are what the case-study key marks
# most; PolNeAR counts many as attributed (the actor is a source). Holding them back only above
# this probability keeps the case-study F1 above 0.85; the threshold grid counts the accounts it
# lets through, so the fitted plain-claim thresholds tighten to keep the share in bounds.
ACCOUNT_VETO = 0.6
# Own-source probabilities tried as the veto of plain claims.
VETO_GRID = tuple(step / 40 for step in range(4, 21))  # 0.1, 0.125, ..., 0.5
CONDITIONAL_CUES = {"if", "unless", "until", "once", "provided", "when"}


def _identity(features: list[str]) -> list[str]:
    return features


def _logit(probability: float) -> float:
    return math.log(probability / (1 - probability))


def _fit(examples: list[list[str]], labels: list[int], weights: list[float] | None, c: float):
    vectorizer = CountVectorizer(analyzer=_identity, binary=True, min_df=2)
    matrix = vectorizer.fit_transform(examples)
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(matrix, labels, sample_weight=weights)
    return vectorizer, model


def _spec(vectorizer, model, threshold: float) -> dict:
    names = vectorizer.get_feature_names_out()
    coefficients = model.coef_[0]
    ranked = sorted(range(len(names)), key=lambda index: -abs(coefficients[index]))
    weights = {str(names[index]): round(float(coefficients[index]), 3) for index in ranked[:MAX_FEATURES]
               if abs(coefficients[index]) >= MIN_WEIGHT}
    return {"bias": round(float(model.intercept_[0]), 3), "threshold": round(threshold, 3),
            "weights": dict(sorted(weights.items()))}


def _f1(true_pos: int, false_pos: int, false_neg: int) -> float:
    return 2 * true_pos / (2 * true_pos + false_pos + false_neg) if true_pos else 0.0


# --- hedges -----------------------------------------------------------------------------------


def _cue_words(cue: str) -> set[str]:
    return set(cue.lower().replace("\x92", "'").replace("’", "'").split())


def hedge_sentences(data: Path) -> dict[str, list[tuple[str, bool, set[str] | None, bool]]]:
    """Per corpus: (text, sentence label, words of its right cues or None, in the tuning part)."""
    corpora: dict[str, list] = {}
    szeged = load_szeged(data)
    if szeged:
        corpora["szeged"] = [
            (detokenise(row["text"]), bool(row["label_no_condition"]),
             # cue_types is the set of the sentence's types, not one per cue: drop the
             # conditional words by name instead.
             set().union(*[_cue_words(cue) for cue in row["cues"]]) - CONDITIONAL_CUES
             if row["label_no_condition"] else set(),
             zlib.crc32(row["doc"].encode()) % 5 == TUNE_REMAINDER)
            for row in szeged if not is_dev(row["doc"])
        ]
    sfu = load_sfu(data)
    if sfu:
        corpora["sfu"] = [
            (detokenise(row["text"].replace("\x92", "'")), any(epistemic_cue(cue) for cue in row["cues"]),
             set().union(*[_cue_words(cue) for cue in row["cues"] if epistemic_cue(cue)]),
             zlib.crc32(row["doc"].encode()) % 5 == TUNE_REMAINDER)
            for row in sfu if not is_dev(row["doc"])
        ]
    wiki = load_wikiweasel(data)
    if wiki:
        corpora["wiki"] = [(text, label, None, index % 5 == TUNE_REMAINDER)
                           for index, (text, label) in enumerate(wiki) if index % 5]
    return corpora


def fit_hedges(data: Path) -> dict | None:
    corpora = hedge_sentences(data)
    if not corpora:
        print("no hedge corpora found: hedge model not fitted")
        return None
    # (corpus, sentence index, features, label, tuning part)
    candidates = []
    sentence_labels: dict[str, list[tuple[bool, bool]]] = {}
    always: set[tuple[str, int]] = set()  # sentences with a cue kept whatever the weights say
    for name, sentences in corpora.items():
        sentence_labels[name] = []
        for number, (text, label, right_cues, tuning) in enumerate(sentences):
            sentence_labels[name].append((label, tuning))
            if not text.strip():
                continue
            for candidate in analysis._hedge_candidates(Article(text)):
                if not candidate.context_dependent:
                    always.add((name, number))
                    continue
                cue = candidate.suggestion.reason.split("“")[1].split("”")[0]
                right = label if right_cues is None else bool(_cue_words(cue) & right_cues)
                candidates.append((name, number, candidate.features, int(right), tuning))
    per_corpus = defaultdict(int)
    for name, *_ in candidates:
        per_corpus[name] += 1

    def fit(rows):
        return _fit([row[2] for row in rows], [row[3] for row in rows],
                    [1000 * CORPUS_WEIGHTS[row[0]] / per_corpus[row[0]] for row in rows], HEDGE_C)

    vectorizer, model = fit([row for row in candidates if not row[4]])
    tuning = [row for row in candidates if row[4]]
    scores = model.decision_function(vectorizer.transform([row[2] for row in tuning]))
    best_max: dict[tuple[str, int], float] = {}
    for row, score in zip(tuning, scores, strict=True):
        key = (row[0], row[1])
        best_max[key] = max(best_max.get(key, -1e9), float(score))
    best = (-1.0, 0.0, [])
    for step in range(-30, 31):
        threshold = step / 10
        f1s = []
        for name, labels in sentence_labels.items():
            counts = [0, 0, 0]
            for number, (label, in_tuning) in enumerate(labels):
                if not in_tuning:
                    continue
                predicted = (name, number) in always or best_max.get((name, number), -1e9) >= threshold
                counts[0] += predicted and label
                counts[1] += predicted and not label
                counts[2] += label and not predicted
            f1s.append(_f1(*counts))
        mean = sum(f1s) / len(f1s)
        if mean > best[0]:
            best = (mean, threshold, f1s)
    per_corpus_f1 = ", ".join(f"{name} {f1:.3f}" for name, f1 in zip(sentence_labels, best[2], strict=True))
    print(f"hedge: threshold {best[1]:+.1f} (log-odds), tuning sentence F1 {per_corpus_f1}, mean {best[0]:.3f}")
    vectorizer, model = fit(candidates)
    return _spec(vectorizer, model, best[1])


# --- unsourced claims -------------------------------------------------------------------------


def polnear_sentences(data: Path):
    """PolNeAR train sentences as analysis sees them: (doc, sentence, row) for body sentences."""
    folder = data / "polnear"
    rows = {(row["doc"], row["start"]): row for row in read_jsonl(folder / "train.jsonl")}
    for article in read_jsonl(folder / "train_articles.jsonl"):
        for sentence in analysis._sentences(Article(article["text"])):
            row = rows.get((article["doc"], sentence.unit.start))
            if row is not None and not sentence.heading:
                yield article["doc"], sentence, row


def fit_attribution(data: Path, account_veto: float | None = None) -> dict[str, dict] | None:
    if not (data / "polnear" / "train.jsonl").exists():
        print("PolNeAR train not found: unsourced models not fitted")
        return None
    sentences = list(polnear_sentences(data))
    # What the rules say of each sentence; the weights are fitted on every sentence, each
    # marked with the kind the rules give it ("ruled out" when they decide it themselves).
    rules = [analysis._unsourced_rules(sentence) for _, sentence, _ in sentences]
    kinds = [candidate[0] if candidate else "ruled out" for _, candidate in rules]
    features = [analysis._attribution_features(sentence, kind)
                for (_, sentence, _), kind in zip(sentences, kinds, strict=True)]
    no_attribution = [int(row["label"]) for _, _, row in sentences]
    own_source = [int(bool({"Source", "Cue"} & set(row["roles"]))) for _, _, row in sentences]
    tuning = [zlib.crc32(doc.encode()) % 5 == 0 for doc, _, _ in sentences]

    def fit(labels, rows):
        return _fit([features[i] for i in rows], [labels[i] for i in rows], None, ATTRIBUTION_C)

    fitting_rows = [i for i, tune in enumerate(tuning) if not tune]
    models = {"no_attribution": fit(no_attribution, fitting_rows), "own_source": fit(own_source, fitting_rows)}
    tuning_rows = [i for i, tune in enumerate(tuning) if tune]
    # The rules' verdicts (analysis._unsourced_rules) and the kind of sentence the weights decide.
    stages = {
        "rules": [rules[i][0] is not None for i in tuning_rows],
        "narrative": [kinds[i] == "account" for i in tuning_rows],
        # Plain claims and accounts naming their actor: both must also look unattributed.
        "claim": [kinds[i] in ("claim", "named account") for i in tuning_rows],
    }
    tuning_features = [features[i] for i in tuning_rows]
    no_attribution_p = models["no_attribution"][1].predict_proba(
        models["no_attribution"][0].transform(tuning_features))[:, 1]
    own_source_p = models["own_source"][1].predict_proba(models["own_source"][0].transform(tuning_features))[:, 1]
    best = (-1.0, 0.0, 0.0, 0.0)
    for claim_at in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7):
        for veto_at in VETO_GRID:
            counts, own = [0, 0, 0], 0
            # Accounts are held back at their own probability when --account-veto sets one, as
            # analysis._unsourced_reason does, so the share counted here is the one shipped.
            account_at = veto_at if account_veto is None else account_veto
            for k, i in enumerate(tuning_rows):
                flagged = (stages["rules"][k] or stages["narrative"][k] and own_source_p[k] < account_at
                           or stages["claim"][k] and own_source_p[k] < veto_at and no_attribution_p[k] >= claim_at)
                label = bool(no_attribution[i])
                counts[0] += flagged and label
                counts[1] += flagged and not label
                counts[2] += label and not flagged
                own += flagged and own_source[i]
            share = own / max(1, counts[0] + counts[1])
            f1 = _f1(*counts)
            print(f"  claim p ≥ {claim_at:.2f}, veto p ≥ {veto_at:.2f}: F1 {f1:.3f}, own source {share:.1%}, "
                  f"{counts[0] + counts[1]} flagged")
            if share <= OWN_SOURCE_LIMIT and f1 > best[0]:
                best = (f1, claim_at, veto_at, share)
    if best[0] < 0:
        print(f"no thresholds keep the share naming their own source under {OWN_SOURCE_LIMIT:.0%}: "
              "taking the strictest")
        best = (0.0, 0.7, 0.1, 0.0)
    f1, no_attribution_p, own_source_p, share = best
    print(f"unsourced: no attribution p ≥ {no_attribution_p}, own source p ≥ {own_source_p} vetoes; "
          f"tuning F1 {f1:.3f}, {share:.1%} naming their own source")
    all_rows = list(range(len(sentences)))
    own_source_spec = _spec(*fit(own_source, all_rows), _logit(own_source_p))
    if account_veto is not None:
        # Accounts of what happened ("They highlighted his resignation") are vetoed only when the
        # model is at least this sure that the sentence names who acts or speaks.
        own_source_spec["account_threshold"] = round(_logit(account_veto), 3)
    return {
        "no_attribution": _spec(*fit(no_attribution, all_rows), _logit(no_attribution_p)),
        "own_source": own_source_spec,
    }


# --- output -----------------------------------------------------------------------------------


def write_weights(models: dict[str, dict], path: Path) -> None:
    """The models as JSON, keys sorted, so a refit on the same data writes the same bytes."""
    path.write_text(json.dumps(models, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="labelled-data folder (default ../shared/data beside the repository)")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="weights file to write")
    parser.add_argument("--only", choices=("hedge", "unsourced"),
                        help="refit only these models and keep the others as they are")
    parser.add_argument("--account-veto", type=float, metavar="P", default=ACCOUNT_VETO,
                        help="probability of naming a source at which an unattributed account of what "
                             f"happened is held back (default {ACCOUNT_VETO}); higher finds more of the "
                             "case-study key and flags more news sentences that name a source")
    args = parser.parse_args()
    models: dict[str, dict] = dict(analysis.MODELS) if args.only else {}
    analysis.MODELS.clear()  # fit against the rules alone, not against a previous fit
    analysis._model.cache_clear()
    if args.only in (None, "hedge"):
        hedge = fit_hedges(args.data)
        if hedge:
            models["hedge"] = hedge
    if args.only in (None, "unsourced"):
        attribution = fit_attribution(args.data, args.account_veto)
        if attribution:
            models.update(attribution)
    write_weights(models, args.out)


if __name__ == "__main__":
    main()
