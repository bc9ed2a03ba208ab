"""Search in Swedish: word forms as shared terms (``swedish``), the database
search they are stored for (``database``), what residents search on a dialog
index (``public``), the themes of a dialog's contributions (``themes``), and
the opt-in Elasticsearch backend (``elastic``) kept in step by ``indexing``.
A service layer below the page models.
"""
