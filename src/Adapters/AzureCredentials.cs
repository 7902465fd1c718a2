using Azure.Core;
using Azure.Identity;

namespace PrecisionMed.Adapters;

/// <summary>
/// The one way this app authenticates to Azure: its user-assigned managed identity when a client id
/// is configured, otherwise whatever DefaultAzureCredential finds (a developer's az login).
/// </summary>
internal static class AzureCredentials
{
    public static TokenCredential For(string? clientId) =>
        string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
}
