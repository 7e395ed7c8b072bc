"""The import the process tests crash: 5,000 contributions of one initiative, uploaded in
Vietnamese by an officer who also holds an API token, and what to read back."""

ROWS = 5_000
TOKEN_FILE = "fault-token.txt"  # in the data folder: the officer's API key
SETUP = f"""
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from danvan.accounts.models import Role
from danvan.accounts.services import api_token_create
from danvan.imports.services import batch_upload
from tests.factories import InitiativeFactory
from tests.imports.conftest import headers, xlsx_bytes
from tests import factories
from tests.people import person
# Factory sequences start again in this process: move past the seeded rows.
for name in ("AreaFactory", "OrganisationFactory", "InitiativeFactory", "UserFactory"):
    getattr(factories, name).reset_sequence(10_000)
initiative = InitiativeFactory(code="DVK-FAULT-1")
officer = person(
    "fault_officer", Role.OFFICER,
    organisation=initiative.organisation, member_of=initiative.organisation,
)
_token, key = api_token_create(actor=officer, name="faults")
(settings.DATA_DIR / "{TOKEN_FILE}").write_text(key)
rows = [
    [initiative.code, "15/03/2024", "money", str(100_000 + n), "households", 1, ""]
    for n in range({ROWS})
]
content = xlsx_bytes([headers("contributions", "vi"), *rows])
(settings.DATA_DIR / "contributions.xlsx").write_bytes(content)
with translation.override("vi"):
    batch_upload(
        actor=officer, kind="contributions", upload=SimpleUploadedFile("big.xlsx", content)
    )
"""
APPLY_SCRIPT = """
from danvan.imports.models import ImportBatch
from danvan.imports.services import batch_apply
batch = ImportBatch.objects.get()
batch_apply(actor=batch.requested_by, batch=batch)
"""
# Every contribution of the import's initiative.
LEDGER = (
    "SELECT COUNT(*) FROM initiatives_contribution WHERE initiative_id = "
    "(SELECT id FROM initiatives_initiative WHERE code = 'DVK-FAULT-1')"
)
APPLY_ROWS = (
    "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult "
    "WHERE task_path = 'danvan.imports.tasks.apply_batch' ORDER BY enqueued_at"
)
# The history rows the import's writes left (each names the batch it came from).
HISTORY = (
    "SELECT COUNT(*) FROM initiatives_historicalcontribution "
    "WHERE history_change_reason LIKE 'import #%'"
)
