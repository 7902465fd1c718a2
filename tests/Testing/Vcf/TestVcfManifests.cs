using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Testing.Vcf;

/// <summary>
/// Test VCFs' manifests: who each sample column is, as a lab states it beside the file. Every column gets its own
/// patient (<see cref="System"/>, <c>{prefix}{column}</c>); tests that need two people behind one column name give another prefix.
/// </summary>
public static class TestVcfManifests
{
    public const string System = "urn:oid:2.16.840.1.113883.19.5.99";

    /// <summary>The sample column names of a VCF (plain or gzip), from its <c>#CHROM</c> line.</summary>
    /// <remarks>Whatever cannot be read (a mutated file in a fuzz test) gives no columns: the file's own reading says why.</remarks>
    public static IReadOnlyList<string> ColumnsOf(byte[] vcf)
    {
        try
        {
            return ReadColumns(vcf);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or DecoderFallbackException)
        {
            return [];
        }
    }

    private static string[] ReadColumns(byte[] vcf)
    {
        using var raw = new MemoryStream(vcf);
        using Stream content = vcf.Length > 2 && vcf[0] == 0x1F && vcf[1] == 0x8B ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(content, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith("#CHROM", StringComparison.Ordinal)) continue;
            var columns = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return columns.Length > 9 ? columns[9..] : [];
        }

        return [];
    }

    /// <summary>The manifest for every column of <paramref name="vcf"/>.</summary>
    public static VcfManifest For(string vcfName, byte[] vcf, string patientPrefix = "patient-", string? accessionPrefix = null) =>
        VcfManifest.Parse(Json(vcfName, vcf, patientPrefix, accessionPrefix));

    /// <summary>The manifest for every one of <paramref name="columns"/>.</summary>
    public static VcfManifest ForColumns(string vcfName, IEnumerable<string> columns, string patientPrefix = "patient-", string? accessionPrefix = null) =>
        VcfManifest.Parse(JsonForColumns(vcfName, columns, patientPrefix, accessionPrefix));

    /// <summary>The manifest JSON for every column of <paramref name="vcf"/>, as a lab would drop it beside the file.</summary>
    public static byte[] Json(string vcfName, byte[] vcf, string patientPrefix = "patient-", string? accessionPrefix = null) =>
        JsonForColumns(vcfName, ColumnsOf(vcf), patientPrefix, accessionPrefix);

    /// <summary>The manifest JSON for every one of <paramref name="columns"/>.</summary>
    public static byte[] JsonForColumns(string vcfName, IEnumerable<string> columns, string patientPrefix = "patient-", string? accessionPrefix = null)
    {
        var samples = new JsonArray();
        foreach (var column in columns)
        {
            var sample = new JsonObject
            {
                ["sample"] = column,
                ["patient"] = new JsonObject { ["identifier"] = new JsonObject { ["system"] = System, ["value"] = patientPrefix + column } },
            };
            if (accessionPrefix is not null) sample["accession"] = accessionPrefix + column;
            samples.Add(sample);
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["vcf"] = vcfName, ["samples"] = samples }.ToJsonString());
    }

    /// <summary>Writes the manifest beside a VCF file on disk; returns its path.</summary>
    public static string WriteBeside(string vcfPath, string patientPrefix = "patient-", string? accessionPrefix = null)
    {
        var path = VcfManifest.NameFor(vcfPath);
        File.WriteAllBytes(path, Json(Path.GetFileName(vcfPath), File.ReadAllBytes(vcfPath), patientPrefix, accessionPrefix));
        return path;
    }

    /// <summary>The identifier a column gets by default.</summary>
    public static PatientIdentifier PatientOf(string column, string patientPrefix = "patient-") => new(System, patientPrefix + column);
}
