using System.Text.Json;
using PrecisionMed.Core.Knowledge;

namespace PrecisionMed.Core.Tests.Knowledge;

/// <summary>
/// The seed the process reads (<see cref="EmbeddedKnowledgeSeed.Instance"/>, diplotypes kept as rows) answers every id
/// with the document the plain import makes, field for field; the seed records no knowledge diff (it has no earlier release).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class EmbeddedSeedTests
{
    [Fact]
    public async Task Instance_EveryDocumentOfThePlainLoad_ReadBackTheSame()
    {
        var ct = TestContext.Current.CancellationToken;
        var plain = await EmbeddedKnowledgeSeed.LoadAsync(ct);

        var differing = new List<string>();
        var diplotypes = 0;
        foreach (var expected in plain.Documents)
        {
            var actual = await EmbeddedKnowledgeSeed.Instance.ReadAsync(expected.Id, ct);
            if (expected is DiplotypePhenotypeDocument) diplotypes++;
            if (actual is null || actual.GetType() != expected.GetType()
                || JsonSerializer.Serialize(actual, actual.GetType(), KnowledgeJson.Options) != JsonSerializer.Serialize(expected, expected.GetType(), KnowledgeJson.Options))
                differing.Add(expected.Id);
        }

        Assert.True(differing.Count == 0, $"{differing.Count} differ, e.g. {string.Join(", ", differing.Take(5))}");
        Assert.True(diplotypes > 40_000, $"{diplotypes} diplotypes");
        Assert.Null(await EmbeddedKnowledgeSeed.Instance.ReadAsync("pgx-diplotype:CYP2C19:*999|*998", ct));
    }

    [Fact]
    public async Task Load_RecordsNoDiff()
    {
        var plain = await EmbeddedKnowledgeSeed.LoadAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(plain.Documents, d => d.Id.StartsWith("diff", StringComparison.Ordinal) || d.Id.StartsWith("inventory", StringComparison.Ordinal));
    }
}
