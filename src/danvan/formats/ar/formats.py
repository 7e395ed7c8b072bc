# Django's Arabic module has no form for a date with its time, so Django falls back to the
# American one (12/05/2026 6:25 p.m.): here the day first, as its dates are written
# (05‏/12‏/2026) and as Arabic writes it with a time (05‏/12‏/2026، 6:25 م).
DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y، g:i A"
