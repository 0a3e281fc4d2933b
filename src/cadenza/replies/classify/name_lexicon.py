"""Word tables for finding people's names in replies, in the eleven languages Cadenza reads.

Pure data, as :mod:`cadenza.replies.classify.date_lexicon` is for dates: titles written before a
name, the particles inside one ("van der", "da"), and the capitalised words that are no one's
name — greetings and sign-offs, pronouns and verbs that open a sentence, weekdays, roles,
organisations and street words. :mod:`cadenza.replies.classify.names` folds them once.
"""

from __future__ import annotations

from cadenza.replies.classify.date_lexicon import WEEKDAYS

#: Titles written before a name (lower case, the dot optional): "Frau Dr.", "Eng.º", "p.".
HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "herr", "herrn", "frau", "m", "mme",
    "mlle", "monsieur", "madame", "mademoiselle", "me", "maître", "sr", "sra", "srta", "señor",
    "señora", "don", "doña", "dña", "da", "d", "dª", "d.ª", "ª", "dott", "dott.ssa", "dottssa",
    "dottoressa", "dottor", "ing", "avv", "sig", "sig.ra", "sigra", "signor", "signora",
    "eng", "eng.o", "engo", "eng.ª", "enga", "engº", "eng.º", "dra", "drª", "exmo", "exma", "p",
    "pan", "pani", "pana", "panią", "panem", "panu", "panie", "mevrouw", "meneer", "mevr", "dhr",
    "heer", "fru", "hr", "fr", "mag", "dipl", "dipl.-ing", "ir", "drs", "mw", "eng.a",
    "dr.a", "dr.ª", "prof.a", "prof.ª", "profa", "profª", "lic", "licda", "arq", "mtro", "mtra",
})
#: A title written before a surname alone, in the form a name takes it ("Herrn" → "Herr").
TITLE_FORMS = {"herrn": "Herr", "frau": "Frau", "herr": "Herr", "mr": "Mr", "mrs": "Mrs",
               "ms": "Ms", "dr": "Dr.", "m": "M.", "mme": "Mme", "sr": "Sr.", "sra": "Sra."}
#: Lower-case words inside a name ("Floor van der Meulen", "Pedro da Silva").
PARTICLES = frozenset({"van", "der", "den", "de", "von", "zu", "da", "das", "dos", "do", "del",
                       "della", "di", "du", "le", "la", "ten", "ter", "af", "y", "e"})
