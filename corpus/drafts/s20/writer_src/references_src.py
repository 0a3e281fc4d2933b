# Hand-written reference sequences for s20 (serialised to s20/references.jsonl).
# Each body below was written individually for its prospect; nothing is filled from word lists.
import json, pathlib

R = []

def seq(pid, s1_subject, s1, s2, s3, s4_subject, s4):
    R.append({"prospect_id": pid, "step": 1, "channel": "email", "subject": s1_subject, "body": s1.strip()})
    R.append({"prospect_id": pid, "step": 2, "channel": "email", "subject": "Re: " + s1_subject, "body": s2.strip()})
    R.append({"prospect_id": pid, "step": 3, "channel": "linkedin_connect", "body": s3.strip()})
    R.append({"prospect_id": pid, "step": 4, "channel": "email", "subject": s4_subject, "body": s4.strip()})

# ---------------------------------------------------------------- p01 en (GB)
seq("s20-p01",
"Your Mobilisation Coordinator role",
"""
Hi Gareth,

I saw Tarrant is hiring a Mobilisation Coordinator to handle travel and posting paperwork for erection crews in Germany and the Netherlands – a sensible hire with the Frankfurt data centre package coming up.

CrewPass is built for exactly that desk: the planner enters a posting once, and it files the host-country declarations, keeps track of each person's A1 or certificate of coverage and flags anything missing before the crew leaves.

Would a short video of a German posting in CrewPass be useful, so whoever you hire has something to compare against?

Best,
Maren
""",
"""
Hi Gareth,

One data point while you shape that role: Lindqvist Elteknik cut the office time spent on posting paperwork from about 6 hours to under 1 hour per crew rotation after moving to CrewPass.

That's time your new coordinator could put into travel and accommodation instead of forms.

Worth a look?

Best,
Maren
""",
"""
Hi Gareth – I work with contractors who send site crews across EU borders, on the paperwork side of it. Following Tarrant's move into German data centre work with interest; would be good to connect. Maren
""",
"When the inspector visits the Frankfurt site",
"""
Hi Gareth,

A different angle: on German sites, an inspector can ask the foreman for posting documents there and then. With CrewPass, your site lead opens the certificate, the declaration receipt and the contract summary on their phone rather than ringing Sheffield.

One customer, Moreau Montage Industriel, put it this way: “When the inspector came to our site in Ghent, our foreman showed every document from his phone in 4 minutes.”

If a short call before your crews mobilise makes sense, pick a slot here: https://meet.kestrelmobility.example/maren

Best,
Maren
""")

# ---------------------------------------------------------------- p02 de (DE)
seq("s20-p02",
"Über 300 Entsendungen im ersten Halbjahr",
"""
Guten Tag Frau Dr. Kröger,

Ihr Beitrag über die mehr als 300 Entsendungen im ersten Halbjahr ist mir hängen geblieben – vor allem, dass jede davon eine eigene Meldung, einen eigenen A1-Antrag und eine eigene Excel-Zeile braucht.

Genau dafür gibt es CrewPass: Die Disposition erfasst einen Einsatz einmal, CrewPass erstellt daraus die Meldungen im jeweiligen Zielland, verfolgt die A1-Bescheinigungen und zeigt vor der Abreise, was noch fehlt.

Darf ich Ihnen eine kurze Übersicht schicken, wie ein Einsatz in Frankreich darin aussieht?

Viele Grüße
Maren
""",
"""
Guten Tag Frau Dr. Kröger,

noch ein Gedanke zur Größenordnung: Ferrovia Impianti hat im ersten Jahr mit CrewPass 1.400 Entsendemeldungen in 9 Ländern abgegeben – ohne eine einzige verspätete Meldung.

Bei Ihrem Volumen wäre das der Punkt, an dem die Excel-Liste nicht mehr mitwachsen muss. Wäre das einen kurzen Austausch wert?

Viele Grüße
Maren
""",
"""
Guten Tag Frau Dr. Kröger, ich arbeite mit Anlagen- und Rohrleitungsbauern, die Monteure in Nachbarländer entsenden, und kümmere mich dort um die Papierseite. Ich würde mich freuen, mit Ihnen vernetzt zu sein. Viele Grüße, Maren
""",
"Linz und die Regeln der Zielländer",
"""
Guten Tag Frau Dr. Kröger,

ein anderer Blickwinkel: Mit der neuen Niederlassung in Linz kommen vermutlich auch Einsätze dazu, die in Österreich beginnen – und jedes Zielland ändert seine Entsenderegeln in eigenem Tempo.

CrewPass verfolgt diese Änderungen (neue Pflichtfelder, neue Schwellenwerte, neue Portale) und passt die Formulare an, bevor der nächste Einsatz losgeht. Ihr Team muss das nicht selbst beobachten.

Wenn Sie sich das ansehen möchten, wählen Sie gern hier einen Termin: https://meet.kestrelmobility.example/maren

Viele Grüße
Maren
""")

