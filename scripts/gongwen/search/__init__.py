"""Chinese search over the built site: query analysis, index builder, shard layout.

``analyzer`` defines the exact semantics (normalisation, query phrases, 文号 forms); ``names`` the
name forms (科技局 ↔ 科学技术局, 义马 ↔ 义马市); ``lexicon`` the word data derived from jieba's
dictionary and OpenCC's table; ``words`` jieba's cut and the words of a query.  The browser code in
``docs/assets/search/*.js`` mirrors them over the same files; Chromium tests check they agree.
``builder`` turns the reports into the files under ``site/search/``.
"""
