using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using PrecisionMed.Core.Caching;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// HL7 v2 coded data (CWE/CE/CNE, EI, HD) as canonical codings: coding-system identifiers (table 0396
/// and the ones genomic feeds use) become FHIR system URIs, and anything local is scoped to the lab.
/// </summary>
internal static partial class Hl7v2Codes
{
    private const string V3Interpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    // Known ids, matched ignoring case. Keys are ASCII, so for an ASCII id OrdinalIgnoreCase equals comparing upper-cased (invariant).
    private static readonly FrozenDictionary<string, string> KnownSystems = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["LN"] = Coding.Loinc, ["LOINC"] = Coding.Loinc,
        ["SCT"] = Coding.Snomed, ["SNM"] = Coding.Snomed, ["SNM3"] = Coding.Snomed, ["SNOMED"] = Coding.Snomed, ["SNOMEDCT"] = Coding.Snomed, ["SCTID"] = Coding.Snomed,
        ["HGNC"] = Coding.Hgnc, ["HGNCID"] = Coding.Hgnc, ["HGNC-ID"] = Coding.Hgnc,
        ["HGVS"] = Coding.Hgvs, ["HGVS.C"] = Coding.Hgvs, ["HGVS.G"] = Coding.Hgvs, ["HGVS.P"] = Coding.Hgvs,
        ["RXNORM"] = Coding.RxNorm, ["RXN"] = Coding.RxNorm,
        ["UCUM"] = Coding.Ucum,
        ["DBSNP"] = Coding.DbSnp,
        ["CLINVAR"] = Coding.ClinVar,
        ["SO"] = Coding.SequenceOntology,
        ["PHARMVAR"] = Coding.PharmVar, ["PV"] = Coding.PharmVar,
        ["REFSEQ"] = Coding.RefSeq,
        ["ENSEMBL"] = CodeSystems.Ensembl,
        ["I10"] = "http://hl7.org/fhir/sid/icd-10",
        ["I10C"] = "http://hl7.org/fhir/sid/icd-10-cm",
        ["HL70078"] = V3Interpretation,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The coding-system ids most OBX rows carry, read without allocating (<see cref="Hl7v2Element.MatchAscii"/>).</summary>
    internal static readonly string[] CommonSystemIds = ["LN", "HGVS", "RefSeq", "HGNC", "dbSNP", "SCT", "RXNORM", "UCUM", "L"];

    /// <summary>The FHIR system for an HL7 v2 coding-system id; local and unknown ids are scoped to the lab.</summary>
    public static string? SystemOf(string id, string labId)
    {
        if (id.Length == 0) return null;
        if (KnownSystemOf(id) is { } known) return known;
        if (Oid().IsMatch(id)) return "urn:oid:" + id;
        if (IsHl7Table(id)) return "http://terminology.hl7.org/CodeSystem/v2-" + id[3..];
        return LabScoped(labId, id);
    }

    /// <summary>A lab's own code system as a URI. A lab uses few: they are made once and shared (bounded, a safety net).</summary>
    private static string LabScoped(string labId, string id)
    {
        var length = labId.Length + 1 + id.Length;
        if (length > BoundedCache<string>.MaxStackKeyChars) return LabScopedSystem((labId, id));
        Span<char> key = stackalloc char[length];
        labId.CopyTo(key);
        key[labId.Length] = '\n'; // never in a lab id
        id.CopyTo(key[(labId.Length + 1)..]);
        return LabScopedSystems.GetOrAdd(key, (labId, id), LabScopedSystem);
    }

    private static string LabScopedSystem((string LabId, string Id) code) => $"urn:precisionmed:lab:{code.LabId}:codes:{Uri.EscapeDataString(code.Id)}";

    private static readonly BoundedCache<string> LabScopedSystems = new(4096);

    /// <summary>
    /// Whether <see cref="SystemOf"/> gives LOINC or a lab-scoped (<c>urn:precisionmed:</c>) system for a
    /// non-empty id, for any lab, without building the lab-scoped URI.
    /// </summary>
    public static bool IsLoincOrLabScoped(string id) =>
        KnownSystemOf(id) is { } known ? known == Coding.Loinc : !Oid().IsMatch(id) && !IsHl7Table(id);

    private static string? KnownSystemOf(string id)
    {
        // The keys are ASCII: for an ASCII id, OrdinalIgnoreCase is the same as comparing it upper-cased (invariant).
        // Other ids keep the exact invariant upper-casing rule (e.g. U+0131 dotless i → I).
        if (Ascii.IsValid(id)) return KnownSystems.TryGetValue(id, out var known) ? known : null;
        return KnownSystems.TryGetValue(id.ToUpperInvariant(), out var upper) ? upper : null;
    }

