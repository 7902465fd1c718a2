using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Genomics.Index;

/// <summary>
/// A report's entry in the genomic index, read from the FHIR resources of the report: those the pipeline has just
/// written (a unit's transaction bundles) or those the FHIR service holds (an index rebuild), so both give the same
/// entry. Findings are told apart by their IG profile; coordinates are kept 0-based, half-open, whichever coordinate
/// system the Observation states.
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

    /// <summary>The index entries of the reports among <paramref name="resources"/> (one per DiagnosticReport), about <paramref name="patient"/>.</summary>
    public static IReadOnlyList<IndexedReport> Read(IReadOnlyList<JsonObject> resources, string patient)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentException.ThrowIfNullOrWhiteSpace(patient);
        var reports = resources.Where(r => FhirFindings.Text(r["resourceType"]) == "DiagnosticReport" && FhirFindings.Text(r["id"]) is not null).ToList();
        var observations = resources.Where(r => FhirFindings.Text(r["resourceType"]) == "Observation" && FhirFindings.Text(r["id"]) is not null).ToList();
        var analysis = resources.FirstOrDefault(r => FhirFindings.Profile(r) == "genomic-study-analysis");
        var specimens = resources.Where(r => FhirFindings.Text(r["resourceType"]) == "Specimen").ToList();
        var entries = new List<IndexedReport>();
        foreach (var report in reports)
        {
            var own = reports.Count == 1 ? observations : Reachable(report, observations);
            entries.Add(Entry(report, own, analysis, specimens, patient));
        }

        return entries;
    }

    private static IndexedReport Entry(JsonObject report, List<JsonObject> observations, JsonObject? analysis, List<JsonObject> specimens, string patient)
    {
        var variants = observations.Where(o => FhirFindings.Profile(o) == "variant").Select(Variant).ToList();
        var build = BuildOf(analysis) ?? observations.Select(o => FhirFindings.Components(o, "62374-4").SelectMany(c => FhirFindings.Codings(c["valueCodeableConcept"]))
            .Select(c => FhirFindings.Text(c["display"])).FirstOrDefault(d => d is not null)).FirstOrDefault(b => b is not null);
        return new IndexedReport
        {
            Report = FhirFindings.Reference(report)!,
            Patient = patient,
            Status = FhirFindings.Text(report["status"]),
            TestIds = [.. (report["identifier"] as JsonArray ?? []).Select(i => FhirFindings.Text(FhirFindings.At(i, "value"))).OfType<string>()],
            Lab = LabOf(report),
            Codes = [.. FhirFindings.SystemCodes(report["code"])],
            TestDate = FhirFindings.Text(report["effectiveDateTime"]) ?? FhirFindings.Text(FhirFindings.At(report["effectivePeriod"], "start")) ?? FhirFindings.Text(report["issued"]),
            SpecimenIds = [.. FhirFindings.References(report["specimen"])
                .Concat(specimens.SelectMany(s => (s["identifier"] as JsonArray ?? []).Select(i => FhirFindings.Text(FhirFindings.At(i, "value"))).OfType<string>()))
                .Distinct(StringComparer.Ordinal)],
            GenomicBuild = build,
            RegionsStudied = Regions(analysis, "studied", withDescription: true),
            UncallableRegions = Regions(analysis, "uncalled", withDescription: false),
            DnaChangeTypes = [.. observations.Where(o => FhirFindings.Profile(o) == "variant").Select(o => FhirFindings.Code(o, "48019-4")).OfType<string>().Distinct(StringComparer.Ordinal)],
            Variants = variants,
            Haplotypes = [.. observations.Where(o => FhirFindings.Profile(o) is "genotype" or "haplotype").Select(Haplotype).OfType<IndexedHaplotype>()],
            Implications = [.. observations.Where(o => FhirFindings.Profile(o) is "therapeutic-implication" or "diagnostic-implication").Select(Implication)],
            MolecularConsequences = [.. observations.Where(o => FhirFindings.Profile(o) == "molecular-consequence").Select(Consequence)],
            PhaseRelationships = [.. observations.Where(o => FhirFindings.Profile(o) == "sequence-phase-relationship").Select(o => new IndexedPhaseRelationship(
                FhirFindings.Reference(o)!, FhirFindings.References(o["derivedFrom"]), FhirFindings.Codings(o["valueCodeableConcept"]).Select(c => FhirFindings.Text(c["code"])).FirstOrDefault(c => c is not null)))],
        };
    }

    /// <summary>With several reports in one set, a report's findings are its results and whatever derives from them.</summary>
    private static List<JsonObject> Reachable(JsonObject report, List<JsonObject> observations)
    {
        var ids = FhirFindings.References(report["result"]).ToHashSet(StringComparer.Ordinal);
        var grew = true;
        while (grew)
        {
            grew = false;
            foreach (var observation in observations)
            {
                var reference = FhirFindings.Reference(observation)!;
                if (ids.Contains(reference))
                {
                    foreach (var member in FhirFindings.References(observation["hasMember"])) grew |= ids.Add(member);
                }
                else if (FhirFindings.References(observation["derivedFrom"]).Any(ids.Contains))
                {
                    grew |= ids.Add(reference);
                }
            }
        }

        return [.. observations.Where(o => ids.Contains(FhirFindings.Reference(o)!))];
    }

    private static IndexedVariant Variant(JsonObject observation)
    {
        var accession = FhirFindings.Code(observation, "48013-7");
        var (low, high) = FhirFindings.Range(observation, "81254-5");
        var system = FhirFindings.Code(observation, "92822-6");
        var reference = FhirFindings.String(observation, "69547-8");
        var alternate = FhirFindings.String(observation, "69551-0");
        // 1-based (the default, and what HL7 v2 and VCF state) counts from 1; both 0-based systems count from 0.
        var oneBased = system is OneBased or null;
        long? start = low is { } l ? (oneBased ? l - 1 : l) : null;
        long? end = start is not { } s ? null
            : reference is not null ? s + reference.Length
            : high is { } h ? (system == ZeroBasedCharacter ? h + 1 : h)
            : s + 1;
        var hgvs = HgvsComponents.SelectMany(code => FhirFindings.Components(observation, code))
            .SelectMany(c => FhirFindings.Codings(c["valueCodeableConcept"])).Select(c => FhirFindings.Text(c["code"])).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (!IsChromosome(accession) && OnChromosome(hgvs) is { } placed)
        {
            // Coordinates on a gene region (NG_) or transcript, with the change also written on the chromosome (an NC_
            // g.HGVS): the chromosome's are the ones questions and population bins use.
            (accession, start, end, reference, alternate) = (placed.Accession, placed.Start, placed.End, placed.Ref, placed.Alt);
        }

        var (outerStart, outerEnd) = FhirFindings.Range(observation, "81301-4");
        var (innerStart, innerEnd) = FhirFindings.Range(observation, "81302-2");
        return new IndexedVariant(
            FhirFindings.Reference(observation)!,
            accession,
            start,
            end,
            reference,
            alternate,
            Spdi.Of(accession, start, reference, alternate),
            hgvs,
            FhirFindings.Genes(observation),
            FhirFindings.Code(observation, "48002-0"),
            StructuralType(observation, outerStart ?? innerStart, FhirFindings.Quantity(observation, "82155-3")),
            outerStart,
            outerEnd,
            innerStart,
            innerEnd,
            FhirFindings.Quantity(observation, "82155-3"));
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
    private static string? StructuralType(JsonObject observation, long? range, decimal? copyNumber)
    {
        var type = FhirFindings.Code(observation, "48019-4");
        return type is not null && (StructuralTypes.Contains(type) || range is not null || copyNumber is not null) ? type
            : range is not null || copyNumber is not null ? "SO:0001537" // structural_variant
            : null;
    }

    private static IndexedHaplotype? Haplotype(JsonObject observation)
    {
        var value = observation["valueCodeableConcept"];
        var name = FhirFindings.Text(FhirFindings.At(value, "text")) ?? FhirFindings.Codings(value).Select(c => FhirFindings.Text(c["display"]) ?? FhirFindings.Text(c["code"])).FirstOrDefault(n => n is not null)
            ?? FhirFindings.Text(observation["valueString"]);
        return name is null ? null : new IndexedHaplotype(
            FhirFindings.Reference(observation)!, FhirFindings.Profile(observation), FhirFindings.Genes(observation), name, [.. FhirFindings.SystemCodes(value)],
            FhirFindings.Code(observation, "48002-0"));
    }

    private static IndexedImplication Implication(JsonObject observation)
    {
        var conclusion = FhirFindings.String(observation, "conclusion-string");
        var (version, variation) = KnowledgeConclusion.Parse(conclusion);
        return Implication(observation, version, variation);
    }

    private static IndexedImplication Implication(JsonObject observation, string? knowledgeVersion, string? variation) => new(
        FhirFindings.Reference(observation)!,
        FhirFindings.Profile(observation),
        FhirFindings.References(observation["derivedFrom"]),
        [.. FhirFindings.Components(observation, "51963-7").SelectMany(c => FhirFindings.SystemCodes(c["valueCodeableConcept"])).Distinct(StringComparer.Ordinal)],
        [.. FhirFindings.Components(observation, "81259-4").SelectMany(c => FhirFindings.SystemCodes(c["valueCodeableConcept"])).Distinct(StringComparer.Ordinal)],
        [.. PhenotypeComponents.SelectMany(code => FhirFindings.Components(observation, code))
            .SelectMany(c => FhirFindings.SystemCodes(c["valueCodeableConcept"])).Distinct(StringComparer.Ordinal)],
        FhirFindings.Code(observation, "53037-8"),
        FhirFindings.Components(observation, "93044-6").Select(c => FhirFindings.Text(FhirFindings.At(c["valueCodeableConcept"], "text")) ?? FhirFindings.Code(observation, "93044-6")).FirstOrDefault(),
        knowledgeVersion,
        variation);

    private static IndexedConsequence Consequence(JsonObject observation) => new(
        FhirFindings.Reference(observation)!,
        FhirFindings.References(observation["derivedFrom"]),
        [.. FeatureComponents.SelectMany(code => FhirFindings.Components(observation, code))
            .SelectMany(c => FhirFindings.Codings(c["valueCodeableConcept"])).Select(c => FhirFindings.Text(c["code"])).OfType<string>().Distinct(StringComparer.Ordinal)],
        [.. FhirFindings.Components(observation, "feature-consequence").SelectMany(c => FhirFindings.SystemCodes(c["valueCodeableConcept"])).Distinct(StringComparer.Ordinal)],
        FhirFindings.Components(observation, "functional-effect").SelectMany(c => FhirFindings.SystemCodes(c["valueCodeableConcept"])).FirstOrDefault());

    /// <summary>
    /// The analysis's regions (its regions extension): the description's lines (the textual regions a lab or a BED file
    /// gave) and the <paramref name="kind"/> entries stated as text or codes (genes); a BED file referenced is not read.
    /// </summary>
    private static List<string> Regions(JsonObject? analysis, string kind, bool withDescription)
    {
        var regions = new List<string>();
        foreach (var extension in (analysis?["extension"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => FhirFindings.Text(e["url"])?.EndsWith("genomic-study-analysis-regions", StringComparison.Ordinal) == true))
        {
            foreach (var part in (extension["extension"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var url = FhirFindings.Text(part["url"]);
                if (withDescription && url == "description" && FhirFindings.Text(part["valueString"]) is { } text)
                    regions.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                else if (url == kind && part["valueCodeableConcept"] is { } concept)
                    regions.Add(FhirFindings.Text(FhirFindings.At(concept, "text"))
                        ?? FhirFindings.Codings(concept).Select(c => FhirFindings.Text(c["display"]) ?? FhirFindings.Text(c["code"])).FirstOrDefault(c => c is not null) ?? string.Empty);
            }
        }

        return [.. regions.Where(r => r.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The performer's name, else the lab id the pipeline writes into the accession's system (<c>urn:precisionmed:lab:{lab}:accession</c>).</summary>
    private static string? LabOf(JsonObject report)
    {
        var performer = (report["performer"] as JsonArray ?? []).Select(p => FhirFindings.Text(FhirFindings.At(p, "display")) ?? FhirFindings.Text(FhirFindings.At(p, "reference"))).FirstOrDefault(p => p is not null);
        if (performer is not null) return performer;
        const string Prefix = "urn:precisionmed:lab:";
        return (report["identifier"] as JsonArray ?? []).Select(i => FhirFindings.Text(FhirFindings.At(i, "system")))
            .Where(s => s is not null && s.StartsWith(Prefix, StringComparison.Ordinal) && s.EndsWith(":accession", StringComparison.Ordinal))
            .Select(s => s![Prefix.Length..^":accession".Length]).FirstOrDefault();
    }

    private static string? BuildOf(JsonObject? analysis) =>
        (analysis?["extension"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => (FhirFindings.Text(e["url"]))?.EndsWith("genomic-study-analysis-genome-build", StringComparison.Ordinal) == true)
            .SelectMany(e => FhirFindings.Codings(e["valueCodeableConcept"])).Select(c => FhirFindings.Text(c["display"])).FirstOrDefault(d => d is not null);
}
