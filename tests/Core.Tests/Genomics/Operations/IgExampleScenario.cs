using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Tests.Genomics.Operations;

/// <summary>One IG example output: the operation and query that should produce it, the index that holds its findings
/// (authored from the example's own resources), and for a population operation the only partitions it may read.</summary>
internal sealed record IgExampleScenario(
    string Example,
    string Operation,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<IndexedReport> Reports,
    IReadOnlyList<PopulationKey>? ExpectedKeys = null)
{
    public const string Subject = "Patient/ig-example";

    public static KeyValuePair<string, string> Q(string name, string value) => new(name, value);

    public static IndexedReport Report(string patient, string id, IEnumerable<IndexedVariant>? variants = null, IEnumerable<IndexedHaplotype>? haplotypes = null,
        IEnumerable<IndexedImplication>? implications = null, IEnumerable<IndexedConsequence>? consequences = null) => new()
    {
        Report = "DiagnosticReport/" + id,
        Patient = patient,
        Status = "final",
        TestIds = [id],
        TestDate = "2021-03-04",
        Variants = [.. variants ?? []],
        Haplotypes = [.. haplotypes ?? []],
        Implications = [.. implications ?? []],
        MolecularConsequences = [.. consequences ?? []],
    };

    public static IndexedVariant Simple(string observation, string accession, long start, string reference, string alternate, string? sourceClass = null, params string[] hgvs) =>
        new("Observation/" + observation, accession, start, start + reference.Length, reference, alternate, $"{accession}:{start}:{reference}:{alternate}", hgvs, [], sourceClass);

    public static IndexedVariant Structural(string observation, string accession, long outerStart, long outerEnd, string type, decimal? copyNumber = null) =>
        new("Observation/" + observation, accession, null, null, null, null, null, [], [], "LA6684-0", type, outerStart, outerEnd, CopyNumber: copyNumber);

    public static IndexedHaplotype Genotype(string observation, string hgncId, string symbol, string name, params string[] codes) =>
        new("Observation/" + observation, "genotype", [new IndexedGene(hgncId, symbol)], name, codes);

    public static IndexedImplication Therapeutic(string observation, string derivedFrom, string medication) =>
        new("Observation/" + observation, "therapeutic-implication", ["Observation/" + derivedFrom], [medication], [], [], null, null);

    public static IndexedImplication Diagnostic(string observation, string derivedFrom, string condition) =>
        new("Observation/" + observation, "diagnostic-implication", ["Observation/" + derivedFrom], [], [condition], [], "LA6668-3", null);

    public static IndexedConsequence Consequence(string observation, string derivedFrom, string consequence) =>
        new("Observation/" + observation, ["Observation/" + derivedFrom], [], [consequence], null);

    public override string ToString() => Example;
}
