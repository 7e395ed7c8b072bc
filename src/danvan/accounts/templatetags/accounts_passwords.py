"""``{% password_min_length as n %}``: the password forms tell the length the server wants."""

from django import template

from danvan.accounts.passwords import minimum_length

register = template.Library()


@register.simple_tag
def password_min_length() -> int:
    return minimum_length()
