using System.CommandLine;
using System.CommandLine.Parsing;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>
/// An option whose value is a service's absolute http(s) URL (System.CommandLine has no <see cref="Uri"/> parser). It
/// names the service, so that a failure to reach it can say which service and which URL.
/// </summary>
internal sealed class UrlOption : Option<Uri?>
{
    public UrlOption(string name, string service, string description)
        : base(name)
    {
        Service = service;
        Description = description;
        HelpName = "URL";
        CustomParser = Parse;
    }

    /// <summary>What the URL points at, as failures name it: "FHIR server", "Cosmos DB".</summary>
    public string Service { get; }

    private Uri? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(url.Host))
            return url;

        result.AddError($"{Name}: '{text}' is not an absolute http(s) URL");
        return null;
    }
}
