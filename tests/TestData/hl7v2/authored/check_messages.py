#!/usr/bin/env python3
"""Structural check of the authored HL7 v2 genomic ORU^R01 test messages in this folder.

Usage: python3 check_messages.py [--knowledge DIR] [files...]
  DIR defaults to <repo>/../shared/corpus/knowledge (holds loinc_81247-9_panel_structure.tsv and
  loinc_81247-9_answer_lists.tsv); without it the panel-membership and answer-list checks are skipped.

Checks (see README.md for the conventions): one segment terminator per file; batch envelope
(FHS/BHS/BTS/FTS counts); per message MSH first, MSH-2 '^~\\&', MSH-9 ORU^R01^ORU_R01, MSH-10 set,
MSH-12 2.5.1; PID-3 with assigning authority and type MR; ORC; OBR-2/3/4(+51969-4)/7/22/25; SPM;
every OBX has 11+ fields, OBX-11 F/C, OBX-3 LOINC, OBX-2 consistent with the OBX-5 shape, LA answers
in the LOINC answer list of the question, sub-ID grammar, panel membership of each OBX-3 per group
kind, nested groups have their parent. Files named wrapped_* keep third-party OBX rows byte for byte,
so their OBX deviations (no OBX-11, non-LOINC OBX-3 system, extra codes) are reported as warnings.
Exit status 1 when any error is found.
"""
import base64
import os
import re
import sys
from collections import OrderedDict, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_KNOWLEDGE = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "corpus", "knowledge"))

SUBID = re.compile(r"^(?:1|1[a-z]+|1[a-z]+\.[a-z]+|[2-5][a-z]+|[45][a-z]+\.[1-9][0-9]*)$")
NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
NM_RE = re.compile(rf"^{NUM}$")
NR_RE = re.compile(rf"^(?:{NUM})?(?:\^(?:{NUM})?)?$")


def load_knowledge(d):
    panel, answers = None, None
    p = os.path.join(d, "loinc_81247-9_panel_structure.tsv")
    a = os.path.join(d, "loinc_81247-9_answer_lists.tsv")
    if os.path.exists(p):
        panel = defaultdict(set)  # parent path -> child codes
        with open(p) as fh:
            next(fh)
            for line in fh:
                path = line.split("\t")[0]
                parts = path.split("/")
                panel["/".join(parts[:-1])].add(parts[-1])
    if os.path.exists(a):
        answers = defaultdict(set)
        with open(a) as fh:
            next(fh)
            for line in fh:
                q, _, code, _ = line.rstrip("\n").split("\t")
                answers[q].add(code)
    return panel, answers


def allowed_codes(panel, kind):
    P = "81247-9"
    simple = panel[f"{P}/81250-3"]
    sv = panel[f"{P}/81297-4"]
    return {
        "overall": panel[f"{P}/81306-3"],
        "region": {"48013-7"},
        "range": {"51959-5"},
        "simple": simple | sv,
        "structural": simple | sv,
        "pgx": panel[f"{P}/82118-1"] - {"82117-3"},
        "medication": panel[f"{P}/82118-1/82117-3"],
        "complex": panel[f"{P}/81251-1"] - {"81250-3"},
        "member": panel[f"{P}/81251-1/81250-3"],
    }[kind]


def group_kind(sub):
    if sub == "1":
        return "overall"
    if re.fullmatch(r"1[a-z]+", sub):
        return "region"
    if re.fullmatch(r"1[a-z]+\.[a-z]+", sub):
        return "range"
    head, dot, _ = sub.partition(".")
    return {("2", ""): "simple", ("3", ""): "structural", ("4", ""): "pgx", ("4", "."): "medication",
            ("5", ""): "complex", ("5", "."): "member"}.get((head[0], dot))


def split_terminators(data, errs):
    crlf = data.count(b"\r\n")
    cr = data.count(b"\r") - crlf
    lf = data.count(b"\n") - crlf
    kinds = [k for k, n in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if n]
    if len(kinds) != 1:
        errs.append(f"segment terminators not consistent: {kinds}")
    term = {"CRLF": b"\r\n", "CR": b"\r", "LF": b"\n"}.get(kinds[0] if kinds else "CR")
    if not data.endswith(term):
        errs.append("file does not end with a segment terminator")
    segs = [s for s in re.split(rb"\r\n|\r|\n", data) if s]
    return (kinds[0] if kinds else "?"), [s.decode("utf-8") for s in segs]


def comps(v):
    return v.split("^")


