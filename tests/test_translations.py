"""The Vietnamese and Arabic catalogues are complete, consistent and compiled.

No database: the tests read the .po files with babel, the compiled .mo files with the standard
library, and ask Django for a few real strings under each language.
"""

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from danvan.initiatives.catalogues import Field, Status

LANGUAGES = ["vi", "ar"]

# %(name)s, %s, %d, %.2f… and the escaped percent sign.
PYTHON_FORMAT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE_FORMAT = re.compile(r"\{[^{}]*\}")


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def po_path(language: str) -> Path:
    return locale_dir() / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return locale_dir() / language / "LC_MESSAGES" / "django.mo"


def load_catalog(language: str):
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def entries(language: str):
    """Every real message of the catalogue (the header is left out)."""
    return [message for message in load_catalog(language) if message.id]


def forms(message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


def placeholders(text: str, flags: set[str]) -> list[str]:
    found: list[str] = []
    if "python-format" in flags:
        found += PYTHON_FORMAT.findall(text)
    if "python-brace-format" in flags:
        found += BRACE_FORMAT.findall(text)
    return sorted(found)


def mo_key(message, form: int | None = None):
    """The key GNUTranslations uses in its catalogue for a message (or one plural form)."""
    msgid = message.id[0] if message.pluralizable else message.id
    if message.context:
        msgid = f"{message.context}\x04{msgid}"
    return (msgid, form) if form is not None else msgid


def test_locale_dir_is_the_one_django_reads():
    for language in LANGUAGES:
        assert po_path(language).is_file(), po_path(language)
        assert mo_path(language).is_file(), f"{mo_path(language)} missing: run compilemessages"


@pytest.mark.parametrize("language", LANGUAGES)
def test_header(language):
    catalog = load_catalog(language)
    assert not catalog.fuzzy, "the header is still marked fuzzy"
    assert str(catalog.locale) == language
    assert catalog.charset.lower() == "utf-8"
    expected_plurals = {"vi": 1, "ar": 6}[language]
    assert catalog.num_plurals == expected_plurals


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_translated_and_not_fuzzy(language):
    messages = entries(language)
    assert messages, "empty catalogue"
    untranslated = [m.id for m in messages if not all(s.strip() for s in forms(m))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_filled(language):
    num_plurals = load_catalog(language).num_plurals
    for message in entries(language):
        if message.pluralizable:
            assert len(message.string) == num_plurals, message.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_kept(language):
    for message in entries(language):
        flags = set(message.flags)
        if message.pluralizable:
            # Any form may drop the count (e.g. Arabic singular/dual), but no form may invent
            # or lose a named placeholder.
            source = set(placeholders(message.id[0], flags)) | set(
                placeholders(message.id[1], flags)
            )
            for text in message.string:
                assert set(placeholders(text, flags)) <= source, (message.id, text)
                named = {p for p in source if p.startswith("%(")}
                assert named <= set(placeholders(text, flags)) | {"%(count)s", "%(count)d"}, (
                    message.id,
                    text,
                )
        else:
            assert placeholders(message.string, flags) == placeholders(message.id, flags), (
                message.id,
                message.string,
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_current(language):
    """The .mo holds exactly what the .po says: a stale compile fails here."""
    with mo_path(language).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for message in entries(language):
        if message.pluralizable:
            for index, text in enumerate(message.string):
                expected[mo_key(message, index)] = text
        else:
            expected[mo_key(message)] = message.string
    stale = {key: (compiled.get(key), text) for key, text in expected.items()}
    stale = {key: pair for key, pair in stale.items() if pair[0] != pair[1]}
    assert not stale, f"{language} .mo out of date for: {list(stale)[:10]}"
    extra = set(compiled) - set(expected) - {""}
    assert not extra, f"{language} .mo has messages the .po no longer has: {list(extra)[:10]}"


@pytest.mark.parametrize(
    ("language", "economy", "draft", "message"),
    [
        ("vi", "Kinh tế", "Nháp", "Tệp vượt quá 5 MB."),
        ("ar", "الاقتصاد", "مسودة", "حجم الملف أكبر من 5 ميغابايت."),
    ],
)
def test_django_serves_the_translations(language, economy, draft, message):
    with translation.override(language):
        assert str(Field.ECONOMY.label) == economy
        assert str(Status.DRAFT.label) == draft
        assert (
            translation.gettext("The file is larger than %(limit)s MB.") % {"limit": 5} == message
        )
        assert translation.gettext("Mass Mobilization Commission") != (
            "Mass Mobilization Commission"
        )
    with translation.override("en"):
        assert str(Field.ECONOMY.label) == "Economy"


def test_arabic_is_right_to_left():
    with translation.override("ar"):
        assert translation.get_language_bidi()
    with translation.override("vi"):
        assert not translation.get_language_bidi()
