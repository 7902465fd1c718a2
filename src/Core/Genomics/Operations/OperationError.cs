using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

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
/// An operation's refusal: the parameter, the value as given and the reason. The value is for the code that reads the
/// error; it is never quoted back, put in an exception or a log: a subject id or a variant is PHI. The parameter's name
/// is quoted only when it has an id's short shape (<see cref="FhirIds"/>): a caller can send any name.
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
        var named = Parameter is not null && FhirIds.IsId(Parameter) ? Parameter : null;
        var diagnostics = Parameter is null ? Reason
            : named is null ? $"A parameter (its name not quoted: not {FhirIds.Shape}): {Reason}"
            : $"Parameter '{named}': {Reason}";
        var issue = new JsonObject { ["severity"] = "error", ["code"] = code, ["diagnostics"] = diagnostics };
        if (named is not null) issue["expression"] = new JsonArray(named);
        return new JsonObject { ["resourceType"] = "OperationOutcome", ["issue"] = new JsonArray(issue) };
    }
}
