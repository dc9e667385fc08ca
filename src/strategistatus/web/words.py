"""Every word the pages show, in Danish (the default) and English.

Templates get ``t``, this table for the page's language; a key missing in one language is
a test failure (tests/test_web_pages.py), so English stays complete.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "da": {
        "app": "Strategistatus", "skip": "Gå til indhold", "menu": "Hovedmenu",
        "description": "Status for {town} Kommunes It- og digitaliseringsstrategi på skoleområdet",
        "tagline": "{town} Kommune · It- og digitaliseringsstrategien for skolerne",
        "footer": "{town} Kommune, Skoleforvaltningen", "api_link": "API (OpenAPI)",
        "choose_lang": "Vælg sprog", "this_lang": "Dansk",
        "summary": "{met} af {total} mål er opfyldt",
        "breadcrumbs": "Brødkrumme", "per_school_chart": "Skolerne",
        "target_mark": "Målet: {target}", "town_mark": "Kommunen: {value}",
        "tables_for": "Tal i tabeller: {title}", "total": "I alt",
        "over_mark": "Forbrug over budget", "over": "over budget",
        "budget_mark": "Budgettet", "warning": "Advarsel", "information": "Information",
        "narratives_intro": "Skriv hvert måls status til udvalgsrapporten. Tallene står ved siden af "
                            "tekstfeltet.",
        "round_hint": "Vælg en opgørelse på listen, eller skriv navnet på en ny, fx januar 2018.",
        "rounds_caption": "Opgørelser", "texts_written": "Tekster",
        "round_closed": "Afsluttet (tal pr. {date})", "round_open": "Åben",
        "n_of_m": "{n} af {m}", "round_heading": "Statustekster for {round}",
        "round_new": "Opgørelsen {round} er ny. Den oprettes, når den første tekst gemmes.",
        "round_is_closed": "Opgørelsen er afsluttet. Teksterne kan læses, men ikke ændres.",
        "figures_at": "Tallene er opgjort pr. {date}.", "figures_caption": "Tal for mål {n}",
        "goal_page": "Se alle tal for mål {n}",
        "no_reports": "Der er ingen færdige rapporter endnu. Vælg dato og format ovenfor.",
        "file_hint": "CSV-fil fra Excel (semikolon) eller en Excel-projektmappe (XLSX).",
        "over_alert": "Forbruget er over budgettet på: {accounts}.",
        "overview": "Overblik", "my_school": "Min skole", "imports": "Import",
        "narratives": "Statustekster", "reports": "Rapporter", "users": "Brugere",
        "sign_out": "Log ud", "sign_in": "Log ind", "switch": "English", "switch_lang": "en",
        "heading": "Status for målene i It- og digitaliseringsstrategien",
        "as_of": "Opgjort pr. {date}", "at_label": "Opgørelsesdato", "show": "Vis",
        "data_date": "Uden en valgt dato vises tallene pr. den seneste dato i de importerede "
                     "data.",
        "informs": "indgår ikke i målets status",
        "targets_caption": "Mål og resultater", "target": "Mål", "deadline": "Frist",
        "result": "Resultat", "t_period": "Periode", "t_met": "Nået", "t_not_met": "Ikke nået",
        "t_not_due": "Fristen er ikke nået", "t_no_deadline": "Uden frist", "t_no_result": "Ingen data",
        "at_most": "højst {target}", "phases": "Faser", "phase": "Fase",
        "planned": "Planlagt", "done_on": "Gennemført", "not_done": "Ikke gennemført endnu",
        "goals_caption": "Målene og deres indikatorer", "goal": "Mål", "goal_n": "Mål {n}",
        "indicator": "Indikator", "value": "Værdi", "trend": "Udvikling", "status": "Status",
        "trend_caption": "Udvikling pr. skoleår", "school_year": "Skoleår",
        "running": "(i gang)", "targets": "Mål: {targets}", "no_target": "Intet mål",
        "per_school": "Pr. skole", "school": "Skole", "with": "Antal", "of": "Ud af",
        "per_grade": "Pr. klassetrin", "grade": "Klassetrin", "no_grade": "Uden klassetrin", "excepted": "undtaget ved beslutning",
        "all": "alle", "mark_legend": "Tegnforklaring",
        "school_caption": "Skolens indikatorer og kommunens", "the_school": "Skolen",
        "municipality": "Kommunen", "finances": "Forbrug i forhold til budget, år til dato",
        "account": "Konto", "budget": "Budget (kr.)", "spent": "Forbrug (kr.)",
        "spent_share": "Forbrug i %", "results": "Resultater {year} med kommunens gennemsnit",
        "measure": "Mål", "pupils": "Elever",
        "devices": "Enheder", "to_collect": "Enheder der skal indsamles (eleven har forladt skolen)",
        "due": "Enheder der er for gamle og skal udskiftes",
        "device": "Enhed", "kind": "Type", "model": "Model", "holder_kind": "Bruger",
        "purchased": "Købt", "issued": "Udleveret", "price": "Pris (kr.)",
        "none": "Ingen.", "first_of": "Viser de første {n} af {total}.",
        "forecast": "Enheder der skal udskiftes de kommende år",
        "due_by": "Forfalder senest", "overdue": "Allerede forfaldne", "cost": "Pris i alt (kr.)",
        "unpriced": "uden pris",
        "import_heading": "Import af data", "dataset": "Datasæt",
        "file": "Fil (CSV eller XLSX)", "check_file": "Kontrollér filen",
        "import_result": "Resultat af importen", "dry_run": "Kontrol (intet er gemt endnu)",
        "read": "Læst", "inserted": "Nye", "updated": "Ændrede", "unchanged": "Uændrede",
        "removed": "Fjernede", "import": "Importér", "cancel_import": "Fortryd og slet filen",
        "upload_kept": "Filen gemmes kun, til du importerer den eller fortryder, og højst "
                       "{minutes} minutter; derefter slettes den.",
        "file_errors": "Filen har fejl ({n}). Intet er importeret. Ret filen og prøv igen.",
        "errors": "Fejl", "row": "Række", "column": "Kolonne", "reason": "Fejl",
        "file_col": "Fil", "shown_errors": "Viser de første {n} fejl.",
        "sheet": "Ark", "empty_rows": "{n} tomme rækker blev sprunget over.",
        "round": "Opgørelse", "round_example": "januar 2018",
        "status_for": "Status for mål {n}", "save_text": "Gem tekst til mål {n}",
        "report_date": "Opgørelsesdato", "round_optional": "Opgørelse (valgfri)",
        "format": "Format", "language": "Sprog", "make_report": "Lav rapporten",
        "finished_reports": "Færdige rapporter",
        "user_name": "Brugernavn", "password": "Adgangskode",
        "wrong_sign_in": "Forkert navn eller adgangskode, eller for mange forsøg. "
                         "Prøv igen om lidt.",
        "not_found": "Siden findes ikke", "no_access": "Ingen adgang", "error": "Fejl",
        "to_overview": "Til overblikket",
        "e_404": "Adressen peger ikke på en side, du kan se: et mål, en skole eller en fil, der "
                 "ikke findes (eller som din rolle ikke viser). Tjek adressen, eller gå til "
                 "overblikket.",
        "e_403": "Din rolle giver ikke adgang til denne side. Spørg en administrator, hvis du "
                 "skal bruge den.",
        "e_413": "Filen er for stor til importsiden. Del den op, eller spørg en administrator "
                 "om grænsen (upload_limit_mb).",
        "e_409": "Det kan ikke gøres nu: runden er lukket, eller en anden har ændret det "
                 "samme imens. Genindlæs siden, og prøv igen.",
        "e_422": "Adressen eller formularen har en værdi, der ikke kan bruges.",
        "e_other": "Noget gik galt. Prøv igen om lidt; sker det igen, så kontakt en "
                   "administrator.",
        "sign_in_first": "Log ind for at se siden.",
        # the users page (/users)
        "u_heading": "Brugere",
        "u_intro": "Alle konti, der kan logge ind på strategistatus. En deaktiveret bruger kan "
                   "ikke logge ind, og brugerens sessioner slutter med det samme. Alle ændringer "
                   "skrives i revisionssporet (audit).",
        "u_created": "Brugeren {name} er oprettet", "u_created_role": "Rolle: {role}.",
        "u_created_role_school": "Rolle: {role}, skole {school}.",
        "u_password": "Adgangskode", "u_once": "Adgangskoden vises kun denne ene gang.",
        "u_once_more": "Giv den til brugeren nu, på en sikker måde. Den gemmes ikke og kan "
                       "ikke vises igen.",
        "u_not_created": "Brugeren blev ikke oprettet: {error}",
        "u_caption": "Brugere ({n})", "u_name": "Navn", "u_role": "Rolle", "u_school": "Skole",
        "u_status": "Status", "u_last_sign_in": "Seneste login", "u_created_at": "Oprettet",
        "u_action": "Handling", "u_disabled": "Deaktiveret", "u_active": "Aktiv",
        "u_own": "(din egen konto)", "u_enable": "Aktivér", "u_disable": "Deaktivér",
        "u_enable_user": "Aktivér {name}", "u_disable_user": "Deaktivér {name}",
        "u_add_heading": "Opret bruger", "u_add": "Opret bruger", "u_user_name": "Brugernavn",
        "u_name_hint": "1 til 100 bogstaver, tal og . _ - @. Skal være unikt.",
        "u_role_hint": "Administrator: alt, også brugere. Central: alle skoler i detaljer, "
                       "import, statustekster og rapporter. Skoleleder: én skole.",
        "u_school_label": "Skole (kun skoleledere)",
        "u_no_school": "Ingen skole (administrator og central)",
        "u_password_note": "Adgangskoden dannes automatisk og vises én gang, når brugeren er "
                           "oprettet.",
        "u_role_admin": "Administrator", "u_role_central": "Central (forvaltningen)",
        "u_role_leader": "Skoleleder", "u_never": "aldrig",
        "u_check": "Tjek {fields}: navnet skal være 1 til 100 tegn, rollen en af de tre, og "
                   "skolen en af de importerede skoler.",
        "u_self_disable": "Du kan ikke deaktivere din egen konto. En anden administrator kan, "
                          "så kommunen altid har en administrator, der kan logge ind.",
    },
    "en": {
        "app": "Strategistatus", "skip": "Skip to content", "menu": "Main menu",
        "overview": "Overview", "my_school": "My school", "imports": "Imports",
        "narratives": "Status texts", "reports": "Reports", "users": "Users",
        "description": "Status of {town} Municipality's IT and digitalisation strategy for schools",
        "tagline": "{town} Municipality · The IT and digitalisation strategy for schools",
        "footer": "{town} Municipality, School Department", "api_link": "API (OpenAPI)",
        "choose_lang": "Choose language", "this_lang": "English",
        "summary": "{met} of {total} goals met",
        "breadcrumbs": "Breadcrumbs", "per_school_chart": "The schools",
        "target_mark": "The target: {target}", "town_mark": "The municipality: {value}",
        "tables_for": "Figures in tables: {title}", "total": "Total",
        "over_mark": "Spending over budget", "over": "over budget",
        "budget_mark": "The budget", "warning": "Warning", "information": "Information",
        "narratives_intro": "Write each goal's status for the committee report. The figures are "
                            "beside the text box.",
        "round_hint": "Choose a round from the list, or write the name of a new one, e.g. "
                      "January 2018.",
        "rounds_caption": "Rounds", "texts_written": "Texts",
        "round_closed": "Closed (figures at {date})", "round_open": "Open",
        "n_of_m": "{n} of {m}", "round_heading": "Status texts for {round}",
        "round_new": "The round {round} is new. It is made when the first text is saved.",
        "round_is_closed": "The round is closed. Its texts can be read but not changed.",
        "figures_at": "The figures are as of {date}.", "figures_caption": "Figures of goal {n}",
        "goal_page": "See every figure of goal {n}",
        "no_reports": "There are no finished reports yet. Choose a date and a format above.",
        "file_hint": "A CSV file from Excel (semicolon) or an Excel workbook (XLSX).",
        "over_alert": "Spending is over the budget on: {accounts}.",
        "sign_out": "Sign out", "sign_in": "Sign in", "switch": "Dansk", "switch_lang": "da",
        "heading": "Status of the goals of the IT and digitalisation strategy",
        "as_of": "As of {date}", "at_label": "Date of the figures", "show": "Show",
        "data_date": "Without a date chosen, the figures are as of the latest date in the "
                     "imported data.",
        "informs": "not part of the goal's status",
        "targets_caption": "Targets and results", "target": "Target", "deadline": "Deadline",
        "result": "Result", "t_period": "Period", "t_met": "Reached", "t_not_met": "Not reached",
        "t_not_due": "Deadline not reached yet", "t_no_deadline": "No deadline", "t_no_result": "No data",
        "at_most": "at most {target}", "phases": "Phases", "phase": "Phase",
        "planned": "Planned", "done_on": "Done", "not_done": "Not done yet",
        "goals_caption": "The goals and their indicators", "goal": "Goal", "goal_n": "Goal {n}",
        "indicator": "Indicator", "value": "Value", "trend": "Trend", "status": "Status",
        "trend_caption": "Trend per school year", "school_year": "School year",
        "running": "(running)", "targets": "Target: {targets}", "no_target": "No target",
        "per_school": "Per school", "school": "School", "with": "Count", "of": "Out of",
        "per_grade": "Per grade", "grade": "Grade", "no_grade": "No grade", "excepted": "excepted by decision",
        "all": "all", "mark_legend": "Legend",
        "school_caption": "The school's indicators and the municipality's",
        "the_school": "School", "municipality": "Municipality",
        "finances": "Spending against budget, year to date",
        "account": "Account", "budget": "Budget (DKK)", "spent": "Spent (DKK)",
        "spent_share": "Spent, %", "results": "Results {year} with the municipal average",
        "measure": "Measure", "pupils": "Pupils",
        "devices": "Devices", "to_collect": "Devices to collect (the pupil has left the school)",
        "due": "Devices past their replacement age",
        "device": "Device", "kind": "Kind", "model": "Model", "holder_kind": "User",
        "purchased": "Purchased", "issued": "Issued", "price": "Price (DKK)",
        "none": "None.", "first_of": "Showing the first {n} of {total}.",
        "forecast": "Devices due for replacement in the coming years",
        "due_by": "Due by", "overdue": "Already overdue", "cost": "Cost (DKK)",
        "unpriced": "without a price",
        "import_heading": "Import data", "dataset": "Dataset",
        "file": "File (CSV or XLSX)", "check_file": "Check the file",
        "import_result": "Result of the import", "dry_run": "Check (nothing is saved yet)",
        "read": "Read", "inserted": "New", "updated": "Changed", "unchanged": "Unchanged",
        "removed": "Removed", "import": "Import", "cancel_import": "Cancel and delete the file",
        "upload_kept": "The file is kept only until you import it or cancel, and for at most "
                       "{minutes} minutes; then it is deleted.",
        "file_errors": "The file has errors ({n}). Nothing was imported. Correct the file "
                       "and try again.",
        "errors": "Errors", "row": "Row", "column": "Column", "reason": "Error",
        "file_col": "File", "shown_errors": "Showing the first {n} errors.",
        "sheet": "Sheet", "empty_rows": "{n} empty rows were skipped.",
        "round": "Round", "round_example": "January 2018",
        "status_for": "Status of goal {n}", "save_text": "Save the text of goal {n}",
        "report_date": "Date of the figures", "round_optional": "Round (optional)",
        "format": "Format", "language": "Language", "make_report": "Make the report",
        "finished_reports": "Finished reports",
        "user_name": "User name", "password": "Password",
        "wrong_sign_in": "Wrong name or password, or too many tries. Try again in a while.",
        "not_found": "Page not found", "no_access": "No access", "error": "Error",
        "to_overview": "To the overview",
        "e_404": "The address does not lead to a page you can see: a goal, a school or a file "
                 "that does not exist (or that your role does not show). Check the address, or "
                 "go to the overview.",
        "e_403": "Your role does not give access to this page. Ask an administrator if you "
                 "need it.",
        "e_413": "The file is too large for the import page. Split it, or ask an "
                 "administrator about the limit (upload_limit_mb).",
        "e_409": "That cannot be done now: the round is closed, or somebody changed the same "
                 "thing meanwhile. Reload the page and try again.",
        "e_422": "The address or the form holds a value that cannot be used.",
        "e_other": "Something went wrong. Try again in a while; if it happens again, contact "
                   "an administrator.",
        "sign_in_first": "Sign in to see the page.",
        # the users page (/users)
        "u_heading": "Users",
        "u_intro": "Every account that can sign in to strategistatus. A disabled user cannot "
                   "sign in, and the user's sessions end at once. Every change is written to "
                   "the audit trail.",
        "u_created": "The user {name} has been created", "u_created_role": "Role: {role}.",
        "u_created_role_school": "Role: {role}, school {school}.",
        "u_password": "Password", "u_once": "The password is shown only this once.",
        "u_once_more": "Give it to the user now, in a secure way. It is not stored and cannot "
                       "be shown again.",
        "u_not_created": "The user was not created: {error}",
        "u_caption": "Users ({n})", "u_name": "Name", "u_role": "Role", "u_school": "School",
        "u_status": "Status", "u_last_sign_in": "Last sign-in", "u_created_at": "Created",
        "u_action": "Action", "u_disabled": "Disabled", "u_active": "Active",
        "u_own": "(your own account)", "u_enable": "Enable", "u_disable": "Disable",
        "u_enable_user": "Enable {name}", "u_disable_user": "Disable {name}",
        "u_add_heading": "Add a user", "u_add": "Add the user", "u_user_name": "User name",
        "u_name_hint": "1 to 100 letters, digits and . _ - @. Must be unique.",
        "u_role_hint": "Administrator: everything, including users. Central: every school in "
                       "detail, imports, status texts and reports. School leader: one school.",
        "u_school_label": "School (school leaders only)",
        "u_no_school": "No school (administrator and central)",
        "u_password_note": "The password is generated automatically and shown once, when the "
                           "user has been created.",
        "u_role_admin": "Administrator", "u_role_central": "Central (administration)",
        "u_role_leader": "School leader", "u_never": "never",
        "u_check": "Check {fields}: the name must be 1 to 100 characters, the role one of the "
                   "three, and the school one of the imported schools.",
        "u_self_disable": "You cannot disable your own account. Another administrator can, so "
                          "that the municipality always has an administrator who can sign in.",
    },
}


ACCOUNTS: dict[str, dict[str, str]] = {
    "da": {"løn": "Løn", "undervisningsmidler": "Undervisningsmidler", "it": "IT",
           "bygninger": "Bygninger", "inventar": "Inventar", "vikarer": "Vikarer",
           "efteruddannelse": "Efteruddannelse", "administration": "Administration",
           "drift": "Drift", "rengøring": "Rengøring", "transport": "Transport"},
    "en": {"løn": "Salaries", "undervisningsmidler": "Teaching materials", "it": "IT",
           "bygninger": "Buildings", "inventar": "Furniture", "vikarer": "Substitutes",
           "efteruddannelse": "Further training", "administration": "Administration",
           "drift": "Running costs", "rengøring": "Cleaning", "transport": "Transport"},
}
"""Finance accounts (the finances dataset's ``konto``) as the pages name them."""
