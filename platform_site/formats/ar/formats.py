"""One date style on every Arabic page, the admin included: «30 تشرين الثاني 2026، 09:19».

Month names come from the project's catalog (platform_site/month_names.py: the Levantine
names); times are on the 24-hour clock, in Damascus time (settings.TIME_ZONE). Only dates and
times are set here: numbers keep Django's Arabic formats.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
FIRST_DAY_OF_WEEK = 6  # Saturday
