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
        StoreKeyRing.Use(builder.Services);
        // Image bytes: files under the data folder, or an S3 bucket that every node shares.
        var blobs = builder.Configuration["Pairwise:Blobs:Engine"] ?? "file";
        if (blobs.Equals("s3", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddSingleton<IBlobStore>(_ => CreateS3(builder.Configuration));
        }
        else if (blobs.Equals("file", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddSingleton<IBlobStore, FileBlobStore>();
        }
        else
        {
            throw new ConfigurationProblemException($"Pairwise:Blobs:Engine is '{blobs}'; it is 'file' or 's3'.");
        }
        return builder;
    }

    /// <summary>
    /// The S3 engine: AWS S3 (region and credentials from the standard AWS chain) or any S3-compatible
    /// server at <c>Pairwise:Blobs:S3:ServiceUrl</c>. Checksums are sent only where S3 requires them,
    /// which every compatible server understands.
    /// </summary>
    public static S3BlobStore CreateS3(IConfiguration configuration)
    {
        var section = configuration.GetSection("Pairwise:Blobs");
        if (section.GetChildren().FirstOrDefault(c => c.Key is not ("Engine" or "S3")) is { } unknown)
        {
            throw new ConfigurationProblemException($"Pairwise:Blobs has no setting '{unknown.Key}' (it has Engine and S3).");
        }
        S3Options settings;
        try
        {
            settings = section.GetSection("S3").Get<S3Options>(binder => binder.ErrorOnUnknownConfiguration = true) ?? new();
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationProblemException($"Pairwise:Blobs:S3: {e.Message}");
        }
        if (settings.Problem() is { } problem)
        {
            throw new ConfigurationProblemException(problem);
        }
        var config = new Amazon.S3.AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(30),
            MaxErrorRetry = 2,
        };
        if (!string.IsNullOrEmpty(settings.Region))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }
        if (string.IsNullOrEmpty(settings.ServiceUrl))
        {
            return new S3BlobStore(new Amazon.S3.AmazonS3Client(config), settings.BucketName);
        }
        config.ServiceURL = settings.ServiceUrl;
        config.AuthenticationRegion = settings.Region ?? configuration["AWS_REGION"] ?? "us-east-1";
        var local = new Uri(settings.ServiceUrl).IsLoopback;
        var client = local && string.IsNullOrEmpty(configuration["AWS_ACCESS_KEY_ID"])
            ? new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials("local", "local"), config)
            : new Amazon.S3.AmazonS3Client(config);
        return new S3BlobStore(client, settings.BucketName);
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
        if (services.GetRequiredService<IBlobStore>() is IInitializableStore bucket)
        {
            await bucket.InitializeAsync(cancellationToken);
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

/// <summary>The <c>Pairwise:Blobs:S3</c> section.</summary>
public sealed class S3Options
{
    /// <summary>An S3-compatible endpoint (MinIO, Ceph, R2, s3rver); empty: AWS S3 in the configured region.</summary>
    public string? ServiceUrl { get; set; }

    public string BucketName { get; set; } = "pairwise";

    /// <summary>Bucket in the path (http://host/bucket/key) rather than the host name: what most compatible servers want.</summary>
    public bool ForcePathStyle { get; set; }

    public string? Region { get; set; }

    /// <summary>What is wrong with the settings, naming the key; null when nothing is.</summary>
    public string? Problem() =>
        !string.IsNullOrEmpty(ServiceUrl) && !Uri.TryCreate(ServiceUrl, UriKind.Absolute, out _) ? "Pairwise:Blobs:S3:ServiceUrl must be an absolute URL, e.g. http://127.0.0.1:9000."
        : BucketName.Length is < 3 or > 63 || BucketName.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')) ? "Pairwise:Blobs:S3:BucketName must be 3–63 lower-case letters, digits, '-' or '.'."
        : null;
}
