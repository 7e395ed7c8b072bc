"""Template filters for figures in the active language: ``{{ total|money }}``,
``{{ count|number }}``, ``{{ share|percent }}``, ``{{ day|day }}``."""

from django import template

from danvan.core import formats

register = template.Library()


@register.filter
def money(value):
    return formats.format_money(value)


@register.filter
def number(value):
    return formats.format_number(value)


@register.filter
def percent(value):
    return formats.format_percent(value)


@register.filter
def day(value, style: str = "medium"):
    return formats.format_date(value, style=style)
