using System.Globalization;
using PrecisionMed.Cli.Knowledge;
using PrecisionMed.Core.Formats.Vcf;

namespace PrecisionMed.Cli.Ingest;

/// <summary><c>pmed ingest</c>'s flags as the app's settings.</summary>
internal static class IngestSettings
{
    /// <summary>The embedded knowledge seed unless a Cosmos DB account is given.</summary>
    public static Dictionary<string, string?> For(IngestOptions options)
    {
        var settings = options.Cosmos is null
            ? new Dictionary<string, string?> { ["Knowledge:Store"] = "Embedded" }
            : CosmosSettings.For(options.Cosmos, options.CosmosKey, options.Database);
        if (options.FhirUrl is not null) settings["Fhir:BaseUrl"] = options.FhirUrl.ToString();
        foreach (var (key, value) in VcfSettings(options.Vcf)) settings[key] = value;
        return settings;
    }

    /// <summary>The VCF flags as <c>Vcf:*</c> settings; those a flag leaves unset (build, regions, genes) the environment may give.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> VcfSettings(VcfOptions vcf)
    {
        const string Vcf = VcfOptions.SectionName + ":";
        if (vcf.GenomeBuild is { } build) yield return new(Vcf + nameof(VcfOptions.GenomeBuild), build);
        if (vcf.RegionsBed is { } regions) yield return new(Vcf + nameof(VcfOptions.RegionsBed), regions);
        for (var i = 0; i < vcf.Genes.Count; i++)
            yield return new(string.Create(CultureInfo.InvariantCulture, $"{Vcf}{nameof(VcfOptions.Genes)}:{i}"), vcf.Genes[i]);
        yield return new(Vcf + nameof(VcfOptions.GenomicSourceClass), vcf.GenomicSourceClass);
        yield return new(Vcf + nameof(VcfOptions.SampleSex), vcf.SampleSex.ToString());
        yield return new(Vcf + nameof(VcfOptions.OnlyKnownVariants), vcf.OnlyKnownVariants.ToString());
        yield return new(Vcf + nameof(VcfOptions.RequirePassFilter), vcf.RequirePassFilter.ToString());
        yield return new(Vcf + nameof(VcfOptions.MaxReportableVariants), vcf.MaxReportableVariants.ToString(CultureInfo.InvariantCulture));
    }
}
