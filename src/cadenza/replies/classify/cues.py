"""Phrase cues for each intent in en/de/fr/es/pt/nl (and the commonest ones in it/pl/sv/da/no).

Cues serve twice: the high-precision rules fire on the strongest ones, and every cue becomes a
language-independent feature of the trained model (``__cue_unsubscribe`` …), so a pattern
learned from English replies transfers to a Dutch one. They read text that
:func:`cadenza.replies.classify.instructions.without_instructions` has already folded and cut
of what is written to a machine.
"""

from __future__ import annotations

import re

from cadenza.replies.classify.date_words import NUMBER_PATTERN

_I = re.IGNORECASE
_PERIOD = (
    r"\b(?:in|dans|en|em|over|daqui a|binnen|within)\s+(?:" + NUMBER_PATTERN + r")\s+(?:months|"
    r"monaten|mois|meses|maanden|weeks|wochen|semaines|semanas|weken)\b|"
    r"\b(?:in|im|en|em|à partir de|a partir de|after|nach|après|después de|depois de|ab|until|"
    r"bis|vanaf|na)\s+(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december|januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|"
    r"mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|"
    r"abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|"
    r"março|maio|junho|julho|setembro|outubro|novembro|dezembro|januari|februari|maart|mei|"
    r"augustus)\b(?!\s*\d)|\b(?:q[1-4]|h2|segundo semestre|second semestre|zweiten halbjahr)\b"
)
# Privacy laws are named in security questions too; only a demand under them is an opt-out.
_PRIVACY_DEMAND = (
    r"\b(?:gdpr|dsgvo|rgpd|lgpd|avg|ccpa|uwg)\b.{0,80}\b(?:delet|eras|remov|object|complain|"
    r"lösch|widersp|beschwer|abmahn|supprim|effac|opposition|plainte|borr|supres|oposici|"
    r"reclama|elimin|apag|exclu|oposiç|verwijder|bezwaar|klacht|art\.? ?(?:15|17|21))|"
    r"\b(?:delet|eras|lösch|supprim|effac|borr|supres|elimin|apag|exclu|verwijder)\w*\b.{0,60}"
    r"\b(?:gdpr|dsgvo|rgpd|lgpd|avg|ccpa)\b|\b(?:cnil|aepd|anpd|autoriteit persoonsgegevens)\b"
)


def _rx(*parts: str) -> re.Pattern[str]:
    # Case-sensitive on purpose: callers search lower-cased text, which is several times
    # faster than IGNORECASE over large Unicode alternations.
    return re.compile("|".join(f"(?:{p})" for p in parts))


