using System.Globalization;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>HL7 v2 files: one report unit per ORU^R01 message (batches included), each mapped to the canonical report.</summary>
public sealed class Hl7v2Format : IRangedReportFormat
{
    private readonly LimitsOptions _limits = new();

    /// <summary>Under the default limits.</summary>
    public Hl7v2Format()
    {
    }

    public Hl7v2Format(IOptions<LimitsOptions> limits) => _limits = limits.Value;

    public LabFileFormat Format => LabFileFormat.Hl7v2;

    public async Task<int> CountUnitsAsync(Stream content, CancellationToken cancellationToken) =>
        (await LocateUnitsAsync(content, cancellationToken)).Count;

    public async Task<IReadOnlyList<ReportUnitRange>> LocateUnitsAsync(Stream content, CancellationToken cancellationToken)
    {
        var messages = Split(await ReadAllAsync(content, cancellationToken));
        if (messages.Count > _limits.MaxMessagesPerFile)
        {
            var first = messages[_limits.MaxMessagesPerFile];
            throw new LabFileRejectedException(Hl7v2Problems.InFile(first.Line, first.SegmentOffset, "MSH", null), LimitsOptions.Breach(
                string.Create(CultureInfo.InvariantCulture, $"the file holds {messages.Count} messages; this MSH starts message {_limits.MaxMessagesPerFile + 1}"),
                nameof(LimitsOptions.MaxMessagesPerFile), _limits.MaxMessagesPerFile.ToString(CultureInfo.InvariantCulture)));
        }

        return [.. messages.Select(m => new ReportUnitRange(m.ByteOffset, m.Content.Length, m.Line, m.SegmentOffset))];
    }

    public async Task<MappedReportUnit> MapUnitAsync(Stream content, ReportProvenance provenance, ILabConventions? conventions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        var messages = Split(await ReadAllAsync(content, cancellationToken));
        if (provenance.UnitIndex >= messages.Count)
        {
            // The file under this name no longer splits as it did at intake: its content changed.
            throw new LabFileRejectedException(SourcePosition.None, string.Create(CultureInfo.InvariantCulture,
                $"the file now has {messages.Count} message(s) but message {provenance.UnitIndex + 1} was planned"));
        }

        return await MapMessageAsync(messages[provenance.UnitIndex], provenance.LabId, conventions, cancellationToken);
    }

    public Task<MappedReportUnit> MapUnitAsync(
        ReadOnlyMemory<byte> unit, ReportUnitRange range, ReportProvenance provenance, ILabConventions? conventions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(provenance);
        if (unit.Length != range.Length || !unit.Span.StartsWith("MSH"u8))
        {
            throw new LabFileRejectedException(Hl7v2Problems.InFile(range.Line, range.Segment, "MSH", null),
                "the bytes recorded for this message at intake no longer start an MSH segment: the file's content changed");
        }

        // The slice as the splitter made it, positions in the whole file, so parse problems name the file's lines.
        var slice = new Hl7v2MessageSlice(unit, provenance.UnitIndex, range.Line, range.Segment, checked((int)range.Offset));
        return MapMessageAsync(slice, provenance.LabId, conventions, cancellationToken);
    }

    private static async Task<MappedReportUnit> MapMessageAsync(
        Hl7v2MessageSlice slice, string labId, ILabConventions? conventions, CancellationToken cancellationToken)
    {
        var message = Hl7v2Parser.ParseOruR01(slice);
        if (conventions is null) return MappedReportUnit.Of(Hl7v2ReportMapper.Map(message, labId));

        // Local OBX-3 codes are read as LOINC before mapping, so the lab's panel items group like LOINC-coded ones;
        // the lab profile's patient identifier system names the patient numbers the lab sends without an OID.
        var localCodes = await conventions.LoincForLocalCodesAsync(labId, LocalObservationCodes(message), cancellationToken);
        var patientSystem = await conventions.PatientIdentifierSystemAsync(labId, cancellationToken);
        return MappedReportUnit.Of(Hl7v2ReportMapper.Map(message, labId, new Hl7v2LabConventions(localCodes, patientSystem)));
    }

    /// <summary>The distinct OBX-3 codes not under a LOINC system identifier.</summary>
    private static HashSet<string> LocalObservationCodes(Hl7v2Message message)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var segment in message.Segments("OBX"))
        {
            var identifier = segment.Field(3);
            var code = identifier.Component(1).Value.Trim();
            if (code.Length > 0 && !Hl7v2ReportMapper.IsLoincSystem(identifier.Component(3).Value.Trim())) codes.Add(code);
        }

        return codes;
    }

    private IReadOnlyList<Hl7v2MessageSlice> Split(byte[] bytes) => Hl7v2MessageSplitter.Split(bytes, _limits.MaxLineBytes).Messages;

    private Task<byte[]> ReadAllAsync(Stream content, CancellationToken cancellationToken) =>
        LabFileContent.ReadAllAsync(content, _limits.MaxDocumentBytes, "HL7 v2", cancellationToken);
}