# ---------------------------------------------------------------- p03 fr (FR)
seq("s20-p03",
"Vos chefs de chantier face à l'inspection du travail",
"""
Bonjour Madame Garnier,

Dans votre entretien à Rhône Industrie Hebdo, vous expliquez que vos chefs de chantier passent trop de temps au téléphone avec le siège quand l'inspection du travail arrive sur un chantier à l'étranger.

C'est précisément ce que CrewPass règle : le chef de chantier ouvre sur son téléphone le certificat A1, l'accusé de dépôt de la déclaration de détachement et le résumé du contrat, sans appeler personne.

Accepteriez-vous que je vous envoie une courte vidéo, vue depuis le téléphone d'un chef de chantier ?

Bien cordialement,
Maren
""",
"""
Bonjour Madame Garnier,

Un exemple concret : chez Moreau Montage Industriel, le responsable de chantier raconte que lors d'un contrôle à Gand, « notre chef d'équipe a présenté tous les documents depuis son téléphone en 4 minutes ».

Avec les arrêts techniques en Belgique et aux Pays-Bas qui se préparent, c'est peut-être le bon moment pour en parler.

Bien cordialement,
Maren
""",
"""
Bonjour Madame Garnier, félicitations pour votre arrivée à la DRH de Cordelle Industrie cette année. J'accompagne des entreprises de maintenance industrielle sur la partie administrative du détachement ; je serais ravie d'échanger ici. Maren
""",
"Avant le départ des équipes pour les arrêts techniques",
"""
Bonjour Madame Garnier,

Un autre angle : pour les arrêts techniques des deux raffineries en Belgique et aux Pays-Bas, le plus pénible est souvent le technicien prêt à partir dont le dossier, lui, ne l'est pas.

CrewPass signale plusieurs jours avant le départ les A1 manquants, les documents expirés et les déclarations non déposées – pas à l'entrée du site.

Si vous souhaitez voir ce que cela donne pour une campagne entière, vous pouvez choisir un créneau ici : https://meet.kestrelmobility.example/maren

Bien cordialement,
Maren
""")

# ---------------------------------------------------------------- p04 es (ES)
seq("s20-p04",
"Delegación en Burdeos",
"""
Buenos días, Javier:

He visto que Aranda Norte ha abierto delegación en Burdeos y que buscan un/a Técnico/a de Movilidad Internacional para gestionar los desplazamientos a Francia y Portugal, los certificados A1 y las comunicaciones en destino.

CrewPass hace buena parte de ese trabajo: se registra el desplazamiento una vez y la herramienta presenta las comunicaciones en el país de destino, sigue los certificados A1 y avisa de lo que falta antes de que salga la cuadrilla.

¿Le envío un resumen de cómo se ve un desplazamiento a Francia en CrewPass?

Un saludo,
Maren
""",
"""
Buenos días, Javier:

Un dato por si le resulta útil: Lindqvist Elteknik redujo el tiempo de oficina dedicado a los trámites de desplazamiento de unas 6 horas a menos de 1 hora por rotación de cuadrilla.

Es tiempo que la persona que incorporen podría dedicar a coordinar las obras en Francia.

Un saludo,
Maren
""",
"""
Buenos días, Javier. Trabajo con empresas instaladoras que desplazan cuadrillas a Francia y Portugal, en la parte de papeles que nadie quiere hacer. Me interesa cómo están organizando la delegación de Burdeos; encantada de conectar. Maren
""",
"Documentación en obra, desde el móvil",
"""
Buenos días, Javier:

Otro ángulo: en su oferta de empleo mencionan el control de la documentación en obra. Con CrewPass, si llega una inspección, el encargado abre en su móvil el A1, el justificante de la comunicación y el resumen del contrato, sin llamar a la oficina.

En Moreau Montage Industriel lo resumen así: «Cuando vino el inspector a nuestra obra de Gante, nuestro encargado enseñó todos los documentos desde el móvil en 4 minutos».

Si le parece útil verlo, puede elegir un hueco aquí: https://meet.kestrelmobility.example/maren

Un saludo,
Maren
""")

