"""The dialog page's editor in the Swedish admin: words an editor can act on."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import make_dialog
from wagtail_dialog.dialogs.pages import DialogScopeLimit


def editor(client, dialog):
    response = client.get(f"/admin/pages/{dialog.pk}/edit/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def words(element):
    return " ".join(element.get_text(" ").split())


def help_text(soup, field):
    """The help text linked to ``field``'s input."""
    described_by = soup.select_one(f"#id_{field}")["aria-describedby"].split()
    return " ".join(words(soup.find(id=name)) for name in described_by if soup.find(id=name))


@pytest.mark.django_db
def test_the_scope_limits_add_button_says_what_it_adds(swedish_admin, dialog_index):
    dialog = make_dialog(dialog_index)
    DialogScopeLimit.objects.create(page=dialog, fixed="Budgeten", reason="budget")
    soup = editor(swedish_admin, dialog)
    assert words(soup.select_one("#id_scope_limits-ADD")) == "Lägg till en begränsning"
    # The heading over the list, and each limit numbered under its own name.
    assert words(soup.select_one("#id_scope_limits-FORMS").find_previous("h3")) == "Begränsas av"
    assert words(soup.select_one("#inline_child_scope_limits-0-panel-heading")) == "Begränsning"
    # The planning tab's lists too.
    assert words(soup.select_one("#id_target_groups-ADD")) == "Lägg till en målgrupp"
    assert words(soup.select_one("#id_methods-ADD")) == "Lägg till en metod"
    assert words(soup.select_one("#id_methods-FORMS").find_previous("h2")) == "Metoder"
    html = str(soup)
    assert "Lägg till Begränsas av" not in html and "Lägg till Målgrupper" not in html and "Add a limit" not in html


@pytest.mark.django_db
def test_the_tags_help_text_is_swedish(swedish_admin, dialog_index):
    soup = editor(swedish_admin, make_dialog(dialog_index))
    text = help_text(soup, "tags")
    assert "Ämnen som dialogen handlar om, åtskilda med kommatecken." in text
    assert "comma-separated" not in str(soup)
    # Wagtail's own line under the tag field has no Swedish translation: ours does.
    assert "Tryck på Enter eller skriv ett kommatecken efter varje tagg." in words(soup)
    assert "Multi-word tags" not in str(soup)


@pytest.mark.django_db
def test_the_representatives_help_text_says_residents_see_them(swedish_admin, dialog_index):
    soup = editor(swedish_admin, make_dialog(dialog_index))
    assert "Visas för invånarna på dialogens sida" in help_text(soup, "representatives")


def test_the_gate_tab_states_the_rule_and_each_question_in_full(swedish_admin, dialog_index):
    soup = editor(swedish_admin, make_dialog(dialog_index))
    text = words(soup)
    assert "En medborgardialog hålls bara när svaret på alla fyra frågorna är ja" in text
    # The long questions are labels, which wrap, not panel headings, which are cut off.
    for question in ("Behöver de förtroendevalda mer kunskap", "Kan dialogen ge medborgarna större kunskaper"):
        assert any(question in words(label) for label in soup.select("label")), question


def test_the_level_choice_says_what_each_step_gives_residents(swedish_admin, dialog_index):
    text = words(editor(swedish_admin, make_dialog(dialog_index)))
    assert "Invånarna får – Information: veta; Konsultation: tycka;" in text
