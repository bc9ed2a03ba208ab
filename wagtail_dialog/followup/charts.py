"""Bar charts drawn as SVG on the server: no script, no canvas, readable when
printed in black and white. Bars and text are drawn in the text colour
(``currentColor``), so they keep their contrast in light and dark themes alike.
Each bar carries its label and its number as text,
so nothing depends on colour, and every chart sits beside a table of the same
figures (the table is what assistive technology reads; the chart says so)."""

import itertools
from dataclasses import dataclass

from django.utils.formats import number_format

#: Drawing units (the SVG scales to its container).
WIDTH = 640
ROW = 46  # label line + bar + gap
BAR = 18
LABEL_GAP = 6
VALUE_SPACE = 80  # room right of the longest bar for its number

_ids = itertools.count(1)
NBSP = "\u00a0"


def _n(number):
    # Coordinates are written by Python, never by the template: a template
    # would localise them (Swedish writes 1,5, which SVG reads as two numbers).
    return f"{number:.1f}"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the number as shown ("12", "67 %")
    y: float
    width: float

    @property
    def label_y(self):
        return _n(self.y + 14)

    @property
    def bar_y(self):
        return _n(self.y + 14 + LABEL_GAP)

    @property
    def bar_width(self):
        return _n(self.width)

    @property
    def bar_height(self):
        return _n(BAR)

    @property
    def value_x(self):
        return _n(self.width + 6)

    @property
    def value_y(self):
        return _n(self.y + 14 + LABEL_GAP + BAR - 4)


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: tuple
    height: float
    width: float = WIDTH

    @property
    def view_box(self):
        return f"0 0 {_n(self.width)} {_n(self.height)}"


def bar_chart(title, items, description="", unit=""):
    """A horizontal bar chart of ``items`` [(label, value)], longest bar for the largest value.

    ``unit`` follows each number ("%"); ``description`` says what the chart
    shows for a screen reader (e.g. that the table below has the figures).
    """
    items = [(str(label), value) for label, value in items]
    largest = max((value for _label, value in items), default=0) or 1
    span = WIDTH - VALUE_SPACE
    bars = tuple(
        Bar(
            label=label,
            value=value,
            text=f"{number_format(value)}{NBSP}{unit}" if unit else number_format(value),
            y=index * ROW,
            # A zero still shows as a hairline, so the row is not mistaken for a missing one.
            width=max(1, span * value / largest),
        )
        for index, (label, value) in enumerate(items)
    )
    return BarChart(
        id=f"wd-chart-{next(_ids)}", title=str(title), description=str(description), bars=bars,
        height=max(ROW, len(bars) * ROW),
    )


def whole_percentages(values, total):
    """Each of ``values`` as a whole percentage of ``total``. When the values
    make up the total (every answer to a question), the percentages add up to
    100 by the largest remainder method (three equal thirds are 34, 33 and 33,
    not 33 three times); otherwise each is rounded on its own."""
    if not total:
        return [None for _ in values]
    exact = [100 * value / total for value in values]
    if sum(values) != total:
        return [round(share) for share in exact]
    whole = [int(share) for share in exact]
    by_remainder = sorted(range(len(values)), key=lambda i: (exact[i] - whole[i], values[i]), reverse=True)
    for i in by_remainder[: 100 - sum(whole)]:
        whole[i] += 1
    return whole