# ---------------------------------------------------------------- p05 pt (PT)
seq("s20-p05",
"Papelada em dois países",
"""
Olá Ana Sofia,

Li a sua publicação sobre os destacamentos: cada um gera papelada em dois países e a equipa administrativa passa mais tempo a preencher formulários do que a preparar a obra.

O CrewPass foi feito para isso. Regista-se o destacamento uma vez e a plataforma submete as declarações no país de acolhimento, acompanha os certificados A1 e assinala o que falta antes da partida da equipa.

Faz sentido enviar-lhe um resumo de uma página com o processo passo a passo?

Cumprimentos,
Maren
""",
"""
Olá Ana Sofia,

Um número que talvez lhe interesse do lado financeiro: na Lindqvist Elteknik, o tempo de escritório gasto com a papelada dos destacamentos passou de cerca de 6 horas para menos de 1 hora por rotação de equipa.

Numa empresa que vende 70% fora de Portugal, essas horas somam-se depressa.

Cumprimentos,
Maren
""",
"""
Olá Ana Sofia, trabalho com empresas de metalomecânica e construção que fazem grande parte do negócio fora de Portugal, na parte administrativa dos destacamentos. Seria um gosto ficar em contacto por aqui. Maren
""",
"Quando as regras mudam no país de acolhimento",
"""
Olá Ana Sofia,

Outro ângulo: cada país de acolhimento altera as regras de destacamento ao seu ritmo – novos campos, novos limiares, novos portais. O CrewPass acompanha essas mudanças e atualiza os formulários antes da próxima partida, sem que a equipa tenha de as vigiar.

A Ferrovia Impianti submeteu 1.400 declarações de destacamento em 9 países no primeiro ano com o CrewPass, sem nenhuma fora de prazo.

Se quiser ver como funcionaria na Vouga, pode marcar aqui: https://meet.kestrelmobility.example/maren

Cumprimentos,
Maren
""")

# ---------------------------------------------------------------- p06 nl (NL)
seq("s20-p06",
"A1's op vrijdagmiddag",
"""
Hoi Maarten,

Je post over die vrijdagmiddag waarop jullie nog A1-verklaringen najoegen voor een ploeg die maandag in Düsseldorf moest beginnen: herkenbaar. Je vroeg om tips, dus bij deze.

CrewPass zet ontbrekende A1's, verlopen documenten en niet-ingediende meldingen dagen vóór vertrek op rood, in plaats van op vrijdagmiddag. De planner voert een inzet één keer in en CrewPass verzorgt de meldingen in het land van bestemming.

Zal ik je een korte video sturen van hoe dat eruitziet voor een inzet in Duitsland?

Groet,
Maren
""",
"""
Hoi Maarten,

Nog een voorbeeld uit de praktijk: Van Dorsten Kraanverhuur had in 2025 bij 98% van de detacheringen de A1-verklaring binnen vóór vertrek, tegen 71% het jaar daarvoor.

Dat is jouw vrijdagmiddagprobleem, maar dan opgelost.

Groet,
Maren
""",
"""
Hoi Maarten, ik werk met aannemers die montageploegen over de grens sturen, aan de papierkant daarvan. Zag dat jullie een projectplanner voor Duitsland zoeken – succes met werven. Leuk om te connecten. Maren
""",
"Projectplanner Duitsland",
"""
Hoi Maarten,

Een ander punt: de projectplanner Duitsland die jullie zoeken, gaat ook de documentatie regelen. In CrewPass voert die planner een inzet één keer in en worden de meldingen in het land van bestemming daaruit opgemaakt.

Bij Brakstad Montasje zeggen ze het zo: “Vroeger hielden we per land een spreadsheet bij. Nu voeren onze planners een klus één keer in en zijn de meldingen vóór de lunch ingediend.”

Wil je kijken of dat bij Bremer & Zonen past? Plan hier een moment: https://meet.kestrelmobility.example/maren

Groet,
Maren
""")

