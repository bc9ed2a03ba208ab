import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from wagtail.models import Site

from tests.testapp.models import PolicyPage
from wagtail_dialog.dialogs import blocks
from wagtail_dialog.dialogs.blocks import DialogContentBlock
from wagtail_dialog.dialogs.levels import LADDER, ParticipationLevel
from wagtail_dialog.dialogs.types import DialogType

CONCEPT_BLOCKS = [name for name in DialogContentBlock.base_blocks if name != "paragraph"]


@pytest.mark.parametrize("name", CONCEPT_BLOCKS)
def test_every_concept_block_has_template_preview_and_description(name):
    block = DialogContentBlock.base_blocks[name]
    assert block.meta.template.startswith("wagtail_dialog/blocks/")
    assert block.meta.description
    assert block.meta.preview_value
    assert block.__class__.__doc__


@pytest.mark.parametrize("name", CONCEPT_BLOCKS)
def test_every_concept_block_renders_its_preview_value(name):
    block = DialogContentBlock.base_blocks[name]
    value = block.to_python(block.get_prep_value(block.normalize(block.get_preview_value())))
    with translation.override("en"):
        html = block.render(value)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("section")
    assert soup.find("h2").get_text(strip=True)


def render(block, data, page=None):
    value = block.to_python(data)
    with translation.override("en"):
        return BeautifulSoup(block.render(value, context={"page": page} if page else {}), "html.parser")


def test_the_ladder_shows_all_five_steps_with_what_residents_get():
    soup = render(blocks.ParticipationLadderBlock(), {"local_examples": []})
    steps = soup.select("ol.wd-ladder > li")
    assert len(steps) == 5
    text = soup.get_text(" ")
    with translation.override("en"):
        for step in LADDER:
            assert str(step.label) in text
            assert str(step.residents_get) in text
    assert not soup.select("[aria-current]")


def test_the_ladder_highlights_the_chosen_step_with_aria_current():
    soup = render(blocks.ParticipationLadderBlock(), {"highlight": "dialogue", "local_examples": []})
    current = soup.select('[aria-current="step"]')
    assert len(current) == 1
    assert "Dialogue" in current[0].get_text()


def test_the_ladder_highlights_the_dialog_pages_own_level(dialog):
    soup = render(blocks.ParticipationLadderBlock(), {"local_examples": []}, page=dialog)
    current = soup.select_one('[aria-current="step"]')
    assert "Consultation" in current.get_text()


def test_local_examples_appear_under_their_step():
    data = {"local_examples": [{"level": "consultation", "example": "Bättre Vara <script>"}]}
    soup = render(blocks.ParticipationLadderBlock(), data)
    consultation = soup.select("ol.wd-ladder > li")[1]
    assert "Bättre Vara <script>" in consultation.get_text()
    assert not soup.find("script")


def test_principles_render_in_order():
    data = {"heading": "Fyra principer", "principles": [{"title": "Ett", "text": "a"}, {"title": "Två", "text": ""}]}
    soup = render(blocks.PrinciplesBlock(), data)
    assert [li.strong.get_text() for li in soup.select("ol li")] == ["Ett", "Två"]
    assert soup.h2.get_text() == "Fyra principer"


def test_gate_criteria_show_the_four_questions_and_a_dialogs_answers(dialog):
    dialog.gate_question_open_motivation = "Torgets utformning är inte beslutad."
    soup = render(blocks.GateCriteriaBlock(), {}, page=dialog)
    assert len(soup.select("ol.wd-gate > li")) == 4
    assert "Torgets utformning är inte beslutad." in soup.get_text()
    assert soup.select(".wd-gate__answer")


def test_gate_criteria_on_a_policy_page_show_only_the_questions():
    soup = render(blocks.GateCriteriaBlock(), {})
    assert len(soup.select("ol.wd-gate > li")) == 4
    assert not soup.select(".wd-gate__answer")


def test_process_steps_say_who_is_responsible():
    data = {"steps": [{"title": "Beslut om medborgardialog", "description": "", "responsible": "representatives"}]}
    soup = render(blocks.ProcessStepsBlock(), data)
    assert "Elected representatives" in soup.select_one(".wd-process__responsible").get_text()


def test_dialog_types_use_the_standard_definition_unless_overridden():
    data = {
        "types": [
            {"dialog_type": DialogType.CITIZEN, "definition": ""},
            {"dialog_type": DialogType.USER_COUNCIL, "definition": "Pensionärsrådet och ungdomsrådet."},
        ]
    }
    soup = render(blocks.DialogTypesBlock(), data)
    rows = soup.select("tbody tr")
    assert rows[0].th.get_text() == "Citizen dialogue"
    assert "public interest" in rows[0].td.get_text()
    assert rows[1].td.get_text() == "Pensionärsrådet och ungdomsrådet."
    assert soup.select('th[scope="col"]')


def test_you_said_we_did_pairs_render_as_a_table():
    data = {"pairs": [{"you_said": "Mörkt på vägen", "we_did": "Ny belysning"}]}
    soup = render(blocks.YouSaidWeDidBlock(), data)
    cells = [td.get_text() for td in soup.select("tbody td")]
    assert cells == ["Mörkt på vägen", "Ny belysning"]


@pytest.mark.django_db
def test_the_blocks_work_on_a_sites_own_page(client):
    root = Site.objects.get(is_default_site=True).root_page
    page = PolicyPage(
        title="Riktlinjer",
        slug="riktlinjer",
        body=[
            ("participation_ladder", {"highlight": ParticipationLevel.INFLUENCE, "local_examples": []}),
            ("principles", {"principles": [{"title": "Vi återkopplar", "text": ""}]}),
            ("gate_criteria", {}),
            ("process_steps", {"steps": [{"title": "Planering", "description": "", "responsible": "officials"}]}),
            ("dialog_types", {"types": [{"dialog_type": "citizen", "definition": ""}]}),
            ("you_said_we_did", {"pairs": [{"you_said": "a", "we_did": "b"}]}),
        ],
    )
    root.add_child(instance=page)
    response = client.get(page.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select("section.wd-block")) == 6
    assert soup.select_one('[aria-current="step"]')
