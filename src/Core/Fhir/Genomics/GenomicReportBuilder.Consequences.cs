using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

public static partial class GenomicReportBuilder
{
    /// <summary>A MolecularConsequence: what the variant it is derived from does to one transcript.</summary>
    private static void AddMolecularConsequence(GenomicBuildContext context, MolecularConsequenceFinding consequence)
    {
        var path = $"molecular consequence {consequence.Key}";
        var derivedFrom = context.Findings.DerivedFrom([consequence.VariantKey], FindingKind.Variant, path, context.Skipped);
        if (derivedFrom.Count == 0)
        {
            context.Skip(path, "derivedFrom", "the consequence's variant is not in this report (the IG requires one)");
            return;
        }

        var writer = ObservationHead.Begin(context, 
            context.Ids.NewId("MolecularConsequence", consequence.Key),
            GenomicsCodes.MolecularConsequenceProfile,
            (GenomicsCodes.TbdCodes, GenomicsCodes.MolecularConsequence, "Molecular Consequence"),
            ObservationHead.Status(null, context.Report.Status),
            genomic: true);
        WriteDerivedFrom(writer, derivedFrom);
        WriteComponents(writer, Components(
            context,
            path,
            [
                (ComponentSlices.CodingHgvs, consequence.CodingHgvs),
                (ComponentSlices.TranscriptRefSeq, consequence.Transcript),
                (ComponentSlices.ProteinHgvs, consequence.ProteinHgvs),
                .. consequence.FeatureConsequences.Select(c => (ComponentSlices.FeatureConsequence, (ReportedValue?)c)),
            ]));
        if (consequence.Notes is { Count: > 0 } notes) WriteNotes(writer, notes);
        context.Results.Add(context.Bundle.EndResource());
    }
}
