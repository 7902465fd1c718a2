using System.Runtime.CompilerServices;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// RxNorm's release files (RRF, '|'-separated, no header; NLM's RxNorm technical documentation): <c>RXNCONSO.RRF</c>
/// (<c>RXCUI|LAT|TS|LUI|STT|SUI|ISPREF|RXAUI|SAUI|SCUI|SDUI|SAB|TTY|CODE|STR|SRL|SUPPRESS|CVF|</c>) names the concepts
/// and their term types, <c>RXNREL.RRF</c> (<c>RXCUI1|RXAUI1|STYPE1|REL|RXCUI2|RXAUI2|STYPE2|RELA|RUI|SRUI|SAB|SL|DIR|RG|SUPPRESS|CVF|</c>)
/// relates them. A row reads "RXCUI2 has RELA RXCUI1": <c>32968|…|has_ingredient|…</c> with RXCUI2 an SCDC says the
/// component has the ingredient 32968. Only RxNorm's own rows (<c>SAB=RXNORM</c>) are read.
/// <para>
/// Each drug concept becomes an <see cref="RxNormDrugDocument"/> with the ingredients it resolves to, along RxNorm's
/// structure: a clinical drug (SCD) through its components (<c>consists_of</c> SCDC, <c>has_ingredient</c> IN), else
/// its dose form group (<c>isa</c>), else its branded drugs; a branded drug (SBD) through the clinical drug it is the
/// tradename of, else its brand name (<c>has_ingredient</c> BN, <c>tradename_of</c> IN); packs through what they
/// contain; a multiple ingredient through its parts, a precise ingredient through its base. RxNorm states no
/// SCD → IN edge of its own. Both files are needed; other files of a release folder are not read.
/// </para>
/// </summary>
public sealed class RxNormReader : IKnowledgeSetReader
{
    public const string ConceptsFile = "RXNCONSO.RRF";
    public const string RelationsFile = "RXNREL.RRF";
    private const string Ingredient = "IN";

    /// <summary>Per term type, the relationships followed towards the ingredients, in groups tried in order.</summary>
    private static readonly Dictionary<string, string[][]> Paths = new(StringComparer.Ordinal)
    {
        ["PIN"] = [["form_of"]],
        ["MIN"] = [["has_part"]],
        ["SCDC"] = [["has_ingredient", "has_precise_ingredient", "has_ingredients"]],
        ["SCDF"] = [["has_ingredient", "has_precise_ingredient", "has_ingredients"]],
        ["SCDG"] = [["has_ingredient", "has_precise_ingredient", "has_ingredients"]],
        ["SCDFP"] = [["has_ingredient", "has_precise_ingredient", "has_ingredients"]],
        ["SCDGP"] = [["has_ingredient", "has_precise_ingredient", "has_ingredients"]],
        ["SCD"] = [["consists_of", "has_ingredients"], ["isa"], ["has_tradename"]],
        ["SBD"] = [["tradename_of"], ["consists_of"], ["has_ingredient"]],
        ["SBDC"] = [["tradename_of"], ["has_ingredient"]],
        ["SBDF"] = [["tradename_of"], ["has_ingredient"]],
        ["SBDG"] = [["tradename_of"], ["has_ingredient"]],
        ["SBDFP"] = [["tradename_of"], ["has_ingredient"]],
        ["BN"] = [["tradename_of"]],
        ["GPCK"] = [["contains"]],
        ["BPCK"] = [["contains"], ["tradename_of"]],
    };

    private static readonly HashSet<string> Followed = [.. Paths.Values.SelectMany(p => p).SelectMany(g => g)];

    /// <summary>Only the two files the table is made of: a release folder's other files (RXNSAT, 1 GB and more) are not opened.</summary>
    public bool Reads(string name) => FileName(name) is var file
        && (file.Equals(ConceptsFile, StringComparison.OrdinalIgnoreCase) || file.Equals(RelationsFile, StringComparison.OrdinalIgnoreCase));

