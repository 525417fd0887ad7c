using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Pairwise.Platform;

/// <summary>The one way a feature binds its settings: a section, no unknown keys, checked when the node starts.</summary>
public static class Settings
{
    /// <summary>
    /// Binds <paramref name="section"/> to <typeparamref name="T"/>. A key the type does not have (a
    /// typo), a value that does not convert and a failed <see cref="ValidationAttribute"/> each stop
    /// the start with a message that names the key.
    /// </summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, IConfiguration configuration, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new KnownKeys<T>(configuration.GetSection(section)));
        return services.AddOptions<T>()
            .Bind(configuration.GetSection(section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }

    /// <summary>Fails when the section holds a key that is not a property of the settings type.</summary>
    private sealed class KnownKeys<T>(IConfigurationSection section) : IValidateOptions<T> where T : class
    {
        private static readonly string[] Properties =
            [.. typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name).Order(StringComparer.Ordinal)];

        public ValidateOptionsResult Validate(string? name, T options)
        {
            var unknown = section.GetChildren().Select(c => c.Key)
                .Where(key => !Properties.Contains(key, StringComparer.OrdinalIgnoreCase)).ToList();
            return unknown.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{section.Path}:{unknown[0]} is not a setting; the settings there are {string.Join(", ", Properties)}.");
        }
    }
}
