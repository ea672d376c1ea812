# '4 mei 2026', '4 mei 2026 14:05': Dutch month names are written in lower case.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
