using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using static PrecisionMed.Core.Genomics.Index.FhirElements;

namespace PrecisionMed.Core.Genomics.Index;

/// <summary>
/// A report's entry in the genomic index, read from the FHIR resources of the report: those the pipeline has just
/// written (a unit's transaction bundles) or those the FHIR service holds (an index rebuild), so both give the same
/// entry. Findings are told apart by their IG profile; coordinates are kept 0-based, half-open, whichever coordinate
/// system the Observation states. Read from <see cref="JsonElement"/>s: the worker parses the bytes it wrote once, with
/// no node per element (the index write of every unit, docs/design.md "Data flow").
/// </summary>
public static class IndexedReportReader
{
    private const string OneBased = "LA30102-0";
    private const string ZeroBasedCharacter = "LA30101-2";
    /// <summary>Sequence Ontology change types that are structural: copy number variation, gain, loss, duplication, inversion, translocation, complex.</summary>
    private static readonly HashSet<string> StructuralTypes =
        new(["SO:0001019", "SO:0001742", "SO:0001743", "SO:1000035", "SO:1000036", "SO:0000199", "SO:0001784", "SO:0001537", "SO:0001564"], StringComparer.Ordinal);

    private static readonly string[] HgvsComponents = ["81290-9", "48004-6", "48005-3"];
    private static readonly string[] PhenotypeComponents = ["53040-2", "therapeutic-implication"];
    private static readonly string[] FeatureComponents = ["51958-7", "48004-6"];

    /// <summary>No components: never added to.</summary>
    private static readonly List<JsonElement> None = [];

    /// <summary>An Observation with its IG profile, reference and components by code, each read once.</summary>
    private readonly record struct Finding(JsonElement Resource, string Profile, string Reference, Dictionary<string, List<JsonElement>> ComponentsByCode)
    {
        /// <summary>The components whose code has a coding with this code (any system).</summary>
        public List<JsonElement> Components(string code) => ComponentsByCode.TryGetValue(code, out var components) ? components : None;
    }

