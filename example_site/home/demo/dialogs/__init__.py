"""The fictional dialogs of the demo, one module each, one per status."""

from home.demo.dialogs import harbour_plan, park, rural_budget, travel_centre, youth_venue

#: In the order the demo creates them.
DIALOGS = (park, travel_centre, youth_venue, rural_budget, harbour_plan)


def demo_dialogs(today, bodies):
    """The fictional dialogs, one per status, as (fields, children, tags)."""
    return [module.dialog(today, bodies) for module in DIALOGS]
