namespace Pairwise.Tests.Infrastructure;

/// <summary>A real OpenID Connect provider process (npm oidc-provider) that a server signs people in with as provider "test".</summary>
public static class IdentityProvider
{
    /// <summary>The server's settings for a provider at <paramref name="authorityPort"/> on localhost.</summary>
    public static Dictionary<string, string> Settings(int authorityPort) => new()
    {
        ["Pairwise__Oidc__Providers__test__Authority"] = $"http://localhost:{authorityPort}",
        ["Pairwise__Oidc__Providers__test__ClientId"] = "pairwise",
        ["Pairwise__Oidc__Providers__test__ClientSecret"] = "pairwise-test-secret",
        ["Pairwise__Oidc__Providers__test__DisplayName"] = "Test ID",
    };

    /// <summary>Starts the provider on <paramref name="port"/>, with the server's callback as its client's one redirect URI.</summary>
    public static async Task<NodeScript> StartAsync(int port, ServerProcess server)
    {
        var provider = NodeScript.Start("oidc-provider.mjs", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new Uri(server.Address, "/v1/auth/oidc/test/callback").ToString());
        await provider.WaitForAsync("ready");
        return provider;
    }
}