# ---------------------------------------------------------------- p07 it (IT)
seq("s20-p07",
"Il tecnico che parte lunedì",
"""
Buongiorno Ing. Ferraris,

ho letto la sua intervista a Meccanica Veneta Oggi: un tecnico che parte lunedì per la Polonia non può scoprire venerdì che gli manca un documento. Non si potrebbe dire meglio.

CrewPass serve proprio a questo: il coordinatore inserisce la trasferta una sola volta e il sistema segnala con giorni di anticipo modelli A1 mancanti, documenti scaduti e dichiarazioni di distacco non ancora inviate.

Le andrebbe se le mandassi un breve video di come appare una trasferta in Polonia su CrewPass?

Cordiali saluti,
Maren
""",
"""
Buongiorno Ing. Ferraris,

un esempio concreto: Ferrovia Impianti ha inviato 1.400 dichiarazioni di distacco in 9 paesi nel primo anno con CrewPass, senza un solo invio in ritardo.

Con l'installazione chiavi in mano della BR-Fill 9 in tutta Europa, il numero di trasferte dei suoi tecnici potrebbe crescere in fretta.

Cordiali saluti,
Maren
""",
"""
Buongiorno Ing. Ferraris, mi occupo della parte documentale delle trasferte per aziende che installano e avviano macchine in tutta Europa. Seguo con interesse il lancio della BR-Fill 9; mi farebbe piacere restare in contatto. Maren
""",
"I documenti sul telefono del tecnico",
"""
Buongiorno Ing. Ferraris,

un altro aspetto: durante un avviamento presso il cliente, spesso il tecnico è da solo. Se arriva un controllo, con CrewPass apre sul telefono il modello A1, la ricevuta della dichiarazione e la sintesi del contratto, senza dover chiamare la sede.

Un cliente, Moreau Montage Industriel, lo racconta così: «Quando l'ispettore è venuto nel nostro cantiere di Gand, il nostro capocantiere ha mostrato tutti i documenti dal telefono in 4 minuti».

Se vuole vederlo, può scegliere un orario qui: https://meet.kestrelmobility.example/maren

Cordiali saluti,
Maren
""")

# ---------------------------------------------------------------- p08 pl (PL)
seq("s20-p08",
"Specjalista ds. delegowania – zanim zacznie",
"""
Dzień dobry, Pani Agnieszko,

widzę, że Budmont-Stal szuka specjalisty ds. delegowania pracowników: wnioski o zaświadczenia A1, zgłoszenia w krajach przyjmujących, dokumentacja wyjazdów do Niemiec, Holandii i Norwegii.

CrewPass przejmuje dużą część tej pracy: planista wprowadza delegowanie raz, a system składa zgłoszenia w kraju przyjmującym, pilnuje zaświadczeń A1 i pokazuje braki jeszcze przed wyjazdem ekipy.

Czy mogę przesłać krótkie nagranie pokazujące delegowanie do Niemiec w CrewPass? Może się przydać przy wdrażaniu nowej osoby.

Pozdrawiam,
Maren
""",
"""
Dzień dobry, Pani Agnieszko,

jeszcze jeden przykład: w Lindqvist Elteknik czas pracy biura poświęcany na dokumenty delegowania spadł z około 6 godzin do mniej niż 1 godziny na każdą rotację ekipy.

Przy kontrakcie pod Hamburgiem i kolejnych wyjazdach to sporo odzyskanego czasu dla działu kadr.

Pozdrawiam,
Maren
""",
"""
Dzień dobry, Pani Agnieszko, pracuję z firmami montażowymi, które wysyłają ekipy do Niemiec, Holandii i Norwegii – po stronie dokumentów. Chętnie nawiążę kontakt i będę śledzić projekty Budmont-Stal. Maren
""",
"Trzy kraje, trzy zestawy przepisów",
"""
Dzień dobry, Pani Agnieszko,

z innej strony: Niemcy, Holandia i Norwegia zmieniają przepisy o delegowaniu, każdy kraj we własnym tempie – nowe pola, nowe progi, nowe portale. CrewPass śledzi te zmiany i aktualizuje formularze przed kolejnym wyjazdem, więc Pani zespół nie musi tego pilnować sam.

Jeśli chciałaby Pani zobaczyć, jak to działa w praktyce, proszę wybrać dogodny termin: https://meet.kestrelmobility.example/maren

Pozdrawiam,
Maren
""")