GREETINGS = frozenset({
    "hi", "hello", "hey", "dear", "morning", "afternoon", "evening", "good", "hallo", "guten",
    "tag", "sehr", "geehrte", "geehrter", "liebe", "lieber", "grüß", "gott", "moin", "servus",
    "bonjour", "bonsoir", "cher", "chère", "salut", "hola", "estimado", "estimada", "buenos",
    "buenas", "días", "tardes", "olá", "ola", "oi", "caro", "cara", "prezado", "prezada",
    "bom", "dia", "beste", "geachte", "hoi", "goedemorgen", "goedemiddag", "buongiorno",
    "gentile", "gentilissimo", "gentilissima", "egregio", "ciao", "salve", "dzień", "dobry",
    "szanowny", "szanowna", "szanowni", "witam", "cześć", "hej", "hei", "hejsan", "god",
    "morgon", "goddag", "kære", "kjære", "halløj", "tjena",
})
SIGN_OFFS = frozenset({
    "best", "regards", "thanks", "thank", "cheers", "sincerely", "kind", "warm", "wishes",
    "gruß", "grüße", "gruss", "grüsse", "viele", "beste", "freundliche", "freundlichen", "mfg",
    "lg", "vg", "cordialement", "salutations", "amitiés", "saludos", "saludo", "atentamente",
    "abrazo", "abraço", "abraços", "abs", "bjs", "bjo", "beijos", "cumprimentos",
    "atenciosamente", "groet", "groeten", "gr", "vriendelijke", "hartelijke", "saluti",
    "cordiali", "distinti", "pozdrawiam", "pozdrowienia", "poważaniem", "mvh", "hilsen",
    "hälsningar", "hälsning", "vänliga", "venlig", "vennlig", "venlige", "vennlige", "lycka",
    "held", "luck",
})
# Capitalised words that are no one's name: pronouns and determiners that open a sentence,
# polite German pronouns, and everyday nouns of referrals.
STOP = frozenset({
    "i", "we", "you", "he", "she", "they", "it", "the", "a", "an", "this", "that", "our", "my",
    "your", "his", "her", "their", "please", "not", "no", "yes", "ok", "also", "as", "if",
    "for", "from", "and", "but", "so", "sorry", "unfortunately", "wrong", "person", "team",
    "ich", "wir", "sie", "ihnen", "ihre", "ihr", "ihrer", "ihren", "du", "dir", "dich", "euch",
    "er", "es", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "mein", "meine",
    "unser", "unsere", "unseren", "bitte", "danke", "leider", "mail", "nachricht", "anfrage",
    "je", "nous", "vous", "il", "elle", "ils", "le", "la", "les", "un", "une", "mon", "ma",
    "notre", "votre", "merci", "c'est", "yo", "él", "ella", "usted", "nosotros", "el", "los",
    "las", "mi", "su", "nuestro", "nuestra", "gracias", "eu", "ele", "ela", "você", "o", "os",
    "meu", "minha", "nosso", "nossa", "obrigado", "obrigada", "ik", "wij", "jij", "hij",
    "zij", "het", "een", "mijn", "onze", "uw", "dank", "io", "noi", "lei", "lui", "gli", "lo",
    "mio", "mia", "nostro", "nostra", "grazie", "ja", "pan", "pani", "proszę", "dziękuję",
    "jag", "vi", "han", "hon", "det", "min", "vår", "tack", "jeg", "hun", "vores",
    "takk", "tak", "hr", "ceo", "cfo", "cto", "cio", "coo", "vp",
    "linkedin", "email", "e-mail", "e-post", "mejl", "correo", "maila", "mailem", "adresse",
    "adres", "address", "sein", "seine", "seinen", "seiner", "seinem", "ihrem", "ci", "mu",
    "go", "jej", "nam", "wam", "mnie", "hans", "hennes", "hendes", "dens", "sua", "seu",
    "suo", "sa", "son", "ses", "zijn", "haar",
    # verbs that open a referral sentence ("Adding Hannah", "Escríbele a …", "Prata med …")
    "adding", "looping", "copying", "cc'ing", "forwarding", "including", "ask", "talk",
    "speak", "contact", "write", "reach", "try", "ping", "schreiben",
    "schreib", "wenden", "kontaktieren", "fragen", "écrivez", "écris", "contactez",
    "adressez", "voyez", "escríbeles", "escríbele", "escriba", "escribe", "contacte",
    "hable", "habla", "pregunta", "escreva", "fale", "contate", "contacte-o", "neem", "vraag",
    "bel", "mailen", "scrivi", "scriva", "contatta", "contatti", "senti", "chiedi", "pogadaj",
    "napisz", "zadzwoń", "prata", "kontakta", "skriv", "snakk", "ring", "fråga", "spørg",
    "spør", "tal", "call", "phone", "kontakt", "kollegen", "kollegin", "kollege", "kollega",
    "collega", "collègue", "colega", "compañero", "compañera", "sending",
    # demonstratives a sentence opens on before its verb and the name ("Tym zajmuje się Ewa",
    # "Darum kümmert sich Jonas", "Eso lo lleva Maite", "Di questo se ne occupa Paolo")
    "tym", "tego", "to", "darum", "dafür", "damit", "dies", "eso", "esto", "esa",
    "ese", "isso", "isto", "questo", "quello", "dat", "dit", "cela", "ça", "dette",
    *(w for names in WEEKDAYS.values() for w in names),
})
# A run holding one of these is a role or an organisation ("Head of Security", "Director of
# Operations", "Shared Service Center", "Unidad de Contratación"), not a person.
ROLE_OR_ORG = frozenset({
    "head", "director", "directora", "directeur", "directrice", "diretor", "diretora",
    "direttore", "direttrice", "direktor", "dyrektor", "manager", "managerin", "chief",
    "officer", "lead", "president", "präsident", "président", "presidente", "prezes",
    "registrar", "controller", "engineer", "engineering", "operations", "security", "sales",
    "marketing", "finance", "procurement", "purchasing", "department", "dept", "division",
    "unit", "office", "group", "service", "services", "center", "centre", "centrum",
    "zentrum", "centro", "unidad", "unidade", "unità", "servizio", "serviço", "servicio",
    "dirección", "direção", "direzione", "direction", "ufficio", "afdeling", "abteilung",
    "avdelning", "avdeling", "dział", "departamento", "dipartimento", "département",
    "ltd", "gmbh", "inc", "llc", "plc", "s.a.", "bv", "ab", "as", "aps", "spa", "srl",
    "university", "universität", "université", "universidad", "universidade", "università",
    "hospital", "clinic", "klinik", "clinique", "kommune", "kanzler", "responsabile",
    "responsable", "leiter", "leiterin", "gerente", "kierownik", "chef", "sjef", "affairs",
    "management", "document", "clinical", "academic", "stabsstelle", "team", "teams",
    "produktteam", "revops", "devops", "it", "hr", "ict", "dsi", "rua", "rue", "street",
    "road", "avenue", "calle", "avenida", "straße", "strasse", "gatan", "vej", "veien",
    "laan", "straat", "weg", "piazza", "corso", "ulica", "zespół", "biuro",
    "sekretariat", "secretariat", "secretaría", "secretaria", "segreteria",
    # departments a reply sends you to by name ("Send it to Legal", "schreiben Sie an Vertrieb")
    "legal", "compliance", "accounting", "accounts", "payroll", "billing", "support",
    "vertrieb", "einkauf", "buchhaltung", "achats", "comptabilité", "compras", "ventas",
    "contabilidad", "vendas", "contabilidade", "acquisti", "vendite", "contabilità", "inkoop",
    "verkoop", "boekhouding", "zakupy", "księgowość", "inköp", "innkjøp", "indkøb", "ekonomi",
    "økonomi", "regnskab", "regnskap",
})
