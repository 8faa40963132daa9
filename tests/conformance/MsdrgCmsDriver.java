// Runs CMS's own MS-DRG grouper (msdrg-core 43.1, the reference implementation;
// MS-DRG v40.0 ... v43.1) on claims, printing its answers in the shape of msdrg's
// JSON (tests/conformance/msdrg_group_driver.py), so that medcode's grouper can
// be compared with CMS as well as with msdrg (tests/conformance/compare_cms_msdrg.py).
//
// Input: one claim per stdin line, exactly the line msdrg_group_driver.py reads
// (tests/drg_conformance.rs, `msdrg_line`):
//   {"id": N, "claim": {"version": 431, "age": 65, "sex": 0|1|2,
//    "discharge_status": int, "hospital_status": "NOT_EXEMPT"|"EXEMPT"|"UNKNOWN",
//    "tie_breaker": "CLINICAL_SIGNIFICANCE"|"ALPHABETICAL",
//    "pdx": {"code": "...", "poa": "Y"|null}, "sdx": [{"code", "poa"}...],
//    "procedures": [{"code"}...], "admit_dx": {"code"} (optional)}}
// (a small JSON reader below reads any JSON value; fields missing take msdrg's
// defaults: age 0, sex 2, discharge status 0, NOT_EXEMPT, CLINICAL_SIGNIFICANCE).
// Output: "id<TAB>result JSON", one line per claim, in input order; "null" for a
// version CMS's jar lacks (v44.0 = 440), "ERROR <exception>" if CMS throws.
//
// Build and run (classpath: the folder of CMS's jars, $MEDCODE_CMS_JARS, default
// $HOME/.cache/medcode/cms-jars; CMS's programs are NEVER copied into or committed
// to this repository, nor is anything built from them):
//   javac -nowarn -cp "$HOME/.cache/medcode/cms-jars/*" -d /tmp/cmsdrg tests/conformance/MsdrgCmsDriver.java
//   java -cp "$HOME/.cache/medcode/cms-jars/*:/tmp/cmsdrg" \
//        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn MsdrgCmsDriver < claims.jsonl
// Start-up takes a few seconds (CMS loads its tables once); one
// gov.agency.msdrg.v<version>.MsdrgComponent is built per (version, hospital
// status, tie-breaker) on first use and reused, with COMPUTE affects-DRG.
//
// Input mappings (msdrg's claim -> CMS's input):
//   sex 0/1/other          -> MsdrgSex.MALE / FEMALE / UNKNOWN
//   discharge_status n     -> MsdrgDischargeStatus.getEnumFromInt(n); a number CMS
//                             does not know (8, 99 ...) -> NONE, as msdrg does
//   hospital_status        -> MsdrgHospitalStatusOptionFlag: NOT_EXEMPT -> NON_EXEMPT,
//                             EXEMPT -> EXEMPT, UNKNOWN -> UNKNOWN
//   tie_breaker            -> MarkingLogicTieBreaker: ALPHABETICAL -> CODE_ORDER,
//                             CLINICAL_SIGNIFICANCE -> CLINICAL_SIGNIFICANCE
//   poa "Y" "N" "U" "W" "1" "E" / null or "" / anything else
//                          -> GfcPoa.Y N U W ONE E / BLANK / INVALID
//   admit_dx {"code"}      -> withAdmissionDiagnosisCode(code, its poa or BLANK)
//
// Output mappings (CMS's MsdrgOutputData -> msdrg's names):
//   initial_/final_ drg, mdc, base_drg   getInitial/FinalDrg|Mdc|BaseDrg().getValue()
//   *_drg_description, *_mdc_description the same MsdrgValue's getDescription()
//   initial_return_code, return_code     getInitialGrc() / getFinalGrc() .name() (same names)
//   initial_severity, final_severity     getInitial/FinalSeverity(): MsdrgSeverity
//                                        MCC, CC as is; NON_CC and NONE -> "NONE"
//   grouper_flags.*_drg_secondary_dx_cc_mcc  getGrouperFlags().get*DrgSecondaryDxCcMcc(),
//                                        mapped as the severities above
//   grouper_flags.admit_dx_grouper_flag, hac_status_value, num_hac_categories_satisfied
//                                        from getGrouperFlags(), names as is
//   pdx_output / sdx_output[] (MsdrgOutputDxCode):
//     code        getInputDxCode().getValue()
//     mdc         not in CMS's output: omitted
//     severity    getInitialSeverityUsage() (the final one is NEITHER for a HAC whose
//                 CC/MCC the final DRG drops): MCC, MCC_EXCLUDED, MCC_EXCLUDED_BY_DRG_LOGIC
//                 -> "MCC"; CC, CC_EXCLUDED, CC_EXCLUDED_BY_DRG_LOGIC -> "CC";
//                 NEITHER -> "NONE". (msdrg gives the code's own CC/MCC level; CMS gives
//                 a usage: always NEITHER for a principal diagnosis, NEITHER for a
//                 secondary one that is a CC/MCC only for patients discharged alive
//                 when the patient died, where msdrg says MCC + DEATH_EXCLUSION.)
//     drg_impact  getDiagnosisAffectsDrg(): INITIAL FINAL BOTH NONE (same names)
//     poa_error   getPoaErrorCode().name() (same names)
//     flags       derived (CMS has no such list), in msdrg's order:
//                 "EXCLUDED" if the initial or final severity usage is *_EXCLUDED
//                 (by the principal's CC exclusion list);
//                 "VALID" if isDiagnosisRecognizedByGrouper();
//                 "MARKED_FOR_INITIAL" if drg_impact is INITIAL or BOTH;
//                 "MARKED_FOR_FINAL" if drg_impact is FINAL or BOTH.
//                 (msdrg's SEX_CONFLICT, ON_SHOW_LIST and DEATH_EXCLUSION have no
//                 counterpart: a died-alive-only CC/MCC has usage NEITHER in CMS;
//                 *_EXCLUDED_BY_DRG_LOGIC is seen on HAC codes whose POA makes the
//                 claim ungroupable, and is not msdrg's DEATH_EXCLUSION.)
//     initial_severity_usage, final_severity_usage, legacy_flags
//                 CMS's own values, extra fields (msdrg has none)
//     hacs[]      getHacs(): hac_number getHacNumber(), hac_list getHacList(),
//                 hac_status getHacStatus().name() (MsdrgHacUsage, same names),
//                 description getDescription() ("" when null)
//   proc_output[] (MsdrgOutputPrCode):
//     code        getInputPrCode().getValue()
//     is_or       isProcedureIsOperatingRoomProcedure()
//     drg_impact  getProcedureAffectsDrg()
//     flags       derived: "MARKED_FOR_INITIAL" / "MARKED_FOR_FINAL" from drg_impact as above
//     hac_usage   getHacUsage(): MsdrgProcedureHacUsage names (HAC_08 ...), in enum order,
//                 without HAC_NOT_USED and BLANK
//     legacy_flags getLegacyFlagString(), extra
// Secondary diagnoses and procedures are printed in CMS's output order.
import gov.agency.msdrg.model.v2.MsdrgOption;
import gov.agency.msdrg.model.v2.MsdrgRuntimeOption;
import gov.agency.msdrg.model.v2.MsdrgGrouperFlags;
import gov.agency.msdrg.model.v2.MsdrgHac;
import gov.agency.msdrg.model.v2.MsdrgValue;
import gov.agency.msdrg.model.v2.RuntimeOptions;
import gov.agency.msdrg.model.v2.enumeration.*;
import gov.agency.msdrg.model.v2.transfer.MsdrgClaim;
import gov.agency.msdrg.model.v2.transfer.input.*;
import gov.agency.msdrg.model.v2.transfer.output.*;
import com.mmm.his.cer.foundation.Processable;
import com.mmm.his.cer.foundation.model.GfcPoa;
import java.io.*;
import java.util.*;

