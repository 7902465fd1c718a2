using System.Text.Json;

namespace PrecisionMed.Core.LabReports;

/// <summary>
/// The strict reading of <see cref="VcfManifest"/>: an unknown member is an error (a misspelt <c>birthdate</c> would
/// otherwise silently skip the safety check), and every error names its JSON path, never the value found there.
/// </summary>
internal static class VcfManifestReader
{
    private static readonly HashSet<string> RootMembers = new(StringComparer.Ordinal) { "vcf", "samples" };
    private static readonly HashSet<string> SampleMembers = new(StringComparer.Ordinal) { "sample", "patient", "accession", "specimen", "testCode" };
    private static readonly HashSet<string> PatientMembers = new(StringComparer.Ordinal) { "identifier", "family", "given", "birthDate", "sex" };
    private static readonly HashSet<string> IdentifierMembers = new(StringComparer.Ordinal) { "system", "value" };
    private static readonly HashSet<string> CodeMembers = new(StringComparer.Ordinal) { "system", "code", "display" };
    private static readonly HashSet<string> Sexes = new(StringComparer.Ordinal) { "female", "male", "other", "unknown" };

    public static VcfManifest Read(JsonElement root)
    {
        Members(root, "$", RootMembers);
        var vcf = Required(root, "$", "vcf");
        if (vcf.Contains('/', StringComparison.Ordinal) || vcf.Contains('\\', StringComparison.Ordinal))
            throw VcfManifest.Error("$.vcf", "must be the VCF's file name, without a folder");
        if (!root.TryGetProperty("samples", out var samples) || samples.ValueKind != JsonValueKind.Array || samples.GetArrayLength() == 0)
            throw VcfManifest.Error("$.samples", "must be a non-empty array, one entry per sample column");

        var result = new List<VcfSampleIdentity>();
        var columns = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var sample in samples.EnumerateArray())
        {
            var path = $"$.samples[{index++}]";
            Members(sample, path, SampleMembers);
            var column = Required(sample, path, "sample");
            if (!columns.Add(column)) throw VcfManifest.Error(path + ".sample", "names a sample column an earlier entry already names");
            if (!sample.TryGetProperty("patient", out var patient)) throw VcfManifest.Error(path + ".patient", "is required");
            result.Add(new VcfSampleIdentity(
                column, Patient(patient, path + ".patient"), Optional(sample, path, "accession"), Optional(sample, path, "specimen"), TestCode(sample, path)));
        }

        return new VcfManifest(vcf, result);
    }

    private static PatientDetails Patient(JsonElement patient, string path)
    {
        Members(patient, path, PatientMembers);
        if (!patient.TryGetProperty("identifier", out var identifier)) throw VcfManifest.Error(path + ".identifier", "is required: the report is tied to a patient only by it");
        Members(identifier, path + ".identifier", IdentifierMembers);
        var system = Required(identifier, path + ".identifier", "system");
        if (!Uri.TryCreate(system, UriKind.Absolute, out _)) throw VcfManifest.Error(path + ".identifier.system", "must be an absolute URI (e.g. urn:oid:... or https://...)");
        var value = Required(identifier, path + ".identifier", "value");

        List<string>? given = null;
        if (patient.TryGetProperty("given", out var names))
        {
            if (names.ValueKind != JsonValueKind.Array) throw VcfManifest.Error(path + ".given", "must be an array of strings");
            given = [];
            var i = 0;
            foreach (var name in names.EnumerateArray())
            {
                if (name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()))
                    throw VcfManifest.Error($"{path}.given[{i}]", "must be a non-empty string");
                given.Add(name.GetString()!.Trim());
                i++;
            }
        }

        var birthDate = Optional(patient, path, "birthDate");
        if (birthDate is not null && !IsFhirDate(birthDate)) throw VcfManifest.Error(path + ".birthDate", "must be a date YYYY, YYYY-MM or YYYY-MM-DD");
        var sex = Optional(patient, path, "sex");
        if (sex is not null && !Sexes.Contains(sex)) throw VcfManifest.Error(path + ".sex", "must be one of female, male, other, unknown");
        return new PatientDetails([new PatientIdentifier(system, value)], Optional(patient, path, "family"), given, birthDate, sex);
    }

    private static CodedValue? TestCode(JsonElement sample, string path)
    {
        if (!sample.TryGetProperty("testCode", out var code)) return null;
        path += ".testCode";
        Members(code, path, CodeMembers);
        var system = Required(code, path, "system");
        if (!Uri.TryCreate(system, UriKind.Absolute, out _)) throw VcfManifest.Error(path + ".system", "must be an absolute URI");
        return new CodedValue(new Coding(system, Required(code, path, "code"), Optional(code, path, "display")));
    }

    private static void Members(JsonElement element, string path, HashSet<string> known)
    {
        if (element.ValueKind != JsonValueKind.Object) throw VcfManifest.Error(path, "must be an object");
        foreach (var member in element.EnumerateObject())
        {
            if (!known.Contains(member.Name))
                throw VcfManifest.Error(path, $"has a member it does not define (expected {string.Join(", ", known)})");
        }
    }

    private static string Required(JsonElement element, string path, string name) =>
        Optional(element, path, name) ?? throw VcfManifest.Error($"{path}.{name}", "is required (a non-empty string)");

    private static string? Optional(JsonElement element, string path, string name)
    {
        if (!element.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            throw VcfManifest.Error($"{path}.{name}", "must be a non-empty string");
        return value.GetString()!.Trim();
    }

    private static bool IsFhirDate(string text) =>
        text.Length is 4 or 7 or 10
        && text.Select((c, i) => i is 4 or 7 ? c == '-' : char.IsAsciiDigit(c)).All(ok => ok)
        && (text.Length == 4 || DateOnly.TryParseExact(text.Length == 7 ? text + "-01" : text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _));
}
