using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrecisionMed.Adapters;
using PrecisionMed.Cli;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Functions.Tests.Hosting;

/// <summary>
/// One composition (<see cref="PrecisionMedServiceCollectionExtensions.AddPrecisionMed(IServiceCollection, IConfiguration, AppConnections)"/>)
/// for every host: every settings class bound and checked at start, the function app, the CLI and the tests' host
/// registering the same pipeline services, and a bad setting stopping each at start with its name. Nothing is reached.
/// </summary>
[Collection(nameof(AppHostTests))]
[Trait("Tier", "Fast")]
public sealed class CompositionTests
{
    private const string BadSetting = "Limits:MaxJsonDepth";
    private const string BadSettingMessage = "Limits:MaxJsonDepth must be at least 1 (environment variable Limits__MaxJsonDepth).";

    /// <summary>Settings naming every service, none of which is reached (nothing here connects).</summary>
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["LabStorage"] = "UseDevelopmentStorage=true",
        ["Cosmos:Endpoint"] = "https://127.0.0.1:8081/",
        ["Cosmos:EmulatorKey"] = Convert.ToBase64String(new byte[64]),
        ["Fhir:BaseUrl"] = "http://127.0.0.1:8080/",
        ["Telemetry:Console"] = "false",
    };

    [Fact]
    public void AddPrecisionMed_EverySettingsClass_BoundToItsSectionAndValidatedOnStart()
    {
        var options = OptionsClasses();
        Assert.Contains(typeof(PipelineOptions), options);
        Assert.Contains(typeof(LimitsOptions), options);
        var collection = new ServiceCollection().AddPrecisionMed(new ConfigurationBuilder().Build(), AppConnections.None);
        var checkedOnStart = new List<Type>();
        foreach (var type in options)
        {
            // BindConfiguration registers a change token source of the configuration for the class.
            Assert.Contains(collection, d => d.ServiceType == typeof(IOptionsChangeTokenSource<>).MakeGenericType(type));
            collection.AddSingleton(typeof(IValidateOptions<>).MakeGenericType(type), Activator.CreateInstance(typeof(Recorder<>).MakeGenericType(type), checkedOnStart)!);
        }

        using var services = collection.BuildServiceProvider();
        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(options.Select(t => t.Name).Order(), checkedOnStart.Select(t => t.Name).Distinct().Order());
    }

    [Fact]
    public void FunctionAppCliAndTestHost_RegisterTheSamePipelineServices()
    {
        var functions = WorkerHost.CreateBuilder(Settings).Services;
        IServiceCollection? cli = null;
        using (AppServices.Build(Settings, AppConnections.All, services => cli = services))
        {
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var testHost = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddPrecisionMed(configuration);

        var pipeline = new ServiceCollection().AddPrecisionMedPipeline().Select(d => d.ServiceType).Distinct().ToList();
        Assert.Contains(typeof(IReportFormat), pipeline);
        foreach (var service in pipeline)
        {
            var expected = Registered(testHost, service);
            Assert.Equal(expected, Registered(functions, service));
            Assert.Equal(expected, Registered(cli!, service));
        }
    }

    [Fact]
    public void FunctionAppCliAndTestHost_BadSetting_StopAtStartNamingIt()
    {
        var settings = new Dictionary<string, string?>(Settings) { [BadSetting] = "0" };

        using (var host = WorkerHost.Build(settings))
            Assert.Contains(BadSettingMessage, StartFailure(host.Services), StringComparison.Ordinal);
        using (var cli = AppServices.Build(settings, AppConnections.All))
            Assert.Contains(BadSettingMessage, AppServices.SettingsProblem(cli), StringComparison.Ordinal);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var testHost = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddPrecisionMed(configuration).BuildServiceProvider();
        Assert.Contains(BadSettingMessage, StartFailure(testHost), StringComparison.Ordinal);
    }

    /// <summary>The public settings classes of Core and the adapters: named *Options, with the section they bind to.</summary>
    private static List<Type> OptionsClasses() =>
        [.. new[] { typeof(PipelineOptions).Assembly, typeof(AppConnections).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsClass && t.Name.EndsWith("Options", StringComparison.Ordinal)
                && (t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is not null
                    || t.GetField("ConnectionName", BindingFlags.Public | BindingFlags.Static) is not null))];

    /// <summary>What is registered for a service, in order: implementation types, instance types, or "factory".</summary>
    private static List<string> Registered(IServiceCollection services, Type service) =>
        [.. services.Where(d => d.ServiceType == service)
            .Select(d => d.ImplementationType?.FullName ?? d.ImplementationInstance?.GetType().FullName ?? "factory")];

    private static string StartFailure(IServiceProvider services)
    {
        var failure = Assert.ThrowsAny<Exception>(services.GetRequiredService<IStartupValidator>().Validate);
        return failure is AggregateException all ? string.Join(" ", all.InnerExceptions.Select(e => e.Message)) : failure.Message;
    }

    private sealed class Recorder<T>(List<Type> checkedOnStart) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            lock (checkedOnStart) checkedOnStart.Add(typeof(T));
            return ValidateOptionsResult.Skip;
        }
    }
}
