"""An import's problems, said in each of the site's languages.

A problem is found while the file is checked, in the language of the person who uploaded it,
and read later by whoever follows the import, in theirs. So each message is kept in every
language (``ImportIssue.texts``), said when the problem is found:

- a lazy message (``gettext_lazy``, Django's own validators) and a ``ValidationError`` that
  keeps its template and its ``params`` apart are rendered in each language directly;
- a message already rendered (``gettext(...) % {...}``, as most services write theirs) is
  found again in the catalogue of the language it was written in: first its template, then
  the values put into it; the same entry of each language's catalogue is then filled with
  those values. A value in quotes (“%(raw)s”) comes from the file and stays as it is; a value
  without quotes (a state, a field's name) is said in each language when a catalogue has it.

A message no catalogue knows is kept only in the words it was written in.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import trans_real

# The placeholders of a Python %-format as gettext messages use them; a lone "%" (as in
# "100%") is text.
PLACEHOLDER = re.compile(r"%\((?P<name>\w+)\)(?:\.\d+)?[sdifr]|%[sd]|%%")
QUOTES = frozenset("“”«»\"'‘’")
# A template is looked for in a message only when its own words have at least this many
# letters: "No %(x)s" would fit far too many texts it never made.
MIN_LETTERS = 8


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@dataclass
class Said:
    """A message in the active language (``text``) and in each language it could be said in
    (``texts``; empty when no catalogue knows it)."""

    text: str
    texts: dict[str, str] = field(default_factory=dict)


def say(message, params=None) -> Said:
    """Return ``message`` (text, a lazy text, or one ``ValidationError``) in every language."""
    if isinstance(message, ValidationError):
        if hasattr(message, "message"):
            return say(message.message, message.params)
        return say(" ".join(message.messages))
    source = translation.get_language() or settings.LANGUAGE_CODE
    if isinstance(message, Promise):
        texts = {language: _fill_lazy(message, params, language) for language in languages()}
        return Said(texts.get(source) or _fill_lazy(message, params, source), texts)
    text = str(message)
    index = _index(source)
    if params:
        key = index.exact.get(text)
        written = _format(text, params) or text
        if key is None:
            return Said(written)
        values = _translated_values(index, params, quoted=_quoted_names(_msgid(key)))
        return Said(written, _fill_everywhere(key, values, written))
    key = index.exact.get(text)
    if key is not None:
        return Said(text, _fill_everywhere(key, {}, text))
    found = index.match(text)
    if found is None:
        return Said(text)
    template, values = found
    values = _translated_values(index, values, quoted=template.quoted)
    return Said(text, _fill_everywhere(template.key, values, text))


def _fill_lazy(message: Promise, params, language: str) -> str:
    with translation.override(language):
        if not params:
            return str(message)
        if isinstance(params, dict):
            params = {name: str(v) if isinstance(v, Promise) else v for name, v in params.items()}
        try:  # a lazy plural picks its form from the params
            return str(message % params)
        except (KeyError, TypeError, ValueError):
            return _format(str(message), params) or str(message)


def _format(template: str, params) -> str | None:
    """``template % params`` with every placeholder read as text (a value found again in a
    message is text, even where the template wants a number); None when they do not fit."""
    template = PLACEHOLDER.sub(
        lambda m: m.group(0) if m.group(0) == "%%" else (f"%({m['name']})s" if m["name"] else "%s"),
        template,
    )
    if isinstance(params, dict):
        params = {name: str(value) for name, value in params.items()}
    elif isinstance(params, list | tuple):
        params = tuple(str(value) for value in params)
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return None


def _fill_everywhere(key, params, fallback: str) -> dict[str, str]:
    count = _count(params)
    texts = {}
    for language in languages():
        with translation.override(language):  # the values said in it too
            template = _entry(key, count)
            filled = _format(template, params) if params else template
        texts[language] = filled if filled is not None else fallback
    return texts


def _entry(key, count: int) -> str:
    """The active language's words for catalogue ``key``."""
    if isinstance(key, tuple):  # a plural form: (singular msgid, form)
        return translation.ngettext(key[0], key[0], count)
    if "\x04" in key:
        context, msgid = key.split("\x04", 1)
        return translation.pgettext(context, msgid)
    return translation.gettext(key)


def _count(params) -> int:
    values = params.values() if isinstance(params, dict) else params or ()
    for value in values:
        digits = re.sub(r"[.,\s]", "", str(value))
        if digits.isdigit():
            return int(digits)
    return 1


def _quoted_names(template: str) -> set:
    quoted = set()
    for position, match in enumerate(m for m in PLACEHOLDER.finditer(template) if m[0] != "%%"):
        before = template[match.start() - 1 : match.start()]
        after = template[match.end() : match.end() + 1]
        if before in QUOTES or after in QUOTES:
            quoted.add(match["name"] or position)
    return quoted


