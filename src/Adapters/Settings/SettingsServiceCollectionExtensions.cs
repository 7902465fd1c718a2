using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PrecisionMed.Adapters.Settings;

internal static class SettingsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to its configuration section (<see cref="OptionsBuilderConfigurationExtensions.BindConfiguration{TOptions}"/>,
    /// from the container's <see cref="IConfiguration"/>) and checks it when the host starts
    /// (<see cref="OptionsBuilderExtensions.ValidateOnStart{TOptions}"/>), with <see cref="SettingsValidator{TOptions}"/>.
    /// Once per collection: several adapters share a section (Cosmos), and binding twice would append list settings twice.
    /// </summary>
    /// <param name="configuration">
    /// The settings, registered as the container's configuration unless one already is (a host's own): an adapter added
    /// alone, without the whole composition, binds from them too.
    /// </param>
    /// <param name="sectionName">The section, e.g. <c>Pipeline</c>.</param>
    /// <param name="afterBind">Applied after binding, with the section, the first time only: what the binder cannot read by itself.</param>
    public static OptionsBuilder<TOptions> AddSettings<TOptions>(
        this IServiceCollection services, IConfiguration configuration, string sectionName, Action<TOptions, IConfigurationSection>? afterBind = null)
        where TOptions : class
    {
        services.TryAddSingleton(configuration);
        var builder = services.AddOptions<TOptions>();
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationInstance is SettingsValidator<TOptions>)) return builder;

        builder.BindConfiguration(sectionName).ValidateOnStart();
        if (afterBind is not null) builder.Configure<IConfiguration>((options, settings) => afterBind(options, settings.GetSection(sectionName)));
        services.AddSingleton<IValidateOptions<TOptions>>(new SettingsValidator<TOptions>(sectionName));
        return builder;
    }
}
