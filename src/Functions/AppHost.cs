using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrecisionMed.Adapters;
using PrecisionMed.Adapters.Telemetry;
using PrecisionMed.Api;

namespace PrecisionMed.Functions;

/// <summary>
/// The function app's composition, the one code path from <c>Program.cs</c>: the pipeline with every setting bound and
/// checked at start, the HTTP endpoints (which <c>pmed serve</c> hosts too), and OpenTelemetry. Tests build the worker host through it too, with the container checking every
/// registration and scope (<c>ValidateOnBuild</c>, <c>ValidateScopes</c>), which the app leaves at the host's defaults.
/// </summary>
public static class AppHost
{
    public static void Configure(IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddPrecisionMed();
        builder.Services.AddPrecisionMedApi();
        builder.Services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .AddPrecisionMedTelemetry(builder.Configuration);
    }
}
