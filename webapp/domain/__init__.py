"""The pure domain: articles, content, exercise kinds, grading, the check service, scores. No Flask, no SQL."""
