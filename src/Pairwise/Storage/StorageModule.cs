using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Storage;

public static class StorageModule
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var engine = builder.Configuration[$"{PairwiseOptions.Section}:{nameof(PairwiseOptions.Storage)}"] ?? "sqlite";
        if (engine.Equals("dynamodb", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddSingleton<IItemStore>(services => CreateDynamoDb(builder.Configuration, services.GetRequiredService<TimeProvider>()));
        }
        else if (engine.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddSingleton<IItemStore>(services => new SqliteItemStore(
                services.GetRequiredService<IOptions<PairwiseOptions>>().Value.DataPath("pairwise.db"),
                services.GetRequiredService<TimeProvider>()));
        }
        else
        {
            throw new ConfigurationProblemException($"Pairwise:Storage is '{engine}'; it is 'sqlite' or 'dynamodb'.");
        }
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        // Image bytes: files under the data folder (a shared engine for several nodes comes with the media work).
        builder.Services.AddSingleton<IBlobStore, FileBlobStore>();
        return builder;
    }

    /// <summary>
    /// The DynamoDB engine: region, credentials and endpoint from the standard AWS chain, or
    /// <c>Pairwise:DynamoDb:ServiceUrl</c> for DynamoDB Local (which takes any credentials).
    /// </summary>
    public static DynamoDbItemStore CreateDynamoDb(IConfiguration configuration, TimeProvider time)
    {
        var settings = configuration.GetSection("Pairwise:DynamoDb").Get<DynamoDbOptions>(binder => binder.ErrorOnUnknownConfiguration = true) ?? new();
        if (settings.Problem() is { } problem)
        {
            throw new ConfigurationProblemException(problem);
        }
        var serviceUrl = settings.ServiceUrl;
        var table = settings.TableName;
        var config = new Amazon.DynamoDBv2.AmazonDynamoDBConfig { MaxErrorRetry = 8 };
        if (string.IsNullOrEmpty(serviceUrl))
        {
            return new DynamoDbItemStore(new Amazon.DynamoDBv2.AmazonDynamoDBClient(config), table, time);
        }
        config.ServiceURL = serviceUrl;
        config.AuthenticationRegion = configuration["AWS_REGION"] ?? "us-east-1";
        var local = new Uri(serviceUrl).IsLoopback;
        var client = local && string.IsNullOrEmpty(configuration["AWS_ACCESS_KEY_ID"])
            ? new Amazon.DynamoDBv2.AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials("local", "local"), config)
            : new Amazon.DynamoDBv2.AmazonDynamoDBClient(config);
        return new DynamoDbItemStore(client, table, time);
    }

    /// <summary>Creates what the engine needs (the DynamoDB table and indexes); SQLite made its file when it opened.</summary>
    public static async Task InitializeStoreAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        if (services.GetRequiredService<IItemStore>() is IInitializableStore store)
        {
            await store.InitializeAsync(cancellationToken);
        }
    }
}

public sealed class StoreHealthCheck(IItemStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetAsync(new ItemKey("SYSTEM", "HEALTH"), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The item store does not answer.", e);
        }
    }
}

/// <summary>The <c>Pairwise:DynamoDb</c> section.</summary>
public sealed class DynamoDbOptions
{
    /// <summary>An endpoint such as DynamoDB Local's; empty: the region's endpoint from the standard AWS chain.</summary>
    public string? ServiceUrl { get; set; }

    public string TableName { get; set; } = "pairwise";

    /// <summary>What is wrong with the settings, naming the key; null when nothing is.</summary>
    public string? Problem() =>
        !string.IsNullOrEmpty(ServiceUrl) && !Uri.TryCreate(ServiceUrl, UriKind.Absolute, out _) ? "Pairwise:DynamoDb:ServiceUrl must be an absolute URL, e.g. http://127.0.0.1:8000."
        : TableName.Length is < 3 or > 255 || TableName.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.')) ? "Pairwise:DynamoDb:TableName must be 3–255 letters, digits, '_', '-' or '.'."
        : null;
}
