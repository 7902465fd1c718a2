using System.Globalization;
using System.Text.Json;

namespace PrecisionMed.Core.LabReports;

/// <summary>
/// Who each sample column of a VCF is, as the lab states it in a sidecar manifest <c>NAME.vcf.manifest.json</c> (or
/// <c>NAME.vcf.gz.manifest.json</c>) dropped beside the VCF: per column, the patient's identifier (and optionally name,
/// birth date and sex for the patient-safety check), the lab's accession, the specimen id and the test code. A VCF
/// states none of this itself, and the column names and file names labs use (<c>TUMOR</c>, <c>NA12878</c>,
/// <c>results.vcf</c>) name nobody.
/// </summary>
/// <param name="Vcf">The VCF's file name the manifest is for (its own name without <see cref="Suffix"/>).</param>
/// <param name="Samples">One entry per sample column the lab states, by column name.</param>
public sealed record VcfManifest(string Vcf, IReadOnlyList<VcfSampleIdentity> Samples)
{
    /// <summary>What a manifest's name adds to its VCF's name.</summary>
    public const string Suffix = ".manifest.json";

    /// <summary>The largest manifest read: far more than any lab's sample list needs.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Whether a blob or file name is a VCF's manifest (<c>*.vcf.manifest.json</c>, <c>*.vcf.gz.manifest.json</c>).</summary>
    public static bool IsManifestName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.EndsWith(".vcf" + Suffix, StringComparison.OrdinalIgnoreCase) || name.EndsWith(".vcf.gz" + Suffix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The manifest's name (or path) for a VCF's name (or path).</summary>
    public static string NameFor(string vcfName) => vcfName + Suffix;

    /// <summary>The VCF's name (or path) for a manifest's.</summary>
    public static string VcfNameOf(string manifestName)
    {
        ArgumentNullException.ThrowIfNull(manifestName);
        return manifestName[..^Suffix.Length];
    }

    /// <summary>The identity the manifest states for a sample column, or null when it does not list the column.</summary>
    /// <remarks>An entry stated for "the file's only column" (<see cref="ForSingleSample"/>) answers for a file of one column.</remarks>
    public VcfSampleIdentity? Find(string sampleColumn, int columnCount = 0) =>
        Samples.FirstOrDefault(s => string.Equals(s.Sample, sampleColumn, StringComparison.Ordinal))
        ?? (columnCount == 1 && Samples is [{ Sample.Length: 0 } only] ? only : null);

    /// <summary>
    /// The identity stated for a single-sample file, whatever its column is named (<c>pmed ingest FILE --patient SYSTEM|VALUE</c>):
    /// a file of several columns finds no one in it.
    /// </summary>
    public static VcfManifest ForSingleSample(string vcf, PatientIdentifier patient, string? accession) =>
        new(vcf, [new VcfSampleIdentity(string.Empty, new PatientDetails([patient]), accession, null, null)]);

    /// <summary>
    /// Reads a manifest strictly: every member known, every value of its type, identifiers present. Throws
    /// <see cref="LabFileRejectedException"/> with the JSON path (or the line and column of a syntax error) and the reason;
    /// no value the manifest holds is quoted.
    /// </summary>
    public static VcfManifest Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxBytes)
            throw Error("$", string.Create(CultureInfo.InvariantCulture, $"larger than {MaxBytes} bytes"));
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        JsonDocument document;
        try
        {
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new LabFileRejectedException(
                new SourcePosition { Line = (ex.LineNumber ?? 0) + 1, Column = (ex.BytePositionInLine ?? 0) + 1 },
                "VCF manifest: not valid JSON");
        }

        using (document)
        {
            return VcfManifestReader.Read(document.RootElement);
        }
    }

    internal static LabFileRejectedException Error(string path, string reason) => new(new SourcePosition { Path = path }, "VCF manifest: " + reason);
}

/// <summary>One sample column's identity in a <see cref="VcfManifest"/>.</summary>
/// <param name="Sample">The sample column's name in the VCF's <c>#CHROM</c> line.</param>
/// <param name="Patient">The patient: one identifier, and the details the patient-safety check compares.</param>
/// <param name="Accession">The lab's accession of this report; null when the lab gave none (the report then cannot be amended).</param>
/// <param name="Specimen">The lab's specimen identifier.</param>
/// <param name="TestCode">The lab's test code.</param>
public sealed record VcfSampleIdentity(string Sample, PatientDetails Patient, string? Accession, string? Specimen, CodedValue? TestCode);