def check_value(vt, code, value, answers, where, errs, warns, lenient):
    c = comps(value)
    bad = (warns if lenient else errs).append
    if vt in ("CWE", "CE"):
        if not (c[0] or (len(c) > 1 and c[1])):
            errs.append(f"{where}: {vt} without identifier or text")
        if len(c) > 22:
            errs.append(f"{where}: CWE has {len(c)} components")
        system = c[2] if len(c) > 2 else ""
        if answers is not None and code in answers and system == "LN" and c[0] not in answers[code]:
            errs.append(f"{where}: {c[0]} is not in the LOINC answer list of {code}")
        if answers is not None and code in answers and system != "LN":
            bad(f"{where}: coded answer for {code} is not an LN answer code ({value!r})")
        if system == "HGNC" and c[0] and not re.fullmatch(r"HGNC:\d+", c[0]):
            errs.append(f"{where}: HGNC code {c[0]!r} is not HGNC:<n>")
        if system == "HGVS" and not re.search(r":[cgpnmr]\.", c[0]):
            errs.append(f"{where}: HGVS value {c[0]!r} has no <ref>:c./g./p. form")
        if code == "48018-6" and system != "HGNC":
            errs.append(f"{where}: gene not coded with HGNC")
    elif vt in ("ST", "TX", "FT"):
        if re.search(r"[\^&~]", value):
            errs.append(f"{where}: {vt} value carries component/subcomponent/repetition separators")
    elif vt == "NM":
        if not NM_RE.match(value):
            errs.append(f"{where}: NM value {value!r} is not numeric")
    elif vt == "NR":
        if not NR_RE.match(value) or not value:
            errs.append(f"{where}: NR value {value!r} is not low^high")
        elif len(c) == 2 and c[0] and c[1] and float(c[0]) > float(c[1]):
            errs.append(f"{where}: NR low > high")
    elif vt == "ED":
        if len(c) != 5 or c[3] != "Base64":
            errs.append(f"{where}: ED must be ^type^subtype^Base64^data")
        else:
            try:
                base64.b64decode(c[4], validate=True)
            except Exception:
                errs.append(f"{where}: ED data is not valid base64")
    else:
        errs.append(f"{where}: unexpected OBX-2 {vt!r}")


def check_message(segs, name, panel, answers, lenient, errs, warns):
    f = [s.split("|") for s in segs]
    ids = [x[0] for x in f]
    if ids[0] != "MSH":
        errs.append("first segment is not MSH")
        return 0
    msh = f[0]
    # MSH-1 is the field separator itself, so MSH-n is msh[n-1]
    if msh[1] != "^~\\&":
        errs.append(f"MSH-2 is {msh[1]!r}")
    if msh[8] != "ORU^R01^ORU_R01":
        errs.append(f"MSH-9 is {msh[8]!r}")
    if not msh[9]:
        errs.append("MSH-10 empty")
    if msh[11] != "2.5.1":
        errs.append(f"MSH-12 is {msh[11]!r}")
    order = [i for i in ids if i != "OBX"]
    if order != ["MSH", "PID", "ORC", "OBR", "SPM"] or "OBX" not in ids:
        errs.append(f"segment order {order} (expected MSH PID ORC OBR OBX... SPM)")
        return 0, []
    if ids.index("SPM") < max(i for i, s in enumerate(ids) if s == "OBX"):
        errs.append("SPM before the last OBX")
    pid = f[ids.index("PID")]
    cx = comps(pid[3])
    if len(cx) < 5 or not cx[3] or cx[4] != "MR":
        errs.append(f"PID-3 {pid[3]!r} lacks assigning authority or type MR")
    if not pid[5].startswith("TESTPATIENT^"):
        errs.append("PID-5 is not a TESTPATIENT name")
    obr = f[ids.index("OBR")]
    obr += [""] * (26 - len(obr))
    if not obr[2] or not obr[3]:
        errs.append("OBR-2/OBR-3 empty")
    if comps(obr[4])[3:6] != ["51969-4", "Genetic analysis report", "LN"]:
        errs.append(f"OBR-4 {obr[4]!r} has no alternate 51969-4^...^LN")
    if not obr[7] or not obr[22]:
        errs.append("OBR-7/OBR-22 empty")
    if obr[25] not in ("F", "C"):
        errs.append(f"OBR-25 {obr[25]!r}")
    groups = OrderedDict()
    seq = 0
    soft = (warns if lenient else errs).append
    for s in f:
        if s[0] != "OBX":
            continue
        seq += 1
        where = f"{name} OBX-1={s[1]}"
        if len(s) < 12:
            soft(f"{where}: only {len(s) - 1} fields (no OBX-11)")
        elif s[11] not in ("F", "C"):
            errs.append(f"{where}: OBX-11 {s[11]!r}")
        if not lenient and s[1] != str(seq):
            errs.append(f"{where}: OBX-1 not sequential (expected {seq})")
        cid = comps(s[3])
        if len(cid) < 3 or cid[2] != "LN":
            soft(f"{where}: OBX-3 {s[3]!r} is not LOINC-coded (^LN)")
        code, vt, sub, value = cid[0], s[2], s[4], s[5] if len(s) > 5 else ""
        if not SUBID.match(sub):
            errs.append(f"{where}: sub-ID {sub!r} does not follow the convention")
            continue
        check_value(vt, code, value, answers, where, errs, warns, lenient)
        if vt == "NM" and code in ("81258-6", "82121-5") and not (len(s) > 6 and s[6]):
            errs.append(f"{where}: NM {code} without units in OBX-6")
        groups.setdefault(sub, []).append((code, value))
    for sub, rows in groups.items():
        kind = group_kind(sub)
        codes = [c for c, _ in rows]
        if "." in sub and sub.split(".")[0] not in groups and kind not in ("range",):
            errs.append(f"{name}: group {sub} has no parent group {sub.split('.')[0]}")
        if kind == "range" and sub.split(".")[0] not in groups:
            errs.append(f"{name}: range {sub} has no region group")
        if panel is not None:
            extra = sorted(set(codes) - allowed_codes(panel, kind))
            if extra:
                soft(f"{name}: group {sub} ({kind}) carries codes outside its panel: {extra}")
        if kind in ("simple", "structural", "member") and "69548-6" not in codes:
            soft(f"{name}: variant group {sub} has no 69548-6 assessment")
        if kind == "structural" and ("83005-9", "LA26802-1^Structural variant^LN") not in rows:
            errs.append(f"{name}: structural group {sub} lacks 83005-9 = LA26802-1")
        if kind == "medication" and codes.count("51963-7") != 1:
            errs.append(f"{name}: medication group {sub} must carry exactly one 51963-7")
        if kind == "complex" and not any(g.startswith(sub + ".") for g in groups):
            errs.append(f"{name}: complex group {sub} has no member groups")
    return seq, list(groups)


