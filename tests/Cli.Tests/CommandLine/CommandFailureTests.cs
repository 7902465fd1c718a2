using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Azure;
using Azure.Identity;
using Microsoft.Azure.Cosmos;
using PrecisionMed.Adapters;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.Pipeline;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// The failures the local stack cannot produce on demand (a timeout, a 403 from Azure, a failed sign-in), each as the SDK
/// throws it, classified into one line and an exit code. Refused connections are proved on the stack (the *CommandLineTests).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class CommandFailureTests
{
    private static readonly ServiceEndpoint Fhir = new(ServiceEndpoint.Fhir, new Uri("https://ws-fhir.fhir.azurehealthcareapis.com/?sig=secret"));
    private static readonly ServiceEndpoint Cosmos = new(ServiceEndpoint.Cosmos, new Uri("https://acct.documents.azure.com:443/"));
    private static readonly ServiceEndpoint Storage = new(ServiceEndpoint.Storage, new Uri("https://lab.queue.core.windows.net/"));
    private static readonly ServiceEndpoint[] All = [Fhir, Cosmos, Storage];

    [Fact]
    public void FhirTimeout_ExitsThreeNamingTheServerWithoutTheQuery()
    {
        var failure = CommandFailure.Of(new FhirTransientException("x", new TaskCanceledException("t", new TimeoutException())), All);

        Assert.Equal(new CommandFailure(ExitCodes.ServiceFailed, "FHIR server at https://ws-fhir.fhir.azurehealthcareapis.com/: timed out"), failure);
    }

    [Fact]
    public void FhirStatusAfterRetries_ExitsThreeWithTheStatus()
    {
        var failure = CommandFailure.Of(new FhirTransientException("The FHIR service answered HTTP 503 after retries."), All);

        Assert.Equal("FHIR server at https://ws-fhir.fhir.azurehealthcareapis.com/: HTTP 503 after retries", failure.Message);
    }

    [Fact]
    public void CosmosForbidden_ExitsThreeWithTheStatus()
    {
        var failure = CommandFailure.Of(new CosmosException("denied", HttpStatusCode.Forbidden, 0, "a", 1), All);

        Assert.Equal(new CommandFailure(ExitCodes.ServiceFailed, "Cosmos DB at https://acct.documents.azure.com/: HTTP 403 (Forbidden)"), failure);
    }

    [Fact]
    public void StorageRetriesExhausted_ExitsThreeNamingStorage()
    {
        var refused = new RequestFailedException("refused", new HttpRequestException("Connection refused (lab.queue.core.windows.net:443)", new SocketException((int)SocketError.ConnectionRefused)));
        var failure = CommandFailure.Of(new AggregateException("Retry failed after 4 tries.", refused, refused), All);

        Assert.Equal("Storage at https://lab.queue.core.windows.net/: connection refused", failure.Message);
    }

    [Fact]
    public void StorageAuthorizationFailure_ExitsThreeWithStatusAndCode()
    {
        var failure = CommandFailure.Of(new RequestFailedException(403, "no", "AuthorizationPermissionMismatch", null), All);

        Assert.Equal("Storage at https://lab.queue.core.windows.net/: HTTP 403 (AuthorizationPermissionMismatch)", failure.Message);
    }

    [Fact]
    public void SignInFailed_ExitsThreeSayingSo()
    {
        var failure = CommandFailure.Of(new CredentialUnavailableException("no identity"), [Cosmos]);

        Assert.Equal(ExitCodes.ServiceFailed, failure.ExitCode);
        Assert.Equal("Cosmos DB at https://acct.documents.azure.com/: sign-in failed (sign in with `az login`; for a local emulator give its key)", failure.Message);
        // The app's HTTP hosts answer with the problem alone: a caller of the API has no az login to run.
        Assert.Equal(new ServiceFailure(null, ServiceFailure.SignInFailed), ServiceFailure.Of(new CredentialUnavailableException("no identity")));
    }

    [Fact]
    public void UnknownHost_ExitsThreeMatchedByHostAndPort()
    {
        var failure = CommandFailure.Of(
            new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (acct.documents.azure.com:443)"), All);

        Assert.Equal("Cosmos DB at https://acct.documents.azure.com/: host name not found", failure.Message);
    }

    [Fact]
    public void BadInput_ExitsTwo()
    {
        var failure = CommandFailure.Of(new FormatException("Settings must be of the form \"name=value\"."), All);

        Assert.Equal(ExitCodes.Rejected, failure.ExitCode);
    }

    [Fact]
    public void JsonOfAFile_ExitsTwoWithThePositionInOurWords()
    {
        var failure = CommandFailure.Of(new JsonException("'x' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 23475.", null, 0, 23475), All);

        Assert.Equal(new CommandFailure(ExitCodes.Rejected, "not valid JSON at line 1, byte 23476: 'x' is an invalid start of a value"), failure);
    }

    [Fact]
    public void Bug_ExitsFourPointingAtVerbose()
    {
        var failure = CommandFailure.Of(new InvalidOperationException("Sequence contains no elements"), All);

        Assert.Equal(ExitCodes.Unexpected, failure.ExitCode);
        Assert.Contains("--verbose", failure.Message, StringComparison.Ordinal);
    }
}
