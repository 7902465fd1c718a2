namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// What a CPIC alert sheet's file name says: the workbook's drug (<c>Celecoxib_Pre_and_Post_Test_Alerts…</c>; the
/// carbamazepine workbook's sheets end <c>_CBZ_</c> or <c>_OXC_</c>) and a population when the sheet is one
/// (<c>…Alerts__population_H.pylori_erosive_eso</c>, <c>…Alerts__non-H.pylori_erosive_eso</c>). Workbooks covering
/// a class (thiopurines, fluoropyrimidines) name no one drug: their alert columns do. The flow-chart and change-log
/// sheets of a workbook hold no alert rows.
/// </summary>
internal sealed record AlertSheet(string? Drug, string? Population, bool IsFlowChartOrLog)
{
    private static readonly string[] Classes = ["thiopurines", "fluoropyrimidines", "nsaid", "ssri", "tca", "ppi"];

    public static AlertSheet For(string file)
    {
        var stem = file.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? file[..^4] : file;
        var pre = stem.IndexOf("_Pre", StringComparison.OrdinalIgnoreCase);
        var workbook = pre > 0 ? stem[..pre] : null;
        var split = stem.LastIndexOf("__", StringComparison.Ordinal);
        var sheet = split > 0 ? stem[(split + 2)..] : string.Empty;

        string? drug = workbook switch
        {
            null => null,
            "CBZ_OXC" => sheet.EndsWith("OXC_", StringComparison.Ordinal) ? "oxcarbazepine" : "carbamazepine",
            var w when Classes.Contains(w.ToLowerInvariant()) => null,
            var w => w,
        };

        string? population = sheet.StartsWith("population_", StringComparison.OrdinalIgnoreCase) ? sheet["population_".Length..]
            : sheet.Contains("pylori", StringComparison.OrdinalIgnoreCase) ? sheet
            : null;
        population = population?.Replace('_', ' ').Trim();
        var other = sheet.Contains("Flow", StringComparison.OrdinalIgnoreCase) || sheet.Contains("Change_log", StringComparison.OrdinalIgnoreCase);
        return new AlertSheet(drug, population is { Length: > 0 } and not "general" ? population : null, other);
    }

    /// <summary>
    /// What an alert column is for, from what follows "CDS Alert Text": <c>a (5-fluorouracil)</c> → 5-fluorouracil,
    /// <c> (Mercaptopurine)b,c</c> → Mercaptopurine, <c> pediatrics</c> → pediatrics, a footnote letter alone → null.
    /// </summary>
    public static string? Qualifier(string rest)
    {
        var open = rest.IndexOf('(', StringComparison.Ordinal);
        var close = open >= 0 ? rest.IndexOf(')', open) : -1;
        if (open >= 0 && close > open) return rest[(open + 1)..close].Trim() is { Length: > 0 } inner ? inner : null;
        var text = rest.Trim();
        return text.Length <= 3 && text.All(c => char.IsAsciiLetterLower(c) || c == ',') ? null : text;
    }

    public static bool IsPopulation(string qualifier) =>
        qualifier.Contains("adult", StringComparison.OrdinalIgnoreCase) || qualifier.Contains("pediatric", StringComparison.OrdinalIgnoreCase);

    /// <summary>A drug as CPIC's guidelines name it: lower case, <c>5-fluorouracil</c> as fluorouracil.</summary>
    public static string DrugName(string drug)
    {
        var name = drug.Trim().ToLowerInvariant();
        return name == "5-fluorouracil" ? "fluorouracil" : name;
    }
}
