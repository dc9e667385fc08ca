"""Print the strategy file's JSON schema. Regenerate the committed copy after changing the
model with::

    python -m strategistatus.strategy.schema > src/strategistatus/strategy/data/strategy.schema.json
"""

from __future__ import annotations

import sys

from .schemafile import json_schema_text


def main() -> None:
    sys.stdout.buffer.write(json_schema_text().encode("utf-8"))


if __name__ == "__main__":
    main()
