"""Compliance with the rule the reports exist for (《法治政府建设与责任落实督察工作规定》):
required contents (``contents``), on time (``deadline``), year over year (``repeats``),
and the page block that shows them (``checklist``).  Pure functions over ``Report`` values.
"""
