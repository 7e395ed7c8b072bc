"""Who took part in an initiative, by kind of contributor: households and people apart.

The ledger counts contributors per entry, with their kind (households, individuals,
businesses, organisations, benefactors). Two rules keep the figure honest:

* **households and people are never added together**: a household is not a person, so each
  kind of contributor is its own measure ("120 hộ, 35 cá nhân"), never "155 người";
* **the same households are not counted once per kind of gift**: households that gave land
  often gave labour and money too, and the ledger does not name them, so the number that
  certainly took part is the largest count of that kind of contributor among the kinds of
  contribution (land, money, labour, assets), not their sum. Within one kind of contribution,
  entries (each a round of giving, corrections folded in) are added.

The figure is therefore a floor: reports write it as "hơn N hộ" / "over N households".
"""

from collections import defaultdict

from django.db.models import Sum

from danvan.initiatives.catalogues import ContributorType
from danvan.initiatives.models import Initiative


def initiative_participants(*, initiative: Initiative) -> dict:
    """Return ``{"by_kind": {kind: {type: n}}, "taking_part": {type: n}}`` for ``initiative``'s
    ledger, corrections included; only counts above zero, contributor kinds in catalogue order.
    """
    rows = (
        initiative.contributions.values("kind", "contributor_type")
        .annotate(contributors=Sum("contributors"))
        .order_by()
    )
    by_kind: dict[str, dict[str, int]] = defaultdict(dict)
    taking_part: dict[str, int] = {}
    for row in rows:
        count = row["contributors"] or 0
        if count <= 0:
            continue
        by_kind[row["kind"]][row["contributor_type"]] = count
        kind_of_contributor = row["contributor_type"]
        taking_part[kind_of_contributor] = max(taking_part.get(kind_of_contributor, 0), count)
    order = list(ContributorType.values)
    return {
        "by_kind": {
            kind: dict(sorted(counts.items(), key=lambda item: order.index(item[0])))
            for kind, counts in by_kind.items()
        },
        "taking_part": dict(sorted(taking_part.items(), key=lambda item: order.index(item[0]))),
    }
