using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>A <c>##contig</c> line: the sequence's name, and its length and assembly when the file says.</summary>
public sealed record VcfContig(string Id, long? Length, string? Assembly);

/// <summary>An <c>##INFO</c> or <c>##FORMAT</c> definition: its Number and Type as written, and its description.</summary>
public sealed record VcfFieldDefinition(string Id, string? Number, string? Type, string? Description);

/// <summary>
/// What a VCF's header says: version, samples, contigs, field and filter definitions and reference hints.
/// Everything is kept as the file wrote it; interpretation (genome build, annotation layouts) is done by callers.
/// </summary>
public sealed class VcfHeader
{
    /// <summary>The <c>##fileformat</c> value, e.g. <c>VCFv4.2</c>.</summary>
    public required string FileFormat { get; init; }

    /// <summary>The minor version of VCF 4.x (0 to 5).</summary>
    public required int MinorVersion { get; init; }

    /// <summary>Sample column names, in column order (may be empty: a sites-only file).</summary>
    public required IReadOnlyList<string> Samples { get; init; }

    /// <summary>Whether the <c>#CHROM</c> line has a FORMAT column.</summary>
    public required bool HasFormatColumn { get; init; }

    public IReadOnlyDictionary<string, VcfContig> Contigs { get; init; } = new Dictionary<string, VcfContig>();
    public IReadOnlyDictionary<string, VcfFieldDefinition> Info { get; init; } = new Dictionary<string, VcfFieldDefinition>();
    public IReadOnlyDictionary<string, VcfFieldDefinition> Format { get; init; } = new Dictionary<string, VcfFieldDefinition>();
    public IReadOnlyCollection<string> Filters { get; init; } = [];

    /// <summary>Other <c>##key=value</c> lines with a plain value (reference, source, fileDate...), the first of each key.</summary>
    public IReadOnlyDictionary<string, string> Meta { get; init; } = new Dictionary<string, string>();

    /// <summary>Every plain <c>##key=value</c> line of a key, with its line number, in file order (a key may repeat).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Value, long Line)>> MetaLines { get; init; } =
        new Dictionary<string, IReadOnlyList<(string Value, long Line)>>();

    /// <summary>Header lines that could not be read (a structured line without its closing <c>&gt;</c>): kept for the report's account.</summary>
    public IReadOnlyList<LabFileProblem> Problems { get; init; } = [];

    /// <summary><c>##SAMPLE=&lt;ID=...,...&gt;</c> lines by ID, their fields as written (the first line of an ID).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> SampleLines { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary><c>##PEDIGREE=&lt;ID=...,...&gt;</c> lines by ID, their fields as written (the first line of an ID).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> PedigreeLines { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>The number of the <c>#CHROM</c> line (the last header line).</summary>
    public long HeaderLineCount { get; init; }

    public string? Reference => Meta.GetValueOrDefault("reference");
}
