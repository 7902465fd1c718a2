namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>Sorts OBX rows: empty OBX-3 skipped, ED/RP to documents, panel items to findings, the rest to lab results.</summary>
internal static class Hl7v2ObservationRouter
{
    /// <summary>Sorts OBX rows: empty OBX-3 skipped, ED/RP to documents, panel items to findings, the rest to lab results.</summary>
    internal static void MapObservationRows(Hl7v2ReportAccumulator acc)
    {
        var genomic = new List<ObxRow>(acc.Rows.Count);
        foreach (var row in acc.Rows)
        {
            var identifier = row.Segment.Field(3);
            if (identifier.Component(1).IsEmpty && identifier.Component(2).IsEmpty && identifier.Component(4).IsEmpty)
                acc.Skip(row, identifier, "OBX-3 (observation identifier) is empty: the value cannot be told what it is");
            else if (Hl7v2DocumentMapper.IsDocument(row))
                Hl7v2DocumentMapper.MapDocument(acc, row);
            else if (row.IsGenomic)
                genomic.Add(row);
            else
                Hl7v2LabResultMapper.MapLabResult(acc, row);
        }

        Hl7v2GenomicMapper.MapGenomicGroups(acc, genomic);

        // Notes under rows that did not become lab results still belong to the report.
        foreach (var row in acc.Rows)
        {
            if (row.Notes.Count > 0 && !acc.LabResultRows.Contains(row.Occurrence)) acc.Notes.AddRange(row.Notes);
        }
    }
}
