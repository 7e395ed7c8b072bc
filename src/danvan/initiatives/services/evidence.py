"""Evidence attached to an initiative: files checked for their real type and size."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.accounts.scope import (
    person_of,
    require_on_initiative,
)
from danvan.core.history import attribute_to
from danvan.core.validation import (
    clean_and_save,
    reject,
)
from danvan.initiatives.catalogues import (
    EvidenceKind,
)
from danvan.initiatives.files import sniff_evidence
from danvan.initiatives.models import (
    Evidence,
    Initiative,
)


@transaction.atomic
def evidence_add(
    *,
    actor,
    initiative: Initiative,
    upload: UploadedFile,
    kind: str = "",
    title: str = "",
) -> Evidence:
    """Attach a file after checking its real type and size; photos default to kind ``photo``."""
    require_on_initiative(actor, "evidence.add", initiative)
    sniffed = sniff_evidence(upload)
    if not kind:
        kind = EvidenceKind.PHOTO if sniffed.is_image else EvidenceKind.DOCUMENT
    if kind == EvidenceKind.PHOTO and not sniffed.is_image:
        reject("kind", _("Only an image can be attached as a photo."))
    evidence = Evidence(
        initiative=initiative,
        kind=kind,
        title=(title or "").strip() or (upload.name or "")[:255],
        content_type=sniffed.content_type,
        size=upload.size,
        uploaded_by=person_of(actor),
    )
    attribute_to(evidence, actor)
    evidence.file.save(upload.name, upload, save=False)
    try:
        return clean_and_save(evidence)
    except ValidationError:
        evidence.file.delete(save=False)
        raise


@transaction.atomic
def evidence_delete(*, actor, evidence: Evidence) -> None:
    """Remove an attachment and its file."""
    require_on_initiative(actor, "evidence.add", evidence.initiative)
    attribute_to(evidence, actor)
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
