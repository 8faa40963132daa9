// Test driver for tests/conformance.rs: reads claims (one per line, tab
// separated: id, discharge date YYYYMMDD, age, CMS sex 0/1/2 or other, discharge
// status, length of stay (each of these four empty when the claim lacks it), admitting diagnosis CODE:POA or empty, diagnoses
// CODE:POA,... principal first, procedures CODE,...) from stdin and prints
// "id<TAB>EDIT=count,..." with the edits CMS's MCE raised, sorted by name.
// Classpath: the folder of CMS's jars ($MEDCODE_CMS_JARS, default
// $HOME/.cache/medcode/cms-jars; CMS's MCE 2.0, never copied here).
import gov.cms.editor.mce.MceComponent;
import gov.cms.editor.mce.transfer.MceRecord;
import gov.cms.editor.mce.model.MceDiagnosisCode;
import gov.cms.editor.mce.model.MceProcedureCode;
import com.mmm.his.cer.foundation.model.GfcPoa;
import java.io.*;
import java.util.*;

public class MceDriver {
    static GfcPoa poa(String s) {
        if (s.isEmpty()) return GfcPoa.BLANK;
        switch (s) {
            case "Y": return GfcPoa.Y; case "N": return GfcPoa.N; case "U": return GfcPoa.U;
            case "W": return GfcPoa.W; case "1": return GfcPoa.ONE; case "E": return GfcPoa.E;
            default: return GfcPoa.INVALID;
        }
    }
    public static void main(String[] a) throws Exception {
        MceComponent mce = new MceComponent();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out), false, "UTF-8");
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t", -1);
            MceRecord.MceRecordBuilder b = MceRecord.builder().withDischargeDate(f[1]).withIcdVersion(10);
            // An empty field is one the claim does not give: its setter is not called.
            if (!f[2].isEmpty()) b.withAgeYears(Integer.parseInt(f[2]));
            if (!f[3].isEmpty()) b.withSex(Integer.parseInt(f[3]));
            if (!f[4].isEmpty()) b.withDischargeStatus(Integer.parseInt(f[4]));
            if (!f[5].isEmpty()) b.withLengthOfStay(Integer.parseInt(f[5]));
            if (!f[6].isEmpty()) {
                String[] p = f[6].split(":", -1);
                b.withAdmitDiagnosis(new MceDiagnosisCode(p[0], poa(p[1]), false));
            }
            MceRecord r = b.build();
            boolean first = true;
            if (!f[7].isEmpty()) for (String d : f[7].split(",")) {
                String[] p = d.split(":", -1);
                r.addCode(new MceDiagnosisCode(p[0], poa(p[1]), first));
                first = false;
            }
            if (!f[8].isEmpty()) for (String p : f[8].split(",")) r.addCode(new MceProcedureCode(p));
            String res;
            try {
                mce.process(r);
                TreeMap<String, Integer> m = new TreeMap<>();
                r.getMceOutput().getEditCounter().forEach((k, v) -> { if (v != null && v > 0) m.put(k.name(), v); });
                StringBuilder sb = new StringBuilder();
                for (Map.Entry<String, Integer> e : m.entrySet()) {
                    if (sb.length() > 0) sb.append(',');
                    sb.append(e.getKey()).append('=').append(e.getValue());
                }
                res = sb.toString();
            } catch (Exception e) { res = "ERROR " + e; }
            out.println(f[0] + "\t" + res);
        }
        out.flush();
    }
}
