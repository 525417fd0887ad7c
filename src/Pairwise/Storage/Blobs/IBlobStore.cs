namespace Pairwise.Storage;

/// <summary>Where image bytes live: files under the data folder here, an S3-compatible bucket when scaled out.</summary>
public interface IBlobStore
{
    /// <summary>Stores the whole blob or nothing; an engine that cannot be reached throws <see cref="Platform.DependencyUnavailableException"/>.</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>Null when there is no such blob.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deleting a blob that is not there succeeds.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
