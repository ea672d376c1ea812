"""Schakel's date formats (FORMAT_MODULE_PATH): one style for lists and pages alike, the day,
the month written out in lower case in Dutch ('4 mei 2026') and the year. Templates use
`|date:"DATE_FORMAT"` or `|date:"DATETIME_FORMAT"`, never a pattern of their own."""
