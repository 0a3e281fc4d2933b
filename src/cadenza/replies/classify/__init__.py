"""What an inbound message means: standards (delivery reports, auto-reply headers, bounces),
quote and signature stripping, language, dates, injection screening, cues, the rules and the
shipped model, the LLM layer — pure functions of the raw bytes, no database.
``message.classify_message`` is the entry.
"""