def _translated_values(index: "_Index", params, *, quoted: set):
    """``params`` with each unquoted text the catalogue knows as a catalogue key, said in each
    language by ``_fill_everywhere``; the others as they are."""
    if isinstance(params, dict):
        return {
            name: value if name in quoted else index.value(value) for name, value in params.items()
        }
    return [
        value if position in quoted else index.value(value) for position, value in enumerate(params)
    ]


class _Known:
    """A catalogue entry put into a message as a value: said in the language being filled."""

    def __init__(self, key, lower: bool):
        self.key, self.lower = key, lower

    def __str__(self) -> str:
        text = _entry(self.key, 1)
        return text.lower() if self.lower else text


@dataclass
class _Template:
    key: object
    text: str
    literal: int  # how many characters are not placeholders: longer is more specific
    quoted: set
    names: list  # a group's name or position, by group number
    _pattern: re.Pattern | None = None

    def match(self, text: str):
        if self._pattern is None:
            self._pattern = _compile(self.text)
        found = self._pattern.fullmatch(text)
        if found is None:
            return None
        groups = found.groups()
        if all(isinstance(name, int) for name in self.names):
            return list(groups)
        return dict(zip(self.names, groups, strict=True))


def _compile(template: str) -> re.Pattern:
    parts, seen, end = [], {}, 0
    for match in PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[end : match.start()]))
        end = match.end()
        if match[0] == "%%":
            parts.append("%")
        elif match["name"] and match["name"] in seen:
            parts.append(f"(?:(?P={seen[match['name']]}))")
        else:
            group = f"g{len(seen)}"
            seen[match["name"] or group] = group
            parts.append(f"(?P<{group}>.*?)")
    parts.append(re.escape(template[end:]))
    return re.compile("".join(parts), re.DOTALL)


def _names(template: str) -> list:
    names, position = [], 0
    for match in PLACEHOLDER.finditer(template):
        if match[0] == "%%":
            continue
        if match["name"]:
            if match["name"] not in names:
                names.append(match["name"])
        else:
            names.append(position)
            position += 1
    return names


class _Index:
    """One language's catalogue read backwards: its words (and the msgids, for a message no
    catalogue translates) to their key."""

    def __init__(self, language: str):
        self.exact: dict[str, object] = {}
        self.lower: dict[str, object] = {}
        self.by_first: dict[str, list[_Template]] = {}
        self.leading: list[_Template] = []
        self._candidates: dict[str, list[_Template]] = {}
        pairs = [(text, key) for key, text in _entries(trans_real.translation(language))]
        for code in languages():  # the msgids themselves, said as they are
            pairs += [(_msgid(key), key) for key, _text in _entries(trans_real.translation(code))]
        for text, key in pairs:
            if text in self.exact:
                continue
            self.exact[text] = key
            self.lower.setdefault(text.lower(), key)
            names = _names(text)
            if not names:
                continue
            first = PLACEHOLDER.search(text)
            literal = PLACEHOLDER.sub("", text)
            if sum(character.isalpha() for character in literal) < MIN_LETTERS:
                continue  # too little of its own to tell it from any other text
            template = _Template(key, text, len(literal), _quoted_names(_msgid(key)), names)
            if first.start() == 0:
                self.leading.append(template)
            else:
                self.by_first.setdefault(text[0], []).append(template)

    def match(self, text: str):
        """The most specific template ``text`` was filled from, and the values put into it."""
        first = text[:1]
        if first not in self._candidates:
            self._candidates[first] = sorted(
                self.by_first.get(first, []) + self.leading, key=lambda t: -t.literal
            )
        for template in self._candidates[first]:
            if template.literal > len(text):
                continue
            values = template.match(text)
            if values is not None:
                return template, values
        return None

    def value(self, text: str):
        if not isinstance(text, str) or not text.strip():
            return text
        key = self.exact.get(text)
        if key is not None and not _names(text):
            return _Known(key, lower=False)
        key = self.lower.get(text) if text == text.lower() else None
        if key is not None and not isinstance(key, tuple) and not _names(text):
            return _Known(key, lower=True)
        return text


def _entries(catalogue):
    """Every (key, words) of a translation and of those it falls back to."""
    while catalogue is not None:
        entries = getattr(catalogue, "_catalog", None)
        if entries is not None:
            for key, text in entries.items():
                if key and text:
                    yield key, text
        catalogue = getattr(catalogue, "_fallback", None)


def _msgid(key) -> str:
    if isinstance(key, tuple):
        return key[0]
    return key.split("\x04", 1)[-1]


_indexes: dict[str, tuple[object, _Index]] = {}


def _index(language: str) -> _Index:
    catalogue = trans_real.translation(language)
    cached = _indexes.get(language)
    if cached is None or cached[0] is not catalogue:
        cached = _indexes[language] = (catalogue, _Index(language))
    return cached[1]
