namespace PrecisionMed.Api;

/// <summary>
/// One HTTP endpoint of the app: its method and route under <c>/api/</c>, and how it answers. The Functions triggers
/// and <c>pmed serve</c> are two thin hosts over the same endpoints (<see cref="ApiEndpoints"/>).
/// </summary>
public interface IApiEndpoint
{
    /// <summary>The name the Functions host knows it by (the function's name).</summary>
    string Name { get; }

    /// <summary>Upper-case HTTP methods it answers; HEAD beside every GET, answered as GET is, the host leaving out the body.</summary>
    IReadOnlyList<string> Methods { get; }

    /// <summary>The route template under <c>/api/</c>, as the Functions host and ASP.NET Core both read it (<c>files/{fileId}</c>).</summary>
    string Route { get; }

    /// <summary>Whether the Functions host asks for a function key (<c>AuthorizationLevel.Function</c>) rather than none.</summary>
    bool NeedsFunctionKey { get; }

    Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken);
}
