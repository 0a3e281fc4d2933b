# Hand-written prospect records for s20 (serialised to s20/prospects.jsonl).
# Every fact text below was written individually; nothing is generated.
import json, pathlib

P = []

P.append({
 "id": "s20-p01", "first_name": "Gareth", "last_name": "Pryce", "email": "gareth.pryce@tarrantfab.example",
 "title": "Head of Operations", "company": "Tarrant Fabrication Ltd", "company_domain": "tarrantfab.example",
 "industry": "structural steel fabrication and erection", "company_size": 310, "country": "GB",
 "timezone": "Europe/London", "linkedin_url": "https://www.linkedin.example/in/gareth-pryce-tarrant", "language": "en",
 "facts": [
  {"id": "f1", "kind": "news", "date": "2026-04-14",
   "text": "Tarrant Fabrication wins structural steel package for Frankfurt data centre; erection crews due on site from Q3",
   "source": "https://www.constructionwire.example/news/2026/04/tarrant-frankfurt-data-centre"},
  {"id": "f2", "kind": "hiring", "date": "2026-05-02",
   "text": "Mobilisation Coordinator (EU Projects) – Sheffield – Tarrant Fabrication Ltd. You will arrange travel, accommodation and right-to-work and posting paperwork for our erection crews working in Germany and the Netherlands. Experience with A1 / certificate of coverage applications is an advantage.",
   "source": "https://jobs.tarrantfab.example/vacancies/mobilisation-coordinator-eu"},
  {"id": "f3", "kind": "news", "date": "2026-03-08",
   "text": "Gareth Pryce appointed head coach at Llandeilo RFC after two seasons in charge of the forwards",
   "source": "https://www.westwalessport.example/rugby/llandeilo-new-head-coach"}
 ]})

P.append({
 "id": "s20-p02", "first_name": "Sabine", "last_name": "Kröger", "email": "sabine.kroeger@hellwig-anlagenbau.example",
 "title": "Leiterin Personal", "company": "Hellwig Anlagenbau GmbH", "company_domain": "hellwig-anlagenbau.example",
 "industry": "industrial piping and plant installation", "company_size": 640, "country": "DE",
 "timezone": "Europe/Berlin", "linkedin_url": "https://www.linkedin.example/in/dr-sabine-kroeger", "language": "de",
 "facts": [
  {"id": "f1", "kind": "post", "date": "2026-07-09",
   "text": "Wir haben im ersten Halbjahr über 300 Entsendungen nach Frankreich, Belgien und Österreich abgewickelt – jede mit eigener Meldung, eigenem A1-Antrag und eigener Excel-Zeile. Das muss 2027 anders werden.",
   "source": "https://www.linkedin.example/posts/dr-sabine-kroeger_entsendung-personal-activity-7348"},
  {"id": "f2", "kind": "news", "date": "2026-03-20",
   "text": "Hellwig Anlagenbau eröffnet Niederlassung in Linz – Schwerpunkt Rohrleitungsbau für Chemie- und Pharmakunden in Österreich",
   "source": "https://www.industrie-nachrichten.example/anlagenbau/hellwig-linz-niederlassung"},
  {"id": "f3", "kind": "tech_stack", "date": "2026-05-14",
   "text": "Techscan hellwig-anlagenbau.example: SAP SuccessFactors; DATEV Lohn und Gehalt; Microsoft 365; SharePoint Online; Cloudflare",
   "source": "https://techscan.example/domain/hellwig-anlagenbau.example"},
  {"id": "f4", "kind": "news", "date": "2026-09-02",
   "text": "Hellwig Logistik GmbH aus Bremen stellt Insolvenzantrag – rund 80 Beschäftigte betroffen",
   "source": "https://www.weser-wirtschaft.example/insolvenz-hellwig-logistik"}
 ]})