# ---------------------------------------------------------------- p09 sv (SE)
seq("s20-p09",
"Administrationen kring Norgejobben",
"""
Hej Johan,

Läste ditt inlägg om att ni har vuxit från 90 till 140 anställda på två år, men att administrationen kring jobben i Norge och Finland inte har hängt med. Det känner jag igen från många installationsföretag som växer.

CrewPass tar hand om just den biten: planeraren lägger in en utstationering en gång, och CrewPass sköter anmälningarna i värdlandet, bevakar A1-intygen och flaggar det som saknas innan montörerna åker.

Vill du att jag skickar en kort genomgång av hur ett jobb i Norge ser ut i CrewPass?

Hälsningar,
Maren
""",
"""
Hej Johan,

Ett exempel: Lindqvist Elteknik minskade kontorstiden för utstationeringspapper från ungefär 6 timmar till under 1 timme per rotation av arbetslaget.

Med batterifabriken i Mo i Rana på gång blir det sannolikt fler sådana rotationer hos er också.

Hälsningar,
Maren
""",
"""
Hej Johan! Jag jobbar med installationsföretag som skickar montörer över gränsen, med pappersdelen av det. Kul att följa Norrhamns jobb i Mo i Rana – vore trevligt att ha kontakt här. /Maren
""",
"När värdländerna ändrar reglerna",
"""
Hej Johan,

En annan vinkel: Norge och Finland ändrar sina regler för utstationering i egen takt – nya fält, nya trösklar, nya portaler. CrewPass håller koll på ändringarna och uppdaterar formulären innan nästa jobb drar i gång, så ingen hos er behöver bevaka det.

Brakstad Montasje sammanfattar det så här: ”Förut hade vi ett kalkylark per land. Nu lägger våra planerare in ett jobb en gång och anmälningarna är klara före lunch.”

Vill du se det i praktiken kan du boka en tid här: https://meet.kestrelmobility.example/maren

Hälsningar,
Maren
""")

# ---------------------------------------------------------------- p10 da (DK) — sensitive-dominated: gentle
seq("s20-p10",
"Teknikerhold i Tyskland og Polen",
"""
Hej Mette,

Skovlund Vindservice sender egne teknikerhold ud til møller i Tyskland og Polen, og den slags udstationeringer kræver typisk en anmeldelse i værtslandet og en A1-attest, der skal være på plads i tide.

CrewPass samler det ét sted: planlæggeren indtaster en udsendelse én gang, og CrewPass indsender anmeldelserne i værtslandet, holder styr på A1-attesterne og markerer, hvad der mangler, inden holdet rejser.

Må jeg sende en kort oversigt, som du kan kigge på, når det passer?

Venlig hilsen
Maren
""",
"""
Hej Mette,

Et enkelt tal, hvis det er relevant: Van Dorsten Kraanverhuur havde i 2025 A1-attesten klar før afrejse ved 98% af udsendelserne, mod 71% året før.

Ingen hast fra min side – svar endelig, når det passer dig.

Venlig hilsen
Maren
""",
"""
Hej Mette, jeg arbejder med servicevirksomheder, der sender teknikere til Tyskland og Polen, og hjælper med papirarbejdet omkring udstationering. Det ville være rart at være forbundet her. Venlig hilsen Maren
""",
"Dokumenterne på teknikerens telefon",
"""
Hej Mette,

En anden vinkel: Hvis der kommer kontrol, mens et hold arbejder på en vindmøllepark i Tyskland eller Polen, kan holdlederen med CrewPass vise A1-attesten, kvitteringen for anmeldelsen og kontraktresuméet fra sin telefon uden at ringe hjem.

Hvis du en dag har lyst til at se det, kan du vælge et tidspunkt her: https://meet.kestrelmobility.example/maren

Venlig hilsen
Maren
""")

