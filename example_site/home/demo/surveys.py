"""Demo surveys, the ways to take part below two demo dialogs, with answers
generated from a fixed seed.

The park consultation (Konsultation, open) gets a survey with one question of
every type, in steps, one of them shown only to those with children, and
about two hundred answers: most from the web, the rest typed in by staff from
paper forms, a meeting and the phone. The travel centre dialogue (Dialog,
open) gets the short survey it runs on the station, beside its meetings. The questions and answers are fictional, like the
dialogs.
"""

import random

from django.http import QueryDict

from wagtail_dialog.contributions import Channel
from wagtail_dialog.methods.surveys.answers import SurveySubmission
from wagtail_dialog.methods.surveys.pages import SurveyPage
from wagtail_dialog.methods.surveys.questions import OTHER, SurveyQuestion, answer_form_class, applicable_steps
from wagtail_dialog.search.database import stored_terms

OFTEN = ["Varje dag", "Varje vecka", "Någon gång i månaden", "Sällan eller aldrig"]
RANKED = ["Lekredskap för små barn", "Klätterställning för äldre barn", "Sittplatser och bord", "Grillplats",
          "Träd och planteringar", "Belysning"]
ACTIVITIES = ["Leka", "Grilla", "Spela boll", "Promenera", "Sitta och prata"]
TRAVEL = ["Går", "Cyklar", "Bil", "Buss"]
AGES = ["0–3 år", "4–6 år", "7–9 år", "10–12 år"]
TIMES = ["Förmiddag", "Eftermiddag", "Kväll", "Helger"]
OTHER_TRAVEL = ["Sparkcykel", "Rullstol", "Permobil", "Elsparkcykel"]
MORE = [
    "Tänk på att det blåser mycket från fältet, så det behövs lä vid sittplatserna.",
    "Gungor som även barn med funktionsnedsättning kan använda.",
    "Låt barnen på Norrbyskolan vara med och välja lekredskap.",
    "En toalett i närheten vore bra för oss som kommer med små barn.",
    "Spara de stora ekarna, de är det finaste med platsen.",
    "Det behövs belysning längs stigen från busshållplatsen.",
    "En plats där tonåringar kan hänga utan att störa de små.",
    "Cykelställ vid entrén, annars ställs cyklarna på gräset.",
]
WORDS = ["Grön", "Trygg", "Lekfull", "Lugn", "Öppen", "Skuggig", "Levande"]


def _question(order, label, kind, required=True, **extra):
    return SurveyQuestion(label=label, field_type=kind, required=required, sort_order=order, **extra)


def _park_questions():
    rows = [
        ("Hur ofta är du i området kring Norrbyskolan?", "radio", True, {"choices": "\n".join(OFTEN)}),
        ("Hur nöjd är du med utemiljön i Norrby i dag?", "scale", True,
         {"scale_points": 5, "scale_low_label": "Mycket missnöjd", "scale_high_label": "Mycket nöjd"}),
        ("Har du barn under 13 år som skulle använda lekplatsen?", "radio", True, {"choices": "Ja\nNej"}),
        ("Den nya parken", "section", True, {"help_text": "Vad ska parken innehålla, och hur tar du dig dit?"}),
        ("Rangordna det som är viktigast i den nya parken", "ranking", True,
         {"choices": "\n".join(RANKED), "help_text": "Ge plats 1 till det viktigaste. Du behöver inte ranka alla."}),
        ("Vad vill du kunna göra i parken?", "checkboxes", False, {"choices": "\n".join(ACTIVITIES)}),
        ("Hur tar du dig oftast till parken?", "choice_other", True, {"choices": "\n".join(TRAVEL)}),
        ("För dig med barn", "section", True, {"shown_if_label": "Har du barn under 13 år som skulle använda "
                                               "lekplatsen?", "shown_if_value": "Ja"}),
        ("Hur gamla är barnen?", "multiselect", False,
         {"choices": "\n".join(AGES), "help_text": "Håll ner Ctrl (Cmd på Mac) för att välja flera."}),
        ("När var ni senast på en lekplats?", "date", False, {}),
        ("Till sist", "section", True, {}),
        ("När på dagen skulle du använda parken mest?", "dropdown", False, {"choices": "\n".join(TIMES)}),
        ("Hur många bor i ditt hushåll?", "number", False, {}),
        ("Ett ord som beskriver din drömpark", "singleline", False, {}),
        ("Något mer du vill säga om parken?", "multiline", False, {}),
        ("Länk till en bild på en park du tycker om", "url", False, {}),
        ("Jag vill gärna vara med i en fokusgrupp om parken", "checkbox", False, {}),
        ("Din e-postadress, om du vill bli inbjuden till fokusgruppen", "email", False,
         {"help_text": "Frivilligt. Används bara för inbjudan och tas bort när dialogen är avslutad."}),
    ]
    return [_question(order, label, kind, required, **extra) for order, (label, kind, required, extra)
            in enumerate(rows)]