P.append({
 "id": "s20-p03", "first_name": "Nathalie", "last_name": "Garnier", "email": "nathalie.garnier@cordelle-industrie.example",
 "title": "Directrice des ressources humaines", "company": "Cordelle Industrie", "company_domain": "cordelle-industrie.example",
 "industry": "industrial maintenance and plant shutdowns", "company_size": 880, "country": "FR",
 "timezone": "Europe/Paris", "linkedin_url": "https://www.linkedin.example/in/nathalie-garnier-rh", "language": "fr",
 "facts": [
  {"id": "f1", "kind": "role_change", "date": "2026-02-16",
   "text": "Nathalie Garnier est nommée DRH de Cordelle Industrie. Elle était auparavant responsable RH groupe chez un équipementier automobile.",
   "source": "https://www.nominations-rh.example/2026/02/nathalie-garnier-cordelle"},
  {"id": "f2", "kind": "news", "date": "2026-06-03",
   "text": "Cordelle Industrie remporte les arrêts techniques de deux raffineries en Belgique et aux Pays-Bas ; jusqu'à 250 techniciens mobilisés par campagne",
   "source": "https://www.rhone-industrie-hebdo.example/actualites/cordelle-arrets-raffineries"},
  {"id": "f3", "kind": "pain_point", "date": "2026-09-22",
   "text": "« Quand l'inspection du travail arrive sur un chantier à l'étranger, nos chefs de chantier passent trop de temps au téléphone avec le siège pour retrouver les bons documents », explique Nathalie Garnier, DRH de Cordelle Industrie, dans un entretien à Rhône Industrie Hebdo.",
   "source": "https://www.rhone-industrie-hebdo.example/entretiens/nathalie-garnier-cordelle"},
  {"id": "f4", "kind": "news", "date": "2026-01-10",
   "text": "Cordelle Industrie poursuit sa dynamique de croissance et reste pleinement engagée au service de ses clients.",
   "source": "https://www.annuaire-entreprises-pro.example/cordelle-industrie"}
 ]})

P.append({
 "id": "s20-p04", "first_name": "Javier", "last_name": "Montes Ruiz", "email": "javier.montes@arandanorte.example",
 "title": "Director de Operaciones", "company": "Instalaciones Aranda Norte S.L.", "company_domain": "arandanorte.example",
 "industry": "electrical installation contractor", "company_size": 260, "country": "ES",
 "timezone": "Europe/Madrid", "linkedin_url": "https://www.linkedin.example/in/javier-montes-ruiz", "language": "es",
 "facts": [
  {"id": "f1", "kind": "news", "date": "2026-05-18",
   "text": "Instalaciones Aranda Norte abre delegación en Burdeos para dar servicio a obras en el suroeste de Francia",
   "source": "https://www.economia-norte.example/empresas/aranda-norte-burdeos"},
  {"id": "f2", "kind": "hiring", "date": "2026-06-25",
   "text": "Oferta de empleo: Técnico/a de Movilidad Internacional (Bilbao). Funciones: gestión de desplazamientos de personal a Francia y Portugal, tramitación de certificados A1, comunicaciones de desplazamiento en el país de destino y control de la documentación en obra.",
   "source": "https://empleo.arandanorte.example/ofertas/tecnico-movilidad-internacional"},
  {"id": "f3", "kind": "post", "date": "2026-10-04",
   "text": "Estas semanas estaré menos disponible. Mi padre falleció el domingo. Gracias a todos por los mensajes de cariño.",
   "source": "https://www.linkedin.example/posts/javier-montes-ruiz_activity-7381"}
 ]})

