namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>A value of <c>variants</c>: one variant, or several joined by <c>AND</c> that must all be present (the IG's
/// ALL form of find-population-specific-variants, <c>X AND Y AND Z</c>).</summary>
public sealed record VariantItem(string Text, IReadOnlyList<GenomicVariant> AllOf);

/// <summary>A value of <c>haplotypes</c>: one haplotype or genotype, or several joined by <c>and</c> that must all be present.</summary>
public sealed record HaplotypeItem(string Text, IReadOnlyList<HaplotypeQuery> AllOf);

/// <summary>
/// An IG operation's inputs, checked against its OperationDefinition and parsed into their value forms. Made by
/// <see cref="OperationRequestParser"/> from a query string or a Parameters resource; evaluated by <see cref="GenomicsOperations"/>.
/// </summary>
public sealed record OperationRequest
{
    public required OperationDefinition Definition { get; init; }

    /// <summary>The operation's id, <c>find-subject-variants</c>.</summary>
    public string Operation => Definition.Id;

    /// <summary>The subject as the index keys it, <c>Patient/id</c>; null for a population operation.</summary>
    public string? Subject { get; init; }

    public IReadOnlyList<VariantItem> Variants { get; init; } = [];

    public IReadOnlyList<GenomicRange> Ranges { get; init; } = [];

    public IReadOnlyList<GeneQuery> Genes { get; init; } = [];

    public IReadOnlyList<HaplotypeItem> Haplotypes { get; init; } = [];

    public IReadOnlyList<CodeQuery> Treatments { get; init; } = [];

    public IReadOnlyList<CodeQuery> Conditions { get; init; } = [];

    public IReadOnlyList<CodeQuery> FeatureConsequences { get; init; } = [];

    public IReadOnlyList<string> TestIdentifiers { get; init; } = [];

    public IReadOnlyList<string> SpecimenIdentifiers { get; init; } = [];

    public DateRange? TestDateRange { get; init; }

    /// <summary>The genomic source class as its LOINC answer (<c>LA6683-2</c> germline, <c>LA6684-0</c> somatic), when asked.</summary>
    public string? GenomicSourceClass { get; init; }

    public bool IncludeVariants { get; init; }

    public bool IncludePhasing { get; init; }

    public bool IncludePatientList { get; init; }
}

/// <summary>The outcome of parsing: a request, or the error that refuses it.</summary>
public sealed record OperationParse(OperationRequest? Request, OperationError? Error);
