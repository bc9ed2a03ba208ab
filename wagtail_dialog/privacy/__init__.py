"""Personal data over time: anonymising at the end of a dialog's retention
period (``retention``) and a person's requests to find, export or erase
everything tied to their email address (``requests``). A service layer below
the page models.
"""