P.append({
 "id": "s20-p05", "first_name": "Ana Sofia", "last_name": "Barros", "email": "ana.barros@mvouga.example",
 "title": "Diretora Financeira", "company": "Metalomecânica Vouga, S.A.", "company_domain": "mvouga.example",
 "industry": "metalwork and steel structures", "company_size": 450, "country": "PT",
 "timezone": "Europe/Lisbon", "linkedin_url": "https://www.linkedin.example/in/anasofiabarros", "language": "pt",
 "facts": [
  {"id": "f1", "kind": "news", "date": "2026-03-30",
   "text": "Metalomecânica Vouga fatura 62 milhões de euros em 2025, com 70% das vendas fora de Portugal",
   "source": "https://www.jornal-aveiro-economia.example/metalomecanica-vouga-resultados-2025"},
  {"id": "f2", "kind": "news", "date": "2026-04-12",
   "text": "\"Temos, em média, 80 trabalhadores destacados fora de Portugal ao longo do ano\", afirma Ana Sofia Barros, diretora financeira da Metalomecânica Vouga.",
   "source": "https://www.industria-pt.example/entrevistas/ana-sofia-barros-vouga"},
  {"id": "f3", "kind": "news", "date": "2026-08-19",
   "text": "Metalomecânica Vouga mantém cerca de 150 trabalhadores destacados no estrangeiro, segundo o relatório de sustentabilidade da empresa.",
   "source": "https://www.sustentabilidade-empresas.example/relatorios/mvouga-2025"},
  {"id": "f4", "kind": "pain_point", "date": "2026-09-15",
   "text": "Cada destacamento gera papelada em dois países. A nossa equipa administrativa passa mais tempo a preencher formulários do que a preparar a obra. Não pode continuar assim.",
   "source": "https://www.linkedin.example/posts/anasofiabarros_destacamento-activity-7373"}
 ]})

P.append({
 "id": "s20-p06", "first_name": "Maarten", "last_name": "Oosterhuis", "email": "maarten.oosterhuis@bremerzonen.example",
 "title": "Hoofd Planning", "company": "Bremer & Zonen Gevelbouw B.V.", "company_domain": "bremerzonen.example",
 "industry": "facade construction", "company_size": 210, "country": "NL",
 "timezone": "Europe/Amsterdam", "linkedin_url": "https://www.linkedin.example/in/maartenoosterhuis", "language": "nl",
 "facts": [
  {"id": "f1", "kind": "post", "date": "2026-08-28",
   "text": "Weer een vrijdagmiddag waarop we A1-verklaringen aan het najagen waren voor een ploeg die maandag in Düsseldorf moest beginnen. Dat moet slimmer kunnen. Tips welkom.",
   "source": "https://www.linkedin.example/posts/maartenoosterhuis_planning-activity-7367"},
  {"id": "f2", "kind": "hiring", "date": "2026-09-10",
   "text": "Vacature: Projectplanner Duitsland (32–40 uur) – Zwolle. Je plant montageploegen voor gevelprojecten in Noordrijn-Westfalen en regelt de bijbehorende documentatie.",
   "source": "https://werkenbij.bremerzonen.example/vacatures/projectplanner-duitsland"},
  {"id": "f3", "kind": "tech_stack", "date": "2026-06-01",
   "text": "Techscan bremerzonen.example: Microsoft Dynamics 365 Business Central | Excel Online | WhatsApp Business | Microsoft Teams",
   "source": "https://techscan.example/domain/bremerzonen.example"}
 ]})

P.append({
 "id": "s20-p07", "first_name": "Paolo", "last_name": "Ferraris", "email": "paolo.ferraris@brenta-automazioni.example",
 "title": "Responsabile Field Service", "company": "Brenta Automazioni S.p.A.", "company_domain": "brenta-automazioni.example",
 "industry": "bottling machinery manufacturer", "company_size": 520, "country": "IT",
 "timezone": "Europe/Rome", "linkedin_url": "https://www.linkedin.example/in/ing-paolo-ferraris", "language": "it",
 "facts": [
  {"id": "f1", "kind": "product_launch", "date": "2026-03-05",
   "text": "Brenta Automazioni presenta BR-Fill 9, la nuova riempitrice per bevande, con installazione e avviamento chiavi in mano in tutta Europa",
   "source": "https://www.brenta-automazioni.example/news/br-fill-9"},
  {"id": "f2", "kind": "pain_point", "date": "2026-06-17",
   "text": "«Un tecnico che parte lunedì per la Polonia non può scoprire venerdì che gli manca un documento» – Paolo Ferraris, responsabile field service di Brenta Automazioni, intervistato da Meccanica Veneta Oggi",
   "source": "https://www.meccanica-veneta-oggi.example/interviste/ferraris-brenta-field-service"},
  {"id": "f3", "kind": "news", "date": "2026-05-11",
   "text": "Il consigliere comunale Paolo Ferraris presenta una mozione sulla viabilità nel centro storico di Asti",
   "source": "https://www.cronaca-astigiana.example/politica/mozione-viabilita-ferraris"}
 ]})

