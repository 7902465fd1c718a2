using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// Maps one ORU^R01 message to the canonical <see cref="LabReport"/>: PID, ORC/OBR and SPM to the
/// report's header, OBX rows grouped by OBX-4 sub-ID to genomic findings (see <see cref="Hl7v2ObxGrouper"/> for
/// the conventions), ED/RP rows to documents, NTE to notes, other OBX rows to plain lab results.
/// Every OBX ends up mapped or in <see cref="LabReport.Skipped"/> with its position and a reason, and so
/// does every segment that is not read; reasons never quote values.
/// </summary>
public static class Hl7v2ReportMapper
{
    /// <summary>HL7 v2's identifiers for LOINC: a code under them is never a lab-local one.</summary>
    internal static bool IsLoincSystem(string system) => system is "LN" or "LOINC" or "http://loinc.org";

    /// <summary>Maps a parsed ORU^R01 message from the lab <paramref name="labId"/>.</summary>
    /// <exception cref="LabFileRejectedException">No patient identifier, no accession, or an unknown OBR-25 status.</exception>
    public static LabReport Map(Hl7v2Message message, string labId) => Map(message, labId, out _);

    /// <summary>
    /// As <see cref="Map(Hl7v2Message, string)"/>, under the lab's conventions: its local OBX-3 codes are read as the
    /// LOINC codes its code map gives them, so a lab that codes panel items locally is grouped and mapped like one that
    /// sends LOINC (the local coding is kept beside the LOINC one); its patient numbers sent without an OID or URI take
    /// its profile's patient identifier system.
    /// </summary>
    public static LabReport Map(Hl7v2Message message, string labId, Hl7v2LabConventions? conventions) =>
        Map(message, labId, out _, conventions);

    /// <summary>As <see cref="Map(Hl7v2Message, string)"/>, also giving how many OBX rows were mapped (for the loss account).</summary>
    internal static LabReport Map(Hl7v2Message message, string labId, out int mappedObservations, Hl7v2LabConventions? conventions = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(labId);
        var accumulator = new Hl7v2ReportAccumulator(labId);
        var report = Build(message, labId, conventions, accumulator);
        mappedObservations = accumulator.MappedRows.Count;
        return report;
    }

    /// <summary>
    /// Whether the message says it reports a genomic test: OBR-4 under a LOINC code of the genetic variant panel (51969-4
    /// Genetic analysis report among them), OBR-24 GE (HL7 table 0074, Genetics), or an OBX row that is a panel item.
    /// </summary>
    private static bool DeclaresGenomicTest(Hl7v2Segment obr, CodedValue? testCode, List<ObxRow> rows)
    {
        if (testCode is not null && testCode.Codings.Any(c => c.System == Coding.Loinc && c.Code is { } code && Hl7v2GenomicCodes.All.Contains(code)))
            return true;
        if (obr.Is("OBR") && obr.Field(24).Component(1).Value.Trim().Equals("GE", StringComparison.OrdinalIgnoreCase)) return true;
        return rows.Exists(row => row.IsGenomic);
    }

    private static LabReport Build(Hl7v2Message message, string labId, Hl7v2LabConventions? conventions, Hl7v2ReportAccumulator acc)
    {
        var header = new Hl7v2HeaderMapper(message, labId, conventions?.PatientIdentifierSystem?.Trim(), acc.Skipped);
        var patient = header.MapPatient();
        message.TryGetSegment("OBR", out var obr);
        message.TryGetSegment("ORC", out var orc);
        var testCode = obr.Is("OBR") ? Hl7v2Codes.ToCodedValue(obr.Field(4), labId, bareCodeIsText: false) : null;
        var status = Hl7v2HeaderMapper.ReportStatusOf(obr);

        Hl7v2SegmentWalker.WalkSegments(acc, message, conventions?.LocalCodes);
        acc.MappedRows.EnsureCapacity(acc.Rows.Count);
        Hl7v2ObservationRouter.MapObservationRows(acc);

        if (status == ReportStatus.Final)
        {
            var corrected = false;
            var amended = false;
            foreach (var row in acc.Rows)
            {
                corrected |= row.Status == "C";
                amended |= row.Status == "A";
            }

            if (corrected) status = ReportStatus.Corrected;
            else if (amended) status = ReportStatus.Amended;
        }

        foreach (var row in acc.Rows)
        {
            // A gap in the mapper, never silent.
            if (!acc.MappedRows.Contains(row.Occurrence) && !row.Skipped) acc.Skip(row, null, "the observation was not mapped by any rule");
        }

        // The accumulator's own lists are handed over: it is discarded once the report is built.
        return new LabReport
        {
            Accession = header.AccessionOf(obr, orc),
            Patient = patient,
            Status = status,
            GenomicTest = DeclaresGenomicTest(obr, testCode, acc.Rows),
            TestCode = testCode,
            Effective = header.DateTimeOf(obr, 7),
            Issued = header.DateTimeOf(obr, 22),
            Order = header.OrderOf(obr, orc, testCode),
            Specimen = header.SpecimenOf(),
            Conclusion = acc.Conclusion.Count > 0 ? string.Join("\n", acc.Conclusion) : null,
            ConclusionCode = acc.ConclusionCode,
            GenesStudied = acc.Genes,
            GenomeBuild = acc.GenomeBuild,
            RegionsStudied = acc.Regions,
            Variants = acc.Variants,
            DiagnosticImplications = acc.Implications,
            Haplotypes = acc.Haplotypes,
            Genotypes = acc.Genotypes,
            TherapeuticImplications = acc.Therapeutic,
            PhaseRelationships = acc.Phases,
            LabResults = acc.LabResults,
            Documents = acc.Documents,
            Notes = acc.Notes,
            Skipped = acc.Skipped,
        };
    }
}
