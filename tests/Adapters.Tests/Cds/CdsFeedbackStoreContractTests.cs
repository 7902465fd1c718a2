using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Adapters.Tests.Knowledge;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Cds.Feedback;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Cds;

/// <summary>
/// CDS Hooks feedback on Cosmos DB (the emulator server, a database per test) and in memory alike: stored per service,
/// counted by service, card kind, outcome and reason; the same feedback sent twice counted once.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class CdsFeedbackStoreContractTests(LocalStackFixture stack)
{
    public static TheoryData<string> Stores => ["cosmos", "memory"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task FeedbackStoredAndCounted_Idempotently(string store)
    {
        var ct = TestContext.Current.CancellationToken;
        using var services = store == "cosmos" ? CosmosKnowledgeStoreContractTests.KnowledgeServices(stack, "pmed-cds-" + Guid.NewGuid().ToString("N")[..10]) : null;
        var feedback = services?.GetRequiredService<ICdsFeedbackStore>() ?? new InMemoryCdsFeedbackStore();
        Assert.Equal(store == "cosmos" ? "CosmosCdsFeedbackStore" : nameof(InMemoryCdsFeedbackStore), feedback.GetType().Name);
        var avoid = CdsCardIds.For(CdsCardKind.PgxAvoid, "a");
        var duplicate = CdsCardIds.For(CdsCardKind.DuplicateGeneticTest, "b");
        CdsFeedbackRecord[] records =
        [
            new("pgx-prescribing-order-sign", avoid, "pgx-avoid", "accepted", null, 1, DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
            new("pgx-prescribing-order-sign", avoid, "pgx-avoid", "overridden", "will-monitor", 0, DateTimeOffset.Parse("2026-12-06T10:01:00Z", System.Globalization.CultureInfo.InvariantCulture)),
            new("genetic-test-governance-order-sign", duplicate, "duplicate-genetic-test", "accepted", null, 1, DateTimeOffset.Parse("2026-12-06T10:02:00Z", System.Globalization.CultureInfo.InvariantCulture)),
        ];

        await feedback.AddAsync(records, ct);
        await feedback.AddAsync(records[..1], ct); // the EHR sends it again

        var counts = await feedback.CountAsync([.. CdsServiceCatalog.Services.Select(s => s.Id)], ct);
        Assert.Equal(
            [
                new CdsFeedbackCount("genetic-test-governance-order-sign", "duplicate-genetic-test", "accepted", null, 1),
                new CdsFeedbackCount("pgx-prescribing-order-sign", "pgx-avoid", "accepted", null, 1),
                new CdsFeedbackCount("pgx-prescribing-order-sign", "pgx-avoid", "overridden", "will-monitor", 1),
            ],
            counts);
    }
}
