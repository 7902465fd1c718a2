using System.Text.Json;
using PrecisionMed.Adapters;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>
/// What an exception that escaped a command means to the person who typed it: one line naming what failed (the
/// service, its URL without query, the HTTP status or the network error) and the exit code. Messages carry ids,
/// statuses and URLs only, never file content. What counts as a service's failure is
/// <see cref="ServiceFailure"/>'s reading, the same the app's HTTP hosts answer 503 by.
/// </summary>
internal sealed record CommandFailure(int ExitCode, string Message)
{
    public static CommandFailure Of(Exception exception, IReadOnlyList<ServiceEndpoint> endpoints)
    {
        if (ServiceFailure.Of(exception) is { } failure)
        {
            var endpoint = EndpointOf(failure, exception, endpoints);
            var where = endpoint is null ? failure.Service ?? "a service" : $"{endpoint.Service} at {endpoint.SafeUrl}";
            // A person at a shell signs in with the Azure CLI; the app's hosts answer without this hint.
            var hint = failure.Problem == ServiceFailure.SignInFailed ? " (sign in with `az login`; for a local emulator give its key)" : string.Empty;
            return new(ExitCodes.ServiceFailed, $"{where}: {failure.Problem}{hint}");
        }

        return exception switch
        {
            JsonException json => new(ExitCodes.Rejected, $"not valid JSON at {JsonErrors.Position(json)}: {JsonErrors.Reason(json)}"),
            FormatException or InvalidDataException or UnauthorizedAccessException => new(ExitCodes.Rejected, exception.Message),
            IOException io when !IsAssemblyLoad(io) => new(ExitCodes.Rejected, io.Message),
            _ => new(ExitCodes.Unexpected, $"unexpected {exception.GetType().Name}: {exception.Message} (--verbose shows where)"),
        };
    }

    /// <summary>
    /// The endpoint <paramref name="failure"/> is about: by the service that threw, else by the host and port in the
    /// messages, else the only one; null when none can be told.
    /// </summary>
    public static ServiceEndpoint? EndpointOf(ServiceFailure failure, Exception exception, IReadOnlyList<ServiceEndpoint> endpoints)
    {
        var byService = failure.Service is { } service ? endpoints.Where(e => e.Service == service).ToList() : [.. endpoints];
        if (byService.Count == 1) return byService[0];
        var candidates = byService.Count > 0 ? byService : [.. endpoints];
        var text = string.Join(' ', ServiceFailure.Chain(exception).Select(e => e.Message));
        return candidates.FirstOrDefault(e => text.Contains($"{e.Url.Host}:{e.Url.Port}", StringComparison.OrdinalIgnoreCase))
               ?? (candidates.Count == 1 ? candidates[0] : null);
    }

    /// <summary>A missing or broken assembly of pmed itself (an installation problem), not a file the user named.</summary>
    private static bool IsAssemblyLoad(IOException exception) =>
        exception is FileLoadException || (exception is FileNotFoundException && exception.Message.StartsWith("Could not load file or assembly", StringComparison.Ordinal));
}
