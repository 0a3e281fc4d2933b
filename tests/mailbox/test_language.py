from __future__ import annotations

import pytest

from cadenza.replies.classify.language import detect_language


@pytest.mark.parametrize(("text", "expected"), [
    ("Thanks for reaching out, we are not interested at the moment.", "en"),
    ("Vielen Dank für Ihre Nachricht, wir haben leider kein Interesse.", "de"),
    ("Merci pour votre message, nous ne sommes pas intéressés pour le moment.", "fr"),
    ("Gracias por su mensaje, no estamos interesados por ahora.", "es"),
    ("Obrigado pela mensagem, não temos interesse no momento.", "pt"),
    ("Bedankt voor uw bericht, wij hebben op dit moment geen interesse.", "nl"),
])
def test_six_languages(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_too_little_text_is_none() -> None:
    assert detect_language("") is None
    assert detect_language("12345 !!!") is None
