using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Pairwise.Tests.Platform;

/// <summary>One hostile request: what it is (for the failure list) and how to build it afresh.</summary>
public sealed record HostileCase(string Name, HttpMethod Method, string Url, Func<HttpContent?> Body, bool Anonymous = false, string? Accept = null,
    IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// Builds hostile requests from the OpenAPI document: for every operation, wrong and extreme
/// values for each path and query parameter, and for JSON bodies every property removed, nulled,
/// of the wrong type, huge, or with invalid UTF-16; plus broken bodies, bad tokens and odd
/// <c>Accept</c> headers. Good values come from the caller, so that each case reaches
/// the code behind the first check.
/// </summary>
public static class HostileInput
{
    // Kestrel answers a NUL in the path with 400 before any of our code; the in-memory host cannot even send one.
    private static readonly string[] PathValues =
    [
        new string('a', 4000), new string('a', 300), "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "..", "%ED%A0%80", "%FF%FE", "%F0%9F%98%80",
        "lst_00000000000000000000000000000000", "usr_" + new string('f', 32), "null", "-1", "%20", "%25", "'%3B%20DROP%20TABLE%20items%3B--",
        "%3Cscript%3E", "a%2Fb", "\u00e9t\u00e9", "CON",
    ];

    private static readonly string[] QueryValues =
    [
        "", "abc", "-1", "0", "2147483648", "99999999999999999999", "1e400", "NaN", "-Infinity", "1.5", new string('a', 2000), "%ED%A0%80",
        "%00", "%5B%5D", "1,2,3", "999,999", "-91,0", "0,181", "true", "%FF", "eyJmb28iOiJiYXIifQ", "AAAA", "usr_" + new string('0', 32),
    ];

    /// <summary>JSON values that stand in for any property: wrong types, extremes and broken text.</summary>
    private static readonly (string Name, string Json)[] Values =
    [
        ("null", "null"), ("number", "123"), ("negative", "-1"), ("huge number", "1e308"), ("big integer", "99999999999999999999999999"),
        ("fraction", "0.000001"), ("boolean", "true"), ("empty string", "\"\""), ("string", "\"x\""), ("array", "[]"), ("array of nulls", "[null, null]"),
        ("object", "{}"), ("lone surrogate", "\"\\ud800\""), ("reversed surrogates", "\"a\\udc00\\ud800b\""), ("NUL", "\"a\\u0000b\""),
        ("controls and bidi", "\"\\r\\nBcc: x@example.com\\u202e\""), ("long string", "\"" + new string('a', 100_000) + "\""),
        ("array of 10,000", "[" + string.Join(',', Enumerable.Repeat("1", 10_000)) + "]"), ("surrogate key", "{\"\\udfff\": 1}"),
    ];

    private static readonly (string Name, Func<HttpContent?> Body)[] BrokenBodies =
    [
        ("no body", () => null),
        ("empty JSON body", () => Json("")),
        ("null body", () => Json("null")),
        ("array body", () => Json("[]")),
        ("string body", () => Json("\"text\"")),
        ("number body", () => Json("42")),
        ("truncated JSON", () => Json("{\"a\":")),
        ("invalid UTF-8", () => new ByteArrayContent([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }),
        ("deep arrays", () => Json(new string('[', 10_000) + new string(']', 10_000))),
        ("deep objects", () => Json(string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000))),
        ("two MB body", () => Json("{\"text\":\"" + new string('a', 2 * 1024 * 1024) + "\"}")),
        ("text/plain body", () => new StringContent("{}", Encoding.UTF8, "text/plain")),
        ("form body", () => new FormUrlEncodedContent([new("a", "b")])),
        ("unknown property", () => Json("{\"unexpected\": 1}")),
        ("duplicate keys", () => Json("{\"a\":1,\"a\":2}")),
        ("lone surrogate key", () => Json("{\"\\ud800\": \"\\ud800\"}")),
    ];

    private static readonly string?[] Accepts = [null, "application/xml", "text/html", "text/plain", "*/*", "application/json;q=0"];

    public static List<HostileCase> Cases(JsonElement document, Func<string, string, string, string> goodPathValue)
    {
        var cases = new List<HostileCase>();
        var operations = new List<(string Path, string Method, JsonElement Operation)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations.Add((path.Name, operation.Name.ToUpperInvariant(), operation.Value));
            }
        }
        // What ends things (deletes, log-out) goes last, so the rest still reaches real data.
        foreach (var (path, method, operation) in operations.OrderBy(o => o.Path.EndsWith("/logout", StringComparison.Ordinal) ? 2 : o.Method == "DELETE" ? 1 : 0))
        {
            var parameters = operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
            var pathParameters = parameters.Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()!).ToList();
            var queryParameters = parameters.Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList();
            var good = pathParameters.ToDictionary(p => p, p => goodPathValue(path, method, p));
            string Url(IReadOnlyDictionary<string, string> values, string query = "") =>
                values.Aggregate(path, (url, value) => url.Replace("{" + value.Key + "}", value.Value, StringComparison.Ordinal)) + query;
            var example = ExampleBody(operation);
            var multipart = operation.TryGetProperty("requestBody", out var requestBody) && requestBody.GetProperty("content").TryGetProperty("multipart/form-data", out _);
            Func<HttpContent?> goodBody = multipart ? () => Image(Png(1, 1)) : example is null ? () => null : () => Json(example.ToJsonString());
            var http = new HttpMethod(method);
            var name = $"{method} {path}";
            var n = cases.Count;
            string? Accept() => Accepts[(cases.Count - n) % Accepts.Length];

            cases.Add(new(name + " as documented", http, Url(good), goodBody, Accept: Accept()));
            cases.Add(new(name + " without a token", http, Url(good), goodBody, Anonymous: true, Accept: "application/xml"));
            cases.Add(new(name + " with a forged token", http, Url(good), goodBody, Accept: Accept(), Headers: new Dictionary<string, string> { ["Authorization"] = "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c3JfMSJ9." }));
            cases.Add(new(name + " with an 8 KB token", http, Url(good), goodBody, Accept: Accept(), Headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + new string('a', 8000) }));
            cases.Add(new(name + " with a wrong If-Match", http, Url(good), goodBody, Accept: Accept(), Headers: new Dictionary<string, string> { ["If-Match"] = "\"not-a-version\"" }));
            foreach (var parameter in pathParameters)
            {
                foreach (var value in PathValues)
                {
                    cases.Add(new($"{name} with {parameter}={Shorten(value)}", http, Url(new Dictionary<string, string>(good) { [parameter] = value }), goodBody, Accept: Accept()));
                }
            }
            foreach (var parameter in queryParameters)
            {
                foreach (var value in QueryValues)
                {
                    cases.Add(new($"{name} with ?{parameter}={Shorten(value)}", http, Url(good, $"?{parameter}={value}"), goodBody, Accept: Accept()));
                }
                cases.Add(new($"{name} with ?{parameter} twice", http, Url(good, $"?{parameter}=1&{parameter}=2"), goodBody, Accept: Accept()));
            }
            if (method is "GET" or "DELETE" && example is null && !multipart)
            {
                continue;
            }
            foreach (var (bodyName, body) in BrokenBodies)
            {
                cases.Add(new($"{name} with {bodyName}", http, Url(good), body, Accept: Accept()));
            }
            if (multipart)
            {
                cases.AddRange(UploadCases(name, http, Url(good)));
            }
            if (example is not null)
            {
                foreach (var (where, mutated) in Mutations(example))
                {
                    cases.Add(new($"{name} with {where}", http, Url(good), () => Json(mutated), Accept: Accept()));
                }
            }
        }
        return cases;
    }

    /// <summary>Every property (at any depth) removed, then replaced by each of <see cref="Values"/>.</summary>
    private static IEnumerable<(string Where, string Json)> Mutations(JsonNode example)
    {
        foreach (var (pointer, parent, key) in Properties(example, "$"))
        {
            var removed = example.DeepClone();
            Remove(Find(removed, parent), key);
            yield return ($"{pointer} removed", removed.ToJsonString());
            foreach (var (valueName, json) in Values)
            {
                // JsonNode cannot hold a lone surrogate or a duplicate key; splice the raw text in.
                const string Marker = "\"__hostile__\"";
                var copy = example.DeepClone();
                Set(Find(copy, parent), key, JsonValue.Create("__hostile__"));
                yield return ($"{pointer} = {valueName}", copy.ToJsonString().Replace(Marker, json, StringComparison.Ordinal));
            }
        }
    }

    private static IEnumerable<(string Pointer, string Parent, object Key)> Properties(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    yield return ($"{path}.{name}", path, name);
                    if (child is not null)
                    {
                        foreach (var inner in Properties(child, $"{path}.{name}"))
                        {
                            yield return inner;
                        }
                    }
                }
                break;
            case JsonArray array when array.Count > 0:
                yield return ($"{path}[0]", path, 0);
                if (array[0] is { } first)
                {
                    foreach (var inner in Properties(first, $"{path}[0]"))
                    {
                        yield return inner;
                    }
                }
                break;
        }
    }

    private static JsonNode Find(JsonNode root, string path)
    {
        var node = root;
        foreach (var part in path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries).SelectMany(p => p.Replace("[0]", ".[0]", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries)))
        {
            node = part == "[0]" ? node.AsArray()[0]! : node.AsObject()[part]!;
        }
        return node;
    }

    private static void Remove(JsonNode parent, object key)
    {
        if (key is string name)
        {
            parent.AsObject().Remove(name);
        }
        else
        {
            parent.AsArray().RemoveAt((int)key);
        }
    }

    private static void Set(JsonNode parent, object key, JsonNode value)
    {
        if (key is string name)
        {
            parent.AsObject()[name] = value;
        }
        else
        {
            parent.AsArray()[(int)key] = value;
        }
    }

    private static IEnumerable<HostileCase> UploadCases(string name, HttpMethod method, string url)
    {
        yield return new($"{name} with an empty file", method, url, () => Image([]));
        yield return new($"{name} with text named .jpg", method, url, () => Image(Encoding.UTF8.GetBytes("not an image at all"), "photo.jpg"));
        yield return new($"{name} with a truncated PNG", method, url, () => Image(Png(1, 1)[..30]));
        yield return new($"{name} with a PNG claiming 60000×60000 pixels", method, url, () => Image(Png(60_000, 60_000)));
        yield return new($"{name} with a PNG claiming 0×0 pixels", method, url, () => Image(Png(0, 0)));
        yield return new($"{name} with the wrong field name", method, url, () => new MultipartFormDataContent { { new ByteArrayContent(Png(1, 1)), "picture", "a.png" } });
        yield return new($"{name} with two files", method, url, () => new MultipartFormDataContent { { new ByteArrayContent(Png(1, 1)), "file", "a.png" }, { new ByteArrayContent(Png(1, 1)), "file", "b.png" } });
        yield return new($"{name} with a path in the file name", method, url, () => Image(Png(1, 1), "../../../etc/passwd.png"));
        yield return new($"{name} with a broken multipart boundary", method, url, () => new StringContent("--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", Encoding.UTF8, "multipart/form-data"));
    }

    public static HttpContent Json(string text) => new StringContent(text, Encoding.UTF8, "application/json");

    private static MultipartFormDataContent Image(byte[] bytes, string fileName = "image.png")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    /// <summary>A PNG whose header claims the given size; its pixels are one compressed row (enough to make a decoder allocate).</summary>
    public static byte[] Png(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        Chunk(stream, "IHDR", header);
        using (var pixels = new MemoryStream())
        {
            using (var zlib = new System.IO.Compression.ZLibStream(pixels, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            {
                var row = new byte[1 + Math.Min(Math.Max(width, 1), 64) * 3];
                for (var y = 0; y < Math.Min(Math.Max(height, 1), 64); y++)
                {
                    zlib.Write(row);
                }
            }
            Chunk(stream, "IDAT", pixels.ToArray());
        }
        Chunk(stream, "IEND", []);
        return stream.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        stream.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }

    private static JsonNode? ExampleBody(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var json)
        && json.TryGetProperty("example", out var example)
            ? JsonNode.Parse(example.GetRawText())
            : null;

    private static string Shorten(string value) => value.Length > 24 ? $"{value[..8]}…({value.Length} chars)" : value;
}
