"""The physical limit of a training, for `pnpm bench train`: what any EASE^R of the same data must do at the
least, timed alone: read the interactions, build X, and one dense solve of X'X + lambda I (LAPACK).

    python -m dmp_trainer.limit DATA_DIR   → one line of JSON: {"seconds": …, "peakRssMb": …, "items": …}
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from . import tables as T
from .interactions import read_interactions


def main() -> None:
    started = time.time()
    inter = read_interactions(Path(sys.argv[1]) / "interactions.csv")
    x = T.incidence(inter.users, inter.items, len(inter.user_ids), len(inter.item_ids))
    T.ease_weights(x, T.DEFAULT_LAMBDA)
    print(
        json.dumps(
            {
                "seconds": round(time.time() - started, 2),
                "peakRssMb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "items": len(inter.item_ids),
                "interactions": len(inter),
            }
        )
    )


if __name__ == "__main__":
    main()
