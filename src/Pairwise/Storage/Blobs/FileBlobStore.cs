using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Storage;

/// <summary>Blobs as files under <c>{data}/blobs</c>, written to a temporary name, flushed to disk, then renamed.</summary>
public sealed class FileBlobStore(IOptions<PairwiseOptions> options) : IBlobStore
{
    private readonly string _root = options.Value.DataPath("blobs");

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            await file.WriteAsync(content, cancellationToken);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous) : null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        // A file another node holds (or that is already gone) is not an error: the record is what counts.
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        // Keys are ours (images/{id}); refuse anything that could leave the folder.
        if (key.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(key))
        {
            throw new ArgumentException($"Bad blob key '{key}'.", nameof(key));
        }
        return Path.Combine(_root, key);
    }
}