UNSUBSCRIBE = _rx(
    _PRIVACY_DEMAND,
    r"\bunsubscrib|\bremove (?:me|us|my (?:email|address|name|details|contact))\b|"
    r"\btake (?:me|us|my (?:email|address|name)) off\b|\boff (?:your|the|this) "
    r"(?:mailing |email |e-mail |contact |distribution |call )?list|"
    r"\b(?:stop|quit|cease) (?:emailing|e-mailing|mailing|contacting|messaging|sending|"
    r"writing|spamming|bothering|reaching out)|\b(?:do not|don't|dont|never|please don't) "
    r"(?:ever )?(?:contact|email|e-mail|message|write|mail) (?:me|us)\b|"
    r"\bno (?:more|further) (?:emails|e-mails|mails|messages|contact)|\bopt(?:ing)? (?:me )?out\b|"
    r"\b(?:this is|that's|this was|it's|pure|report(?:ed|ing)? (?:you |this |it )?(?:as|for)) "
    r"spam\b|\bspammer|\bmark(?:ed|ing)? (?:this |it |you )?as spam|\bcan-spam|\blegal action|"
    r"\bmy (?:lawyer|attorney)|"
    r"\bsue you|\bharass|\bdelete (?:my|all my) (?:data|details|information|email|contact)|"
    r"\bdo not email|\breport (?:you|this|your (?:company|firm|emails?)) to\b|"
    r"\bi(?:'ll| will| am going to) report you",
    r"\babmelde|\babmeldung|\baustragen|\btrag(?:en sie)? mich\b.{0,30}\baus\b|"
    r"\bentfernen sie mich|\bentfernen sie meine|\blöschen sie (?:bitte )?meine "
    r"(?:daten|adresse|e-?mail|kontakt)|\bnicht mehr (?:kontaktieren|anschreiben|anrufen|"
    r"schreiben|mailen|belästigen)|\bkeine (?:weiteren (?:e-?mails?|nachrichten|mails|"
    r"zuschriften)|(?:e-?mails?|nachrichten|mails|zuschriften) mehr|werbe-?(?:e-?)?mails|werbung)"
    r"\b(?!.{0,20}\b(?:bis|bevor|vor)\b)|\bbelästig|"
    r"\babmahnung|\bmein(?:em)? anwalt|\bunerwünschte? (?:werbung|e-?mail)|"
    r"\b(?:ist|als) spam\b|\baus (?:ihrem|dem|eurem|ihren|euren) (?:verteiler|e-?mail-?verteiler|"
    r"newsletter)|\bnehmen sie mich (?:aus|von)|\bstreichen sie mich",
    r"\bd[ée]sinscri|\bd[ée]sabonn|\bretirez[- ]moi|\bsupprimez[- ]moi|\bsupprimez mon|"
    r"\bretirer (?:mon|de votre)|\bne (?:plus|pas|jamais) me (?:re)?(?:contacter|écrire|solliciter|"
    r"relancer|envoyer)|\bne plus m'(?:envoyer|écrire|contacter)|"
    r"\bne m'(?:écrivez|envoyez) plus|"
    r"\bretirez mon (?:adresse|e-?mail)|\bde votre (?:liste|fichier)|\bne me (?:re)?contactez plus|"
    r"\barrêtez de m'|\bplus de (?:mails|messages|e-mails|courriels) |"
    r"\bharcèlement|\b(?:du|comme) spam\b",
    r"\bd[aeé]\w{0,5} de baja\b(?! médica| por)|\bla baja\b(?! médica| por)|"
    r"\bborr(?:ad|en|e|ar|en) (?:mis|todos mis) datos|"
    r"\bbaja de (?:su|la|sus|esta) lista|\belimín(?:e|en)me|\beliminen mi|\beliminar mi (?:correo|"
    r"email|dirección|contacto)|\bquít(?:e|en)me|\bsáquenme|\bno me (?:vuelva[ns]? a )?"
    r"(?:contacte|escrib|envíe|envie|mande)|\bdej(?:e|en|a) de (?:escribirme|enviarme|contactarme|"
    r"molestar|mandarme)|\bno (?:quiero|deseo) recibir|\bacoso\b|"
    r"\b(?:es|como) spam\b",
    r"\bdescadastr|\b(?:me remova|me remover|remova-me|removam-me|remover-me|me retire)|"
    r"\bremov(?:a|am|er) (?:meu|o meu) (?:email|e-mail|contato|endereço)|\bnão me "
    r"(?:contate|contatem|contacte|contactem|envie|enviem|escreva|escrevam|mande|mandem)|"
    r"\bpar(?:e|em) de (?:me )?(?:enviar|mandar|escrever|contatar|contactar|incomodar)|"
    r"\bnão (?:quero|desejo) (?:mais )?receber|\bcancelar (?:a )?(?:minha )?inscrição|"
    r"\bsair da (?:sua )?lista|\bassédio|\bé spam\b",
    r"\bafmeld|\buitschrijv|\bschrijf (?:me|mij) uit|\bverwijder (?:mij|me|mijn)|"
    r"\bhaal (?:me|mij|mijn)\b.{0,25}\bvan\b.{0,15}\blijst|\bniet meer (?:contacteren|mailen|"
    r"benaderen|e-?mailen|sturen|bellen)|\bgeen (?:e-?mails?|berichten|mails|mailtjes) meer|"
    r"\bstop met (?:mailen|e-?mailen|sturen|benaderen)|\bis spam\b",
    # it, pl, sv/da/no: the opt-out words of languages without a full cue set
    r"\bcancellarmi|\bcancellatemi|\bcancellami|\brimuovetemi|\brimuovimi|\brimuovermi|"
    r"\bdisiscriv|\bnon (?:contattatemi|contattarmi|scrivetemi|scrivermi|mandatemi|inviatemi)|"
    r"\bnon voglio (?:più )?ricevere|\btoglietemi|\btoglimi|\bsmettete(?:la)? di "
    r"(?:scrivermi|contattarmi|inviarmi|mandarmi)|\b(?:è|e') spam\b",
    r"\bwypisz|\bwypisać|\busuń(?:cie)? (?:mnie|mój|moje)|\bproszę (?:o )?(?:usunięcie|nie "
    r"kontaktować|nie pisać)|\bnie (?:kontaktujcie|piszcie|wysyłajcie)|\bto jest spam",
    r"\bavregistrera|\bavsluta (?:min )?prenumeration|\bta bort mig|\bsluta (?:mejla|maila|"
    r"skicka|kontakta)|\bkontakta mig inte|\bafmeld mig|\bfjern mig|\bmeld meg av|"
    r"\bslutt å sende",
)
DATA_SOURCE = _rx(
    r"\b(?:how|where) did you (?:get|find|obtain) (?:my|our)|\bwoher haben sie (?:meine|unsere)|"
    r"\bd'où (?:avez-vous|vous avez|tenez-vous)|"
    r"\bcomment avez-vous (?:eu|obtenu|trouvé) (?:mon|nos)|"
    r"\bde dónde (?:habéis|han|ha|has) (?:sacado|obtenido|conseguido)|\bcómo (?:consiguió|obtuvo|"
    r"consiguieron|obtuvieron) (?:mi|nuestro)|\bcomo (?:conseguiu|obteve|conseguiram|obtiveram) "
    r"(?:o )?(?:meu|nosso)|\bonde (?:conseguiu|obteve)|\bhoe (?:komt u|kom je|komen jullie) aan",
)
_BARE_STOP = re.compile(
    r"^\W*(?:stop|stopp|unsubscribe|remove|remove me|abmelden|austragen|désinscrire|désinscription|"
    r"baja|descadastrar|afmelden|uitschrijven|spam|arrête|arrêtez|parar|pare)\W*$", _I,
)

