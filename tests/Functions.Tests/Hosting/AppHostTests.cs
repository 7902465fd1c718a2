using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Invocation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PrecisionMed.Adapters;
using PrecisionMed.Api;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Functions.Tests.Metadata;
using PrecisionMed.Functions.Triggers;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.Hosting;

/// <summary>Builds the worker host with the app's assembly standing in as the entry assembly, which is process-wide.</summary>
[CollectionDefinition(nameof(AppHostTests), DisableParallelization = true)]
public sealed class AppHostCollection;

/// <summary>
/// The function app as the Functions host composes it: the real worker host from Program.cs's code path
/// (<see cref="AppHost.Configure"/>), every registration and scope checked by the container, every function class
/// constructed by the worker's own activator, and a missing or malformed setting stopping the host at start with the
/// setting's name.
/// </summary>
[Collection(nameof(AppHostTests))]
[Trait("Tier", "Stack")]
public sealed class AppHostTests(LocalStackFixture stack)
{
    [Fact]
    public async Task WorkerHost_LocalStackSettings_BuildsConstructsEveryFunctionAndStarts()
    {
        var ct = TestContext.Current.CancellationToken;
        using var host = WorkerHost.Build(WorkerHost.LocalStackSettings(stack.Stack));

        // The worker's code generated into the app ran (it is found through the entry assembly, as in Azure).
        Assert.Equal("DirectFunctionExecutor", host.Services.GetRequiredService<IFunctionExecutor>().GetType().Name);
        host.Services.GetRequiredService<IStartupValidator>().Validate();

        var functionClasses = WorkerHost.FunctionClasses();
        Assert.Contains(typeof(ReportQueuedFunction), functionClasses);
        Assert.Contains(typeof(LabFileArrivedFunction), functionClasses);
        var activator = host.Services.GetRequiredService<IFunctionActivator>();
        await using var scope = host.Services.CreateAsyncScope();
        foreach (var type in functionClasses.Where(t => !(t.IsAbstract && t.IsSealed)))
        {
            var context = new TestFunctionContext(scope.ServiceProvider, type.Name);
            Assert.IsType(type, activator.CreateInstance(type, context));
        }

        // The HTTP functions resolve their endpoint per call: every endpoint resolves, and its function in functions.metadata
        // has the name, route, methods and key the endpoint declares (and pmed serve maps).
        var endpoints = scope.ServiceProvider.GetServices<IApiEndpoint>().ToList();
        Assert.Equal(10, endpoints.Count);
        foreach (var endpoint in endpoints)
        {
            var trigger = FunctionsMetadataTests.TriggerOf(endpoint.Name);
            Assert.Equal(endpoint.Route, trigger["route"]!.GetValue<string>());
            Assert.Equal(endpoint.Methods.Select(m => m.ToLowerInvariant()), trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.Equal(endpoint.NeedsFunctionKey ? "Function" : "Anonymous", trigger["authLevel"]!.GetValue<string>(), ignoreCase: true);
        }

        // Every hosted service but the worker's gRPC link to the Functions host (WorkerHostedService), which is not here.
        var hosted = host.Services.GetServices<IHostedService>().Where(s => s.GetType().Name != "WorkerHostedService").ToList();
        Assert.NotEmpty(hosted);
        foreach (var service in hosted) await service.StartAsync(ct);
        try
        {
            // The container reaches the local stack: a status request answered from the ledger on cosmosdb-server.
            var context = new TestFunctionContext(scope.ServiceProvider, "FileStatusFunction");
            var response = (TestHttpResponse)await HttpApiFunctions.FileStatusAsync(new TestHttpRequest(context, "GET", new Uri("http://localhost/api/files/no-such-file")), "no-such-file");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            foreach (var service in hosted) await service.StopAsync(ct);
        }
    }

    [Fact]
    public async Task HttpFunctions_CosmosUnreachable_Answer503NamingCosmos()
    {
        var settings = WorkerHost.LocalStackSettings(stack.Stack);
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        settings["Cosmos:Endpoint"] = $"http://127.0.0.1:{((IPEndPoint)closed.LocalEndpoint).Port}/";
        closed.Stop(); // a port nothing listens on: connections are refused
        using var host = WorkerHost.Build(settings);
        await using var scope = host.Services.CreateAsyncScope();
        var ct = TestContext.Current.CancellationToken;

        // Knowledge:Store is the embedded seed here: the reinterpretation logs are read from Cosmos DB all the same.
        var list = new TestFunctionContext(scope.ServiceProvider, "FileListFunction", ct);
        var runs = new TestFunctionContext(scope.ServiceProvider, "ReinterpretationStatusFunction", ct);
        var responses = new[]
        {
            (TestHttpResponse)await HttpApiFunctions.FileListAsync(new TestHttpRequest(list, "GET", new Uri("http://localhost/api/files"))),
            (TestHttpResponse)await HttpApiFunctions.ReinterpretationStatusAsync(new TestHttpRequest(runs, "GET", new Uri("http://localhost/api/reinterpretations"))),
        };

        foreach (var response in responses)
        {
            var body = response.ReadBody();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, body);
            Assert.Equal("Cosmos DB", (string?)JsonNode.Parse(body)!["service"]);
            Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Cosmos:Endpoint", null)]
    [InlineData("Cosmos:Endpoint", "cosmos.example")]
    [InlineData("Cosmos:Database", "")]
    [InlineData("Fhir:BaseUrl", null)]
    [InlineData("Fhir:BaseUrl", "not a url")]
    [InlineData("Fhir:MaxRetries", "-1")]
    [InlineData("Fhir:MaxRetries", "many")]
    [InlineData("Fhir:BreakDuration", "00:00:00.100")]
    [InlineData("Fhir:BreakerMinimumThroughput", "1")]
    [InlineData("LabStorage", null)]
    [InlineData("LabStorage:WorkQueueName", "Lab_Reports")]
    [InlineData("Notifications:QueueName", "x")]
    [InlineData("Notifications:ServiceBusNamespace", "https://pmed-sb.servicebus.windows.net/")]
    [InlineData("Pipeline:MaxReplays", "-1")]
    [InlineData("Pipeline:UnitClaim", "00:00:00")]
    [InlineData("Limits:MaxFileBytes", "0")]
    [InlineData("Limits:MaxDecompressionRatio", "0.5")]
    [InlineData("Vcf:GenomeBuild", "GRCh99")]
    [InlineData("Vcf:GenomicSourceClass", "maternal")]
    [InlineData("Vcf:SampleSex", "sometimes")]
    [InlineData("Knowledge:Store", "Sql")]
    [InlineData("Knowledge:CacheEntries", "-5")]
    public async Task WorkerHost_SettingMissingOrMalformed_StopsAtStartNamingIt(string setting, string? value)
    {
        var settings = WorkerHost.LocalStackSettings(stack.Stack);
        settings[setting] = value;
        using var host = WorkerHost.Build(settings);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.True(failure is OptionsValidationException or InvalidOperationException, failure.ToString());
        Assert.Contains(setting, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(stack.Stack.CosmosKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerHost_SeveralSettingsWrong_NamesEachAtOnce()
    {
        var settings = WorkerHost.LocalStackSettings(stack.Stack);
        settings["Cosmos:Endpoint"] = null;
        settings["Fhir:BaseUrl"] = "fhir";
        settings["Pipeline:MaxReplays"] = "-1";
        using var host = WorkerHost.Build(settings);

        var failure = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        var message = string.Join(" ", failure.InnerExceptions.Select(e => e.Message));
        Assert.Contains("The app setting Cosmos:Endpoint is not set (environment variable Cosmos__Endpoint)", message, StringComparison.Ordinal);
        Assert.Contains("Fhir:BaseUrl must be an absolute http or https URL (environment variable Fhir__BaseUrl)", message, StringComparison.Ordinal);
        Assert.Contains("The field Pipeline:MaxReplays must be between 0 and 100 (environment variable Pipeline__MaxReplays)", message, StringComparison.Ordinal);
    }

    /// <summary>Every settings class of Core and the adapters (a <c>SectionName</c> or <c>ConnectionName</c>) is bound and checked at start.</summary>
    [Fact]
    public void WorkerHost_EverySettingsClass_HasItsStartCheck()
    {
        using var host = WorkerHost.Build(WorkerHost.LocalStackSettings(stack.Stack));
        var settingsClasses = new[] { typeof(PipelineOptions).Assembly, typeof(AppConnections).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal)
                        && (t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) ?? t.GetField("ConnectionName", BindingFlags.Public | BindingFlags.Static)) is not null)
            .ToList();

        Assert.True(settingsClasses.Count >= 8, string.Join(", ", settingsClasses.Select(t => t.Name)));
        foreach (var type in settingsClasses)
        {
            var validators = host.Services.GetServices(typeof(IValidateOptions<>).MakeGenericType(type));
            Assert.True(validators.Any(v => v!.GetType().Name.StartsWith("SettingsValidator", StringComparison.Ordinal)), $"{type.Name} is not bound and checked at start");
        }
    }
}
