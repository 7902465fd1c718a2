using System.Reflection;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.Hosting;

/// <summary>
/// The real isolated-worker host, built as the Functions host starts the app: <c>FunctionsApplication.CreateBuilder</c>
/// then <see cref="AppHost.Configure"/>, the code path of Program.cs. It is built, never run: running connects to the
/// Functions host over gRPC, which is not here.
/// </summary>
internal static class WorkerHost
{
    private static readonly Lock EntryAssemblyLock = new();

    /// <summary>The function app's settings for the local stack, each test with a database and queue of its own.</summary>
    public static Dictionary<string, string?> LocalStackSettings(LocalStack stack)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return new Dictionary<string, string?>
        {
            ["LabStorage"] = stack.AzuriteConnectionString,
            ["LabStorage:WorkQueueName"] = "lab-reports-" + suffix,
            ["LabStorage:CreateIfMissing"] = "true",
            ["Notifications:QueueName"] = "genomic-results-" + suffix,
            ["Cosmos:Endpoint"] = stack.CosmosEndpoint.ToString(),
            ["Cosmos:EmulatorKey"] = stack.CosmosKey,
            ["Cosmos:Database"] = "precisionmed-" + suffix,
            ["Cosmos:CreateIfMissing"] = "true",
            ["Fhir:BaseUrl"] = stack.FhirBaseUrl.ToString(),
            ["Telemetry:Console"] = "false",
        };
    }

    /// <summary>
    /// Builds the worker host with <paramref name="settings"/> as app settings, the container checking every registration
    /// and scope. The worker's startup code generated into the app (its function executor and metadata provider, the
    /// extensions' startup) is found through the entry assembly, so the app's assembly stands in as the entry assembly
    /// while the builder is made, as it is when the Functions host starts the app.
    /// </summary>
    public static IHost Build(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = CreateBuilder(settings);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        return builder.Build();
    }

    /// <summary>The worker host's builder, composed by <see cref="AppHost.Configure"/> with <paramref name="settings"/>, not yet built.</summary>
    public static FunctionsApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> settings)
    {
        FunctionsApplicationBuilder builder;
        lock (EntryAssemblyLock)
        {
            var entry = Assembly.GetEntryAssembly();
            Assembly.SetEntryAssembly(typeof(AppHost).Assembly);
            try
            {
                builder = FunctionsApplication.CreateBuilder([]);
            }
            finally
            {
                Assembly.SetEntryAssembly(entry);
            }
        }

        // The host passes these on the worker's command line; the worker connects to them only when run.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Functions:Worker:HostEndpoint"] = $"http://127.0.0.1:{LoopbackPorts.Closed}/",
            ["Functions:Worker:WorkerId"] = Guid.NewGuid().ToString(),
            ["Functions:Worker:RequestId"] = Guid.NewGuid().ToString(),
            ["Functions:Worker:GrpcMaxMessageLength"] = "2147483647",
        });
        builder.Configuration.AddInMemoryCollection(settings);

        AppHost.Configure(builder);
        return builder;
    }

    /// <summary>Every function class of the app: the types with a method carrying [Function].</summary>
    public static IReadOnlyList<Type> FunctionClasses() =>
        typeof(AppHost).Assembly.GetTypes()
            .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Any(m => m.GetCustomAttribute<Microsoft.Azure.Functions.Worker.FunctionAttribute>() is not null))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
}
