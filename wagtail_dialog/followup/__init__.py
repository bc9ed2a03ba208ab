"""After the dialogue: feedback as a dated promise (``feedback``), the
participants' survey and the staff's self-assessment (``evaluation``), the
annual follow-up (``reports``, drawn by ``charts``) and the ``open_data``
every dialog index publishes. A service layer below the page models.
"""
