using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>An operation's answer: a FHIR Parameters resource (200), or the error refusing it (<see cref="OperationError.StatusCode"/>).</summary>
public sealed record OperationResult(JsonObject? Parameters, OperationError? Error);