# ---------------------------------------------------------------- p11 no (NO)
seq("s20-p11",
"Basen i Göteborg",
"""
Hei Kristoffer,

Gratulerer med den nye basen i Göteborg. Når mannskap fra Norge jobber for kunder i Vest-Sverige, følger det gjerne med melding om utsendte arbeidstakere i Sverige og A1-attester som må være på plass før avreise.

CrewPass tar seg av den delen: planleggeren legger inn oppdraget én gang, og CrewPass sender meldingene i vertslandet, følger opp A1-attestene og varsler om det som mangler før mannskapet drar.

Passer det at jeg sender en kort gjennomgang av hvordan et oppdrag i Sverige ser ut i CrewPass?

Hilsen
Maren
""",
"""
Hei Kristoffer,

Et eksempel fra kranbransjen: Van Dorsten Kraanverhuur hadde A1-attesten klar før avreise for 98 % av utsendingene i 2025, opp fra 71 % året før.

For et løft som ikke kan flyttes, er det nettopp de prosentpoengene som teller.

Hilsen
Maren
""",
"""
Hei Kristoffer, gratulerer (litt på etterskudd) med driftslederrollen i Fjordlift! Jeg jobber med selskaper som sender mannskap over landegrensene, på papirsiden. Hyggelig å koble seg på her. Maren
""",
"Én registrering per oppdrag",
"""
Hei Kristoffer,

En annen innfallsvinkel: Som tidligere prosjektleder vet du sikkert hvor mye tid som går med til å fylle ut det samme om igjen for hvert land. I CrewPass registreres oppdraget én gang, og meldingene til vertslandet lages ut fra det.

Brakstad Montasje sier det slik: «Før hadde vi ett regneark per land. Nå legger planleggerne inn en jobb én gang, og meldingene er levert før lunsj.»

Vil du se det selv, kan du booke en tid her: https://meet.kestrelmobility.example/maren

Hilsen
Maren
""")

# ---------------------------------------------------------------- p12 en (IE)
seq("s20-p12",
"An A1 at 7am",
"""
Hi Siobhán,

Your post about posted-worker payroll being its own sport made me smile – especially the site manager asking you for an A1 at 7am.

That particular request is one CrewPass takes off your desk: the site manager opens the A1, the declaration receipt and the contract summary on their phone, and the host-country declarations are filed from a single entry when the posting is planned.

It won't run your shadow payroll, but it should mean fewer early-morning calls. Open to a short look?

Best,
Maren
""",
"""
Hi Siobhán,

One more thing worth knowing: Van Dorsten Kraanverhuur had the A1 in hand before departure for 98% of postings in 2025, up from 71% the year before.

Fewer missing A1s, fewer 7am calls.

Best,
Maren
""",
"""
Hi Siobhán – I work with contractors sending electrical crews across EU borders, on the declarations and A1 side. Saw the news about the campus near Odense; would be good to connect. Maren
""",
"Odense, before the first crew travels",
"""
Hi Siobhán,

A different angle: with the M&E package near Odense, Denmark joins the list of places your crews travel to. CrewPass flags missing A1s, expired documents and unfiled declarations days before a crew leaves, not at the site gate.

Or as Brakstad Montasje put it: “We used to keep one spreadsheet per country. Now our planners enter a job once and the declarations are filed before lunch.”

If that's worth a conversation before the Odense work ramps up, grab a time here: https://meet.kestrelmobility.example/maren

Best,
Maren
""")

