namespace PrecisionMed.Core.LabReports;

/// <summary>What a lab's profile says of its VCFs, where the files themselves are silent.</summary>
/// <param name="GenomeBuild">The build its files are on, when they do not say (e.g. <c>GRCh38</c>).</param>
/// <param name="SourceClass">Germline, somatic or unknown.</param>
/// <param name="Identity">Where its VCFs name each sample column's patient when no manifest comes with them; null: nowhere.</param>
public sealed record VcfLabProfile(string? GenomeBuild, string? SourceClass, VcfIdentitySource? Identity);

/// <summary>
/// Where a lab's VCFs state who each sample column is, when the lab sends no manifest beside them:
/// <see cref="SampleHeader"/>, the <c>##SAMPLE=&lt;ID=column,Individual=id&gt;</c> lines (a <c>##PEDIGREE</c> line leads to the
/// original sample's); or <see cref="SampleColumn"/>, the column name itself is the patient's identifier. Either in
/// <see cref="IdentifierSystem"/>.
/// </summary>
public sealed record VcfIdentitySource(string Source, string IdentifierSystem)
{
    public const string SampleHeader = "sampleHeader";
    public const string SampleColumn = "sampleColumn";
}
