using System.CommandLine;
using System.CommandLine.Parsing;
using PrecisionMed.Adapters;
using PrecisionMed.Cli.Review;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>A service a command talks to and its URL, so that a failure to reach it names both.</summary>
internal sealed record ServiceEndpoint(string Service, Uri Url)
{
    public const string Fhir = ServiceFailure.Fhir;
    public const string Cosmos = ServiceFailure.Cosmos;
    public const string Storage = ServiceFailure.Storage;
    public const string NpmRegistry = "npm registry";

    /// <summary>The URL as it may be shown: scheme, host, port and path; never a query (a SAS) or user info.</summary>
    public string SafeUrl => Url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    /// <summary>
    /// The services of the parsed command: its URL options, <c>--storage</c> (or <c>$PMED_STORAGE</c>), and for
    /// <c>pmed review</c> the function app's settings in the environment.
    /// </summary>
    public static List<ServiceEndpoint> Of(ParseResult parse)
    {
        var endpoints = new List<ServiceEndpoint>();
        foreach (var option in parse.CommandResult.Children.OfType<OptionResult>())
        {
            if (option.Option is UrlOption url && parse.GetValue(url) is { } value) endpoints.Add(new(url.Service, value));
            if (option.Option.Name == "--storage") AddStorage(endpoints, parse.GetValue((Option<string?>)option.Option));
        }

        if (parse.CommandResult.Command.Options.Any(o => o.Name == "--storage") && !endpoints.Any(e => e.Service == Storage))
            AddStorage(endpoints, Environment.GetEnvironmentVariable("PMED_STORAGE"));

        if (parse.CommandResult.Parent is CommandResult { Command.Name: ReviewCommand.Name })
        {
            var settings = ReviewRunner.SettingsFromEnvironment();
            AddUrl(endpoints, Cosmos, settings.GetValueOrDefault("Cosmos:Endpoint"));
            AddUrl(endpoints, Fhir, settings.GetValueOrDefault("Fhir:BaseUrl"));
            AddUrl(endpoints, Storage, settings.GetValueOrDefault("LabStorage:blobServiceUri"));
            AddUrl(endpoints, Storage, settings.GetValueOrDefault("LabStorage:queueServiceUri"));
            AddStorage(endpoints, settings.GetValueOrDefault("LabStorage"));
        }

        return endpoints;
    }

    private static void AddStorage(List<ServiceEndpoint> endpoints, string? storage)
    {
        if (string.IsNullOrWhiteSpace(storage)) return;
        if (Uri.TryCreate(storage, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            endpoints.Add(new(Storage, url));
            return;
        }

        // A connection string: its endpoints only (never the account key).
        foreach (var part in storage.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part[..equals].EndsWith("Endpoint", StringComparison.OrdinalIgnoreCase)) AddUrl(endpoints, Storage, part[(equals + 1)..]);
        }
    }

    private static void AddUrl(List<ServiceEndpoint> endpoints, string service, string? value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https") endpoints.Add(new(service, url));
    }
}
