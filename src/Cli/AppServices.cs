using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrecisionMed.Adapters;

namespace PrecisionMed.Cli;

/// <summary>
/// The function app's services for a <c>pmed</c> command, built by the app's own registration
/// (<see cref="PrecisionMedServiceCollectionExtensions.AddPrecisionMed(IServiceCollection, IConfiguration, AppConnections)"/>) from the app's settings as environment variables, read
/// as the Functions host reads them (<c>Pipeline__MaxReplays</c> is <c>Pipeline:MaxReplays</c>), with the command's flags
/// on top. So a setting such as <c>Pipeline__MaxReplays</c> means the same to <c>pmed replay</c> as to the app's replay
/// endpoint. Nothing is logged: operators read the command's output, the app logs.
/// </summary>
internal static class AppServices
{
    /// <param name="flags">The command's flags as settings (<c>Cosmos:Endpoint</c>, ...); they win over the environment.</param>
    /// <param name="required">The services the command talks to: their settings must be present.</param>
    /// <param name="first">Services of the command's own, registered before the app's (which then keeps them).</param>
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?> flags, AppConnections required, Action<IServiceCollection>? first = null)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(flags).Build();
        var services = new ServiceCollection();
        first?.Invoke(services);
        services.AddPrecisionMed(configuration, required);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>
    /// The check the function app makes when it starts: null when every setting is present and well-formed, else one line
    /// naming each bad setting (<c>The field Pipeline:MaxReplays must be between 0 and 100 (environment variable ...)</c>).
    /// </summary>
    public static string? SettingsProblem(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex.Message;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return string.Join(" ", ex.InnerExceptions.Select(e => e.Message));
        }
        catch (InvalidOperationException ex)
        {
            // The binder's: "Failed to convert configuration value at 'Pipeline:MaxReplays' to type 'System.Int32'."
            return ex.Message;
        }
    }
}
