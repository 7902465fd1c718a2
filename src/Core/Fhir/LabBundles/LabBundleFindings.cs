using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.LabBundles;

/// <summary>
/// The findings of a lab's FHIR bundle (its Variant, Genotype and implication Observations, as the Genomics Reporting
/// IG profiles them) read into the canonical records the enricher interprets. Each finding's key is the resource's
/// reference in the transaction (<c>Observation/{id}</c>), so what the enricher derives points back at the lab's own
/// resource. Reading never changes the resources.
/// </summary>
internal static class LabBundleFindings
{
    private const string AssessmentCode = "69548-6";
    private const string MedicationAssessed = "51963-7";

    /// <summary>A canonical report of the Observations' findings (a placeholder patient: the enricher reads no identity).</summary>
    public static LabReport Read(string accession, IEnumerable<JsonObject> observations)
    {
        var variants = new List<VariantFinding>();
        var genotypes = new List<GenotypeFinding>();
        var diagnostic = new List<DiagnosticImplicationFinding>();
        var therapeutic = new List<TherapeuticImplicationFinding>();
        foreach (var observation in observations)
        {
            if (Text(observation["id"]) is not { Length: > 0 } id) continue;
            var key = "Observation/" + id;
            var profile = Text(observation["meta"]?["profile"]?[0]) ?? string.Empty;
            var code = Codings(observation["code"]).Select(c => c.Code).ToList();
            var derivedFrom = (observation["derivedFrom"] as JsonArray ?? []).Select(d => Text(d?["reference"])).OfType<string>().ToList();
            if (profile == GenomicsCodes.VariantProfile || code.Contains(AssessmentCode))
            {
                variants.Add(new VariantFinding(key, AssessmentOf(observation["valueCodeableConcept"]), Components(observation)));
            }
            else if (profile == GenomicsCodes.GenotypeProfile || code.Contains(GenomicsCodes.Genotype))
            {
                if (Value(observation["valueCodeableConcept"]) is not CodedValue value) continue;
                var genes = Components(observation).Where(c => c.Code.Code == GenomicsCodes.GeneStudied).Select(c => c.Value).OfType<CodedValue>().ToList();
                genotypes.Add(new GenotypeFinding(key, value, genes, derivedFrom));
            }
            else if (profile == GenomicsCodes.DiagnosticImplicationProfile || code.Contains(GenomicsCodes.DiagnosticImplication))
            {
                var components = Components(observation);
                diagnostic.Add(new DiagnosticImplicationFinding(
                    key, derivedFrom, components.FirstOrDefault(c => c.Code.Code == GenomicsCodes.ClinicalSignificance)?.Value as CodedValue, []));
            }
            else if (profile == GenomicsCodes.TherapeuticImplicationProfile || code.Contains(GenomicsCodes.TherapeuticImplication))
            {
                var components = Components(observation);
                therapeutic.Add(new TherapeuticImplicationFinding(
                    key,
                    derivedFrom,
                    components.FirstOrDefault(c => c.Code.Code == MedicationAssessed)?.Value as CodedValue,
                    [.. components.Where(c => c.Code.Code == GenomicsCodes.TherapeuticImplication).Select(c => c.Value).OfType<CodedValue>()]));
            }
        }

        return new LabReport
        {
            Accession = accession,
            Patient = new PatientDetails([]),
            Variants = variants,
            Genotypes = genotypes,
            DiagnosticImplications = diagnostic,
            TherapeuticImplications = therapeutic,
        };
    }

    private static VariantAssessment AssessmentOf(JsonNode? value)
    {
        var codes = Codings(value).Select(c => c.Code).ToList();
        return codes.Contains("LA9634-2") ? VariantAssessment.Absent
            : codes.Contains("LA18198-4") ? VariantAssessment.NoCall
            : codes.Contains("LA11884-6") ? VariantAssessment.Indeterminate
            : VariantAssessment.Present;
    }

    private static List<ReportComponent> Components(JsonObject observation)
    {
        var components = new List<ReportComponent>();
        foreach (var component in observation["component"] as JsonArray ?? [])
        {
            var code = Codings(component?["code"]).FirstOrDefault();
            if (code is null || component is not JsonObject body) continue;
            var value = Value(body["valueCodeableConcept"]) ?? Value(body);
            if (value is not null) components.Add(new ReportComponent(code, value));
        }

        return components;
    }

    /// <summary>A CodeableConcept as a coded value, or a component's string, range or quantity value.</summary>
    private static ReportedValue? Value(JsonNode? node)
    {
        if (node is not JsonObject value) return null;
        if (value["coding"] is not null || value["text"] is not null)
        {
            var codings = Codings(value);
            var text = Text(value["text"]);
            return codings.Count > 0 || text is not null ? new CodedValue(codings, text) : null;
        }

        if (Text(value["valueString"]) is { } s) return new TextValue(s);
        if (value["valueRange"] is JsonObject range)
            return new RangeValue(Number(range["low"]?["value"]), Number(range["high"]?["value"]), Text(range["low"]?["unit"]) ?? Text(range["high"]?["unit"]));
        if (value["valueQuantity"] is JsonObject quantity && Number(quantity["value"]) is { } amount)
            return new QuantityValue(amount, Text(quantity["unit"]), Text(quantity["system"]), Text(quantity["code"]));
        if (Number(value["valueInteger"]) is { } integer) return new QuantityValue(integer);
        return null;
    }

    private static List<Coding> Codings(JsonNode? concept) =>
        [.. (concept?["coding"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => new Coding(Text(c["system"]), Text(c["code"]), Text(c["display"])))
            .Where(c => c.Code is not null || c.Display is not null)];

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static decimal? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
