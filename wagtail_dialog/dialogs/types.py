"""Kinds of dialogue a municipality runs, and what sets each apart.

A site may publish all of them with this package, but only a medborgardialog is
the elected representatives' own tool; the type keeps that distinction visible
to residents (Alingsås' table of definitions, Vara, Hagfors).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DialogType(models.TextChoices):
    CITIZEN = "citizen", _("Citizen dialogue")
    STAKEHOLDER = "stakeholder", _("Stakeholder dialogue")
    SERVICE_USER = "service-user", _("Service-user dialogue")
    USER_COUNCIL = "user-council", _("User council")
    STATUTORY_CONSULTATION = "statutory-consultation", _("Statutory consultation (PBL)")


DEFINITIONS = {
    DialogType.CITIZEN: _(
        "A structured conversation about public matters in which residents, elected "
        "representatives and municipal staff take part, with the public interest at its "
        "centre. It is held before a decision, and its result is part of the decision basis."
    ),
    DialogType.STAKEHOLDER: _(
        "Collects views on individual questions, for example on a design. Specific groups "
        "or the whole public may be invited. The views become part of the basis for a "
        "decision. Carried out by officials."
    ),
    DialogType.SERVICE_USER: _(
        "Collects views from the users of one service, such as a school, a preschool or an "
        "elderly home, to improve that service. Carried out by officials."
    ),
    DialogType.USER_COUNCIL: _(
        "Formal councils, such as the pensioners' council or the youth council, where "
        "representatives of interest organisations meet elected representatives."
    ),
    DialogType.STATUTORY_CONSULTATION: _(
        "In physical planning the Planning and Building Act (PBL) always obliges the "
        "municipality to consult various stakeholders."
    ),
}


def definition(dialog_type):
    return DEFINITIONS.get(dialog_type, "")
