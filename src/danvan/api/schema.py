"""Schema hooks: every operation documents the errors it can answer, in the one error shape,
and every request body says it takes no other keys (the API refuses them)."""

from django.conf import settings

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


def add_errors(result, generator, request, public):
    """Postprocessing hook: error responses on every operation; closed request bodies."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR
    for name, schema in components.items():
        if name.endswith("Request") and schema.get("type") == "object":
            schema["additionalProperties"] = False
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "401", "403", "404", "405", "406"]
            if method in WRITES:
                codes += ["409", "413", "415", "429"]
            for code in codes:
                operation["responses"].setdefault(code, _error(code))
    return result