    public async IAsyncEnumerable<KnowledgeDocument> ReadAsync(
        IAsyncEnumerable<KnowledgeSetEntry> files, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var concepts = new Dictionary<string, Concept>(StringComparer.Ordinal);
        var relations = new Dictionary<string, List<(string Rela, string Target)>>(StringComparer.Ordinal);
        bool sawConcepts = false, sawRelations = false;
        await foreach (var file in files.WithCancellation(cancellationToken))
        {
            var name = FileName(file.Name);
            if (name.Equals(ConceptsFile, StringComparison.OrdinalIgnoreCase))
            {
                sawConcepts = true;
                await ReadConceptsAsync(file, concepts, diagnostics, cancellationToken);
            }
            else if (name.Equals(RelationsFile, StringComparison.OrdinalIgnoreCase))
            {
                sawRelations = true;
                await ReadRelationsAsync(file, concepts, relations, diagnostics, cancellationToken);
            }
        }

        if (!sawConcepts || !sawRelations)
        {
            diagnostics.Add(0, sawConcepts ? RelationsFile : ConceptsFile, "not an RxNorm release: RXNCONSO.RRF and RXNREL.RRF are both needed (the release's rrf folder, or a zip of it)");
            yield break;
        }

        foreach (var (rxcui, concept) in concepts.OrderBy(c => c.Key.Length).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            if (concept.Tty == Ingredient) continue;
            var ingredients = Resolve(rxcui, concepts, relations, [], depth: 0);
            if (ingredients.Count == 0) continue;
            yield return new RxNormDrugDocument(rxcui, concept.Tty, concept.Name, [.. ingredients.Order(StringComparer.Ordinal).Select(i => new RxNormIngredient(i, concepts[i].Name))]);
        }
    }

    private static HashSet<string> Resolve(
        string rxcui, Dictionary<string, Concept> concepts, Dictionary<string, List<(string Rela, string Target)>> relations, HashSet<string> visiting, int depth)
    {
        if (!concepts.TryGetValue(rxcui, out var concept)) return [];
        if (concept.Tty == Ingredient) return [rxcui];
        if (depth > 6 || !Paths.TryGetValue(concept.Tty, out var groups) || !visiting.Add(rxcui)) return [];
        try
        {
            var edges = relations.GetValueOrDefault(rxcui) ?? [];
            foreach (var group in groups)
            {
                var found = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (rela, target) in edges)
                {
                    if (group.Contains(rela)) found.UnionWith(Resolve(target, concepts, relations, visiting, depth + 1));
                }

                if (found.Count > 0) return found;
            }

            return [];
        }
        finally
        {
            visiting.Remove(rxcui);
        }
    }

    private static async Task ReadConceptsAsync(KnowledgeSetEntry file, Dictionary<string, Concept> concepts, ImportDiagnostics diagnostics, CancellationToken cancellationToken)
    {
        var row = new TsvRow();
        await foreach (var (line, number) in SourceLines.ReadAsync(file.Content, cancellationToken))
        {
            if (line.Length == 0) continue;
            row.Reset(line, number, '|');
            if (row.Count < 17)
            {
                diagnostics.Add(file.Name, number, null, $"an RXNCONSO row has 18 fields, this one {row.Count}");
                continue;
            }

            if (!row.Span(11).SequenceEqual("RXNORM") || row.Value(12) is not { } tty || (tty != Ingredient && !Paths.ContainsKey(tty))) continue;
            if (row.Value(0) is not { } rxcui || row.Value(14) is not { } name)
            {
                diagnostics.Add(file.Name, number, "RXCUI", "the row has no RXCUI or STR");
                continue;
            }

            // A concept's current name: an obsolete or suppressed atom (SUPPRESS O, Y) only when it has no other.
            var current = row.Span(16) is "N" or "E" or "";
            if (!concepts.TryGetValue(rxcui, out var known)) concepts[rxcui] = new Concept(rxcui, tty, name, current);
            else if (current && !known.Current) concepts[rxcui] = new Concept(known.RxCui, tty, name, current);
        }
    }

    private static async Task ReadRelationsAsync(
        KnowledgeSetEntry file,
        Dictionary<string, Concept> concepts,
        Dictionary<string, List<(string Rela, string Target)>> relations,
        ImportDiagnostics diagnostics,
        CancellationToken cancellationToken)
    {
        var row = new TsvRow();
        await foreach (var (line, number) in SourceLines.ReadAsync(file.Content, cancellationToken))
        {
            if (line.Length == 0) continue;
            row.Reset(line, number, '|');
            if (row.Count < 15)
            {
                diagnostics.Add(file.Name, number, null, $"an RXNREL row has 16 fields, this one {row.Count}");
                continue;
            }

            if (!row.Span(10).SequenceEqual("RXNORM") || row.Value(7) is not { } read || !Followed.TryGetValue(read, out var rela)) continue;

            // "RXCUI2 has RELA RXCUI1": the subject is the second concept. Atom-level rows name no concepts; relations of
            // concepts that are not drugs (dose forms) lead nowhere. Strings are the concepts' own, so a full release's
            // millions of rows hold no copies.
            if (row.Value(4) is not { } second || !concepts.TryGetValue(second, out var subject)
                || row.Value(0) is not { } first || !concepts.TryGetValue(first, out var target)) continue;
            if (!relations.TryGetValue(subject.RxCui, out var edges)) relations[subject.RxCui] = edges = [];
            edges.Add((rela, target.RxCui));
        }
    }

    private static string FileName(string name) => name[(name.LastIndexOf('/') + 1)..];

    private sealed record Concept(string RxCui, string Tty, string Name, bool Current);
}
