"""Exact Chinese search over the built site: analyzer, index builder, shard layout.

``analyzer`` defines the one search semantics (normalisation, query phrases,
文号 forms) that ``assets/search/*.js`` mirror in the browser; a
Chromium test checks the two agree over a table of strings.  ``builder`` turns
the reports into the files under ``site/search/``.
"""
