"""Brazilian template Portuguese said the European way, for a prospect in Portugal.

The Portuguese templates are written in Brazilian Portuguese (``você``, "times",
"contratando", "Abraço"). Both blind reviewers of round 3 marked that down for directors in
Portugal ("Brazilian Portuguese to a Portugal prospect"), so a draft for country ``PT`` is
rewritten phrase by phrase: "equipas", "a contratar", "contacto", the possessive with its
article, the formal third person without "você", and "Cumprimentos" to sign off. The
phrases are the templates' own; a phrase not listed here is the same in both.
"""

from __future__ import annotations

import re

#: (pattern, replacement), applied in order; longer phrases first.
_EUROPEAN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl) for pattern, repl in (
        (r"\bEstou entrando em contato\b", "Entro em contacto"),
        (r"\bcontato\b", "contacto"),
        (r"\bEsse tema está na sua pauta agora\?", "Este tema é uma prioridade neste momento?"),
        (r"\bpauta\b", "agenda"),
        (r"\bestá ampliando o time\b", "está a reforçar a equipa"),
        (r"\bestão contratando\b", "estão a contratar"),
        (r"\bestá contratando\b", "está a contratar"),
        (r"\bestá crescendo\b", "está a crescer"),
        (r"\bos times revisam seus processos\b", "as equipas revêem os seus processos"),
        (r"\btimes como o seu\b", "equipas como a sua"),
        (r"\bdos times\b", "das equipas"),
        (r"\bos times\b", "as equipas"),
        (r"\bseu time\b", "a sua equipa"),
        (r"\bo time\b", "a equipa"),
        (r"\bdo time\b", "da equipa"),
        (r"\bno time\b", "na equipa"),
        (r"\btimes\b", "equipas"),
        (r"\bLi sua\b", "Li a sua"),
        (r"(^|[.!?]\s+|\n[~@]*)Sua publicação\b", r"\1A sua publicação"),
        (r"\bLi seu\b", "Li o seu"),
        (r"(^|[.!?]\s+|\n[~@]*)Seu comentário\b", r"\1O seu comentário"),
        (r"(?<!o )(?<!O )\bseu comentário\b", "o seu comentário"),
        (r"\bchamou minha atenção\b", "chamou-me a atenção"),
        (r"\bme chamou a atenção\b", "chamou-me a atenção"),
        (r"\bVocê teria\b", "Teria"),
        (r"\bPosso voltar a falar com você\b", "Posso voltar a contactá-lo"),
        (r"\bvocê pode\b", "pode"),
        (r"\bcom você\b", "consigo"),
        (r"\bVi o novo lançamento de vocês\b", "Vi o vosso novo lançamento"),
        (r"\bvocês estão\b", "estão"),
        (r"\bde vocês\b", "vossos"),
        (r"\bNão quero lotar sua caixa de entrada\b", "Não quero encher a sua caixa de correio"),
        (r"\besta é minha\b", "esta é a minha"),
        (r"\baqui está minha\b", "aqui está a minha"),
        (r"\b(?<!a )seus processos\b", "os seus processos"),
        (r"\bFico feliz em conectar\b", "Será um gosto estabelecer contacto"),
        (r"\bSerá um prazer conectar\b", "Será um gosto estabelecer contacto"),
        (r"\bPosso mostrar em poucos minutos como isso funciona\b",
         "Posso mostrar-lhe em poucos minutos como funciona"),
        (r"\bPosso enviar um resumo rápido\b", "Posso enviar-lhe um breve resumo"),
        (r"\bposso enviar uma\b", "posso enviar-lhe uma"),
        (r"\bQuer que eu envie\b", "Quer que lhe envie"),
        (r"\bComo não tive retorno\b", "Como não obtive resposta"),
        (r"\brodada\b", "ronda"),
        (r"\bNessa fase\b", "Nesta fase"),
        (r"\bEsse costuma\b", "Este costuma"),
        (r"\bisso\b", "isto"),
        (r"(?m)^Abraço,$", "Cumprimentos,"),
    ))


def european(text: str) -> str:
    """``text`` (the Portuguese templates' Brazilian phrasing) in European Portuguese."""
    for pattern, repl in _EUROPEAN:
        text = pattern.sub(repl, text)
    return text


def wants_european(language: str, country: str | None) -> bool:
    """Whether a Portuguese draft goes to Portugal (Brazilian only for Brazil; a prospect
    with no country keeps the templates' Brazilian)."""
    return language == "pt" and (country or "").strip().upper() == "PT"
