using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Knowledge;

/// <summary>The contract on Cosmos DB (the emulator server from the local stack), one database per test.</summary>
[Trait("Tier", "Stack")]
public sealed class CosmosKnowledgeStoreContractTests(LocalStackFixture stack) : KnowledgeStoreContract
{
    protected override Task<(IKnowledgeStore Store, IKnowledgeWriter Writer)> CreateAsync(CancellationToken cancellationToken)
    {
        var services = KnowledgeServices(stack, "precisionmed-knowledge-" + Guid.NewGuid().ToString("N")[..12]);
        return Task.FromResult((services.GetRequiredService<IKnowledgeStore>(), services.GetRequiredService<IKnowledgeWriter>()));
    }

    /// <summary>The pipeline's services with Cosmos chosen by configuration, as the function app gets them.</summary>
    internal static ServiceProvider KnowledgeServices(LocalStackFixture stack, string database)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cosmos:Endpoint"] = stack.Stack.CosmosEndpoint.ToString(),
            ["Cosmos:EmulatorKey"] = stack.Stack.CosmosKey,
            ["Cosmos:Database"] = database,
            ["Cosmos:CreateIfMissing"] = "true",
            ["Knowledge:Store"] = "Cosmos",
            ["Knowledge:CacheEntries"] = "1234",
            ["LabStorage"] = "UseDevelopmentStorage=true",
            ["Fhir:BaseUrl"] = "http://127.0.0.1:1/",
        }).Build();
        return new ServiceCollection().AddPrecisionMed(configuration, AppConnections.None).BuildServiceProvider();
    }

    [Fact]
    public void Configuration_CosmosStore_ReplacesTheEmbeddedSeed()
    {
        using var services = KnowledgeServices(stack, "unused");
        Assert.Equal("CosmosKnowledgeStore", services.GetRequiredService<IKnowledgeStore>().GetType().Name);
        Assert.Same(services.GetRequiredService<IKnowledgeStore>(), services.GetRequiredService<IKnowledgeWriter>());
        Assert.Equal(1234, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<KnowledgeOptions>>().Value.CacheEntries);
    }

    [Fact]
    public void Configuration_Default_IsTheEmbeddedSeed()
    {
        using var services = new ServiceCollection().AddPrecisionMedPipeline().BuildServiceProvider();
        Assert.IsType<EmbeddedKnowledgeSeed>(services.GetRequiredService<IKnowledgeStore>());
    }
}
