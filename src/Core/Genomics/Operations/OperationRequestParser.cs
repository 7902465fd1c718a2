using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>
/// Reads an IG operation's inputs from a GET query string (a name repeated for each value) or a POST Parameters body,
/// checks their names, cardinality and types against the operation's OperationDefinition, and parses each value's form.
/// </summary>
public static class OperationRequestParser
{
    /// <summary>A value as it came: query text, or a Parameters value of its FHIR type.</summary>
    internal sealed record RawValue(string Name, string? FhirType, string? Text, string? PeriodStart = null, string? PeriodEnd = null);

    /// <summary>
    /// Parses a GET query string's pairs (names starting with <c>_</c>, such as <c>_format</c>, are the host's). A parameter
    /// of cardinality above one takes several values by repeating its name or, as the IG's operations page says, as a
    /// comma-separated list (<c>ranges=NC_000017.11:43044294-43125364,NC_000013.11:32315507-32400268</c>); a comma
    /// inside a value is escaped as <c>\,</c>, as in FHIR search.
    /// </summary>
    public static OperationParse FromQuery(string operationId, IEnumerable<KeyValuePair<string, string>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (OperationDefinitions.Find(operationId) is not { } definition) return UnknownOperation();
        var values = new List<RawValue>();
        foreach (var (name, text) in query)
        {
            if (name.StartsWith('_')) continue;
            if (definition.Input(name) is not { Max: > 1, Type: not "Period" })
            {
                values.Add(new RawValue(name, null, text));
                continue;
            }

            var items = CommaList.Split(text);
            foreach (var item in items)
            {
                if (items.Count > 1 && item.Length == 0) return Fail(OperationError.Invalid(name, null, "has an empty item in its comma-separated list"));
                values.Add(new RawValue(name, null, item));
            }
        }

        return Check(definition, values, fromQuery: true);
    }

    /// <summary>Parses a POST body: a FHIR Parameters resource whose parameters carry valueString, valueBoolean, valueCode,
    /// valuePeriod and the like.</summary>
    public static OperationParse FromParameters(string operationId, JsonObject parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (OperationDefinitions.Find(operationId) is not { } definition) return UnknownOperation();
        if (parameters["resourceType"]?.GetValueKind() != System.Text.Json.JsonValueKind.String || parameters["resourceType"]!.GetValue<string>() != "Parameters")
        {
            return Fail(new OperationError(OperationErrorKind.Invalid, null, null, "The body is not a FHIR Parameters resource."));
        }

        var values = new List<RawValue>();
        foreach (var node in parameters["parameter"] as JsonArray ?? [])
        {
            if (node is not JsonObject parameter || parameter["name"]?.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                return Fail(new OperationError(OperationErrorKind.Invalid, null, null, "A parameter has no name."));
            }

            var name = parameter["name"]!.GetValue<string>();
            var value = parameter.FirstOrDefault(p => p.Key.StartsWith("value", StringComparison.Ordinal));
            if (value.Key is null)
            {
                return Fail(OperationError.Invalid(name, null, "has no value[x]"));
            }

            var type = value.Key["value".Length..];
            if (type == "Period" && (value.Value is not JsonObject bounds || !IsStringOrAbsent(bounds["start"]) || !IsStringOrAbsent(bounds["end"])))
            {
                return Fail(OperationError.Invalid(name, null, "valuePeriod is not a Period (an object with start and end)"));
            }

            // FHIR JSON's own types: a boolean is true or false, a string-like value a string ("yes", 12 or {} are neither).
            var kind = value.Value?.GetValueKind();
            if (type == "Boolean" && kind is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
            {
                return Fail(OperationError.Invalid(name, null, "valueBoolean is not true or false"));
            }

            if (type is "String" or "Code" or "Uri" or "Id" or "Token" && kind != System.Text.Json.JsonValueKind.String)
            {
                return Fail(OperationError.Invalid(name, null, $"value{type} is not a JSON string"));
            }

            values.Add(type == "Period" && value.Value is JsonObject period
                ? new RawValue(name, type, null, Text(period["start"]), Text(period["end"]))
                : new RawValue(name, type, value.Value is JsonValue scalar ? scalar.ToString() : null));
        }

        return Check(definition, values, fromQuery: false);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;

    private static bool IsStringOrAbsent(JsonNode? node) => node is null || node.GetValueKind() == System.Text.Json.JsonValueKind.String;

    private static OperationParse Check(OperationDefinition definition, List<RawValue> values, bool fromQuery)
    {
        foreach (var value in values)
        {
            if (definition.Input(value.Name) is not { } input)
            {
                return Fail(OperationError.Invalid(value.Name, value.Text, $"is not a parameter of {definition.Id}"));
            }

            if (TypeError(input, value, fromQuery) is { } reason) return Fail(OperationError.Invalid(value.Name, value.Text, reason));
        }

        foreach (var input in definition.Inputs)
        {
            var count = values.Count(v => v.Name == input.Name);
            // In a query string a Period comes as up to two prefixed dates (ge2020-01-01&testDateRange=le2024-12-31).
            var max = fromQuery && input.Type == "Period" ? 2 : input.Max;
            if (count > max)
            {
                return Fail(OperationError.Invalid(input.Name, null, $"is given {count} times; {definition.Id} allows at most {input.Max}"));
            }

            if (count < input.Min)
            {
                return Fail(new OperationError(OperationErrorKind.Required, input.Name, null, $"is required by {definition.Id}"));
            }
        }

        return OperationValueBinder.Bind(definition, values);
    }

    private static string? TypeError(OperationParameterDefinition input, RawValue value, bool fromQuery)
    {
        if (fromQuery)
        {
            return input.Type == "boolean" && value.Text is not ("true" or "false") ? "is not a boolean (true or false)" : null;
        }

        var accepted = input.Type switch
        {
            "boolean" => value.FhirType == "Boolean",
            "Period" => value.FhirType == "Period",
            _ => value.FhirType is "String" or "Code" or "Uri" or "Id" or "Token",
        };
        // The caller's value[x] name is not quoted: it can be any text after "value".
        return accepted ? null : input.Type switch
        {
            "boolean" => "is a boolean: send it as valueBoolean",
            "Period" => "is a Period: send it as valuePeriod",
            _ => $"is a {input.Type}: send it as valueString (or valueCode, valueUri, valueId, valueToken)",
        };
    }

    private static OperationParse UnknownOperation() =>
        Fail(new OperationError(OperationErrorKind.UnknownOperation, null, null, "No Genomics Reporting operation has that name."));

    private static OperationParse Fail(OperationError error) => new(null, error);
}
