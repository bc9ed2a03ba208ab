"""Votes (rådslag med omröstning) and participatory budgets (medborgarbudget):
the top step of the ladder, one secret ballot per person without accounts."""
