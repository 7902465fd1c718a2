using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Cds;

/// <summary>The EHR's token for its FHIR server (CDS Hooks <c>fhirAuthorization</c>): used for that server only, never logged.</summary>
public sealed record CdsFhirAuthorization(string AccessToken, string TokenType, string? Scope, string? Subject);

/// <summary>
/// A CDS Hooks 2.0 call, read from the body: <c>hook</c>, <c>hookInstance</c>, <c>fhirServer</c>,
/// <c>fhirAuthorization</c>, the hook's <c>context</c> (order-select and order-sign: <c>userId</c>, <c>patientId</c>,
/// <c>encounterId</c>, <c>draftOrders</c> as a Bundle, order-select's <c>selections</c>) and <c>prefetch</c>.
/// </summary>
public sealed record CdsHookRequest(
    string Hook,
    string HookInstance,
    Uri? FhirServer,
    CdsFhirAuthorization? FhirAuthorization,
    string PatientId,
    string? EncounterId,
    string? UserId,
    DraftOrders Orders,
    JsonObject Prefetch)
{
    /// <summary>The request, or the reason it is not one (400), naming the field.</summary>
    public static (CdsHookRequest? Request, string? Error) Parse(ReadOnlySpan<byte> body, CdsServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (StrictJson.ParseObject(body, out var problem) is not { } root) return Fail($"the body must be a JSON object (a CDS Hooks request); this one {problem}");
        var hook = Text(root["hook"]);
        if (hook is null) return Fail("hook is required");
        if (hook != service.Hook) return Fail($"service {service.Id} answers the {service.Hook} hook, not the one this call names");
        if (Text(root["hookInstance"]) is not { } instance) return Fail("hookInstance is required");
        Uri? fhirServer = null;
        if (root["fhirServer"] is { } server && (Text(server) is not { } serverText || !Uri.TryCreate(serverText, UriKind.Absolute, out fhirServer) || fhirServer.Scheme is not ("https" or "http")))
            return Fail("fhirServer must be an absolute http(s) URL");
        CdsFhirAuthorization? authorization = null;
        string? tokenPatient = null;
        if (root["fhirAuthorization"] is { } auth)
        {
            if (auth is not JsonObject a || Text(a["access_token"]) is not { } token || Text(a["token_type"]) is not { } type)
                return Fail("fhirAuthorization needs access_token and token_type");
            if (!type.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) return Fail("fhirAuthorization.token_type must be Bearer");
            if (fhirServer is null) return Fail("fhirAuthorization is sent only with fhirServer");
            authorization = new CdsFhirAuthorization(token, type, Text(a["scope"]), Text(a["subject"]));
            tokenPatient = Text(a["patient"]);
        }

        if (root["context"] is not JsonObject context) return Fail("context is required (an object)");
        if (Text(context["patientId"]) is not { } patient) return Fail("context.patientId is required");
        if (!FhirIds.IsId(patient)) return Fail($"context.patientId must be a FHIR id: {FhirIds.Shape}");
        // A token restricted to one patient (fhirAuthorization.patient) for a call about another: the call's patient is in doubt.
        if (tokenPatient is not null && tokenPatient != patient) return Fail("fhirAuthorization.patient is another patient than context.patientId; a call is about one patient");
        if (Text(context["userId"]) is null) return Fail("context.userId is required");
        var (orders, error) = DraftOrders.Read(context, patient, hook == CdsServiceCatalog.OrderSelect);
        if (error is not null) return Fail(error);
        var prefetch = root["prefetch"] switch
        {
            null => new JsonObject(),
            JsonObject p => p,
            _ => null,
        };
        if (prefetch is null) return Fail("prefetch must be an object");
        return (new CdsHookRequest(hook, instance, fhirServer, authorization, patient, Text(context["encounterId"]), Text(context["userId"]), orders!, prefetch), null);
    }

    /// <summary>The member of an object; null when absent or when the node is no object (a caller's JSON of another shape).</summary>
    internal static JsonNode? Member(JsonNode? node, string name) => node is JsonObject obj ? obj[name] : null;

    /// <summary>A string value, trimmed; null when absent, empty or not a string.</summary>
    internal static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    private static (CdsHookRequest?, string?) Fail(string error) => (null, error);
}
