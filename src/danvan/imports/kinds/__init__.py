"""The kinds of import, each an ``Importer`` with its columns."""

from danvan.imports.kinds.initiatives import InitiativeImporter
from danvan.imports.kinds.ledgers import ContributionImporter, ResultImporter
from danvan.imports.models import ImportKind

IMPORTERS = {
    ImportKind.INITIATIVES: InitiativeImporter,
    ImportKind.CONTRIBUTIONS: ContributionImporter,
    ImportKind.RESULTS: ResultImporter,
}

__all__ = ["IMPORTERS", "ContributionImporter", "InitiativeImporter", "ResultImporter"]
