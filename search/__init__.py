"""Whole-site search (`/<lang>/search/?q=`) and the command that rebuilds search documents.

This app sits at the top of the app graph (DESIGN §2): it imports members, working_groups,
knowledge_bank and advocacy (and, once they exist, news and events) and nothing imports it.
What is searched is listed in `search.registry.KINDS`.
"""