def check_file(path, panel, answers):
    errs, warns = [], []
    name = os.path.basename(path)
    lenient = name.startswith("wrapped_")
    data = open(path, "rb").read()
    term, segs = split_terminators(data, errs)
    ids = [s.split("|", 1)[0] for s in segs]
    messages = []
    if ids[0] == "FHS":
        if ids[1] != "BHS" or ids[-2:] != ["BTS", "FTS"]:
            errs.append("batch envelope is not FHS BHS ... BTS FTS")
        n_msh = ids.count("MSH")
        if segs[-2].split("|")[1] != str(n_msh):
            errs.append(f"BTS-1 {segs[-2]!r} != {n_msh} messages")
        if segs[-1].split("|")[1] != str(ids.count("BHS")):
            errs.append("FTS-1 != number of batches")
        body = segs[2:-2]
    else:
        body = segs
    cur = None
    for s in body:
        if s.startswith("MSH|"):
            cur = []
            messages.append(cur)
        if cur is None:
            errs.append(f"segment before first MSH: {s[:20]!r}")
            continue
        cur.append(s)
    stats = []
    for i, m in enumerate(messages, 1):
        n, groups = check_message(m, f"{name}#{i}", panel, answers, lenient, errs, warns)
        stats.append((n, groups))
    return term, stats, errs, warns


def main(argv):
    kdir = DEFAULT_KNOWLEDGE
    if "--knowledge" in argv:
        i = argv.index("--knowledge")
        kdir = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    panel, answers = load_knowledge(kdir)
    if panel is None:
        print(f"note: {kdir} not found, panel and answer-list checks skipped")
    files = argv or sorted(os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(".hl7"))
    failed = 0
    for p in files:
        term, stats, errs, warns = check_file(p, panel, answers)
        desc = "; ".join(f"{n} OBX, groups {' '.join(g)}" for n, g in stats)
        print(f"{'FAIL' if errs else 'ok  '} {os.path.basename(p)} [{term}, {len(stats)} msg] {desc}")
        for e in errs:
            print(f"     error: {e}")
        kinds = defaultdict(list)  # aggregate row-level warnings by their text without the row position
        for w in warns:
            kinds[re.sub(r"^\S+ OBX-1=\S+: ", "", re.sub(r"^\S+#\d+: ", "", w))].append(w)
        for k, ws in kinds.items():
            print(f"     warn:  {len(ws)}x {k}")
        failed += bool(errs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
