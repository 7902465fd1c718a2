using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>One OBX as the mapper sees it: its code, OBX-4 group and typed values, read once.</summary>
internal sealed class ObxRow
{
    public ObxRow(Hl7v2Segment segment, int obrIndex, string labId, IReadOnlyDictionary<string, string>? localCodes = null)
    {
        Segment = segment;
        Occurrence = segment.Occurrence;
        ObrIndex = obrIndex;
        ValueType = UpperCode(segment.Field(2).Component(1), KnownValueTypes);
        (Code, CodeSystem, CodeValue) = Identifiers.GetOrRead(segment.Field(3), labId, 'I', ReadIdentifier);
        if (localCodes is not null && !Hl7v2ReportMapper.IsLoincSystem(CodeSystem) && localCodes.TryGetValue(Code, out var loinc))
        {
            // The lab's own code, read as the LOINC its code map gives it; the local coding stays beside it.
            Code = loinc;
            CodeSystem = "LN";
            CodeValue = CodeValue is null ? new CodedValue(Coding.LoincCode(loinc)) : CodeValue with { Codings = [Coding.LoincCode(loinc), .. CodeValue.Codings] };
        }

        SubId = segment.Field(4).Value.Trim();
        Status = UpperCode(segment.Field(11).Component(1), KnownStatuses);
        var value = segment.Field(5);
        var units = segment.Field(6);
        Values = new List<ReportedValue>(value.RepetitionCount);
        for (var i = 1; i <= value.RepetitionCount; i++)
        {
            if (Hl7v2Values.ToValue(ValueType, value.Repetition(i), units, labId) is not { } typed) continue;
            Values.Add(typed);

            // An NM value is text only when it is no number (a decimal comma, words): kept, and accounted for by the walker.
            if (ValueType == "NM" && typed is TextValue) (_textNumbers ??= []).Add(i);
        }
    }

    /// <summary>OBX-3 as a row reads it: the code, the coding system's id and the coded value. Read once per distinct identifier and lab.</summary>
    private sealed record Identifier(string Code, string CodeSystem, CodedValue? Value);

    private static readonly Hl7v2ElementCache<Identifier> Identifiers = new(4096);

    private static Identifier ReadIdentifier(Hl7v2Element identifier, string labId)
    {
        var system = identifier.Component(3);
        return new Identifier(
            identifier.Component(1).Value.Trim(),
            system.MatchAscii(Hl7v2Codes.CommonSystemIds) ?? system.Value.Trim(),
            Hl7v2Codes.ToCodedValue(identifier, labId, bareCodeIsText: false));
    }

    private static readonly string[] KnownValueTypes = ["CWE", "CE", "CNE", "CF", "NM", "SN", "NR", "DT", "DTM", "TS", "ST", "TX", "FT", "ED", "RP"];
    private static readonly string[] KnownStatuses = ["F", "C", "A", "P", "R", "S", "I", "O", "D", "W", "X", "N", "U"];

    // Shared and never added to: AddNote makes a row its own list.
    private static readonly List<string> NoNotes = [];
    private static readonly List<int> NoRepetitions = [];
    private List<string>? _notes;
    private readonly List<int>? _textNumbers;
    private ReportedValue? _shaped;
    private bool _shapedDone;

    public Hl7v2Segment Segment { get; }

    public int Occurrence { get; }

    public int ObrIndex { get; }

    public string ValueType { get; }

    public string Code { get; }

    public string CodeSystem { get; }

    public CodedValue? CodeValue { get; }

    public string SubId { get; }

    public string Status { get; }

    public List<ReportedValue> Values { get; }

    /// <summary>The OBX-5 repetitions (1-based) of an NM row that are no number and were kept as text.</summary>
    public IReadOnlyList<int> TextNumbers => _textNumbers ?? NoRepetitions;

    /// <summary>The NTE comments under the row; most rows have none, so the list is made by the first.</summary>
    public List<string> Notes => _notes ?? NoNotes;

    public bool Skipped { get; set; }

    public void AddNote(string note) => (_notes ??= []).Add(note);

    /// <summary>OBX-4 groups are scoped by their OBR: the key is the sub-ID, prefixed by the OBR for all but the first.</summary>
    public string GroupKey =>
        ObrIndex > 1 ? string.Create(CultureInfo.InvariantCulture, $"obr{ObrIndex}-{SubIdOrDefault}") : SubIdOrDefault;

    /// <summary>A LOINC panel item (LN, or a LOINC-shaped code under a feed's own system id such as UFMOLLRR).</summary>
    public bool IsGenomic =>
        Hl7v2GenomicCodes.All.Contains(Code)
        && (CodeSystem.Length == 0 || Hl7v2Codes.IsLoincOrLabScoped(CodeSystem));

    public ReportedValue? FirstValue => Values.Count > 0 ? Values[0] : null;

    /// <summary>The first value shaped as its panel item is in the IG (shaped once: values are fixed after construction).</summary>
    public ReportedValue? Shaped
    {
        get
        {
            if (!_shapedDone)
            {
                _shaped = FirstValue is { } v ? Hl7v2GenomicCodes.Shape(Code, v) : null;
                _shapedDone = true;
            }

            return _shaped;
        }
    }

    /// <summary>
    /// The row's OBX-11 as a FHIR Observation status; null when OBX-11 is empty (the wrapped vcf2hl7v2 fragments
    /// send none), so the row takes the report's OBR-25 status rather than claiming final under a preliminary report.
    /// </summary>
    public string? FhirStatus => Status switch
    {
        "" => null,
        "F" or "U" => "final",
        "C" => "corrected",
        "A" => "amended",
        "P" or "R" or "S" => "preliminary",
        "I" or "O" => "registered",
        "D" or "W" => "entered-in-error",
        "X" or "N" => "cancelled",
        _ => "unknown",
    };

    /// <summary>An OBX-2/OBX-11 code upper-cased and trimmed; the common codes without allocating.</summary>
    private static string UpperCode(Hl7v2Element element, string[] known) =>
        element.IsEmpty ? string.Empty : element.MatchUpperAscii(known) ?? element.Value.Trim().ToUpperInvariant();

    private string SubIdOrDefault => SubId.Length > 0 ? SubId : "0";
}
