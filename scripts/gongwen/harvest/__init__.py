"""``gongwen harvest``: bring the reports in from the portals that publish them, with their provenance.

A source is a listing page (a column of a 政府网站).  ``listing.py`` finds the entries and the other
pages of a listing however the portal paginates; ``rules.py`` picks the annual rule-of-law reports by
their titles (rules in ``data/harvest-titles.yml``); ``pagemeta.py`` reads what a detail page says of
itself and its attachments; ``fetch.py`` is the polite HTTP client (robots.txt, one request at a time
per host, retries, size cap, WARC evidence); ``state.py`` keeps what was fetched (SQLite), so that a
second run asks conditionally and a killed run resumes; ``store.py`` writes the corpus folder (one
folder per report, bytes untouched, a ``provenance.yml`` beside them, a changed file kept as a new
version); ``crawl.py`` walks the sources and counts; ``summary.py`` says it in Chinese.
"""
