"""wagtail-dialog: citizen dialogue (medborgardialog) for Wagtail sites."""

__version__ = "0.1.0"