# ---------------------------------------------------------------- p13 fr (BE) — sensitive-dominated: gentle
seq("s20-p13",
"Vos chantiers au Luxembourg et en France",
"""
Bonjour Madame Lambotte,

Vos équipes interviennent sur des chantiers de toiture et de bardage au Grand-Duché et dans le nord de la France. Chaque détachement y demande en général une déclaration dans le pays d'accueil et un A1 en ordre avant le départ.

CrewPass centralise ce travail : on encode le chantier une fois, l'outil dépose les déclarations dans le pays d'accueil et signale ce qui manque avant que l'équipe ne parte.

Puis-je vous envoyer une fiche d'une page qui montre le déroulement ?

Bien à vous,
Maren
""",
"""
Bonjour Madame Lambotte,

Un seul chiffre, à titre d'exemple : chez Lindqvist Elteknik, le temps passé au bureau sur les papiers de détachement est passé d'environ 6 heures à moins d'1 heure par rotation d'équipe.

Je vous laisse y penser, sans aucune urgence.

Bien à vous,
Maren
""",
"""
Bonjour Madame Lambotte, je travaille avec des entreprises de toiture et de construction qui envoient leurs équipes au Luxembourg et en France, sur la partie administrative du détachement. Au plaisir d'échanger ici. Maren
""",
"Les documents sur le téléphone du chef d'équipe",
"""
Bonjour Madame Lambotte,

Un autre aspect : lors d'un contrôle sur un chantier au Luxembourg ou en France, votre chef d'équipe peut, avec CrewPass, montrer l'A1, l'accusé de la déclaration et le résumé du contrat directement depuis son téléphone, sans appeler le bureau.

Si vous souhaitez le voir un jour, vous pouvez choisir un moment ici : https://meet.kestrelmobility.example/maren

Bien à vous,
Maren
""")

# ---------------------------------------------------------------- p14 de (AT)
seq("s20-p14",
"Wenn der Papierkram länger dauert als der Aufbau",
"""
Guten Tag Herr Pichler,

Ihr Satz, dass bei drei Tagen Aufbau der Papierkram manchmal länger ist als der Einsatz selbst, trifft es für den Messebau ziemlich genau.

CrewPass ist für solche kurzen, dichten Einsätze gemacht: Ihr Team erfasst einen Einsatz einmal, CrewPass erstellt die Entsendemeldung im jeweiligen Zielland, behält die A1-Bescheinigungen im Blick und zeigt vor der Abfahrt, was noch fehlt – auch wenn es Montag nach Köln und Donnerstag nach Mailand geht.

Darf ich Ihnen ein kurzes Video schicken, wie so eine Woche in CrewPass aussieht?

Beste Grüße
Maren
""",
"""
Guten Tag Herr Pichler,

ein Kundenzitat, das gut zu Ihrer Woche passt: „Früher hatten wir pro Land eine eigene Tabelle. Heute erfassen unsere Planer einen Auftrag einmal, und die Meldungen sind vor dem Mittagessen erledigt.“ So beschreibt es Brakstad Montasje.

Beste Grüße
Maren
""",
"""
Guten Tag Herr Pichler, ich arbeite mit Firmen, deren Monteure europaweit unterwegs sind, und kümmere mich um die Entsendeseite. Mailand, Köln, Barcelona – das klingt nach einem vollen Messejahr. Ich freue mich auf die Vernetzung. Maren
""",
"Neue Monteure, neue Unterlagen",
"""
Guten Tag Herr Pichler,

noch ein anderer Punkt: Sie suchen gerade Messebau-Monteur/innen mit Reisebereitschaft in der EU. Vor dem ersten Auslandseinsatz einer neuen Person fehlt erfahrungsgemäß oft noch ein Dokument.

CrewPass zeigt fehlende A1-Bescheinigungen, abgelaufene Unterlagen und noch nicht abgegebene Meldungen Tage vor der Abfahrt an – nicht erst am Einfahrtstor der Messe.

Wenn Sie sich das ansehen möchten, buchen Sie gern hier einen Termin: https://meet.kestrelmobility.example/maren

Beste Grüße
Maren
""")