P.append({
 "id": "s20-p08", "first_name": "Agnieszka", "last_name": "Wrona", "email": "agnieszka.wrona@budmont-stal.example",
 "title": "Kierownik Działu Kadr i Płac", "company": "Budmont-Stal Sp. z o.o.", "company_domain": "budmont-stal.example",
 "industry": "steel structure assembly", "company_size": 380, "country": "PL",
 "timezone": "Europe/Warsaw", "linkedin_url": "https://www.linkedin.example/in/agnieszka-wrona-kadry", "language": "pl",
 "facts": [
  {"id": "f1", "kind": "news", "date": "2026-04-22",
   "text": "Budmont-Stal podpisał umowę na montaż konstrukcji stalowej centrum logistycznego pod Hamburgiem",
   "source": "https://www.budownictwo-slask.example/budmont-stal-hamburg"},
  {"id": "f2", "kind": "hiring", "date": "2026-07-01",
   "text": "Oferta pracy: Specjalista/-ka ds. delegowania pracowników (Gliwice). Zakres obowiązków: przygotowanie wniosków o zaświadczenia A1, zgłoszenia w krajach przyjmujących, prowadzenie dokumentacji delegowań do Niemiec, Holandii i Norwegii.",
   "source": "https://kariera.budmont-stal.example/oferty/specjalista-delegowanie"},
  {"id": "f3", "kind": "news", "date": "2026-02-11",
   "text": "Niemiecka kontrola celna nałożyła na Budmont-Stal grzywnę za nieprawidłowości w dokumentacji pracowników delegowanych – podaje portal branżowy.",
   "source": "https://www.portal-montazowy.example/aktualnosci/grzywna-budmont-stal"},
  {"id": "f4", "kind": "news", "date": "2026-01-15",
   "text": "Budmont-Stal stawia na rozwój i nowoczesne rozwiązania.",
   "source": "https://www.katalog-firm.example/budmont-stal"}
 ]})

P.append({
 "id": "s20-p09", "first_name": "Johan", "last_name": "Bergkvist", "email": "johan.bergkvist@norrhamn-kv.example",
 "title": "VD", "company": "Norrhamn Kyl & Ventilation AB", "company_domain": "norrhamn-kv.example",
 "industry": "HVAC installation", "company_size": 140, "country": "SE",
 "timezone": "Europe/Stockholm", "linkedin_url": "https://www.linkedin.example/in/johanbergkvist-norrhamn", "language": "sv",
 "facts": [
  {"id": "f1", "kind": "news", "date": "2026-03-17",
   "text": "Norrhamn Kyl & Ventilation tecknar avtal om ventilationsentreprenaden i ny batterifabrik i Mo i Rana",
   "source": "https://www.byggnorr.example/nyheter/norrhamn-mo-i-rana"},
  {"id": "f2", "kind": "post", "date": "2026-10-06",
   "text": "Vi har vuxit från 90 till 140 anställda på två år. Det som inte har hängt med är administrationen kring våra jobb i Norge och Finland. Där har vi en del att göra.",
   "source": "https://www.linkedin.example/posts/johanbergkvist-norrhamn_activity-7383"},
  {"id": "f3", "kind": "news", "date": "2026-05-28",
   "text": "Norrhamn Bygg AB förvärvar snickerifirma i Luleå",
   "source": "https://www.affarer-i-norr.example/norrhamn-bygg-forvarv"}
 ]})

