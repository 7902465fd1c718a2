using System.Text.RegularExpressions;

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>What a secret looks like in an ARM template: a list*() call or a secret-like name.</summary>
internal static partial class SecretPatterns
{
    /// <summary>ARM functions that return keys, connection strings, SAS tokens or callback URLs with keys.</summary>
    [GeneratedRegex(@"list(Keys|AccountSas|ServiceSas|ConnectionStrings|Secrets|Credentials?|CallbackUrl)\(", RegexOptions.IgnoreCase)]
    public static partial Regex SecretFunction();

    [GeneratedRegex("key|secret|connectionstring|connection_string|password|sas|token", RegexOptions.IgnoreCase)]
    public static partial Regex SecretLikeName();
}
