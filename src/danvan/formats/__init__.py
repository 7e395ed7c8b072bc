"""Dates and times as each language writes them, where Django's own formats differ
(``FORMAT_MODULE_PATH``): what a module here does not name, Django's module for the language
gives. Pages write whole dates through ``danvan.core.formats`` (Babel); these are the forms of
Django's ``date`` filter and ``date_format``, kept the same as those."""