P.append({
 "id": "s20-p10", "first_name": "Mette", "last_name": "Kjærgaard", "email": "mette.kjaergaard@skovlund-vind.example",
 "title": "HR-chef", "company": "Skovlund Vindservice A/S", "company_domain": "skovlund-vind.example",
 "industry": "wind turbine service", "company_size": 300, "country": "DK",
 "timezone": "Europe/Copenhagen", "linkedin_url": "https://www.linkedin.example/in/mette-kjaergaard-hr", "language": "da",
 "facts": [
  {"id": "f1", "kind": "post", "date": "2026-10-20",
   "text": "Jeg går på barsel fra 1. november og er tilbage i april. Louise Dahl overtager mine opgaver i mellemtiden.",
   "source": "https://www.linkedin.example/posts/mette-kjaergaard-hr_activity-7387"},
  {"id": "f2", "kind": "news", "date": "2026-09-08",
   "text": "Skovlund Vindservice varsler afskedigelse af 45 medarbejdere efter tabt servicekontrakt i Nordsøen",
   "source": "https://www.vestkysten-erhverv.example/skovlund-varsler-afskedigelser"},
  {"id": "f3", "kind": "post", "date": "2026-03-02",
   "text": "Tak for alle de søde hilsner efter min operation. Jeg er godt på vej tilbage.",
   "source": "https://www.linkedin.example/posts/mette-kjaergaard-hr_activity-7302"},
  {"id": "f4", "kind": "news", "date": "2026-01-20",
   "text": "Skovlund Vindservice servicerer vindmøller i Danmark, Tyskland og Polen med egne teknikerhold.",
   "source": "https://www.skovlund-vind.example/om-os"}
 ]})

P.append({
 "id": "s20-p11", "first_name": "Kristoffer", "last_name": "Hauge", "email": "kristoffer.hauge@fjordlift.example",
 "title": "Driftsleder", "company": "Fjordlift Tungtransport AS", "company_domain": "fjordlift.example",
 "industry": "heavy transport and crane lifting", "company_size": 190, "country": "NO",
 "timezone": "Europe/Oslo", "linkedin_url": "https://www.linkedin.example/in/kristoffer-hauge", "language": "no",
 "facts": [
  {"id": "f1", "kind": "role_change", "date": "2026-02-03",
   "text": "Kristoffer Hauge er ansatt som ny driftsleder i Fjordlift Tungtransport. Han kommer fra stillingen som prosjektleder i samme selskap.",
   "source": "https://www.fjordlift.example/aktuelt/ny-driftsleder"},
  {"id": "f2", "kind": "news", "date": "2026-08-12",
   "text": "Fjordlift åpner base i Göteborg for å betjene industrikunder i Vest-Sverige",
   "source": "https://www.transportavisen-vest.example/fjordlift-goteborg"},
  {"id": "f3", "kind": "tech_stack", "date": "2026-05-05",
   "text": "Techscan fjordlift.example: Visma.net; Timegrip; Microsoft Teams; SharePoint; Google Analytics",
   "source": "https://techscan.example/domain/fjordlift.example"}
 ]})

P.append({
 "id": "s20-p12", "first_name": "Siobhán", "last_name": "Kelleher", "email": "siobhan.kelleher@corribelectrical.example",
 "title": "Payroll & Compliance Lead", "company": "Corrib Electrical Contractors Ltd", "company_domain": "corribelectrical.example",
 "industry": "electrical and mechanical contracting", "company_size": 520, "country": "IE",
 "timezone": "Europe/Dublin", "linkedin_url": "https://www.linkedin.example/in/siobhan-kelleher-payroll", "language": "en",
 "facts": [
  {"id": "f1", "kind": "post", "date": "2026-05-27",
   "text": "Payroll for posted workers is its own sport. Shadow payroll in three countries, host-country minimum rates that change mid-project, and a site manager asking me for an A1 at 7am.",
   "source": "https://www.linkedin.example/posts/siobhan-kelleher-payroll_activity-7333"},
  {"id": "f2", "kind": "news", "date": "2026-07-14",
   "text": "Corrib Electrical awarded M&E package on hyperscale data centre campus near Odense, Denmark",
   "source": "https://www.irishbuildnews.example/corrib-odense-data-centre"},
  {"id": "f3", "kind": "hiring", "date": "2026-07-20",
   "text": "Corrib Electrical Contractors is hiring 60 electricians for European projects (Galway base, travel required)",
   "source": "https://www.jobsboard-ie.example/corrib-electrical-electricians"},
  {"id": "f4", "kind": "news", "date": "2026-07-22",
   "text": "Corrib Electrical to recruit 200 staff for Danish data centre build",
   "source": "https://www.westernbusinesspost.example/corrib-to-recruit-200"}
 ]})

