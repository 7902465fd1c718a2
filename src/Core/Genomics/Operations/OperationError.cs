using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>Why an operation was not answered; the host maps it to its HTTP status (<see cref="OperationError.StatusCode"/>).</summary>
public enum OperationErrorKind
{
    /// <summary>No IG operation has that id (404).</summary>
    UnknownOperation,

    /// <summary>A parameter is unknown, repeated past its cardinality, of the wrong type or badly formed (400).</summary>
    Invalid,

    /// <summary>A required parameter is missing (400).</summary>
    Required,

    /// <summary>The index holds nothing of the subject (404).</summary>
    UnknownSubject,
}

/// <summary>
/// An operation's refusal: the parameter, the value as given and the reason. The value may be quoted back to the caller
/// (it is what the caller sent), but it is never put in an exception or a log: a subject id is PHI.
/// </summary>
public sealed record OperationError(OperationErrorKind Kind, string? Parameter, string? Value, string Reason)
{
    /// <summary>The HTTP status the host answers with.</summary>
    public int StatusCode => Kind is OperationErrorKind.UnknownOperation or OperationErrorKind.UnknownSubject ? 404 : 400;

    internal static OperationError Invalid(string parameter, string? value, string reason) => new(OperationErrorKind.Invalid, parameter, value, reason);

    /// <summary>The error as a FHIR OperationOutcome: one issue, severity error, expression the parameter's name.</summary>
    public JsonObject ToOperationOutcome()
    {
        var code = Kind switch
        {
            OperationErrorKind.Required => "required",
            OperationErrorKind.UnknownOperation => "not-supported",
            OperationErrorKind.UnknownSubject => "not-found",
            _ => "invalid",
        };
        var diagnostics = Parameter is null ? Reason
            : Value is null || Kind == OperationErrorKind.UnknownSubject ? $"Parameter '{Parameter}': {Reason}"
            : $"Parameter '{Parameter}' value '{Value}': {Reason}";
        var issue = new JsonObject { ["severity"] = "error", ["code"] = code, ["diagnostics"] = diagnostics };
        if (Parameter is not null) issue["expression"] = new JsonArray(Parameter);
        return new JsonObject { ["resourceType"] = "OperationOutcome", ["issue"] = new JsonArray(issue) };
    }
}
