using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Pairwise.Graph;

/// <summary>
/// The REST requests' declared rules (lengths, clean names, required values), checked on the same
/// request records the GraphQL arguments are turned into: one set of rules for both transports.
/// </summary>
public static class InputRules
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, ValidationAttribute[] Rules)[]> Declared = new();

    /// <summary>Throws a <c>BAD_USER_INPUT</c> error naming every field (under <paramref name="prefix"/>) that breaks a rule.</summary>
    public static void Check<T>(T request, string prefix = "") where T : notnull
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (property, rules) in Declared.GetOrAdd(typeof(T), RulesOf))
        {
            var value = property.GetValue(request);
            var context = new ValidationContext(request) { MemberName = property.Name, DisplayName = property.Name };
            var messages = rules.Select(rule => rule.GetValidationResult(value, context))
                .Where(result => result != ValidationResult.Success)
                .Select(result => result!.ErrorMessage ?? "Not valid.")
                .ToArray();
            if (messages.Length > 0)
            {
                errors[property.Name] = messages;
            }
        }
        if (errors.Count > 0)
        {
            throw GraphErrors.Invalid(prefix, errors);
        }
    }

    /// <summary>A record's rules sit on its constructor's parameters (or on its properties).</summary>
    private static (PropertyInfo, ValidationAttribute[])[] RulesOf(Type type)
    {
        var parameters = type.GetConstructors().MaxBy(c => c.GetParameters().Length)?.GetParameters() ?? [];
        return [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(property => (property, rules: property.GetCustomAttributes<ValidationAttribute>()
                .Concat(parameters.FirstOrDefault(p => p.Name == property.Name)?.GetCustomAttributes<ValidationAttribute>() ?? [])
                .ToArray()))
            .Where(entry => entry.rules.Length > 0)];
    }
}
