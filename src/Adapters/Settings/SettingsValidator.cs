using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace PrecisionMed.Adapters.Settings;

/// <summary>
/// Checks a settings class by its data annotations and, when it has one, its <see cref="IValidatableObject"/> rule, and names
/// each failing setting as the operator sets it: <c>Fhir:MaxRetries</c> and its environment variable <c>Fhir__MaxRetries</c>.
/// (<c>ValidateDataAnnotations</c> runs the same attributes but names the class and property, <c>FhirOptions.MaxRetries</c>,
/// which is not what anyone types into app settings.)
/// </summary>
internal sealed class SettingsValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    private static readonly PropertyInfo[] Properties = typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetCustomAttributes<ValidationAttribute>().Any())
        .ToArray();

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        foreach (var property in Properties)
        {
            // The setting's key as the display name: "The field Fhir:MaxRetries must be between 0 and 100."
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = Key(property.Name) };
            Validator.TryValidateProperty(property.GetValue(options), context, results);
        }

        if (results.Count == 0 && options is IValidatableObject validatable)
            results.AddRange(validatable.Validate(new ValidationContext(options)).Where(r => r != ValidationResult.Success));

        return results.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(results.Select(Describe));
    }

    private string Key(string member) => $"{section}:{member}";

    private string Describe(ValidationResult result)
    {
        var message = (result.ErrorMessage ?? "is not valid").TrimEnd('.');
        var variables = result.MemberNames.Select(m => Key(m).Replace(":", "__", StringComparison.Ordinal)).ToList();
        return variables.Count == 0 ? message + "." : $"{message} (environment variable {string.Join(", ", variables)}).";
    }
}
