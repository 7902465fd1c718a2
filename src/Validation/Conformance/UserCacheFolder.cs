namespace PrecisionMed.Validation.Conformance;

/// <summary>
/// pmed's folder in the user's cache: <c>$XDG_CACHE_HOME/pmed</c>, else <c>~/.cache/pmed</c> (on Windows, the local
/// application data folder's <c>pmed</c>). Only the user can write there, unlike the shared temp folder, where another
/// account could put files of its own under the name pmed would read.
/// </summary>
public static class UserCacheFolder
{
    /// <summary>The folder (not created here), or null when the user has no home to hold it.</summary>
    public static string? Root()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? Path.Combine(home, ".cache") : null;
        return string.IsNullOrEmpty(cache) ? null : Path.Combine(cache, "pmed");
    }
}
