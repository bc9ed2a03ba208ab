"""Surveys (enkäter): a way to take part that editors build with Wagtail's
form builder (``pages``, ``questions``), answered by residents on the web and
typed in by staff from paper, meetings and phone (``answers``, ``views``)."""
