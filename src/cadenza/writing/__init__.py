"""Writing a touch: names, facts, safety screening, sentence building, the template and LLM
drafters, the deterministic checker and the draft → check → revise loop (``revising``) — one
vocabulary, and one loop, used by the touch graph and by ``cadenza eval drafts`` alike.

Pure functions of the prospect record, the sender profile and the playbook step: no database,
no network except the LLM behind :mod:`cadenza.llm`. Imports ``sender``, ``prospects``,
``prompts``, ``playbooks`` and ``llm``; ``agent`` and ``evals`` import it, never the reverse.
"""
