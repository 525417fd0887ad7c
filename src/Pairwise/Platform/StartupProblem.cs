using Microsoft.Extensions.Options;

namespace Pairwise.Platform;

/// <summary>A configuration problem found at start (a malformed setting, a broken market file), in one line.</summary>
public class ConfigurationProblemException(string message) : Exception(message);

public static class StartupProblem
{
    /// <summary>The one-line description of a start-up failure caused by configuration; null for anything else (a bug keeps its stack trace).</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        ConfigurationProblemException problem => problem.Message,
        OptionsValidationException validation => string.Join("; ", validation.Failures),
        // The binder names the key it could not convert: "Failed to convert configuration value at 'Pairwise:…' to type …".
        InvalidOperationException { Message: var message } when message.Contains("configuration value", StringComparison.Ordinal) =>
            FirstLine(exception.InnerException is { } inner ? $"{message} ({inner.Message})" : message),
        AggregateException { InnerExceptions: [var only] } => Describe(only),
        _ => null,
    };

    private static string FirstLine(string text) => text.ReplaceLineEndings(" ");
}
