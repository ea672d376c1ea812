# The same order in English ('4 May 2026', '4 May 2026 14:05'), not the American 'May 4, 2026'.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
