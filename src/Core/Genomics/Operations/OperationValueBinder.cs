using System.Text.RegularExpressions;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>Parses each checked input's value into its form (variant, range, gene, haplotype, code, date range, flag).</summary>
internal static partial class OperationValueBinder
{
    private delegate bool Parser<T>(string text, out T value, out string reason);

    public static OperationParse Bind(OperationDefinition definition, IReadOnlyList<OperationRequestParser.RawValue> values)
    {
        OperationError? error = null;
        List<T> Each<T>(string name, Parser<T> parse)
        {
            var parsed = new List<T>();
            foreach (var value in values.Where(v => v.Name == name))
            {
                if (error is not null) break;
                if (parse(value.Text ?? string.Empty, out var item, out var reason)) parsed.Add(item);
                else error = OperationError.Invalid(name, value.Text, reason);
            }

            return parsed;
        }

        var request = new OperationRequest
        {
            Definition = definition,
            Subject = Single(values, "subject") is { } subject ? SubjectReference(subject) : null,
            Variants = Each<VariantItem>("variants", TryParseVariantItem),
            Ranges = Each<GenomicRange>("ranges", GenomicRange.TryParse),
            Genes = Each<GeneQuery>("genes", GeneQuery.TryParse),
            Haplotypes = Each<HaplotypeItem>("haplotypes", TryParseHaplotypeItem),
            Treatments = Each<CodeQuery>("treatments", CodeQuery.TryParse),
            Conditions = Each<CodeQuery>("conditions", CodeQuery.TryParse),
            FeatureConsequences = Each<CodeQuery>("featureConsequences", CodeQuery.TryParse),
            TestIdentifiers = [.. values.Where(v => v.Name == "testIdentifiers").Select(v => (v.Text ?? string.Empty).Trim())],
            SpecimenIdentifiers = [.. values.Where(v => v.Name == "specimenIdentifiers").Select(v => (v.Text ?? string.Empty).Trim())],
            GenomicSourceClass = Single(values, "genomicSourceClass") is not null ? Each<string>("genomicSourceClass", TryParseSourceClass).FirstOrDefault() : null,
            IncludeVariants = Single(values, "includeVariants") == "true",
            IncludePhasing = Single(values, "includePhasing") == "true",
            IncludePatientList = Single(values, "includePatientList") == "true",
        };
        if (error is null && values.Any(v => v.Name == "testDateRange")) request = request with { TestDateRange = DateRangeOf(values, out error) };
        if (error is null && request.Subject is null && values.Any(v => v.Name == "subject"))
        {
            error = OperationError.Invalid("subject", null, "is not a Patient reference or id");
        }

        return error is null ? new OperationParse(request, null) : new OperationParse(null, error);
    }

    private static string? Single(IReadOnlyList<OperationRequestParser.RawValue> values, string name) =>
        values.FirstOrDefault(v => v.Name == name)?.Text?.Trim();

    // The index keys a subject as Patient/id; callers send that, a bare id, or the Patient's full URL.
    private static string? SubjectReference(string subject)
    {
        var parts = subject.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !FhirIds.IsId(parts[^1])) return null;
        if (parts.Length == 1) return "Patient/" + parts[0];
        return parts[^2] == "Patient" ? "Patient/" + parts[^1] : null;
    }

    private static bool TryParseVariantItem(string text, out VariantItem item, out string reason)
    {
        item = null!;
        reason = string.Empty;
        var variants = new List<GenomicVariant>();
        foreach (var part in AndSeparator().Split(text))
        {
            if (!GenomicVariant.TryParse(part, out var variant, out reason)) return false;
            variants.Add(variant);
        }

        item = new VariantItem(text.Trim(), variants);
        return true;
    }

    private static bool TryParseHaplotypeItem(string text, out HaplotypeItem item, out string reason)
    {
        item = null!;
        reason = string.Empty;
        var haplotypes = new List<HaplotypeQuery>();
        foreach (var part in AndSeparator().Split(text))
        {
            if (!HaplotypeQuery.TryParse(part, out var haplotype, out reason)) return false;
            haplotypes.Add(haplotype);
        }

        item = new HaplotypeItem(text.Trim(), haplotypes);
        return true;
    }

    private static bool TryParseSourceClass(string text, out string code, out string reason)
    {
        var value = text.Trim();
        code = value[(value.LastIndexOf('|') + 1)..].ToLowerInvariant() switch
        {
            "germline" or "la6683-2" => "LA6683-2",
            "somatic" or "la6684-0" => "LA6684-0",
            "prenatal" or "la10429-1" => "LA10429-1",
            "likely germline" or "la18194-3" => "LA18194-3",
            "likely somatic" or "la18195-0" => "LA18195-0",
            _ => string.Empty,
        };
        reason = "not a genomic source class (germline, somatic, or its LOINC answer LA6683-2, LA6684-0, ...)";
        return code.Length > 0;
    }

    private static DateRange? DateRangeOf(IReadOnlyList<OperationRequestParser.RawValue> values, out OperationError? error)
    {
        error = null;
        DateRange? range = null;
        foreach (var value in values.Where(v => v.Name == "testDateRange"))
        {
            if (value.FhirType == "Period")
            {
                if (DateRange.TryFromPeriod(value.PeriodStart, value.PeriodEnd, out var period, out var why)) return period;
                error = OperationError.Invalid("testDateRange", $"{value.PeriodStart}/{value.PeriodEnd}", why);
                return null;
            }

            if (!DateRange.TryAddPrefixed(range, value.Text ?? string.Empty, out var narrowed, out var reason))
            {
                error = OperationError.Invalid("testDateRange", value.Text, reason);
                return null;
            }

            range = narrowed;
        }

        return range;
    }

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AndSeparator();
}
