namespace Pairwise.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server (npm s3rver) on a free loopback port, its objects in a folder: it can
/// be stopped (an outage) and started again on the same port with the same objects.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    private NodeScript? _process;

    private S3Server(int port, string folder) => (Port, Folder) = (port, folder);

    public int Port { get; }

    public string Folder { get; }

    /// <summary>The settings (environment variables) that put a node's images in this server's bucket.</summary>
    public Dictionary<string, string> Settings => new()
    {
        ["Pairwise__Blobs__Engine"] = "s3",
        ["Pairwise__Blobs__S3__ServiceUrl"] = $"http://127.0.0.1:{Port}",
        ["Pairwise__Blobs__S3__ForcePathStyle"] = "true",
        ["Pairwise__Blobs__S3__BucketName"] = "pairwise-test",
        // s3rver's own credentials; it checks request signatures with them.
        ["AWS_ACCESS_KEY_ID"] = "S3RVER",
        ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
    };

    public static async Task<S3Server> StartAsync()
    {
        var server = new S3Server(ServerProcess.FreePort(), TempFolder.Create("s3"));
        await server.StartAgainAsync();
        return server;
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async Task StartAgainAsync()
    {
        _process = NodeScript.Start("s3-server.mjs", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Folder);
        await _process.WaitForAsync("listening");
    }

    /// <summary>How many objects the bucket holds (the files s3rver keeps per object).</summary>
    public int ObjectCount(string bucket = "pairwise-test") =>
        Directory.Exists(Path.Combine(Folder, bucket)) ? Directory.GetFiles(Path.Combine(Folder, bucket), "*._S3rver_object", SearchOption.AllDirectories).Length : 0;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        TempFolder.Delete(Folder);
    }
}
