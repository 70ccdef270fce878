"""Offline sentiment and language for Greek, English and Greeklish (no database, no downloads).

:func:`keryx.insights.sentiment.analyser.analyse` is the entry point; it needs neither Django nor
a database, so ``keryx analyze`` starts fast on a fresh home.
"""
