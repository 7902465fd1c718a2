using System.ComponentModel.DataAnnotations;

namespace PrecisionMed.Adapters.Settings;

/// <summary>A Storage queue's name as the service accepts it; a wrong one would fail at the first message sent or received.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class QueueNameAttribute() : RegularExpressionAttribute("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")
{
    public override string FormatErrorMessage(string name) =>
        $"{name} must be a Storage queue name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit";
}
