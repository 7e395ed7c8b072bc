"""The kinds of import, each an ``Importer`` with its columns."""

from danvan.imports.kinds.initiatives import InitiativeImporter
from danvan.imports.kinds.ledgers import ContributionImporter, ResultImporter
from danvan.imports.kinds.organisations import OrganisationImporter
from danvan.imports.kinds.users import UserImporter
from danvan.imports.kinds.villages import VillageImporter
from danvan.imports.models import ImportKind

IMPORTERS = {
    ImportKind.INITIATIVES: InitiativeImporter,
    ImportKind.CONTRIBUTIONS: ContributionImporter,
    ImportKind.RESULTS: ResultImporter,
    ImportKind.ORGANISATIONS: OrganisationImporter,
    ImportKind.VILLAGES: VillageImporter,
    ImportKind.USERS: UserImporter,
}

__all__ = [
    "IMPORTERS",
    "ContributionImporter",
    "InitiativeImporter",
    "OrganisationImporter",
    "ResultImporter",
    "UserImporter",
    "VillageImporter",
]