ABSENCE = _rx(
    r"\bout of (?:the )?office\b|\booo\b|\bon (?:vacation|holiday|holidays|leave|annual leave|"
    r"parental leave|maternity leave|paternity leave|sick leave|sabbatical|pto|a business trip|"
    r"business travel|a trip)\b|\baway from (?:the|my) (?:office|desk)|\b(?:i am|i'm|currently) "
    r"(?:away|travell?ing|out)\b|\blimited (?:access|availability)|\bannual leave|"
    r"\bwill be back|\breturn(?:ing)? to (?:the )?office|\boff (?:until|till)\b|"
    r"\bout (?:until|till|through)\b|\bback (?:in the office|on|at work)\b|"
    r"\boffice (?:is |will be )?closed|\bclosed (?:for|over) the (?:holidays|christmas|break)",
    r"\babwesen|\bnicht im büro|\baußer haus|\bausser haus|\burlaub|\belternzeit|\bdienstreise|"
    r"\bgeschäftsreise|\beingeschränkt erreichbar|\bnicht erreichbar|\bwieder (?:im büro|"
    r"erreichbar|da|zurück|für sie)|\bnicht (?:im hause|verfügbar)|\bbetriebsferien|"
    r"\bbüro (?:ist )?geschlossen",
    r"\babsente?\b|\babsence\b|\ben congés?\b|\ben vacances\b|\bcongé (?:maternité|parental|"
    r"maladie)|\ben déplacement|\bhors du bureau|\bde retour (?:le|à|au|lundi|mardi|mercredi|"
    r"jeudi|vendredi)|\bserai de retour|\baccès limité|\bpas au bureau|\bfermeture annuelle|"
    r"\bbureaux? (?:est |sont |seront )?fermés?",
    r"\bfuera de (?:la )?oficina|\bausente\b|\bde vacaciones|\bde viaje\b|\bbaja (?:médica|por "
    r"maternidad|por paternidad)|\bpermiso (?:de|por)|\bestaré de vuelta|\bregresaré|\bvolveré\b|"
    r"\bacceso limitado|\bno estaré disponible|\bno estoy en la oficina|\bde licencia\b",
    r"\bfora do escritório|\bausente\b|\bde férias|\bem férias|\blicença (?:maternidade|"
    r"paternidade|médica)|\bviagem (?:a|de) trabalho|\bestarei de volta|\bretornarei|"
    r"\bacesso limitado|\bnão estarei disponível|\bde licença|\bsó regresso|\bestou fora\b",
    r"\bafwezig|\bniet op kantoor|\bbuiten kantoor|\bop vakantie|\bmet vakantie|\bverlof\b|"
    r"\bweer aanwezig|\bben (?:weer )?terug|\bbeperkt bereikbaar|\bniet bereikbaar",
)
LEFT_COMPANY = _rx(
    r"\bno longer (?:with|at|works? (?:for|at|with)|working (?:for|at|with)|employed|part of)|"
    r"\b(?:has|have) (?:now )?left (?:the company|the organi[sz]ation|the firm|our)|"
    r"\b(?:mailbox|email address|address|inbox|account) (?:is|has been) no longer "
    r"(?:monitored|active|in use)|\bno longer (?:monitored|in use|active)",
    r"\bnicht mehr (?:bei|im unternehmen|für|tätig|beschäftigt)|\bhat (?:das unternehmen|uns|die "
    r"firma) verlassen|\b(?:postfach|adresse) wird nicht mehr",
    r"\bne fait plus partie|\ba quitté (?:l'entreprise|la société|l’entreprise|notre|nos)|"
    r"\bn'est plus (?:en poste|chez|dans|avec)|\bne travaille plus|\bn'est plus (?:active|"
    r"consultée|surveillée|utilisée)",
    r"\bya no (?:trabaja|forma parte|está en|se encuentra en|está activ|es monitoread)|"
    r"\bdejó la empresa|\bha dejado la empresa|\bya no pertenece",
    r"\bnão (?:trabalha|faz parte|está) mais|\bdeixou a empresa|\bsaiu da empresa|"
    r"\bnão é mais monitorad|\bnão faz mais parte",
    r"\b(?:werkt|is) niet (?:meer|langer) (?:bij|werkzaam|in dienst)|\bheeft (?:het bedrijf|ons|de "
    r"organisatie) verlaten|\bniet langer (?:werkzaam|in dienst)|\bwordt niet meer gelezen",
)
AUTO_ACK = _rx(
    r"\b(?:we have|we've) received your (?:message|email|e-mail|request|inquiry|enquiry)|"
    r"\bticket (?:#|number|id|no)|\b(?:this is an? )?automated (?:response|reply|message)|"
    r"\bdo not reply to this|\bautomatic (?:confirmation|acknowledge?ment|notification)|"
    r"\bthis is an automatic|\bautomatically generated|\bnot monitored|\bnoreply|"
    r"\bverify (?:that )?you are (?:a )?human|"
    r"\bsender verification|\bwhitelist|\bclick (?:the|this) link (?:below )?to (?:verify|confirm)",
    r"\bautomatische (?:antwort|nachricht)|\bwir haben ihre (?:nachricht|e-?mail|anfrage) erhalten|"
    r"\bticketnummer|\bdies ist eine automatische",
    r"\bréponse automatique|\bnous avons (?:bien )?reçu votre|\bmessage automatique|"
    r"\bnuméro de (?:ticket|dossier)|\bne pas répondre",
    r"\brespuesta automática|\bhemos recibido su|\bmensaje automático|\bnúmero de ticket|"
    r"\bno responda a este",
    r"\bresposta automática|\brecebemos (?:a )?sua|\bmensagem automática|\bnúmero do (?:ticket|"
    r"chamado|protocolo)|\bnão responda",
    r"\bautomatisch (?:antwoord|bericht)|\bwij hebben uw (?:bericht|e-?mail|aanvraag) ontvangen|"
    r"\bniet beantwoorden",
)
NOT_INTERESTED = _rx(
    r"\bnot (?:really |at all )?interested|\bno interest\b|\bno,? thanks?\b|\bno,? thank you|"
    r"\bnot a (?:good |great )?fit|\b(?:we're|we are|i'm|i am) (?:all set|good for now|covered|"
    r"happy with)|\balready (?:have|use|using|work with|working with|signed|partnered)|"
    r"\bnot (?:for us|relevant|something we)|\b(?:we'll|we will|i'll|i will) pass\b|"
    r"\bnot looking\b|\bno need\b|\b(?:don't|do not) need|\bnot in the market|\bpass on this",
    r"\bkein(?:en)? interesse|\bnicht interessiert|\bkein(?:en)? bedarf|\bnein,? danke|"
    r"\bpasst nicht|\b(?:haben|nutzen|verwenden) (?:bereits|schon) (?:eine|einen|ein)\b|"
    r"\bsind (?:gut )?versorgt|"
    r"\bbrauchen (?:wir )?(?:das |so etwas )?nicht|\bnicht relevant",
    r"\bpas intéressée?s?|\bpas d'intérêt|\bnon,? merci|\bpas besoin|\b(?:avons|a) déjà "
    r"(?:une|un|des|notre)|\bdéjà (?:équipés|une solution|un outil|un prestataire|un fournisseur)|"
    r"\bne correspond pas|\bpas pertinent|\bpas pour nous",
    r"\bno (?:estamos |estoy )?interesad|\bno (?:nos|me) interesa|\bno,? gracias|"
    r"\bya (?:tenemos|contamos|usamos|trabajamos)|\bno necesitamos|\bno es para nosotros|"
    r"\bsin interés",
    r"\bnão (?:estamos |estou )?interessad|\bnão temos interesse|\bnão (?:me|nos) interessa|"
    r"\bnão,? obrigad|\bjá (?:temos|usamos|utilizamos|trabalhamos)|\bnão precisamos|"
    r"\bnão é para nós",
    r"\bgeen interesse|\bniet geïnteresseerd|\bniet geinteresseerd|\bnee,? dank|"
    r"\bgeen behoefte|\bhebben (?:al|reeds)\b|\bniet relevant|\bpast niet|\bniet voor ons",
    r"\bnon (?:siamo |sono )?interessat|\bnon (?:ci|mi) interessa|\bno,? grazie|"
    r"\bnon abbiamo bisogno|\babbiamo già|\bnon fa per noi",
    r"\bnie (?:jesteśmy|jestem) zainteresowan|\bnie interesuje|\bnie,? dziękuję|"
    r"\bnie potrzebujemy|\bmamy już",
    r"\binte intresserad|\bnej tack|\bvi har redan|\bbehöver (?:inte|ingen)|"
    r"\bikke interesseret|\bikke interessert|\bnei takk|\bnej tak\b",
    r"\bnever (?:going to |gonna )?(?:buy|need|use)|\bwe'?d never\b|\bnot something we'?d\b|"
    r"\b(?:isn't|is not|ain't) (?:going to|gonna) happen",
)
NOT_NOW = _rx(
    r"\bnot (?:right )?now\b|\bnot at (?:the|this) (?:moment|time|point)|\b(?:maybe|perhaps|"
    r"possibly) (?:later|in|next|after)|\blater (?:this|next|in the) (?:year|quarter|month)|"
    r"\b(?:reach|check|circle|follow|touch|get) (?:back|out|up|base)\b.{0,25}\b(?:in|after|next|"
    r"later|around|once)\b|\brevisit|\btiming\b|\bnot the right time|\bbad time|"
    r"\btry (?:me |us )?again|\bnot this (?:year|quarter)|\btoo early|\bat a later (?:date|point|"
    r"stage)|\bnext (?:quarter|year)\b|\bin (?:q[1-4]|a few months|\w+ months)\b|"
    r"\bnot (?:a )?priority (?:right now|at the moment|this)",
    r"\b(?:derzeit|momentan|aktuell|im moment|zurzeit|gerade) (?:nicht|kein)|\bspäter\b|"
    r"\bnächste[sn]? (?:jahr|quartal)|\bmelden sie sich (?:gerne |gern )?(?:in|im|nach|wieder|"
    r"nochmal|erneut)|\bzu einem späteren zeitpunkt|\bvielleicht (?:später|im|nach)|"
    r"\bnicht der richtige zeitpunkt|\bkopf nicht frei|"
    r"\bpasst es (?:gerade |aktuell |leider )*nicht",
    r"\bpas (?:pour le |en ce )?moment|\bpas maintenant|\bplus tard|\bl'année prochaine|"
    r"\btrimestre prochain|\brecontact|\brevenez vers|\brelancez|\bà la rentrée|\bultérieurement|"
    r"\bpas le bon moment",
    r"\b(?:ahora|en este momento|por ahora|de momento|por el momento) no\b|\bmás adelante|"
    r"\bmás tarde|\bel próximo (?:año|trimestre)|\bel año que viene|\bvuelva a contactar|"
    r"\bcontácte(?:me|nos) (?:en|después|más)|\bescríba(?:me|nos) (?:en|después|más)|"
    r"\bno es (?:el )?(?:buen|mejor) momento|\bahora mismo|"
    r"\b(?:escríbe|contácta|lláma|escriba|contacte|escríba)(?:me|nos)\b",
    r"\b(?:agora|no momento|neste momento|por enquanto|por ora) não|\bmais (?:para a )?frente|"
    r"\bmais tarde|\bpróximo (?:ano|trimestre)|\bano que vem|\b(?:entre|entrem) em contato "
    r"(?:em|depois|novamente|mais)|\bme procure|\bvolte a (?:entrar em )?contato|"
    r"\bnão é (?:o )?(?:bom|melhor) momento",
    r"\b(?:nu|op dit moment|momenteel|op het moment) (?:niet|geen)|\blater\b|"
    r"\bvolgend (?:jaar|kwartaal)|\bneem (?:dan |later )?(?:gerust )?(?:weer |opnieuw )?contact"
    r"|\bbenader (?:me|ons) (?:in|na|later)|\bniet het juiste moment|\bna de zomer",
    _PERIOD,
    r"\bnon (?:è|e') il momento|\bnon ora\b|\bper ora no|\bpiù avanti|\bpiù tardi|"
    r"\bil prossimo (?:anno|trimestre)|\brisentiamoci|\bricontatt|\bsentiamoci (?:a|tra|fra|dopo)",
    r"\bnie teraz|\bw przyszłym (?:roku|kwartale)|\bpóźniej|\bproszę o kontakt w|\bodezwij|"
    r"\bnie planujemy",
    r"\binte (?:just )?nu\b|\bnästa (?:år|kvartal)|\bsenare\b|\bhör av dig (?:igen|i|efter)|"
    r"\bikke nu\b|\bikke nå\b|\bsenere\b",
    r"\bcan'?t take (?:this|it) on|\bnot a no\b|\bcheck back\b|\bdown the (?:road|line)\b",
)
MEETING = _rx(
    r"\b(?:set up|schedule|book|hop on|jump on|have|do|arrange|find) (?:a |some )?(?:quick |short "
    r"|brief )?(?:call|meeting|chat|time|demo|zoom|teams|slot)\b|\bcalend(?:ar|ly)\b|"
    r"\b(?:send|share|shoot) (?:me |over |us )?(?:a |an |your )?(?:calendar |meeting |booking )?"
    r"(?:link|invite|invitation)\b|\b(?:how about|what about|does|would|are you free|"
    r"available|free) (?:on )?(?:monday|tuesday|wednesday|thursday|friday|tomorrow|next week)|"
    r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b(?:15|20|30|45)[- ]?min|"
    r"\bgive me a call|\bcall me\b|\bworks for me\b|\bdemo\b|\bslots?\b|\bpropose (?:a )?(?:few )?"
    r"times|\bwhen (?:are you|works)|\bgrab (?:a )?(?:time|coffee|call)",
    r"\btermin|\btelefonat|\btelefonieren|\bgespräch|\bkalender|\b\d{1,2}(?::\d{2})? ?uhr\b|"
    r"\bpasst (?:ihnen|dir)|"
    r"\bpasst (?:es )?(?:mir|ihnen|euch) (?:am|um|diese|nächste)|\b(?:hätten|haben) sie zeit|"
    r"\beinladung|\bvideocall|\bteams-",
    r"\brendez-vous|\brdv\b|\bappel\b|\bréunion|\bvisio|\bcréneau|\bcalendrier|\binvitation|"
    r"\b\d{1,2}h(?:\d{2})?\b|\béchanger (?:de vive voix|par téléphone)|\bappelez-moi",
    r"\breunión|\bllamada|\bagendar|\bcalendario|\bcita\b|\bvideollamada|\binvitación|"
    r"\bhablamos el|\b(?:le|te) parece (?:el|bien el)",
    r"\breunião|\bligação|\bchamada|\bagendar|\bcalendário|\bconvite|\bbate-papo|"
    r"\bvamos conversar|\bpodemos conversar",
    r"\bafspraak|\bgesprek|\bbellen\b|\bbelletje|\bvergadering|\bagenda|\bkalender|"
    r"\buitnodiging|\binplannen|\bom \d{1,2}(?:[:.]\d{2})? ?uur",
    r"\bappuntamento|\bchiamata|\btelefonata|\briunione|\bvideochiamata|\binvito\b|"
    r"\bcalendario|\b(?:lunedì|martedì|mercoledì|giovedì|venerdì) (?:alle|pomeriggio|mattina)|"
    r"\balle \d{1,2}(?:[:.]\d{2})?\b",
    r"\bspotkanie|\bspotkania|\brozmow[aęy]|\bzadzwo|\bkalendarz|\bo godz",
    r"\bmöte|\bsamtal\b|\bringa\b|\binbjudan|\bkl\.? ?\d{1,2}\b|\bmøde|\bmøte\b",
    r"\bfree (?:tmrw|tomorrow|today|this|next|on|after|before)\b|\btmrw\b",
)
INTERESTED = _rx(
    r"(?<!not )(?<!no )\binterested\b|\bsounds (?:good|great|interesting|promising)|"
    r"\btell me more|\blearn more|\b(?:love|like) to (?:hear|learn|see|know) more|\bkeen\b|"
    r"\bopen to\b|\bworth (?:a|exploring)|\blet'?s (?:talk|chat)|\bmore (?:info|information|"
    r"details)|\bsend (?:me |over )?(?:the )?(?:deck|info|details|case stud)|\bcurious\b|"
    r"\bthis is (?:timely|relevant)|\bgood timing|\bsend (?:it|them|that) (?:over|along|through)|"
    r"\b(?:sure|yes|ok|okay)[,!.]? (?:please )?send|\bplease send|\bhappy to (?:take a look|look)|"
    r"\btake a look",
    r"(?<!kein )\binteresse\b|\binteressant|\bklingt (?:gut|spannend|interessant)|"
    r"\bgerne mehr|\bmehr (?:erfahren|informationen|infos|details)|\bschicken sie mir",
    r"(?<!pas )\bintéress|\bvolontiers|\ben savoir plus|\bplus d'informations|\bavec plaisir|"
    r"\benvoyez-moi",
    r"(?<!no )\bme interesa|\binteresad|\bsuena (?:bien|interesante)|\bmás información|"
    r"\bcon gusto|\bencantad|\bcuénte(?:me|nos)",
    r"(?<!não )\binteress|\bparece (?:bom|interessante|ótimo)|\bmais informações|\bcom prazer|"
    r"\badoraria|\bme (?:envie|mande) mais",
    r"(?<!geen )\binteresse\b|\binteressant|\bklinkt (?:goed|interessant)|\bmeer "
    r"(?:informatie|weten|info)|\bstuur (?:me|mij) (?:meer|wat)",
    r"(?<!non )\binteressant|(?<!non sono )(?<!non siamo )\binteressat[oai]\b|"
    r"(?<!non )\bmi interessa|\bvolentieri|\bmaggiori informazioni|\bpiù informazioni",
    r"(?<!nie jestem )(?<!nie jesteśmy )\bzainteresowan|\bchętnie|\bwięcej informacji",
    r"(?<!inte )\bintresserad|\bintressant|\bgärna\b|\bmer information",
)
QUESTION = _rx(
    r"\bhow much|\bpric(?:e|ing)|\bcost|\bintegrat|\bsecurity|\bsoc ?2|\biso ?27001|"
    r"\bcase stud|\bhow does|\bdo you (?:support|offer|have|integrate|work)|\bcan you (?:share|"
    r"send|explain)|\bwhat(?:'s| is| are) (?:the|your)",
    r"\bwas kostet|\bpreis|\bkosten\b|\bwie funktioniert|\bgibt es|\bunterstützen sie|"
    r"\bintegration|\bsicherheit|\bschnittstelle",
    r"\bcombien|\bprix\b|\btarif|\bcoût|\bcomment (?:fonctionne|ça marche)|\best-ce que|"
    r"\bintégration|\bsécurité",
    r"\bcuánto|\bprecio|\bcosto|\bcoste\b|\bcómo funciona|\bintegración|\bseguridad",
    r"\bquanto custa|\bpreço|\bcusto|\bcomo funciona|\bintegração|\bsegurança",
    r"\bhoeveel|\bprijs|\bkosten\b|\bhoe werkt|\bintegratie|\bbeveiliging|\bkoppeling",
)
REFERRAL = _rx(
    r"\b(?:right|best|better|correct) (?:person|contact|people|team)|\b(?:reach out to|"
    r"(?<!could )(?<!can )talk to|(?<!could )(?<!can )speak (?:to|with)|get in touch with|"
    r"connect with|loop(?:ing)? in|cc'?(?:ing|ed)|"
    r"copying|forward(?:ed|ing)? (?:this|your (?:email|message|note)) to)\b|"
    r"\bhandles? (?:this|that|"
    r"these|our)|\bin charge of|\bresponsible for|\bwrong person|\bnot (?:the )?(?:decision maker|"
    r"right contact)|\bmy colleague|\bowns? (?:this|that)|\bnot the (?:right|best) person|"
    r"\byou(?:'ll)? want (?:to (?:talk|speak) to )?(?:our|my)|\b(?:i'll|i will|i've|i have) "
    r"(?:forward|forwarded|pass|passed|cc|cc'd|looped)|\bforward (?:it|this) to (?:him|her|them)|"
    r"\bpass (?:it|this) (?:on|along) to|\badding \w+|\bwho (?:owns|handles|runs|leads|manages)|"
    r"\bcontact (?!me\b|us\b)\w+",
    r"\brichtigen? (?:ansprechpartner|person|kontakt)|\bzuständig|\bansprechpartner|"
    r"\bwenden sie sich (?:bitte )?an|\bkolleg(?:e|in|en)\b|\bweitergeleitet|\bleite .{0,30}weiter|"
    r"\bfalschen adresse|\bnicht (?:der|die) richtige",
    r"\bbonne personne|\bbon interlocuteur|\binterlocuteur|\ben charge|\bresponsable (?:de|des|du)|"
    r"\badressez-vous|\bmon collègue|\bma collègue|\btransféré|\bje transmets|"
    r"\b(?:ce n'est|c'est) pas moi|\bn'est pas moi|\bvous invite à contacter|"
    r"\bce n'est pas (?:mon|de mon) (?:domaine|rôle|périmètre|ressort)|\bcontactez plutôt|"
    r"\bplutôt (?:voir avec|contacter|écrire à)|"
    r"\bcontacter (?:mme|m\.|monsieur|madame)",
    r"\bpersona (?:adecuada|indicada|correcta)|\bresponsable de|\bencargad[oa]|\b(?:contacte|"
    r"contacta|escriba|hable|habla) (?:con|a)\b|\bmi (?:compañer|colega)|\breenviado|\ble paso|"
    r"\bescríbele|\bno soy (?:yo )?(?:la persona|quien)",
    r"\bpessoa (?:certa|indicada|correta)|\bresponsável (?:por|pela|pelo)|"
    r"\b(?:fale|falar|fala) com|"
    r"\bnão sou eu (?:quem|a pessoa|o responsável)|\bquem (?:cuida|trata|é responsável)|"
    r"\bmeu colega|\bminha colega|\bencaminhei|\bencaminhad",
    r"\bjuiste (?:persoon|contactpersoon)|\bverantwoordelijk|\bcontactpersoon|"
    r"\bneem contact op met|\bcollega\b|\bdoorgestuurd|\bstuur (?:ik|het) door|\bniet de juiste",
    r"\b(?:he|she|they)(?:'s| is| are) the (?:one|person|people|contact) (?:you want|to "
    r"(?:talk|speak|contact))|\b(?:isn't|is not|no longer) (?:mine|my (?:area|remit|call))|"
    r"\bowns? \w+(?: \w+)? now\b",
    r"\bpersona giusta|\bresponsabile (?:di|del|della)|\bcontatti (?:il mio|la mia)|"
    r"\bmio collega|\bmia collega|\binoltrat",
    r"\bwłaściw(?:a|ą) osob|\bodpowiedzialn|\bmój kolega|\bmoja koleżanka|\bprzekaza",
    r"\brätt person|\bansvarar|\bansvarig|\bmin kollega|\bkontakta (?!mig)\w+|"
    r"\bdet är inte jag",
)
# A negation right before an opt-out phrase ("don't remove me") cancels it.
_NEGATED = re.compile(
    r"(?:\bdon't|\bdon’t|\bdo not|\bno need to|\bnot (?:going to|hitting|clicking|trying to|"
    r"asking (?:you )?to)|\bnot|\bwon't|\bnever mind|\bnicht|\bkein grund|\bne (?:pas|me) "
    r"|\bpas (?:besoin de|la peine de)|\bno (?:hace falta|necesito|quiero)|\bnão (?:precisa|quero)|"
    r"\bniet|\bhoeft niet)\s*(?:(?:to|me|please|bitte|s'il vous plaît|por favor|yet|just)\s+)?$"
)

