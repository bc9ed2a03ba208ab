"""Personal data over time: anonymising at the end of a dialog's retention
period (``retention``) and a person's requests to find, export or erase
everything tied to their email address (``requests``), and the archive
export of a dialog taken before its personal data goes (``archive``). A
service layer below the page models.
"""
