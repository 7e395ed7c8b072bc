"""Schema hooks: every operation documents the errors it can answer, in the one error shape,
and every request body says it takes no other keys (the API refuses them) and requires what the
API requires."""

import re

from django.conf import settings

from danvan.api.serializers import InputSerializer

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}
DESCRIPTIONS = {
    "400": "The request is not valid: `fields` names each value at fault.",
    "401": "No valid token or session.",
    "403": "You may not do this here.",
    "404": "Not found, or not yours to see.",
    "405": "Method not allowed.",
    "406": "The Accept header asks for a type this operation does not give.",
    "409": "The record changed since you read it, or its state does not allow this.",
    "413": "The body is larger than {limit} bytes.",
    "415": "The body's content type is not one this operation reads.",
    "429": "Too many requests; retry after the time in Retry-After.",
}
WRITES = {"post", "put", "patch", "delete"}


def _error(code: str) -> dict:
    text = DESCRIPTIONS[code].format(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return {
        "description": text,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _whole_patch_bodies(components: dict) -> None:
    """A PATCH body the view reads whole keeps its required fields (drf-spectacular would make
    every field optional, and a client leaving ``version`` out would get a 400 it was not
    warned of)."""
    for serializer in _subclasses(InputSerializer):
        schema = components.get(f"Patched{serializer.__name__.removesuffix('Serializer')}Request")
        if serializer.whole_on_patch and schema is not None:
            fields = serializer().fields.items()
            schema["required"] = [n for n, f in fields if f.required and not f.read_only]


# drf-spectacular's pattern of a decimal string, ``^-?\d{0,N}(?:\.\d{0,M})?$``, also matches ""
# and "." and "-", which are not numbers; the API refuses them.
DECIMAL_PATTERN = re.compile(r"^\^-\?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$$")


def _decimal_pattern(pattern: str) -> str:
    match = DECIMAL_PATTERN.match(pattern)
    if match is None:
        return pattern
    whole, decimals = match.groups()
    return rf"^-?(?:\d{{1,{whole}}}(?:\.\d{{0,{decimals}}})?|\.\d{{1,{decimals}}})$"


def _decimals(schema) -> None:
    """Fix every decimal pattern in ``schema``, however deep."""
    if isinstance(schema, dict):
        if schema.get("format") == "decimal" and "pattern" in schema:
            schema["pattern"] = _decimal_pattern(schema["pattern"])
        for value in schema.values():
            _decimals(value)
    elif isinstance(schema, list):
        for value in schema:
            _decimals(value)


def add_errors(result, generator, request, public):
    """Postprocessing hook: error responses on every operation; closed request bodies that
    require what the API requires and match only what it reads."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR
    for name, schema in components.items():
        if name.endswith("Request") and schema.get("type") == "object":
            schema["additionalProperties"] = False
            _decimals(schema)
    _whole_patch_bodies(components)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "401", "403", "404", "405", "406"]
            if method in WRITES:
                codes += ["409", "413", "415", "429"]
            for code in codes:
                operation["responses"].setdefault(code, _error(code))
            # An error a view declares itself (a download's 409 while the file is not built)
            # has the one shape too.
            for code, response in operation["responses"].items():
                if code in DESCRIPTIONS and "content" not in response:
                    response["content"] = _error(code)["content"]
    return result
