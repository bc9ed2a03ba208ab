"""The fictional dialogs of the demo, one module each."""

from home.demo.dialogs import harbour_plan, park, rural_budget, school_name, travel_centre, youth_venue

#: In the order the demo creates them.
DIALOGS = (park, travel_centre, youth_venue, rural_budget, school_name, harbour_plan)


def demo_dialogs(today, bodies):
    """The fictional dialogs as (fields, children, tags)."""
    return [module.dialog(today, bodies) for module in DIALOGS]
