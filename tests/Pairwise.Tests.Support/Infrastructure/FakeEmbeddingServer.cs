using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Pairwise.Tests.Infrastructure;

/// <summary>
/// A real HTTP server speaking the OpenAI embeddings protocol (POST /v1/embeddings), standing in
/// for DeepSeek, OpenAI or Ollama. It "understands" a few concepts across words and scripts
/// (waiter = server = 侍應), which the built-in embedder cannot, and counts what it was asked.
/// </summary>
public sealed class FakeEmbeddingServer : IAsyncDisposable
{
    public const int Dimensions = 8;
    private static readonly string[][] Concepts =
    [
        ["waiter", "server", "侍應", "服務員"],
        ["programmer", "developer", "engineer"],
    ];

    private readonly WebApplication _app;

    private FakeEmbeddingServer(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, int> Calls { get; } = new();

    /// <summary>When set, every call fails with a 500.</summary>
    public bool Failing { get; set; }

    public string Endpoint => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";

    public static async Task<FakeEmbeddingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeEmbeddingServer(app);
        app.MapPost("/v1/embeddings", server.Embed);
        await app.StartAsync();
        return server;
    }

    private async Task<IResult> Embed(HttpRequest request)
    {
        var body = await JsonDocument.ParseAsync(request.Body);
        var input = body.RootElement.GetProperty("input");
        var texts = input.ValueKind == JsonValueKind.Array ? input.EnumerateArray().Select(t => t.GetString()!).ToList() : [input.GetString()!];
        foreach (var text in texts)
        {
            Calls.AddOrUpdate(text, 1, (_, n) => n + 1);
        }
        if (Failing)
        {
            return Results.StatusCode(500);
        }
        var base64 = body.RootElement.TryGetProperty("encoding_format", out var format) && format.GetString() == "base64";
        var data = texts.Select((text, i) =>
        {
            var vector = Vector(text);
            object embedding = base64 ? Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()).ToArray()) : vector;
            return new { @object = "embedding", index = i, embedding };
        }).ToList();
        return Results.Json(new { @object = "list", data, model = "fake-model", usage = new { prompt_tokens = 1, total_tokens = 1 } });
    }

    private static float[] Vector(string text)
    {
        var vector = new float[Dimensions];
        var lower = text.ToLowerInvariant();
        var concept = Array.FindIndex(Concepts, words => words.Any(w => lower.Contains(w, StringComparison.Ordinal)));
        vector[concept >= 0 ? concept : Dimensions - 1] = 1;
        return vector;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
