using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

public sealed partial class VcfReportMapper
{
    /// <summary>Who a sample column is and the report's accession, from a source the lab stated.</summary>
    private sealed record SampleIdentity(PatientDetails Patient, string Accession, string? Specimen, CodedValue? TestCode);

    /// <summary>
    /// A sample column's patient only from what the lab states: the manifest beside the file (it wins), else the header
    /// lines or column name where the lab's profile says they carry patient identifiers. Column names and file names
    /// alone name nobody (labs reuse <c>TUMOR</c>, <c>NA12878</c>, <c>results.vcf</c>): with no source the unit is not
    /// built (<see cref="VcfIdentityMissingException"/>). The accession is the lab's, else one derived from the content
    /// hash and the column, which no other file can share (such a report is then never amended by a later file).
    /// </summary>
    private static SampleIdentity Identify(VcfHeader header, int sample, ReportProvenance provenance, VcfLabProfile? profile)
    {
        var column = header.Samples[sample];
        var which = (sample + 1).ToString(CultureInfo.InvariantCulture);
        if (provenance.Manifest is { } manifest)
        {
            if (manifest.Find(column, header.Samples.Count) is not { } stated)
                throw new VcfIdentityMissingException($"no patient identity for sample column {which}: the VCF's manifest does not list that column", manifestMissing: false);
            return new SampleIdentity(stated.Patient, stated.Accession ?? DerivedAccession(provenance), stated.Specimen, stated.TestCode);
        }

        if (profile?.Identity is not { } source)
        {
            throw new VcfIdentityMissingException(
                $"no patient identity for sample column {which}: no manifest (the VCF's file name + {VcfManifest.Suffix}), and the lab profile names no VCF identity source",
                manifestMissing: true);
        }

        var identifier = source.Source == VcfIdentitySource.SampleColumn ? column : IndividualOf(header, column);
        if (string.IsNullOrWhiteSpace(identifier))
        {
            throw new VcfIdentityMissingException(
                $"no patient identity for sample column {which}: no manifest (the VCF's file name + {VcfManifest.Suffix}), and no ##SAMPLE line with an "
                + "Individual for the column, where the lab profile says the patient identifier is",
                manifestMissing: true);
        }

        return new SampleIdentity(new PatientDetails([new PatientIdentifier(source.IdentifierSystem, identifier.Trim())]), DerivedAccession(provenance), null, null);
    }

    /// <summary>The column's <c>##SAMPLE</c> Individual, or through a <c>##PEDIGREE</c> line the Individual (or Original sample's Individual) it names.</summary>
    private static string? IndividualOf(VcfHeader header, string column)
    {
        if (header.SampleLines.GetValueOrDefault(column)?.GetValueOrDefault("Individual") is { Length: > 0 } individual) return individual;
        if (header.PedigreeLines.GetValueOrDefault(column) is not { } pedigree) return null;
        if (pedigree.GetValueOrDefault("Individual") is { Length: > 0 } stated) return stated;
        return pedigree.GetValueOrDefault("Original") is { Length: > 0 } original && original != column
            ? header.SampleLines.GetValueOrDefault(original)?.GetValueOrDefault("Individual")
            : null;
    }

    /// <summary>An accession no other content can have: the file's hash and the column's number (never the file's name).</summary>
    private static string DerivedAccession(ReportProvenance provenance) =>
        string.Create(CultureInfo.InvariantCulture, $"vcf-sha256:{provenance.ContentHash}:sample-{provenance.UnitIndex + 1}");
}