def _park_answer(rng, names):
    """Raw form data for one resident's answers, as a browser would post them."""
    data = {
        names["often"]: [rng.choice(OFTEN)],
        names["happy"]: [str(rng.choices([1, 2, 3, 4, 5], weights=[2, 5, 8, 5, 2])[0])],
        names["children"]: [rng.choice(["Ja", "Ja", "Nej"])],
    }
    ranked = rng.sample(RANKED, rng.randint(2, len(RANKED)))
    for index, option in enumerate(RANKED):
        data[f"{names['ranking']}_{index}"] = [str(ranked.index(option) + 1) if option in ranked else ""]
    data[names["activities"]] = rng.sample(ACTIVITIES, rng.randint(0, 3))
    travel = rng.choices(TRAVEL + [OTHER], weights=[6, 4, 3, 2, 1])[0]
    data[names["travel"]] = [travel]
    if travel == OTHER:
        data[names["travel_other"]] = [rng.choice(OTHER_TRAVEL)]
    if data[names["children"]] == ["Ja"]:
        data[names["ages"]] = rng.sample(AGES, rng.randint(1, 2))
    if rng.random() < 0.6:
        data[names["times"]] = [rng.choice(TIMES)]
    if rng.random() < 0.5:
        data[names["household"]] = [str(rng.randint(1, 6))]
    if rng.random() < 0.4:
        data[names["word"]] = [rng.choice(WORDS)]
    if rng.random() < 0.3:
        data[names["more"]] = [rng.choice(MORE)]
    return data


def _answers(survey, count, seed, answer, channels):
    """``count`` answers to ``survey`` from ``answer(rng, names)``, each checked by the survey's own form."""
    rng = random.Random(seed)
    questions = list(survey.questions.all())
    names = {key: question.clean_name for key, question in zip(_KEYS, [q for q in questions if not q.is_section])}
    names["travel_other"] = next(q.other_name for q in questions if q.field_type == "choice_other")
    rows = []
    for _index in range(count):
        data = answer(rng, names)
        query = QueryDict(mutable=True)
        for key, values in data.items():
            query.setlist(key, values)
        shown = [q for _section, step in applicable_steps(questions, dict(query.lists())) for q in step]
        form = answer_form_class(shown)(query, page=survey)
        if not form.is_valid():
            raise ValueError(f"A demo answer to {survey.title!r} does not pass the form: {form.errors.as_json()}")
        closed, texts = form.answers()
        rows.append(SurveySubmission(page=survey, form_data=closed, texts=texts,
                                     channel=rng.choices(*zip(*channels))[0],
                                     search_terms=stored_terms(*texts.values())))
    SurveySubmission.objects.bulk_create(rows)


#: The park survey's questions (not the section headings), in order, by a short key.
_KEYS = ["often", "happy", "children", "ranking", "activities", "travel", "ages", "last_visit", "times",
         "household", "word", "more", "picture", "focus_group", "email"]


def park_survey(dialog, publish):
    """The park consultation's survey, with about two hundred answers."""
    survey = SurveyPage(
        title="Enkät om parken och lekplatsen",
        slug="enkat",
        summary="Tio minuter om vad parken ska innehålla. Finns också på papper på biblioteket.",
        intro=("Svara på några frågor om vad du vill att den nya parken vid Norrbyskolan ska innehålla. Det tar "
               "ungefär tio minuter. Enkäten finns också på papper på biblioteket och i Norrby träffpunkt."),
        next_steps=("Förvaltningen sammanställer svaren tillsammans med synpunkterna på den här sidan och det "
                    "fokusgrupperna i skolan kommer fram till."),
        answer_limit="browser",
    )
    for question in _park_questions():
        survey.questions.add(question)
    survey = publish(dialog, survey)
    _answers(survey, 204, 16, _park_answer, [(Channel.WEB, 150), (Channel.PAPER, 36), (Channel.MEETING, 12),
                                              (Channel.PHONE, 6)])
    return survey


def travel_centre_survey(dialog, publish, today):
    """The short survey the travel centre dialogue runs at the station (open as long as the dialog)."""
    survey = SurveyPage(
        title="Hur trygg känner du dig vid resecentrum?",
        slug="trygghetsenkat",
        summary="Fem frågor om tryggheten vid resecentrum, besvarade på plats och på webben.",
        intro="Fem korta frågor om hur du upplever resecentrum, på dagen och på kvällen.",
        answer_limit="anyone",
        closes_on=dialog.closes_on,
    )
    rows = [
        ("Hur trygg känner du dig vid resecentrum på dagen?", "scale", True,
         {"scale_points": 5, "scale_low_label": "Inte alls trygg", "scale_high_label": "Helt trygg"}),
        ("Hur trygg känner du dig vid resecentrum på kvällen?", "scale", True,
         {"scale_points": 5, "scale_low_label": "Inte alls trygg", "scale_high_label": "Helt trygg"}),
        ("Vad skulle göra resecentrum tryggare?", "checkboxes", False,
         {"choices": "Mer belysning\nFler människor i rörelse\nVakter eller värdar\nKameror\nBättre städning"}),
    ]
    for order, (label, kind, required, extra) in enumerate(rows):
        survey.questions.add(_question(order, label, kind, required, **extra))
    return publish(dialog, survey)
