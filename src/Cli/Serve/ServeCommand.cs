using System.CommandLine;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ledger;

namespace PrecisionMed.Cli.Serve;

/// <summary>
/// <c>pmed serve [--port N] --cosmos URL [--storage S] [--fhir URL] [--auth-authority URL --auth-audience AUD] [--cors-origin O]</c>: the app's
/// HTTP endpoints on this machine, on loopback only, through the same endpoint classes the HTTP functions call
/// (<see cref="ApiServer"/>); with a token authority, the Genomics operations verify callers' tokens and roles as in Azure.
/// </summary>
internal static class ServeCommand
{
    public const int DefaultPort = 7071; // the Functions host's local port: clients written against it work unchanged

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var port = new Option<int>("--port")
        {
            Description = $"The loopback port (0: any free one, printed when listening). Default {DefaultPort}.",
            DefaultValueFactory = _ => DefaultPort,
        };
        port.Validators.Add(result =>
        {
            // The typed token, not GetValueOrDefault: that throws when the token is not a number (the parser reports it).
            if (result.Tokens.Count == 1
                && int.TryParse(result.Tokens[0].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
                && value is < 0 or > 65535)
                result.AddError("--port must be a number from 0 to 65535.");
        });
        var embedded = new Option<bool>("--embedded-knowledge")
        {
            Description = "Read the knowledge store (CPIC/PharmCAT guidelines, drug table, phenotypes) from the seed embedded in pmed rather than "
                + "the Cosmos knowledge container: the CDS Hooks services answer without a knowledge import.",
        };
        var fhir = new UrlOption("--fhir", ServiceEndpoint.Fhir, "The FHIR service the endpoints read (base URL).");
        var authority = new Option<string?>("--auth-authority")
        {
            Description = "Verify callers' access tokens (Authorization: Bearer) issued by this authority (its /.well-known/openid-configuration), "
                + "and ask the Genomics operations' app roles (Genomics.Read, Genomics.Population), e.g. https://login.microsoftonline.com/TENANT/v2.0. Needs --auth-audience.",
        };
        authority.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
                result.AddError("--auth-authority must be an absolute http(s) URL, e.g. https://login.microsoftonline.com/TENANT/v2.0.");
        });
        var corsOrigins = new Option<string[]>("--cors-origin")
        {
            Description = "Let a browser page of this origin call the API (CORS; repeatable; * for any), e.g. https://sandbox.cds-hooks.org: "
                + "browser-based CDS clients need it. The API takes tokens and keys, never cookies. None: no CORS headers.",
        };
        corsOrigins.Validators.Add(result =>
        {
            if (result.Tokens.Any(t => !CorsOrigins.IsOrigin(t.Value)))
                result.AddError("--cors-origin must be * or an origin: http(s)://host[:port], with no path.");
        });
        var audience = new Option<string?>("--auth-audience") { Description = "The audience the tokens must be for (the API's application ID URI or client id). Needs --auth-authority." };
        var connection = LedgerConnectionOptions.Create(withStorage: true);
        var command = new Command(
            "serve",
            "Serve the app's HTTP API (/api/health, /api/files, /api/files/{id}, /api/files/{id}/replay, /api/genomics/$<operation>, /api/cds-services, /api/cds-feedback) on 127.0.0.1 until Ctrl+C, "
                + "without the Functions host. No function keys are asked for: it listens on loopback only.")
        {
            port, fhir, authority, audience, embedded, corsOrigins,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(authority) is null) != (result.GetValue(audience) is null))
                result.AddError("--auth-authority and --auth-audience go together: the issuer whose tokens are verified and the audience they must be for.");
        });
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var ledger = connection.Read(parse) with
            {
                Fhir = parse.GetValue(fhir),
                LoopbackApi = true,
                ApiAuthority = parse.GetValue(authority) is { } issuer ? new Uri(issuer) : null,
                ApiAudience = parse.GetValue(audience),
                EmbeddedKnowledge = parse.GetValue(embedded),
            };
            if (ledger.Storage is null)
            {
                stderr.WriteLine($"{PmedCommandLine.Name}: serve needs --storage (or $PMED_STORAGE): the replay endpoint queues work on the lab data account.");
                return Task.FromResult(ExitCodes.Usage);
            }

            var cors = new CorsOrigins([.. parse.GetValue(corsOrigins) ?? []]);
            return new ApiServer(ledger, ServiceEndpoint.Of(parse), parse.GetValue(port), stdout, stderr, cors).RunAsync(cancellationToken);
        });
        return command;
    }
}
