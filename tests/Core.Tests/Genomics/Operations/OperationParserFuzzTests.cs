using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Operations;

namespace PrecisionMed.Core.Tests.Genomics.Operations;

/// <summary>Fixed-seed fuzz of the value forms and the request parsers: hostile text is refused with a reason, never thrown on.</summary>
[Trait("Tier", "Fast")]
public sealed class OperationParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        "NC_000001.10:11796321:G:A", "NC_000005.9:g.112102032A>T", "NC_000005.9:g.100_102delinsAT", "NM_000038.6:c.55G>T",
        "NC_000019.9:11200138-11244496", "HGNC:1100", "http://www.genenames.org|HGNC:1100", "CYP2C19 *1/*17", "HLA-B*27",
        "http://snomed.info/sct|405501007", "ge2020-01-01", "A*1 and B*8", "Patient/123",
    ];

    private const string Alphabet = "NC_0123456789.:|*/-+ >gcdelinsupACGTandHLAge#\u00e9\0";

    [Fact]
    public void Parsers_MutatedInputs_NeverThrow()
    {
        var random = new Random(20261206);
        var operations = OperationDefinitions.All.Keys.ToArray();
        for (var i = 0; i < 5000; i++)
        {
            var text = Mutate(random, Seeds[random.Next(Seeds.Length)]);
            Assert.True(GenomicVariant.TryParse(text, out _, out var reason) || reason.Length > 0);
            Assert.True(GenomicRange.TryParse(text, out _, out reason) || reason.Length > 0);
            Assert.True(GeneQuery.TryParse(text, out _, out reason) || reason.Length > 0);
            Assert.True(HaplotypeQuery.TryParse(text, out _, out reason) || reason.Length > 0);
            Assert.True(CodeQuery.TryParse(text, out _, out reason) || reason.Length > 0);
            Assert.True(DateRange.TryAddPrefixed(null, text, out _, out reason) || reason.Length > 0);
            var operation = operations[random.Next(operations.Length)];
            var name = OperationDefinitions.All[operation].Inputs.ElementAt(random.Next(OperationDefinitions.All[operation].Inputs.Count())).Name;
            var parse = OperationRequestParser.FromQuery(operation, [new(name, text), new("subject", "Patient/1")]);
            Assert.True(parse.Request is not null ^ parse.Error is not null);
            var body = new JsonObject { ["resourceType"] = "Parameters", ["parameter"] = new JsonArray(new JsonObject { ["name"] = name, ["valueString"] = text }) };
            parse = OperationRequestParser.FromParameters(operation, body);
            Assert.True(parse.Request is not null ^ parse.Error is not null);
        }
    }

    private static string Mutate(Random random, string seed)
    {
        var chars = seed.ToList();
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = random.Next(chars.Count + 1);
            switch (random.Next(3))
            {
                case 0 when chars.Count > 0 && at < chars.Count: chars.RemoveAt(at); break;
                case 1: chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                default: if (at < chars.Count) chars[at] = Alphabet[random.Next(Alphabet.Length)]; break;
            }
        }

        return new string([.. chars]);
    }
}