# ---------------------------------------------------------------- p15 nl (BE, Flemish)
seq("s20-p15",
"Drie keer per maand van land wisselen",
"""
Goedemiddag Pieter,

U schreef onlangs dat uw ploegen soms drie keer per maand van land wisselen, en dat elke wissel nieuwe meldingen, nieuwe documenten op de werf en telkens dezelfde vraag oplevert: is alles in orde?

CrewPass beantwoordt die vraag vóór vertrek: ontbrekende A1's, vervallen documenten en niet-ingediende meldingen kleuren dagen op voorhand rood, en de meldingen in het gastland worden opgemaakt vanuit één enkele invoer.

Mag ik u een korte video bezorgen van hoe zo'n landwissel eruitziet in CrewPass?

Met vriendelijke groeten,
Maren
""",
"""
Goedemiddag Pieter,

Nog een concreet voorbeeld: Ferrovia Impianti diende in het eerste jaar met CrewPass 1.400 detacheringsmeldingen in, verspreid over 9 landen, zonder één laattijdige melding.

Met de werkplaats in Terneuzen wordt Nederland voor uw ploegen allicht nog vaker een bestemming.

Met vriendelijke groeten,
Maren
""",
"""
Goedemiddag Pieter, ik werk met isolatie- en onderhoudsbedrijven die hun ploegen over de grens sturen, aan de administratieve kant van detachering. Ik zou graag met u connecteren. Met vriendelijke groeten, Maren
""",
"Regels die per land veranderen",
"""
Goedemiddag Pieter,

Een andere invalshoek: sinds u bij Delvaux de buitenlandse projecten opvolgt, hebt u wellicht gemerkt dat elk land zijn detacheringsregels in eigen tempo aanpast – nieuwe velden, nieuwe drempels, nieuwe portalen.

CrewPass volgt die wijzigingen op en past de formulieren aan voordat de volgende ploeg vertrekt, zodat uw team dat niet zelf moet bijhouden.

Als u het wilt zien, kunt u hier een moment kiezen: https://meet.kestrelmobility.example/maren

Met vriendelijke groeten,
Maren
""")

# ---------------------------------------------------------------- p16 en (FI)
seq("s20-p16",
"Installers ready before their paperwork",
"""
Hi Antti,

Your line in Nordic Maritime Review stuck with me: installers are usually ready before their paperwork is.

CrewPass closes that gap. The coordinator enters a posting once; CrewPass files the host-country declarations, tracks the A1 certificates and flags anything missing days before departure, so the paperwork is ready when the installers are.

Would a short video of a Saint-Nazaire posting in CrewPass be useful?

Best,
Maren
""",
"""
Hi Antti,

A comparable case: Ferrovia Impianti filed 1,400 posting declarations across 9 countries in its first year on CrewPass, without a single late filing.

Relevant if your Posted Workforce coordinator ends up handling yards in France, Germany and Italy at the same time.

Best,
Maren
""",
"""
Hi Antti – I work with outfitting and installation firms that send crews to yards across Europe, on the posting paperwork side. Congratulations on the Saint-Nazaire contract; would be glad to connect. Maren
""",
"When an inspector walks onto the yard",
"""
Hi Antti,

A different angle: shipyards get labour inspections too, and the foreman on board is rarely the person holding the documents. With CrewPass, the site lead opens the A1, the declaration receipt and the contract summary on their phone.

As Moreau Montage Industriel's site manager put it: “When the inspector came to our site in Ghent, our foreman showed every document from his phone in 4 minutes.”

If that's worth a closer look, pick a time here: https://meet.kestrelmobility.example/maren

Best,
Maren
""")

out = pathlib.Path(__file__).resolve().parent.parent / "s20" / "references.jsonl"
with open(out, "w", encoding="utf-8") as fh:
    for r in R:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
print("wrote", len(R), "references to", out)
