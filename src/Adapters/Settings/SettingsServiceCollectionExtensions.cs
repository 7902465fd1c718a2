using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PrecisionMed.Adapters.Settings;

internal static class SettingsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to its configuration section and checks it when the host starts
    /// (<see cref="OptionsBuilderExtensions.ValidateOnStart{TOptions}"/>), with <see cref="SettingsValidator{TOptions}"/>.
    /// Once per collection: several adapters share a section (Cosmos), and binding twice would append list settings twice.
    /// </summary>
    /// <param name="afterBind">Applied after binding, the first time only: what the binder cannot read by itself.</param>
    public static OptionsBuilder<TOptions> AddSettings<TOptions>(this IServiceCollection services, IConfigurationSection section, Action<TOptions>? afterBind = null)
        where TOptions : class
    {
        var builder = services.AddOptions<TOptions>();
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationInstance is SettingsValidator<TOptions>)) return builder;

        builder.Bind(section).ValidateOnStart();
        if (afterBind is not null) builder.Configure(afterBind);
        services.AddSingleton<IValidateOptions<TOptions>>(new SettingsValidator<TOptions>(section.Path));
        return builder;
    }
}
