using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Core.Tests.Fakes;

/// <summary>
/// Records each transaction bundle it is given, or throws what it was told to; keeps the last PUT of each
/// resource so that reads return it, as a FHIR server would.
/// </summary>
internal sealed class RecordingFhirWriter : IFhirWriter
{
    private readonly List<JsonObject> _written = [];
    // As UTF-8 JSON rather than node trees: tens of thousands of kept resources (fuzzing) cost the GC nothing to mark.
    private readonly Dictionary<string, byte[]> _resources = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _patients = [];

    /// <summary>The Patients the server holds: the EMR's (<see cref="AddPatient"/>) and those conditionally created.</summary>
    public IReadOnlyList<JsonObject> Patients => _patients;

    /// <summary>Puts a Patient on the server, as the EMR would have registered it.</summary>
    public void AddPatient(JsonObject patient) => _patients.Add((JsonObject)patient.DeepClone());

    public IReadOnlyList<JsonObject> Written => _written;

    /// <summary>False keeps only the resources (for reads), not every bundle: fuzzing writes tens of thousands.</summary>
    public bool KeepsWritten { get; set; } = true;

    /// <summary>When set, every write throws it (e.g. <see cref="FhirTransientException"/> or <see cref="FhirRejectedException"/>).</summary>
    public Exception? FailWith { get; set; }

    /// <summary>
    /// When set, called with each transaction before it is applied; what it returns is thrown instead (e.g. a 412 after it
    /// added a Patient, as a concurrent report's conditional create would have). Null applies the transaction.
    /// </summary>
    public Func<JsonObject, Exception?>? BeforeWrite { get; set; }

    public Task<FhirWriteResult> WriteTransactionAsync(ReadOnlyMemory<byte> bundle, CancellationToken cancellationToken) =>
        WriteTransactionAsync(JsonNode.Parse(bundle.Span)!.AsObject(), cancellationToken);

    private Task<FhirWriteResult> WriteTransactionAsync(JsonObject bundle, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (FailWith is { } failure) throw failure;
        if (BeforeWrite?.Invoke(bundle) is { } refusal) throw refusal;

        if (KeepsWritten) _written.Add((JsonObject)bundle.DeepClone());
        foreach (var entry in bundle["entry"]!.AsArray())
        {
            if (entry!["request"]!["method"]!.GetValue<string>() == "PUT")
                _resources[entry["request"]!["url"]!.GetValue<string>()] = JsonSerializer.SerializeToUtf8Bytes(entry["resource"]);
            else if (entry["resource"] is JsonObject { } patient && (string?)patient["resourceType"] == "Patient"
                     && FindPatients(patient).Count == 0)
                _patients.Add((JsonObject)patient.DeepClone()); // a conditional create: only when no Patient has the identifier
        }

        // As a server answers: a conditional create (POST) gets an id of the server's own.
        var locations = bundle["entry"]!.AsArray()
            .Select(e => e!["request"]!["url"]!.GetValue<string>()
                         + (e["request"]!["method"]!.GetValue<string>() == "POST" ? "/server-assigned-1" : string.Empty) + "/_history/1")
            .ToList();
        return Task.FromResult(new FhirWriteResult(locations));
    }

    /// <summary>Drops the resources whose reference starts with <paramref name="prefix"/> (e.g. <c>Task/</c>), as if never written.</summary>
    public int Forget(string prefix) => _resources.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList().Count(_resources.Remove);

    public Task<JsonObject?> ReadAsync(string reference, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (FailWith is { } failure) throw failure;
        return Task.FromResult(_resources.TryGetValue(reference, out var resource) ? JsonNode.Parse(resource)!.AsObject() : null);
    }

    public Task<IReadOnlyList<JsonObject>> FindPatientsAsync(string system, string value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (FailWith is { } failure) throw failure;
        IReadOnlyList<JsonObject> found = [.. _patients.Where(p => HasIdentifier(p, system, value)).Select(p => (JsonObject)p.DeepClone())];
        return Task.FromResult(found);
    }

    private List<JsonObject> FindPatients(JsonObject patient) =>
        [.. (patient["identifier"] as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(i => _patients.Where(p => HasIdentifier(p, (string?)i["system"] ?? string.Empty, (string?)i["value"] ?? string.Empty)))];

    private static bool HasIdentifier(JsonObject patient, string system, string value) =>
        (patient["identifier"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(i => (string?)i["system"] == system && (string?)i["value"] == value);
}