public class MsdrgCmsDriver {
    // ---------------------------------------------------------------- JSON in

    /** A small JSON reader: objects -> LinkedHashMap, arrays -> ArrayList,
     *  strings -> String, numbers -> Long or Double, true/false -> Boolean, null -> null. */
    static final class Json {
        final String s;
        int i;
        Json(String s) { this.s = s; }
        static Object parse(String s) {
            Json j = new Json(s);
            Object v = j.value();
            j.ws();
            if (j.i != s.length()) throw j.err("trailing text");
            return v;
        }
        IllegalArgumentException err(String m) {
            return new IllegalArgumentException("JSON: " + m + " at " + i);
        }
        void ws() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
        }
        Object value() {
            ws();
            if (i >= s.length()) throw err("unexpected end");
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (peek('}')) { i++; return m; }
                    while (true) {
                        ws();
                        if (!peek('"')) throw err("key expected");
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (peek(',')) { i++; continue; }
                        expect('}');
                        return m;
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (peek(']')) { i++; return l; }
                    while (true) {
                        l.add(value());
                        ws();
                        if (peek(',')) { i++; continue; }
                        expect(']');
                        return l;
                    }
                }
                case '"': return string();
                case 't': word("true"); return Boolean.TRUE;
                case 'f': word("false"); return Boolean.FALSE;
                case 'n': word("null"); return null;
                default: return number();
            }
        }
        boolean peek(char c) { return i < s.length() && s.charAt(i) == c; }
        void expect(char c) {
            if (!peek(c)) throw err("'" + c + "' expected");
            i++;
        }
        void word(String w) {
            if (!s.startsWith(w, i)) throw err(w + " expected");
            i += w.length();
        }
        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) throw err("unterminated string");
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                if (i >= s.length()) throw err("bad escape");
                char e = s.charAt(i++);
                switch (e) {
                    case '"': b.append('"'); break;
                    case '\\': b.append('\\'); break;
                    case '/': b.append('/'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u':
                        if (i + 4 > s.length()) throw err("bad \\u escape");
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default: throw err("bad escape");
                }
            }
        }
        Object number() {
            int start = i;
            if (peek('-')) i++;
            while (i < s.length() && "0123456789.eE+-".indexOf(s.charAt(i)) >= 0) i++;
            String t = s.substring(start, i);
            if (t.isEmpty() || t.equals("-")) throw err("value expected");
            if (t.matches("-?\\d+")) return Long.parseLong(t);
            return Double.parseDouble(t);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> arr(Object o) {
        return o instanceof List ? (List<Object>) o : List.of();
    }

    static int integer(Object o, int dflt) {
        return o instanceof Number ? ((Number) o).intValue() : dflt;
    }

    static String str(Object o, String dflt) {
        return o instanceof String ? (String) o : dflt;
    }

    // ------------------------------------------------------------ JSON out

    static final class Out {
        final StringBuilder b = new StringBuilder();
        boolean first = true;
        Out open(char c) { sep(); b.append(c); first = true; return this; }
        Out close(char c) { b.append(c); first = false; return this; }
        void sep() { if (!first) b.append(", "); first = false; }
        Out key(String k) { sep(); quote(k); b.append(": "); first = true; return this; }
        Out str(String v) { sep(); if (v == null) b.append("null"); else quote(v); return this; }
        Out num(Integer v) { sep(); b.append(v == null ? "null" : v.toString()); return this; }
        Out bool(boolean v) { sep(); b.append(v); return this; }
        void quote(String v) {
            b.append('"');
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                switch (c) {
                    case '"': b.append("\\\""); break;
                    case '\\': b.append("\\\\"); break;
                    case '\n': b.append("\\n"); break;
                    case '\r': b.append("\\r"); break;
                    case '\t': b.append("\\t"); break;
                    default:
                        if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                        else b.append(c);
                }
            }
            b.append('"');
        }
    }

    // ---------------------------------------------------------- mappings

    static GfcPoa poa(Object o) {
        String s = str(o, "");
        if (s.isEmpty()) return GfcPoa.BLANK;
        switch (s) {
            case "Y": return GfcPoa.Y;
            case "N": return GfcPoa.N;
            case "U": return GfcPoa.U;
            case "W": return GfcPoa.W;
            case "1": return GfcPoa.ONE;
            case "E": return GfcPoa.E;
            default: return GfcPoa.INVALID;
        }
    }

    /** A diagnosis {"code", "poa"}; null when the field is absent or null. */
    static MsdrgInputDxCode dx(Object o) {
        Map<String, Object> m = obj(o);
        if (m == null) return null;
        return new MsdrgInputDxCode(str(m.get("code"), ""), poa(m.get("poa")));
    }

    static String severity(MsdrgSeverity s) {
        if (s == null) return null;
        switch (s) {
            case MCC: return "MCC";
            case CC: return "CC";
            default: return "NONE"; // NON_CC, NONE
        }
    }

    static String usageSeverity(MsdrgCodeSeverityFlag f) {
        if (f == null) return "NONE";
        switch (f) {
            case MCC: case MCC_EXCLUDED: case MCC_EXCLUDED_BY_DRG_LOGIC: return "MCC";
            case CC: case CC_EXCLUDED: case CC_EXCLUDED_BY_DRG_LOGIC: return "CC";
            default: return "NONE";
        }
    }

    static boolean excluded(MsdrgCodeSeverityFlag f) {
        return f == MsdrgCodeSeverityFlag.MCC_EXCLUDED || f == MsdrgCodeSeverityFlag.CC_EXCLUDED;
    }

    static boolean initialImpact(MsdrgGroupingImpact g) {
        return g == MsdrgGroupingImpact.INITIAL || g == MsdrgGroupingImpact.BOTH;
    }

    static boolean finalImpact(MsdrgGroupingImpact g) {
        return g == MsdrgGroupingImpact.FINAL || g == MsdrgGroupingImpact.BOTH;
    }

    static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }

    static Integer value(MsdrgValue<Integer> v) {
        return v == null ? null : v.getValue();
    }

    static String description(MsdrgValue<Integer> v) {
        return v == null ? null : v.getDescription();
    }

    // ------------------------------------------------------------ grouping

    static final Map<String, Processable<MsdrgClaim, MsdrgOption, MsdrgRuntimeOption>> COMPONENTS =
        new HashMap<>();

    @SuppressWarnings("unchecked")
    static Processable<MsdrgClaim, MsdrgOption, MsdrgRuntimeOption> component(
            int version, MsdrgHospitalStatusOptionFlag hospital, MarkingLogicTieBreaker tie)
            throws Exception {
        String key = version + "/" + hospital + "/" + tie;
        Processable<MsdrgClaim, MsdrgOption, MsdrgRuntimeOption> c = COMPONENTS.get(key);
        if (c != null || COMPONENTS.containsKey(key)) return c;
        Class<?> cls;
        try {
            cls = Class.forName("gov.agency.msdrg.v" + version + ".MsdrgComponent");
        } catch (ClassNotFoundException e) {
            COMPONENTS.put(key, null); // not in CMS's jar (v44.0)
            return null;
        }
        RuntimeOptions o = new RuntimeOptions();
        o.setPoaReportingExempt(hospital);
        o.setComputeAffectDrg(MsdrgAffectDrgOptionFlag.COMPUTE);
        o.setMarkingLogicTieBreaker(tie);
        MsdrgRuntimeOption ro = new MsdrgRuntimeOption();
        ro.put(MsdrgOption.RUNTIME_OPTION_FLAGS, o);
        c = (Processable<MsdrgClaim, MsdrgOption, MsdrgRuntimeOption>)
            cls.getConstructor(MsdrgRuntimeOption.class).newInstance(ro);
        COMPONENTS.put(key, c);
        return c;
    }

    static String group(Map<String, Object> claim) throws Exception {
        int version = integer(claim.get("version"), 0);
        MsdrgHospitalStatusOptionFlag hospital;
        switch (str(claim.get("hospital_status"), "NOT_EXEMPT")) {
            case "EXEMPT": hospital = MsdrgHospitalStatusOptionFlag.EXEMPT; break;
            case "UNKNOWN": hospital = MsdrgHospitalStatusOptionFlag.UNKNOWN; break;
            default: hospital = MsdrgHospitalStatusOptionFlag.NON_EXEMPT;
        }
        MarkingLogicTieBreaker tie = "ALPHABETICAL".equals(claim.get("tie_breaker"))
            ? MarkingLogicTieBreaker.CODE_ORDER
            : MarkingLogicTieBreaker.CLINICAL_SIGNIFICANCE;
        Processable<MsdrgClaim, MsdrgOption, MsdrgRuntimeOption> grouper =
            component(version, hospital, tie);
        if (grouper == null) return "null";

        MsdrgInput.MsdrgInputBuilder b = MsdrgInput.builder();
        b.withAgeInYears(integer(claim.get("age"), 0));
        int sex = integer(claim.get("sex"), 2);
        b.withSex(sex == 0 ? MsdrgSex.MALE : sex == 1 ? MsdrgSex.FEMALE : MsdrgSex.UNKNOWN);
        MsdrgDischargeStatus ds = MsdrgDischargeStatus.getEnumFromInt(integer(claim.get("discharge_status"), 0));
        b.withDischargeStatus(ds == null ? MsdrgDischargeStatus.NONE : ds);
        MsdrgInputDxCode pdx = dx(claim.get("pdx"));
        if (pdx != null) b.withPrincipalDiagnosisCode(pdx);
        MsdrgInputDxCode admit = dx(claim.get("admit_dx"));
        if (admit != null) b.withAdmissionDiagnosisCode(admit);
        List<MsdrgInputDxCode> sdx = new ArrayList<>();
        for (Object o : arr(claim.get("sdx"))) {
            MsdrgInputDxCode d = dx(o);
            if (d != null) sdx.add(d);
        }
        if (!sdx.isEmpty()) b.withSecondaryDiagnosisCodes(sdx);
        List<MsdrgInputPrCode> procs = new ArrayList<>();
        for (Object o : arr(claim.get("procedures"))) {
            Map<String, Object> m = obj(o);
            if (m != null) procs.add(new MsdrgInputPrCode(str(m.get("code"), "")));
        }
        if (!procs.isEmpty()) b.withProcedureCodes(procs);

        MsdrgClaim c = new MsdrgClaim(b.build());
        grouper.process(c);
        MsdrgOutputData out = c.getOutput().orElse(null);
        if (out == null) return "null";

        Out j = new Out();
        j.open('{');
        j.key("initial_drg").num(value(out.getInitialDrg()));
        j.key("initial_mdc").num(value(out.getInitialMdc()));
        j.key("initial_base_drg").num(value(out.getInitialBaseDrg()));
        j.key("initial_drg_description").str(description(out.getInitialDrg()));
        j.key("initial_mdc_description").str(description(out.getInitialMdc()));
        j.key("initial_return_code").str(name(out.getInitialGrc()));
        j.key("initial_severity").str(severity(out.getInitialSeverity()));
        j.key("final_drg").num(value(out.getFinalDrg()));
        j.key("final_mdc").num(value(out.getFinalMdc()));
        j.key("final_base_drg").num(value(out.getFinalBaseDrg()));
        j.key("final_drg_description").str(description(out.getFinalDrg()));
        j.key("final_mdc_description").str(description(out.getFinalMdc()));
        j.key("return_code").str(name(out.getFinalGrc()));
        j.key("final_severity").str(severity(out.getFinalSeverity()));
        j.key("pdx_output");
        if (out.getPdxOutput() == null) j.str(null);
        else dxOut(j, out.getPdxOutput());
        j.key("sdx_output").open('[');
        for (MsdrgOutputDxCode d : out.getSdxOutput()) dxOut(j, d);
        j.close(']');
        j.key("proc_output").open('[');
        for (MsdrgOutputPrCode p : out.getProcOutput()) prOut(j, p);
        j.close(']');
        MsdrgGrouperFlags f = out.getGrouperFlags();
        j.key("grouper_flags").open('{');
        j.key("admit_dx_grouper_flag").str(name(f.getAdmitDxGrouperFlag()));
        j.key("initial_drg_secondary_dx_cc_mcc").str(severity(f.getInitialDrgSecondaryDxCcMcc()));
        j.key("final_drg_secondary_dx_cc_mcc").str(severity(f.getFinalDrgSecondaryDxCcMcc()));
        j.key("num_hac_categories_satisfied").num(f.getNumHacCategoriesSatisfied());
        j.key("hac_status_value").str(name(f.getHacStatusValue()));
        j.close('}');
        // CMS's own values where the mapping above loses something.
        j.key("cms").open('{');
        j.key("initial_severity").str(name(out.getInitialSeverity()));
        j.key("final_severity").str(name(out.getFinalSeverity()));
        j.key("initial_drg_sdx_severity").str(name(out.getInitialDrgSdxSeverity()));
        j.key("final_drg_sdx_severity").str(name(out.getFinalDrgSdxSeverity()));
        j.key("initial_med_surg").str(name(out.getInitialMedSugType()));
        j.key("final_med_surg").str(name(out.getFinalMedSugType()));
        j.close('}');
        j.close('}');
        return j.b.toString();
    }

    static void dxOut(Out j, MsdrgOutputDxCode d) {
        MsdrgCodeSeverityFlag ini = d.getInitialSeverityUsage(), fin = d.getFinalSeverityUsage();
        MsdrgGroupingImpact impact = d.getDiagnosisAffectsDrg();
        j.open('{');
        j.key("code").str(d.getInputDxCode().getValue());
        j.key("severity").str(usageSeverity(ini));
        j.key("drg_impact").str(name(impact));
        j.key("poa_error").str(name(d.getPoaErrorCode()));
        j.key("flags").open('[');
        if (excluded(ini) || excluded(fin)) j.str("EXCLUDED");
        if (d.isDiagnosisRecognizedByGrouper()) j.str("VALID");
        if (initialImpact(impact)) j.str("MARKED_FOR_INITIAL");
        if (finalImpact(impact)) j.str("MARKED_FOR_FINAL");
        j.close(']');
        j.key("hacs").open('[');
        if (d.getHacs() != null) for (MsdrgHac h : d.getHacs()) {
            j.open('{');
            j.key("hac_number").num(h.getHacNumber());
            j.key("hac_list").str(h.getHacList());
            j.key("hac_status").str(name(h.getHacStatus()));
            j.key("description").str(h.getDescription() == null ? "" : h.getDescription());
            j.close('}');
        }
        j.close(']');
        j.key("initial_severity_usage").str(name(ini));
        j.key("final_severity_usage").str(name(fin));
        j.key("legacy_flags").str(d.getLegacyFlagString());
        j.close('}');
    }

    static void prOut(Out j, MsdrgOutputPrCode p) {
        MsdrgGroupingImpact impact = p.getProcedureAffectsDrg();
        j.open('{');
        j.key("code").str(p.getInputPrCode().getValue());
        j.key("is_or").bool(p.isProcedureIsOperatingRoomProcedure());
        j.key("drg_impact").str(name(impact));
        j.key("flags").open('[');
        if (initialImpact(impact)) j.str("MARKED_FOR_INITIAL");
        if (finalImpact(impact)) j.str("MARKED_FOR_FINAL");
        j.close(']');
        j.key("hac_usage").open('[');
        if (p.getHacUsage() != null) {
            for (MsdrgProcedureHacUsage u : MsdrgProcedureHacUsage.values()) {
                if (u == MsdrgProcedureHacUsage.HAC_NOT_USED || u == MsdrgProcedureHacUsage.BLANK) continue;
                if (p.getHacUsage().contains(u)) j.str(u.name());
            }
        }
        j.close(']');
        j.key("legacy_flags").str(p.getLegacyFlagString());
        j.close('}');
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out), false, "UTF-8");
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            Map<String, Object> item = obj(Json.parse(line));
            Object id = item.get("id");
            String idText = id instanceof Double ? id.toString() : String.valueOf(id);
            String res;
            try {
                Map<String, Object> claim = obj(item.get("claim"));
                res = claim == null ? "null" : group(claim);
            } catch (Exception e) {
                res = "ERROR " + e.toString().replace('\n', ' ').replace('\t', ' ');
            }
            out.println(idText + "\t" + res);
        }
        out.flush();
    }
}