P.append({
 "id": "s20-p13", "first_name": "Véronique", "last_name": "Lambotte", "email": "veronique.lambotte@lambotte-toitures.example",
 "title": "Gérante", "company": "Lambotte Frères Toitures SRL", "company_domain": "lambotte-toitures.example",
 "industry": "roofing and cladding", "company_size": 75, "country": "BE",
 "timezone": "Europe/Brussels", "linkedin_url": "https://www.linkedin.example/in/veronique-lambotte", "language": "fr",
 "facts": [
  {"id": "f1", "kind": "news", "date": "2026-06-10",
   "text": "Lambotte Frères Toitures : le tribunal de l'entreprise de Liège ouvre une procédure de réorganisation judiciaire",
   "source": "https://www.moniteur-pme-wallonie.example/reorganisation-lambotte"},
  {"id": "f2", "kind": "post", "date": "2026-05-06",
   "text": "Mon frère Didier nous a quittés le 3 mai. Il avait fondé la société avec moi il y a trente ans. Merci pour vos messages.",
   "source": "https://www.linkedin.example/posts/veronique-lambotte_activity-7325"},
  {"id": "f3", "kind": "news", "date": "2026-04-02",
   "text": "Véronique Lambotte réélue présidente de la fabrique d'église de la paroisse Saint-Loup",
   "source": "https://www.vie-paroissiale-namur.example/fabrique-saint-loup"},
  {"id": "f4", "kind": "news", "date": "2026-01-25",
   "text": "Lambotte Frères Toitures réalise des chantiers de toiture et de bardage en Belgique, au Grand-Duché de Luxembourg et dans le nord de la France.",
   "source": "https://www.lambotte-toitures.example/realisations"}
 ]})

P.append({
 "id": "s20-p14", "first_name": "Markus", "last_name": "Pichler", "email": "markus.pichler@pichler-messebau.example",
 "title": "Geschäftsführer", "company": "Pichler Messebau GmbH", "company_domain": "pichler-messebau.example",
 "industry": "trade fair stand construction", "company_size": 95, "country": "AT",
 "timezone": "Europe/Vienna", "linkedin_url": "https://www.linkedin.example/in/markus-pichler-messebau", "language": "de",
 "facts": [
  {"id": "f1", "kind": "news", "date": "2026-04-28",
   "text": "Pichler Messebau realisiert Stände für 14 Aussteller auf Messen in Mailand, Köln und Barcelona",
   "source": "https://www.salzburger-wirtschaft.example/pichler-messebau-2026"},
  {"id": "f2", "kind": "post", "date": "2026-09-30",
   "text": "Messebau heißt: Montag Aufbau in Köln, Donnerstag Abbau in Mailand. Und für jeden Einsatz eine eigene Entsendemeldung. Bei drei Tagen Aufbau ist der Papierkram manchmal länger als der Einsatz selbst.",
   "source": "https://www.linkedin.example/posts/markus-pichler-messebau_activity-7378"},
  {"id": "f3", "kind": "hiring", "date": "2026-07-15",
   "text": "Wir suchen Messebau-Monteur/innen (Vollzeit, Salzburg) – Reisebereitschaft innerhalb der EU erforderlich",
   "source": "https://www.pichler-messebau.example/karriere/monteur"}
 ]})

