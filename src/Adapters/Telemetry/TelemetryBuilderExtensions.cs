using System.Diagnostics;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace PrecisionMed.Adapters.Telemetry;

/// <summary>
/// What the function app exports with OpenTelemetry: the pipeline's traces and metrics (<c>PrecisionMed.*</c>) and
/// the outgoing HTTP calls (the FHIR service) under them. With <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> set (Azure)
/// the exporter is Azure Monitor, authenticated with the app's managed identity (local auth is off there); without
/// it (local runs) the console.
/// </summary>
public static class TelemetryBuilderExtensions
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Locally, <c>false</c> turns the console exporter off (tests that export in memory).</summary>
    public const string ConsoleSetting = "Telemetry:Console";

    /// <summary>Holds <c>ClientId=…;Authorization=AAD</c>: the identity the exporter authenticates as.</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static IOpenTelemetryBuilder AddPrecisionMedTelemetry(this IOpenTelemetryBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder
            .WithTracing(tracing => tracing
                .AddSource("PrecisionMed.*")
                .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = WithoutQuery))
            .WithMetrics(metrics => metrics
                .AddMeter("PrecisionMed.*")
                .AddHttpClientInstrumentation());

        var connectionString = configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (string.Equals(configuration[ConsoleSetting], "false", StringComparison.OrdinalIgnoreCase)) return builder;
            builder.WithTracing(tracing => tracing.AddConsoleExporter()).WithMetrics(metrics => metrics.AddConsoleExporter());
            return builder;
        }

        builder.UseAzureMonitorExporter(options =>
        {
            options.ConnectionString = connectionString;
            options.Credential = AzureCredentials.For(ClientIdOf(configuration[AuthenticationStringSetting]));
        });
        return builder;
    }

    /// <summary>
    /// The URL without its query: a FHIR search names what it looks for (<c>Patient?identifier=…</c>), and a
    /// patient identifier must not leave the FHIR service in a trace.
    /// </summary>
    private static void WithoutQuery(Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
            activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Path));
    }

    /// <summary>The ClientId of an Application Insights authentication string, or null (then the default credential).</summary>
    internal static string? ClientIdOf(string? authenticationString)
    {
        foreach (var part in (authenticationString ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part[..equals].Trim().Equals("ClientId", StringComparison.OrdinalIgnoreCase)) return part[(equals + 1)..].Trim();
        }

        return null;
    }
}