    /// <summary>The index entries of the genomic reports among <paramref name="resources"/> (one per DiagnosticReport), about <paramref name="patient"/>.</summary>
    public static IReadOnlyList<IndexedReport> Read(IReadOnlyList<JsonObject> resources, string patient)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentException.ThrowIfNullOrWhiteSpace(patient);
        // Resources read from a FHIR service (a rebuild, a CDS call): written once into one document and read as elements.
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var resource in resources)
            {
                if (resource is null) writer.WriteNullValue();
                else resource.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return Read([.. document.RootElement.EnumerateArray()], patient);
    }

    /// <summary>
    /// The index entries of the genomic reports among <paramref name="resources"/> (one per DiagnosticReport), about <paramref name="patient"/>.
    /// The entries hold no element: the resources' document may be disposed once this returns.
    /// </summary>
    public static IReadOnlyList<IndexedReport> Read(IReadOnlyList<JsonElement> resources, string patient)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentException.ThrowIfNullOrWhiteSpace(patient);
        var reports = new List<JsonElement>();
        var observations = new List<Finding>(resources.Count);
        var specimens = new List<JsonElement>();
        JsonElement analysis = default;
        foreach (var resource in resources)
        {
            var type = At(resource, "resourceType"u8);
            var hasId = At(resource, "id"u8).ValueKind == JsonValueKind.String;
            if (type.ValueKind == JsonValueKind.String)
            {
                if (hasId && type.ValueEquals("DiagnosticReport")) reports.Add(resource);
                else if (hasId && type.ValueEquals("Observation")) observations.Add(new Finding(resource, Profile(resource), Reference(resource)!, ComponentsByCode(resource)));
                else if (type.ValueEquals("Specimen")) specimens.Add(resource);
            }

            if (analysis.ValueKind == JsonValueKind.Undefined && Profile(resource) == "genomic-study-analysis") analysis = resource;
        }

        var entries = new List<IndexedReport>();
        foreach (var report in reports)
        {
            var own = reports.Count == 1 ? observations : Reachable(report, observations);
            if (IsGenomic(report, own, analysis)) entries.Add(Entry(report, own, analysis, specimens, patient));
        }

        return entries;
    }

    /// <summary>
    /// Whether a report is a genomic test: it, its study analysis or one of its Observations declares a Genomics Reporting IG
    /// profile. The index is of genomic tests (find-study-metadata lists its reports as the subject's genomic studies): a
    /// blood count or a chemistry panel has no entry.
    /// </summary>
    private static bool IsGenomic(JsonElement report, List<Finding> observations, JsonElement analysis) =>
        Profile(report).Length > 0 || analysis.ValueKind != JsonValueKind.Undefined || observations.Exists(o => o.Profile.Length > 0);

    private static IndexedReport Entry(JsonElement report, List<Finding> observations, JsonElement analysis, List<JsonElement> specimens, string patient)
    {
        var variants = observations.Where(o => o.Profile == "variant").Select(Variant).ToList();
        var build = BuildOf(analysis) ?? observations.Select(o => o.Components("62374-4").SelectMany(c => Codings(At(c, "valueCodeableConcept"u8)))
            .Select(c => Text(At(c, "display"u8))).FirstOrDefault(d => d is not null)).FirstOrDefault(b => b is not null);
        return new IndexedReport
        {
            Report = Reference(report)!,
            Patient = patient,
            Status = Text(At(report, "status"u8)),
            TestIds = [.. Items(At(report, "identifier"u8)).Select(i => Text(At(i, "value"u8))).OfType<string>()],
            Lab = LabOf(report),
            Codes = [.. SystemCodes(At(report, "code"u8))],
            TestDate = Text(At(report, "effectiveDateTime"u8)) ?? Text(At(At(report, "effectivePeriod"u8), "start"u8)) ?? Text(At(report, "issued"u8)),
            SpecimenIds = [.. References(At(report, "specimen"u8))
                .Concat(specimens.SelectMany(s => Items(At(s, "identifier"u8)).Select(i => Text(At(i, "value"u8))).OfType<string>()))
                .Distinct(StringComparer.Ordinal)],
            GenomicBuild = build,
            RegionsStudied = Regions(analysis, "studied", withDescription: true),
            UncallableRegions = Regions(analysis, "uncalled", withDescription: false),
            DnaChangeTypes = [.. observations.Where(o => o.Profile == "variant").Select(o => Code(o.Components("48019-4"))).OfType<string>().Distinct(StringComparer.Ordinal)],
            Variants = variants,
            Haplotypes = [.. observations.Where(o => o.Profile is "genotype" or "haplotype").Select(Haplotype).OfType<IndexedHaplotype>()],
            Implications = [.. observations.Where(o => o.Profile is "therapeutic-implication" or "diagnostic-implication").Select(Implication)],
            MolecularConsequences = [.. observations.Where(o => o.Profile == "molecular-consequence").Select(Consequence)],
            PhaseRelationships = [.. observations.Where(o => o.Profile == "sequence-phase-relationship").Select(o => new IndexedPhaseRelationship(
                o.Reference, References(At(o.Resource, "derivedFrom"u8)),
                Codings(At(o.Resource, "valueCodeableConcept"u8)).Select(c => Text(At(c, "code"u8))).FirstOrDefault(c => c is not null)))],
        };
    }

    /// <summary>With several reports in one set, a report's findings are its results and whatever derives from them.</summary>
    private static List<Finding> Reachable(JsonElement report, List<Finding> observations)
    {
        var ids = References(At(report, "result"u8)).ToHashSet(StringComparer.Ordinal);
        var grew = true;
        while (grew)
        {
            grew = false;
            foreach (var observation in observations)
            {
                if (ids.Contains(observation.Reference))
                {
                    foreach (var member in References(At(observation.Resource, "hasMember"u8))) grew |= ids.Add(member);
                }
                else if (References(At(observation.Resource, "derivedFrom"u8)).Any(ids.Contains))
                {
                    grew |= ids.Add(observation.Reference);
                }
            }
        }

        return [.. observations.Where(o => ids.Contains(o.Reference))];
    }

    private static IndexedVariant Variant(Finding observation)
    {
        var accession = Code(observation.Components("48013-7"));
        var (low, high) = Range(observation.Components("81254-5"));
        var system = Code(observation.Components("92822-6"));
        var referenceAllele = String(observation.Components("69547-8"));
        var alternate = String(observation.Components("69551-0"));
        // 1-based (the default, and what HL7 v2 and VCF state) counts from 1; both 0-based systems count from 0.
        var oneBased = system is OneBased or null;
        long? start = low is { } l ? (oneBased ? l - 1 : l) : null;
        long? end = start is not { } s ? null
            : referenceAllele is not null ? s + referenceAllele.Length
            : high is { } h ? (system == ZeroBasedCharacter ? h + 1 : h)
            : s + 1;
        var hgvs = HgvsComponents.SelectMany(observation.Components)
            .SelectMany(c => Codings(At(c, "valueCodeableConcept"u8))).Select(c => Text(At(c, "code"u8))).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (!IsChromosome(accession) && OnChromosome(hgvs) is { } placed)
        {
            // Coordinates on a gene region (NG_) or transcript, with the change also written on the chromosome (an NC_
            // g.HGVS): the chromosome's are the ones questions and population bins use.
            (accession, start, end, referenceAllele, alternate) = (placed.Accession, placed.Start, placed.End, placed.Ref, placed.Alt);
        }

        var (outerStart, outerEnd) = Range(observation.Components("81301-4"));
        var (innerStart, innerEnd) = Range(observation.Components("81302-2"));
        var copyNumber = Quantity(observation.Components("82155-3"));
        return new IndexedVariant(
            observation.Reference,
            accession,
            start,
            end,
            referenceAllele,
            alternate,
            Spdi.Of(accession, start, referenceAllele, alternate),
            hgvs,
            Genes(observation.Components("48018-6")),
            Code(observation.Components("48002-0")),
            StructuralType(observation, outerStart ?? innerStart, copyNumber),
            outerStart,
            outerEnd,
            innerStart,
            innerEnd,
            copyNumber);
    }

    private static bool IsChromosome(string? accession) => accession?.StartsWith("NC_", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The first genomic HGVS on a chromosome (NC_) that parses to a position and alleles, as SPDI parts.</summary>
    private static Operations.GenomicVariant? OnChromosome(List<string> hgvs) =>
        hgvs.Where(h => IsChromosome(h)).Select(h => Operations.GenomicVariant.TryParse(h, out var parsed, out _) && parsed.IsGenomic && parsed.Ref is not null ? parsed : null)
            .FirstOrDefault(v => v is not null);

    /// <summary>
    /// The DNA change type when the variant is structural: a structural change type (copy number, duplication, inversion,
    /// translocation, complex), or any change type stated with an outer/inner range or a copy number. Null for a simple variant.
    /// </summary>
    private static string? StructuralType(Finding observation, long? range, decimal? copyNumber)
    {
        var type = Code(observation.Components("48019-4"));
        return type is not null && (StructuralTypes.Contains(type) || range is not null || copyNumber is not null) ? type
            : range is not null || copyNumber is not null ? "SO:0001537" // structural_variant
            : null;
    }

    private static IndexedHaplotype? Haplotype(Finding observation)
    {
        var value = At(observation.Resource, "valueCodeableConcept"u8);
        var name = Text(At(value, "text"u8)) ?? Codings(value).Select(c => Text(At(c, "display"u8)) ?? Text(At(c, "code"u8))).FirstOrDefault(n => n is not null)
            ?? Text(At(observation.Resource, "valueString"u8));
        return name is null ? null : new IndexedHaplotype(
            observation.Reference, observation.Profile, Genes(observation.Components("48018-6")), name, [.. SystemCodes(value)], Code(observation.Components("48002-0")));
    }

    private static IndexedImplication Implication(Finding observation)
    {
        var (version, variation) = KnowledgeConclusion.Parse(String(observation.Components("conclusion-string")));
        return new IndexedImplication(
            observation.Reference,
            observation.Profile,
            References(At(observation.Resource, "derivedFrom"u8)),
            [.. observation.Components("51963-7").SelectMany(c => SystemCodes(At(c, "valueCodeableConcept"u8))).Distinct(StringComparer.Ordinal)],
            [.. observation.Components("81259-4").SelectMany(c => SystemCodes(At(c, "valueCodeableConcept"u8))).Distinct(StringComparer.Ordinal)],
            [.. PhenotypeComponents.SelectMany(observation.Components)
                .SelectMany(c => SystemCodes(At(c, "valueCodeableConcept"u8))).Distinct(StringComparer.Ordinal)],
            Code(observation.Components("53037-8")),
            observation.Components("93044-6").Select(c => Text(At(At(c, "valueCodeableConcept"u8), "text"u8)) ?? Code(observation.Components("93044-6"))).FirstOrDefault(),
            version,
            variation);
    }

    private static IndexedConsequence Consequence(Finding observation) =>
        new(
            observation.Reference,
            References(At(observation.Resource, "derivedFrom"u8)),
            [.. FeatureComponents.SelectMany(observation.Components)
                .SelectMany(c => Codings(At(c, "valueCodeableConcept"u8))).Select(c => Text(At(c, "code"u8))).OfType<string>().Distinct(StringComparer.Ordinal)],
            [.. observation.Components("feature-consequence").SelectMany(c => SystemCodes(At(c, "valueCodeableConcept"u8))).Distinct(StringComparer.Ordinal)],
            observation.Components("functional-effect").SelectMany(c => SystemCodes(At(c, "valueCodeableConcept"u8))).FirstOrDefault());

    /// <summary>
    /// The analysis's regions (its regions extension): the description's lines (the textual regions a lab or a BED file
    /// gave) and the <paramref name="kind"/> entries stated as text or codes (genes); a BED file referenced is not read.
    /// </summary>
    private static List<string> Regions(JsonElement analysis, string kind, bool withDescription)
    {
        var regions = new List<string>();
        foreach (var extension in Objects(At(analysis, "extension"u8))
            .Where(e => Text(At(e, "url"u8))?.EndsWith("genomic-study-analysis-regions", StringComparison.Ordinal) == true))
        {
            foreach (var part in Objects(At(extension, "extension"u8)))
            {
                var url = Text(At(part, "url"u8));
                if (withDescription && url == "description" && Text(At(part, "valueString"u8)) is { } text)
                    regions.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                else if (url == kind && At(part, "valueCodeableConcept"u8) is var concept && Exists(concept))
                    regions.Add(Text(At(concept, "text"u8))
                        ?? Codings(concept).Select(c => Text(At(c, "display"u8)) ?? Text(At(c, "code"u8))).FirstOrDefault(c => c is not null) ?? string.Empty);
            }
        }

        return [.. regions.Where(r => r.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The performer's name, else the lab id the pipeline writes into the accession's system (<c>urn:precisionmed:lab:{lab}:accession</c>).</summary>
    private static string? LabOf(JsonElement report)
    {
        var performer = Items(At(report, "performer"u8)).Select(p => Text(At(p, "display"u8)) ?? Text(At(p, "reference"u8))).FirstOrDefault(p => p is not null);
        if (performer is not null) return performer;
        const string Prefix = "urn:precisionmed:lab:";
        return Items(At(report, "identifier"u8)).Select(i => Text(At(i, "system"u8)))
            .Where(s => s is not null && s.StartsWith(Prefix, StringComparison.Ordinal) && s.EndsWith(":accession", StringComparison.Ordinal))
            .Select(s => s![Prefix.Length..^":accession".Length]).FirstOrDefault();
    }

    private static string? BuildOf(JsonElement analysis) =>
        Objects(At(analysis, "extension"u8))
            .Where(e => Text(At(e, "url"u8))?.EndsWith("genomic-study-analysis-genome-build", StringComparison.Ordinal) == true)
            .SelectMany(e => Codings(At(e, "valueCodeableConcept"u8))).Select(c => Text(At(c, "display"u8))).FirstOrDefault(d => d is not null);
}
