"""Driver for tests/ioce_conformance.rs: one claim per stdin line as JSON
({"id": ..., "claim": {pyoce input}}); prints one JSON line per claim with
pyoce's whole answer in medcode's output shape (`medcode::ioce::write_edited`:
snake_case names, the same values), so the test compares the two field by
field. The wall-clock fields of `processingInformation` are left out.
"""
import json
import logging
import sys

logging.disable(logging.CRITICAL)

import pyoce  # noqa: E402

CLAIM_FLAGS = (
    ("claimProcessedFlag", "claim_processed_flag"),
    ("claimDisposition", "claim_disposition"),
    ("claimRejectionDisposition", "claim_rejection_disposition"),
    ("claimDenialDisposition", "claim_denial_disposition"),
    ("claimReturnToProviderDisposition", "claim_return_to_provider_disposition"),
    ("claimSuspensionDisposition", "claim_suspension_disposition"),
    ("lineRejectionDisposition", "line_rejection_disposition"),
    ("lineDenialDisposition", "line_denial_disposition"),
    ("apcReturnBufferFlag", "apc_return_buffer_flag"),
    ("noppsBillFlag", "nopps_bill_flag"),
)
CLAIM_LISTS = (
    ("claimRejectionEditList", "claim_rejection_edits"),
    ("claimDenialEditList", "claim_denial_edits"),
    ("claimReturnToProviderEditList", "claim_return_to_provider_edits"),
    ("claimSuspensionEditList", "claim_suspension_edits"),
    ("lineRejectionEditList", "line_rejection_edits"),
    ("lineDenialEditList", "line_denial_edits"),
)
LINE_FIELDS = (
    ("actionFlagOutput", "action_flag"),
    ("hcpcsApc", "hcpcs_apc"),
    ("paymentApc", "payment_apc"),
    ("statusIndicator", "status_indicator"),
    ("paymentIndicator", "payment_indicator"),
    ("discountingFormula", "discounting_formula"),
    ("rejectionDenialFlag", "rejection_denial_flag"),
    ("packagingFlag", "packaging_flag"),
    ("paymentAdjustmentFlag01", "payment_adjustment_flag01"),
    ("paymentAdjustmentFlag02", "payment_adjustment_flag02"),
    ("paymentMethodFlag", "payment_method_flag"),
    ("compositeAdjustmentFlag", "composite_adjustment_flag"),
    ("unitsOutput", "units_output"),
    ("hcpcsEditList", "hcpcs_edits"),
    ("serviceDateEditList", "service_date_edits"),
    ("revenueEditList", "revenue_edits"),
)


def answer(r):
    info = r.get("processingInformation") or {}
    out = {
        "version": info.get("version"),
        "internal_version": info.get("internalVersion"),
        "return_code": info.get("returnCode"),
    }
    for src, dst in CLAIM_FLAGS:
        out[dst] = r.get(src)
    for src, dst in CLAIM_LISTS:
        out[dst] = r.get(src) or []
    pdx = r.get("principalDiagnosisCode") or {}
    out["principal_edits"] = pdx.get("editList") or []
    out["reason_for_visit_edits"] = [
        d.get("editList") or [] for d in r.get("reasonForVisitDiagnosisCodeList") or []
    ]
    out["secondary_edits"] = [
        d.get("editList") or [] for d in r.get("secondaryDiagnosisCodeList") or []
    ]
    lines = []
    for l in r.get("lineItemList") or []:
        o = {dst: l.get(src) for src, dst in LINE_FIELDS}
        for name in ("hcpcs_edits", "service_date_edits", "revenue_edits"):
            o[name] = o[name] or []
        o["modifier_edits"] = [
            m.get("editList") or [] for m in l.get("hcpcsModifierInputList") or []
        ]
        lines.append(o)
    out["lines"] = lines
    return out


def main() -> None:
    out = sys.stdout
    for line in sys.stdin:
        item = json.loads(line)
        try:
            a = answer(pyoce.process_claim(item["claim"]))
        except Exception as e:  # an oracle crash is an answer to report
            a = {"error": f"{type(e).__name__}: {e}"}
        a["id"] = item["id"]
        out.write(json.dumps(a, sort_keys=True) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
