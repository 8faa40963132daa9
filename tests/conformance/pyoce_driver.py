"""Test driver for tests/conformance_oce.rs: one claim per stdin line as JSON
({"id": ..., "claim": {pyoce input}}); prints one JSON line per claim with what
pyoce (a port of CMS's I/OCE) answered: the version, the claim's disposition and
edit lists, and per line the status indicator, APCs and edits.
"""
import json
import sys

import pyoce

CLAIM_LISTS = (
    "claimRejectionEditList",
    "claimDenialEditList",
    "claimReturnToProviderEditList",
    "claimSuspensionEditList",
    "lineRejectionEditList",
    "lineDenialEditList",
)
LINE_FIELDS = ("statusIndicator", "hcpcsApc", "paymentApc", "hcpcsEditList")


def main() -> None:
    out = sys.stdout
    for line in sys.stdin:
        item = json.loads(line)
        r = pyoce.process_claim(item["claim"])
        answer = {
            "id": item["id"],
            "version": r["processingInformation"]["version"],
            "disposition": r["claimDisposition"],
        }
        for name in CLAIM_LISTS:
            answer[name] = r.get(name) or []
        answer["lines"] = [{f: l.get(f) for f in LINE_FIELDS} for l in r["lineItemList"]]
        out.write(json.dumps(answer, sort_keys=True) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
