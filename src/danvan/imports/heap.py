"""The garbage collector during a large import.

Python's cyclic garbage collector now and then walks every object the process holds (a
"full" collection, triggered by the number of objects created). A worker holds a great many
that an import never frees (the code, the units of the country, the caches), and an import
of 100,000 rows creates enough objects for a few full collections per 20,000 rows: measured
on 20,000 contributions, each took 120-140 ms and all of them together a fifth to a quarter
of the check's, the apply's and the rollback's time.

Inside ``heap_frozen`` the objects the process held before are left out of those walks
(``gc.freeze``); what the import creates is collected as before, and at the end everything is
put back in the collector's care (``gc.unfreeze``). Nothing is freed later than it would be,
except cycles among the older objects that become garbage during the import, which wait for
its end.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # blocks open in the process (the freeze is the process's, not the thread's)


@contextmanager
def heap_frozen() -> Iterator[None]:
    """Leave the objects held so far out of the garbage collector's walks during the block."""
    global _depth
    with _lock:
        if _depth == 0:
            gc.freeze()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.unfreeze()