    private static bool IsHl7Table(string id) =>
        id.StartsWith("HL7", StringComparison.OrdinalIgnoreCase) && id.Length == 7 && id.AsSpan(3).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>
    /// A CWE/CE as a coded value: the primary and alternate triplets, original text (CWE-9) as text.
    /// A code without a coding system is the lab's own (<paramref name="bareCodeIsText"/> false) or,
    /// for an answer, just text (true: "Benign" sent in a CWE is not a code).
    /// </summary>
    public static CodedValue? ToCodedValue(Hl7v2Element cwe, string labId, bool bareCodeIsText) =>
        Hl7v2CodedValueCache.GetOrRead(cwe, labId, bareCodeIsText);

    /// <summary><see cref="ToCodedValue"/> read from the element (the cache's miss).</summary>
    internal static CodedValue? ReadCodedValue(Hl7v2Element cwe, string labId, bool bareCodeIsText)
    {
        var codings = new List<Coding>(2);
        AddTriplet(cwe, 1, labId, bareCodeIsText, codings);
        AddTriplet(cwe, 4, labId, bareCodeIsText, codings);
        var original = cwe.Component(9).Value;
        string? text = original.Length > 0 ? original : null;
        if (codings.Count == 0)
        {
            // Bare text in the identifier or display: keep it as the concept's text.
            var bare = cwe.Component(1).Value;
            text ??= bare.Length > 0 ? bare : cwe.Component(2).Value;
            if (string.IsNullOrEmpty(text)) return null;
        }

        return new CodedValue(codings, text);
    }

    /// <summary>An entity identifier (EI): its id and, from namespace or universal id, a system.</summary>
    public static (string? Value, string? System) ToIdentifier(Hl7v2Element ei, string labId)
    {
        var value = ei.Component(1).Value.Trim();
        if (value.Length == 0) return (null, null);
        return (value, AuthoritySystem(ei.Component(2).Value, ei.Component(3).Value, ei.Component(4).Value, labId));
    }

    /// <summary>
    /// The system for an assigning authority: the one its universal id names (<see cref="UniversalIdSystem"/>), else a
    /// lab-scoped name for its namespace id.
    /// </summary>
    public static string? AuthoritySystem(string namespaceId, string universalId, string universalIdType, string labId)
    {
        return UniversalIdSystem(universalId, universalIdType) ?? NamespaceSystem(namespaceId, labId);
    }

    /// <summary>The lab-scoped system for an assigning authority known only by its namespace id (HD-1); null without one.</summary>
    public static string? NamespaceSystem(string namespaceId, string labId) =>
        namespaceId.Length > 0 ? $"urn:precisionmed:lab:{labId}:assigner:{Uri.EscapeDataString(namespaceId)}" : null;

    /// <summary>
    /// The system an assigning authority's universal id (HD-2, HD-3) names on its own, anywhere: an ISO OID as
    /// <c>urn:oid:</c>, a URI as itself; null when it names none. Untyped, only an OID or an http(s)/urn URI counts
    /// ("HOSP:12" parses as a URI but is a local name).
    /// </summary>
    public static string? UniversalIdSystem(string universalId, string universalIdType)
    {
        if (universalId.Length == 0) return null;
        var untyped = universalIdType.Length == 0;
        if (Oid().IsMatch(universalId) && (untyped || universalIdType.Equals("ISO", StringComparison.OrdinalIgnoreCase)))
            return "urn:oid:" + universalId;
        if (!Uri.TryCreate(universalId, UriKind.Absolute, out var uri)) return null;
        return universalIdType.Equals("URI", StringComparison.OrdinalIgnoreCase)
            || (untyped && uri.Scheme is "http" or "https" or "urn")
            ? universalId
            : null;
    }

    /// <summary>An interpretation flag (OBX-8, table 0078): the v3 ObservationInterpretation code it equals.</summary>
    public static CodedValue? ToInterpretation(Hl7v2Element cwe, string labId)
    {
        var code = cwe.Component(1).Value;
        if (code.Length == 0) return null;
        var id = cwe.Component(3).Value;
        var system = id.Length == 0 ? V3Interpretation : SystemOf(id, labId);
        var display = cwe.Component(2).Value;
        return new CodedValue(new Coding(system, code, display.Length > 0 && display != code ? display : null));
    }

    private static void AddTriplet(Hl7v2Element cwe, int first, string labId, bool bareCodeIsText, List<Coding> codings)
    {
        var code = cwe.Component(first).Value.Trim();
        var display = cwe.Component(first + 1).Value;
        var idElement = cwe.Component(first + 2);
        var id = idElement.MatchAscii(CommonSystemIds) ?? idElement.Value.Trim();
        if (code.Length == 0) return;
        if (id.Length == 0 && bareCodeIsText) return;
        var system = id.Length == 0 ? $"urn:precisionmed:lab:{labId}:codes:local" : SystemOf(id, labId);
        codings.Add(new Coding(system, code, display.Length > 0 ? display : null));
    }

    [GeneratedRegex(@"^[0-2](\.(0|[1-9][0-9]*))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Oid();
}
