"""Offline evaluation of drafts and of the reply classifier, the reports (jinja2 pages in
``templates/``, autoescaped), ``compare`` and the CI gate, the shipped datasets, and the reply
model's trainer.

Evals import the product (``writing``, ``agent``, ``replies``…) to measure it; nothing in the
product imports evals.
"""