P.append({
 "id": "s20-p15", "first_name": "Pieter", "last_name": "Vandenbroucke", "email": "pieter.vandenbroucke@delvaux-isolatie.example",
 "title": "HR Business Partner", "company": "Delvaux Isolatietechniek NV", "company_domain": "delvaux-isolatie.example",
 "industry": "industrial insulation", "company_size": 420, "country": "BE",
 "timezone": "Europe/Brussels", "linkedin_url": "https://www.linkedin.example/in/pietervandenbroucke", "language": "nl",
 "facts": [
  {"id": "f1", "kind": "role_change", "date": "2026-01-12",
   "text": "Pieter Vandenbroucke start als HR Business Partner bij Delvaux Isolatietechniek, met de buitenlandse projecten als aandachtsgebied",
   "source": "https://www.hr-vlaanderen.example/benoemingen/vandenbroucke-delvaux"},
  {"id": "f2", "kind": "news", "date": "2026-05-19",
   "text": "Delvaux Isolatietechniek opent werkplaats in Terneuzen om petrochemische klanten in Zeeland en Vlaanderen te bedienen",
   "source": "https://www.havenkrant-schelde.example/delvaux-terneuzen"},
  {"id": "f3", "kind": "post", "date": "2026-06-30",
   "text": "Deelt een opiniestuk over de federale regeringsvorming met als commentaar: 'Eindelijk een regering die durft te hervormen.'",
   "source": "https://www.linkedin.example/posts/pietervandenbroucke_activity-7346"},
  {"id": "f4", "kind": "post", "date": "2026-10-14",
   "text": "Onze ploegen wisselen soms drie keer per maand van land. Elke wissel betekent nieuwe meldingen, nieuwe documenten op de werf en telkens dezelfde vraag: is alles in orde?",
   "source": "https://www.linkedin.example/posts/pietervandenbroucke_activity-7385"}
 ]})

P.append({
 "id": "s20-p16", "first_name": "Antti", "last_name": "Lehtonen", "email": "antti.lehtonen@kaarna-marine.example",
 "title": "Head of Project Delivery", "company": "Kaarna Marine Outfitting Oy", "company_domain": "kaarna-marine.example",
 "industry": "ship interior outfitting", "company_size": 260, "country": "FI",
 "timezone": "Europe/Helsinki", "linkedin_url": "https://www.linkedin.example/in/anttilehtonen-kaarna", "language": "en",
 "facts": [
  {"id": "f1", "kind": "news", "date": "2026-02-25",
   "text": "Kaarna Marine Outfitting signs cabin outfitting contract with shipyard in Saint-Nazaire",
   "source": "https://www.nordicmaritimereview.example/news/kaarna-saint-nazaire"},
  {"id": "f2", "kind": "hiring", "date": "2026-06-09",
   "text": "Project Coordinator, Posted Workforce (Turku). Coordinate documentation, travel and accommodation for up to 120 installers working at shipyards in France, Germany and Italy.",
   "source": "https://careers.kaarna-marine.example/project-coordinator-posted-workforce"},
  {"id": "f3", "kind": "pain_point", "date": "2026-09-03",
   "text": "\"Our installers are usually ready before their paperwork is,\" says Antti Lehtonen, Head of Project Delivery at Kaarna, in Nordic Maritime Review.",
   "source": "https://www.nordicmaritimereview.example/interviews/antti-lehtonen-kaarna"},
  {"id": "f4", "kind": "news", "date": "2026-04-07",
   "text": "Kaarna Marine Outfitting to cut 30 office jobs as part of restructuring programme",
   "source": "https://www.turku-business.example/kaarna-restructuring"}
 ]})

out = pathlib.Path(__file__).resolve().parent.parent / "s20" / "prospects.jsonl"
with open(out, "w", encoding="utf-8") as fh:
    for p in P:
        fh.write(json.dumps(p, ensure_ascii=False) + "\n")
print("wrote", len(P), "prospects to", out)
