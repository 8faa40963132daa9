"""Test driver for tests/mce_conformance.rs: one claim per stdin line as JSON
({"id": ..., "claim": {msdrg MCE input}}); prints "id<TAB>EDIT=count,..." with
the edits msdrg's MCE raised, sorted by name.

Calls msdrg's native `mce_edit_json` directly (as msdrg's own MceEditor.edit
does after its input checks) so that an invalid sex value reaches the editor,
as it reaches CMS's MCE.
"""
import ctypes
import json
import sys

import msdrg


def main() -> None:
    editor = msdrg.MceEditor()
    lib, ctx = editor.lib, editor.ctx
    out = sys.stdout
    for line in sys.stdin:
        item = json.loads(line)
        ptr = lib.mce_edit_json(ctx, json.dumps(item["claim"]).encode())
        if not ptr:
            out.write(f"{item['id']}\tERROR null result\n")
            continue
        result = json.loads(ctypes.cast(ptr, ctypes.c_char_p).value.decode())
        lib.msdrg_string_free(ptr)
        edits = sorted(f"{e['name']}={e['count']}" for e in result["edits"] if e["count"] > 0)
        out.write(f"{item['id']}\t{','.join(edits)}\n")
    out.flush()
    editor.close()


if __name__ == "__main__":
    main()
