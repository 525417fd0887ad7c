namespace Pairwise.Storage;

/// <summary>Where image bytes live: files under the data folder here, an S3-compatible bucket when scaled out.</summary>
public interface IBlobStore
{
    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Null when there is no such blob.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