CUES: dict[str, re.Pattern[str]] = {
    "unsubscribe": UNSUBSCRIBE, "absence": ABSENCE, "left_company": LEFT_COMPANY,
    "auto_ack": AUTO_ACK, "not_interested": NOT_INTERESTED, "not_now": NOT_NOW,
    "meeting": MEETING, "interested": INTERESTED, "question": QUESTION, "referral": REFERRAL,
    "data_source": DATA_SOURCE,
}


def has_cue(name: str, text: str) -> bool:
    """True when cue ``name`` occurs in ``text`` (any case)."""
    return CUES[name].search(text.lower()) is not None


def cue_hits(text: str) -> frozenset[str]:
    """The names of every cue found in ``text`` (already injection-free)."""
    low = text.lower()
    hits = {name for name, pattern in CUES.items() if pattern.search(low)}
    if "unsubscribe" in hits and not any(
            not _NEGATED.search(low[max(0, m.start() - 30): m.start()])
            for m in UNSUBSCRIBE.finditer(low)):
        hits.discard("unsubscribe")  # "please don't remove me", "not hitting unsubscribe"
    if _BARE_STOP.match(text):
        hits.add("unsubscribe")
    return frozenset(hits)


def is_absence_notice(text: str) -> bool:
    """True when ``text`` announces a temporary absence (and not a departure)."""
    low = text.lower()
    return bool(ABSENCE.search(low)) and not LEFT_COMPANY.search(low)
